/* SPDX-License-Identifier: MIT */
/* dockaudit: audits and fixes the host configuration of Docker's systemd service. */
#include <getopt.h>
#include <limits.h>

#include "cli/cmd.h"

static void usage(FILE *f)
{
        fprintf(f,
                "Usage: dockaudit [OPTIONS] COMMAND [ARGS]\n"
                "\n"
                "Commands:\n"
                "  audit [--format text|json|junit] [-o FILE] [--fail-on SEVERITY] [--facts FILE]\n"
                "                     check the unit and dockerd's options against the rules\n"
                "  fix [--yes] [--dry-run] [--restart] [--no-reload] [--fail-on SEVERITY]\n"
                "      [--choose RULE=FIX]\n"
                "                     write the fixes of the failing rules (drop-in, daemon.json,\n"
                "                     sysctl), reload systemd, audit again\n"
                "  facts [--format text|json]\n"
                "                     print what was collected, with the source of each value\n"
                "  rules [list | show ID | check FILE...]\n"
                "                     the rule set; validate rule files\n"
                "  leaks [--format text|json] [--release [--yes] [--remove-dead]]\n"
                "        [--docker-root DIR [--dockerd-pid PID]]\n"
                "                     container mounts held in other mount namespaces; release them\n"
                "\n"
                "Options (before or after the command):\n"
                "  --user             the user service manager (rootless docker), as systemctl --user\n"
                "  --unit NAME        the unit to audit (default docker.service)\n"
                "  --rules-dir DIR    read rules from DIR only (repeatable; first has priority)\n"
                "  --root DIR         offline: read files under DIR, no D-Bus\n"
                "  --no-color         no colours in text output (also NO_COLOR=1)\n"
                "  -h, --help         this help\n"
                "  --version          print the version\n"
                "\n"
                "Exit status: 0 compliant, 1 findings at or above --fail-on, 2 could not audit.\n");
}

/* Where the bundled rules are: the source tree's rules/ when run from the build tree
 * (the README's first command does that), else the installed copy. */
static const char *bundled_rules_dir(void)
{
        char self[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);

        if (n > 0) {
                self[n] = 0;
                if (streq(self, BUILD_BINARY))
                        return SRC_RULESDIR;
        }
        return RULESDIR;
}

enum {
        ARG_USER = 0x100,
        ARG_UNIT,
        ARG_RULES_DIR,
        ARG_ROOT,
        ARG_NO_COLOR,
        ARG_VERSION,
};

/* Takes the global options out of argv (anywhere before "--"), leaving the command and its
 * own arguments in place. Returns the new argc, or -EINVAL after printing the problem. */
static int parse_globals(int argc, char **argv, GlobalOptions *g, char ***rules_dirs, bool *help, bool *version)
{
        static const struct option opts[] = {
                { "user", no_argument, NULL, ARG_USER },
                { "unit", required_argument, NULL, ARG_UNIT },
                { "rules-dir", required_argument, NULL, ARG_RULES_DIR },
                { "root", required_argument, NULL, ARG_ROOT },
                { "no-color", no_argument, NULL, ARG_NO_COLOR },
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, ARG_VERSION },
                {},
        };
        int out = 1;

        for (int i = 1; i < argc; i++) {
                const char *a = argv[i], *val = NULL;
                const struct option *o = NULL;
                size_t len;

                if (streq(a, "--")) {
                        while (i < argc)
                                argv[out++] = argv[i++];
                        break;
                }
                if (streq(a, "-h")) {
                        *help = true;
                        continue;
                }
                if (!startswith(a, "--")) {
                        argv[out++] = argv[i];
                        continue;
                }
                len = strcspn(a + 2, "=");
                for (const struct option *p = opts; p->name; p++)
                        if (strlen(p->name) == len && strncmp(p->name, a + 2, len) == 0)
                                o = p;
                if (!o) {
                        argv[out++] = argv[i]; /* a subcommand option */
                        continue;
                }
                if (o->has_arg == required_argument) {
                        if (a[2 + len] == '=')
                                val = a + 3 + len;
                        else if (i + 1 < argc)
                                val = argv[++i];
                        else {
                                fprintf(stderr, "dockaudit: option --%s needs a value\n", o->name);
                                return -EINVAL;
                        }
                } else if (a[2 + len] == '=') {
                        fprintf(stderr, "dockaudit: option --%s takes no value\n", o->name);
                        return -EINVAL;
                }
                switch (o->val) {
                case ARG_USER:
                        g->user = true;
                        break;
                case ARG_UNIT:
                        g->unit = val;
                        break;
                case ARG_RULES_DIR:
                        if (strv_extend(rules_dirs, val) < 0)
                                return -ENOMEM;
                        break;
                case ARG_ROOT:
                        g->root = val;
                        break;
                case ARG_NO_COLOR:
                        g->color = false;
                        break;
                case 'h':
                        *help = true;
                        break;
                case ARG_VERSION:
                        *version = true;
                        break;
                }
        }
        argv[out] = NULL;
        return out;
}

int main(int argc, char **argv)
{
        static const struct {
                const char *name;
                int (*run)(int, char **, const GlobalOptions *);
        } commands[] = {
                { "audit", cmd_audit },
                { "facts", cmd_facts },
                { "fix", cmd_fix },
                { "rules", cmd_rules },
                { "leaks", cmd_leaks },
        };
        _cleanup_strv_free_ char **rules_dirs = NULL;
        const char *no_color = getenv("NO_COLOR");
        GlobalOptions g = {
                .unit = "docker.service",
                /* no-color.org: NO_COLOR set to a non-empty value turns colours off. */
                .color = isatty(STDOUT_FILENO) && !(no_color && *no_color),
        };
        bool help = false, version = false;

        argc = parse_globals(argc, argv, &g, &rules_dirs, &help, &version);
        if (argc < 0)
                return EXIT_TROUBLE;
        if (version) {
                printf("dockaudit %s\n", PACKAGE_VERSION);
                return 0;
        }
        if (help || argc < 2) {
                usage(help ? stdout : stderr);
                return help ? 0 : EXIT_TROUBLE;
        }
        if (!rules_dirs) {
                if (strv_extend(&rules_dirs, SYSCONFRULESDIR) < 0 ||
                        strv_extend(&rules_dirs, bundled_rules_dir()) < 0) {
                        fprintf(stderr, "dockaudit: out of memory\n");
                        return EXIT_TROUBLE;
                }
        }
        g.rules_dirs = rules_dirs;

        for (size_t i = 0; i < ELEMENTSOF(commands); i++)
                if (streq(argv[1], commands[i].name)) {
                        optind = 0; /* each command runs its own getopt_long() from argv[1] */
                        return commands[i].run(argc - 1, argv + 1, &g);
                }
        fprintf(stderr, "dockaudit: unknown command '%s' (see dockaudit --help)\n", argv[1]);
        return EXIT_TROUBLE;
}
