/* SPDX-License-Identifier: MIT */
/* dockaudit: audits and fixes the host configuration of Docker's systemd service. */
#include <getopt.h>
#include <limits.h>

#include "basic/fileio.h"
#include "basic/parse-util.h"
#include "cli/cmd-args.h"
#include "cli/cmd-modes.h"
#include "cli/cmd.h"

static int usage(FILE *f)
{
        fprintf(f, "Usage: dockaudit [OPTIONS] COMMAND [ARGS]\n"
                   "\n"
                   "Commands:\n"
                   "  audit [--format text|json|junit] [-o FILE] [--fail-on SEVERITY] [--facts FILE]\n"
                   "        [--strict]\n"
                   "                     check the unit and dockerd's options against the rules\n"
                   "  fix [--yes] [--dry-run] [--restart] [--no-reload] [--fail-on SEVERITY]\n"
                   "      [--choose RULE=FIX]\n"
                   "                     write the fixes of the failing rules (drop-in, daemon.json,\n"
                   "                     sysctl), reload systemd, audit again\n"
                   "  facts [--format text|json] [--catalog]\n"
                   "                     print what was collected, with the source of each value;\n"
                   "                     --catalog: every fact rules may use, with its meaning\n"
                   "  rules [list | show ID | check FILE...]\n"
                   "                     the rule set; validate rule files\n"
                   "  leaks [--format text|json] [--release [--yes] [--remove-dead]]\n"
                   "        [--docker-root DIR [--dockerd-pid PID]]\n"
                   "                     container mounts held in other mount namespaces; release them\n"
                   "  summarize [--format text|json|junit|html] [-o FILE] [--fail-on SEVERITY]\n"
                   "            [--max-age DURATION] [--now TIME] [--hosts FILE|LIST] REPORT.json...|DIR\n"
                   "                     one fleet report from many JSON reports\n"
                   "  help [COMMAND]     this help, or the usage of COMMAND (also COMMAND --help)\n"
                   "\n"
                   "Options (before or after the command):\n"
                   "  --user             the user service manager (rootless docker), as systemctl --user\n"
                   "  --unit NAME        the unit to audit (default docker.service)\n"
                   "  --rules-dir DIR    read rules from DIR only (repeatable; first has priority)\n"
                   "  --root DIR         offline: read files under DIR, no D-Bus (a system image: it must\n"
                   "                     hold etc/systemd, lib/systemd, etc/docker or os-release)\n"
                   "  --host-root DIR    container mode (audit, facts): the host's files under DIR, the\n"
                   "                     unit over the host's D-Bus, dockerd over its socket\n"
                   "  --sos PATH         audit, facts: an sos report (directory or .tar.xz/.tar.gz)\n"
                   "  --waivers-dir DIR  read waivers (*.waiver) from DIR instead of\n"
                   "                     /etc/dockaudit/waivers.d (repeatable: all are read)\n"
                   "  --no-color         no colours in text output (also NO_COLOR=1)\n"
                   "  --timeout SECONDS  give up on what is not collected by then (default 30)\n"
                   "  -h, --help         this help\n"
                   "  --version          print the version\n"
                   "\n"
                   "\n"
                   "Exit status: 0 compliant, 1 findings at or above --fail-on, 2 could not audit.\n"
                   "See dockaudit(8), dockaudit.rule(5) and dockaudit.waiver(5).\n");
        return 0;
}

typedef struct Command {
        const char *name;
        int (*run)(int argc, char **argv, const GlobalOptions *g);
        bool reads_root; /* uses --root: it is checked before the command runs */
} Command;

static int cmd_help(int argc, char **argv, const GlobalOptions *g);

/* The one table of commands (as git's builtin table). */
static const Command commands[] = {
        {"audit", cmd_audit, true},
        {"facts", cmd_facts, true},
        {"fix", cmd_fix, true},
        {"rules", cmd_rules, false},
        {"leaks", cmd_leaks, false},
        {"summarize", cmd_summarize, false},
        {"help", cmd_help, false},
};

static const Command *command_find(const char *name)
{
        for (size_t i = 0; i < ELEMENTSOF(commands); i++)
                if (streq(name, commands[i].name))
                        return &commands[i];
        return NULL;
}

/* Runs a command: its exit status, or EXIT_TROUBLE when it failed (negative errno, logged). */
static int command_run(const Command *c, int argc, char **argv, const GlobalOptions *g)
{
        int r;

        /* Each command runs its own getopt_long() over argv from argv[1]; getopt_long() names
         * argv[0] in its messages ("unrecognized option '--foo'"): make that the one prefix
         * of basic/log.h. Commands know their own name. */
        optind = 0;
        argv[0] = (char *) "dockaudit";
        r = c->run(argc, argv, g);
        return r < 0 ? EXIT_TROUBLE : r;
}

/* dockaudit help [COMMAND]: the global usage, or the command's own (as COMMAND --help). */
static int cmd_help(int argc, char **argv, const GlobalOptions *g)
{
        const Command *c;
        char *args[] = {NULL, (char *) "--help", NULL};

        if (argc > 2)
                return log_errorf_errno(
                        -EINVAL, "help: unexpected argument '%s' (see dockaudit --help)", argv[2]);
        if (argc < 2 || streq(argv[1], "help") || streq(argv[1], "--help") || streq(argv[1], "-h"))
                return usage(stdout);
        c = command_find(argv[1]);
        if (!c)
                return log_errorf_errno(-EINVAL, "unknown command '%s' (see dockaudit --help)", argv[1]);
        return command_run(c, 2, args, g);
}

/* Where the bundled rules are (*ret allocated): $DOCKAUDIT_RULES_DIR when set; else, for a
 * binary in its build tree, the path in the marker the build writes next to it (no build path
 * is compiled into the binary: make install copies the same file); else the installed copy. */
static int bundled_rules_dir(char **ret)
{
        const char *env = getenv("DOCKAUDIT_RULES_DIR");
        _cleanup_free_ char *marker = NULL;
        char self[PATH_MAX + sizeof "-build-rules"];
        ssize_t n;

        if (env && *env)
                return (*ret = strdup(env)) ? 0 : -ENOMEM;
        n = readlink("/proc/self/exe", self, PATH_MAX - 1);
        if (n > 0) {
                strcpy(self + n, "-build-rules");
                /* Missing or unreadable: not a build tree. */
                if (read_one_line_file(self, &marker) >= 0 && *marker) {
                        *ret = TAKE_PTR(marker);
                        return 0;
                }
        }
        return (*ret = strdup(RULESDIR)) ? 0 : -ENOMEM;
}

enum {
        ARG_USER = 0x100,
        ARG_UNIT,
        ARG_RULES_DIR,
        ARG_ROOT,
        ARG_NO_COLOR,
        ARG_VERSION,
        ARG_TIMEOUT,
        ARG_HOST_ROOT,
        ARG_SOS,
        ARG_WAIVERS_DIR,
};

/* What the global options say besides GlobalOptions. */
typedef struct GlobalArgs {
        char **rules_dirs; /* --rules-dir, in order */
        char **waivers_dirs; /* --waivers-dir, in order */
        bool help; /* -h or --help before the command */
        bool version;
        const char *host_root; /* --host-root DIR, as given */
        const char *sos; /* --sos PATH, as given */
} GlobalArgs;

/* The global option that a is ("-h", "--NAME" or "--NAME=VALUE", exact names only), or NULL
 * when a is not one (a command, its option or argument). */
static const struct option *global_option_find(const char *a)
{
        static const struct option opts[] = {
                {"user", no_argument, NULL, ARG_USER},
                {"unit", required_argument, NULL, ARG_UNIT},
                {"rules-dir", required_argument, NULL, ARG_RULES_DIR},
                {"root", required_argument, NULL, ARG_ROOT},
                {"no-color", no_argument, NULL, ARG_NO_COLOR},
                {"help", no_argument, NULL, 'h'},
                {"version", no_argument, NULL, ARG_VERSION},
                {"timeout", required_argument, NULL, ARG_TIMEOUT},
                {"host-root", required_argument, NULL, ARG_HOST_ROOT},
                {"sos", required_argument, NULL, ARG_SOS},
                {"waivers-dir", required_argument, NULL, ARG_WAIVERS_DIR},
                {},
        };
        const char *name = startswith(streq(a, "-h") ? "--help" : a, "--");
        size_t len;

        if (!name)
                return NULL;
        len = strcspn(name, "=");
        for (const struct option *p = opts; p->name; p++)
                if (strlen(p->name) == len && strncmp(p->name, name, len) == 0)
                        return p;
        return NULL;
}

/* The value of option o at argv[*i]: after "=" or the next argument (then *i moves on).
 * *ret is NULL for an option without a value. Returns 0, or -EINVAL after logging. */
static int global_option_value(const struct option *o, int argc, char **argv, int *i, const char **ret)
{
        const char *eq = strchr(argv[*i], '=');

        *ret = NULL;
        if (o->has_arg != required_argument) {
                if (eq)
                        return log_errorf_errno(-EINVAL, "option '--%s' takes no value", o->name);
                return 0;
        }
        if (eq)
                *ret = eq + 1;
        else if (*i + 1 < argc)
                *ret = argv[++*i];
        else
                return log_errorf_errno(-EINVAL, "option '--%s' needs a value", o->name);
        return 0;
}

static int global_option_apply(const struct option *o, const char *val, GlobalOptions *g, GlobalArgs *ga)
{
        switch (o->val) {
        case ARG_USER:
                g->user = true;
                break;
        case ARG_UNIT:
                g->unit = val;
                break;
        case ARG_RULES_DIR:
                if (strv_extend(&ga->rules_dirs, val) < 0)
                        return log_oom();
                break;
        case ARG_ROOT:
                g->root = val;
                break;
        case ARG_WAIVERS_DIR:
                if (strv_extend(&ga->waivers_dirs, val) < 0)
                        return log_oom();
                break;
        case ARG_NO_COLOR:
                g->color = false;
                break;
        case ARG_HOST_ROOT:
                ga->host_root = val;
                break;
        case ARG_SOS:
                ga->sos = val;
                break;
        case 'h':
                ga->help = true;
                break;
        case ARG_VERSION:
                ga->version = true;
                break;
        case ARG_TIMEOUT: {
                unsigned long long t;

                if (safe_atou64(val, &t) < 0 || t == 0 || t > 86400)
                        return log_errorf_errno(-EINVAL, "--timeout '%s': seconds from 1 to 86400", val);
                g->timeout_usec = t * 1000000ULL;
                break;
        }
        }
        return 0;
}

/* Takes the global options out of argv (anywhere before "--"), leaving the command and its
 * own arguments in place. -h and --help belong to the command once there is one (the first
 * argument that is not an option). Returns the new argc, or a negative errno after logging. */
static int parse_globals(int argc, char **argv, GlobalOptions *g, GlobalArgs *ga)
{
        bool have_command = false;
        int out = 1, r;

        for (int i = 1; i < argc; i++) {
                const char *a = argv[i], *val;
                const struct option *o;

                if (streq(a, "--")) {
                        while (i < argc)
                                argv[out++] = argv[i++];
                        break;
                }
                o = global_option_find(a);
                if (!o || (o->val == 'h' && have_command)) {
                        have_command = have_command || a[0] != '-';
                        argv[out++] = argv[i];
                        continue;
                }
                r = global_option_value(o, argc, argv, &i, &val);
                if (r < 0)
                        return r;
                r = global_option_apply(o, val, g, ga);
                if (r < 0)
                        return r;
        }
        argv[out] = NULL;
        return out;
}

int main(int argc, char **argv)
{
        _cleanup_strv_free_ char **rules_dirs = NULL, **waivers_dirs = NULL;
        _cleanup_free_ char *root = NULL, *root_error = NULL, *bundled = NULL;
        _cleanup_(modes_done) Modes modes = {};
        const char *no_color = getenv("NO_COLOR");
        GlobalOptions g = {
                .unit = "docker.service",
                /* no-color.org: NO_COLOR set to a non-empty value turns colours off. */
                .color = isatty(STDOUT_FILENO) && !(no_color && *no_color),
        };
        GlobalArgs ga = {};
        const Command *c;

        argc = parse_globals(argc, argv, &g, &ga);
        rules_dirs = ga.rules_dirs;
        waivers_dirs = ga.waivers_dirs;
        if (argc < 0)
                return EXIT_TROUBLE;
        if (ga.version) {
                printf("dockaudit %s\n", PACKAGE_VERSION);
                return 0;
        }
        if (ga.help)
                return usage(stdout);
        if (argc < 2) {
                usage(stderr);
                return EXIT_TROUBLE;
        }
        /* "-": the admin's directory may be missing (rules/rules.h); the bundled one may not. */
        if (!rules_dirs &&
                (bundled_rules_dir(&bundled) < 0 || strv_extend(&rules_dirs, "-" SYSCONFRULESDIR) < 0 ||
                        strv_extend(&rules_dirs, bundled) < 0)) {
                log_oom();
                return EXIT_TROUBLE;
        }
        g.rules_dirs = rules_dirs;
        /* The auditor's waivers: the host's /etc, also for an image audited with --root. */
        if (!waivers_dirs && strv_extend(&waivers_dirs, "-" SYSCONFWAIVERSDIR) < 0) {
                log_oom();
                return EXIT_TROUBLE;
        }
        g.waivers_dirs = waivers_dirs;

        c = command_find(argv[1]);
        if (!c) {
                log_error("unknown command '%s' (see dockaudit --help)", argv[1]);
                return EXIT_TROUBLE;
        }
        /* One normalised --root for every command that reads it (leaks refuses it itself). */
        if (g.root && c->reads_root) {
                if (parse_root(g.root, &root, &root_error) < 0 && !root_error) {
                        log_oom();
                        return EXIT_TROUBLE;
                }
                if (root)
                        g.root = root;
                else
                        g.root_error = root_error;
        }
        if (!g.root_error && modes_resolve(&modes, c->name, ga.host_root, ga.sos, &g) < 0) {
                log_oom();
                return EXIT_TROUBLE;
        }
        return command_run(c, argc - 1, argv + 1, &g);
}
