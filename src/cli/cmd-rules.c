/* SPDX-License-Identifier: MIT */
/* dockaudit rules [list | show ID | check FILE...]: the rule set as loaded from the rule
 * directories, and validation of rule files before they are installed. */
#include "basic/id128-name.h"
#include "cli/cmd.h"
#include "fix/fix-describe.h"
#include "rules/rules.h"
#include "rules/waiver.h"

typedef enum RulesVerb {
        RULES_LIST,
        RULES_SHOW,
        RULES_CHECK,
} RulesVerb;

typedef struct RulesArgs {
        RulesVerb verb;
        const char *id; /* show ID */
        char **files; /* check FILE... */
        int n_files;
} RulesArgs;

static int help(FILE *f)
{
        fprintf(f, "Usage: dockaudit rules [list]        the rules, highest priority directory first wins\n"
                   "       dockaudit rules show ID       one rule in full, with its fixes and file\n"
                   "       dockaudit rules check FILE... validate rule files (exit 0 if all are valid)\n"
                   "  -h, --help  this help\n"
                   "Rules come from --rules-dir DIR (repeatable), else /etc/dockaudit/rules.d and the\n"
                   "bundled rules; see dockaudit --help and dockaudit.rule(5).\n");
        return 0;
}

/* No getopt_long() here: -h and --help anywhere ask for help, and any other word (even one
 * starting with "-") is a rule ID or a file name; only "--" right after check is skipped,
 * so that a file name may start with "-". */
static int parse_argv(int argc, char **argv, RulesArgs *a)
{
        const char *verb = argc > 1 ? argv[1] : "list";

        for (int i = 1; i < argc; i++)
                if (streq(argv[i], "-h") || streq(argv[i], "--help"))
                        return help(stdout);

        if (streq(verb, "list")) {
                if (argc > 2)
                        return log_errorf_errno(-EINVAL,
                                "rules list: unexpected argument '%s' (see dockaudit rules --help)",
                                argv[2]);
                a->verb = RULES_LIST;
        } else if (streq(verb, "show")) {
                if (argc < 3)
                        return log_errorf_errno(
                                -EINVAL, "rules show: which rule? (see dockaudit rules --help)");
                if (argc > 3)
                        return log_errorf_errno(-EINVAL,
                                "rules show: unexpected argument '%s' (see dockaudit rules --help)",
                                argv[3]);
                a->verb = RULES_SHOW;
                a->id = argv[2];
        } else if (streq(verb, "check")) {
                int first = argc > 2 && streq(argv[2], "--") ? 3 : 2;

                if (first >= argc)
                        return log_errorf_errno(
                                -EINVAL, "rules check: which files? (see dockaudit rules --help)");
                a->verb = RULES_CHECK;
                a->files = argv + first;
                a->n_files = argc - first;
        } else
                return log_errorf_errno(
                        -EINVAL, "rules: unknown verb '%s' (see dockaudit rules --help)", verb);
        return 1;
}

static int load_set(const GlobalOptions *g, RuleSet *ret)
{
        _cleanup_free_ char *err = NULL;
        int r = rule_set_load(ret, g->rules_dirs, &err);

        if (r < 0)
                return log_error_errno(r, err);
        return 0;
}

/* One table over enabled and disabled ids, in id order. */
static int rules_list(const GlobalOptions *g)
{
        _cleanup_(rule_set_done) RuleSet set = {};
        size_t w = strlen("ID"), i = 0, j = 0;
        int r = load_set(g, &set);

        if (r < 0)
                return r;
        for (size_t k = 0; k < set.n; k++)
                w = strlen(set.rules[k]->id) > w ? strlen(set.rules[k]->id) : w;
        for (char **d = set.disabled; d && *d; d++)
                w = strlen(*d) > w ? strlen(*d) : w;

        printf("%-*s  %-8s  %s\n", (int) w, "ID", "SEVERITY", "TITLE");
        while (i < set.n || (set.disabled && set.disabled[j])) {
                const char *dis = set.disabled ? set.disabled[j] : NULL;

                if (i < set.n && (!dis || strcmp(set.rules[i]->id, dis) < 0)) {
                        const Rule *rule = set.rules[i++];
                        printf("%-*s  %-8s  %s\n", (int) w, rule->id, severity_to_string(rule->severity),
                                rule->title);
                } else {
                        printf("%-*s  %-8s  %s\n", (int) w, dis, "-", "(disabled)");
                        j++;
                }
        }
        return fflush(stdout) == 0 ? 0 : EXIT_TROUBLE;
}

/* The waivers of the rule (from --waivers-dir or /etc/dockaudit/waivers.d), one line each
 * with where they apply. */
static int rules_show_waivers(const WaiverSet *ws, const Rule *rule)
{
        bool any = false;

        for (size_t i = 0; i < ws->n; i++) {
                const Waiver *w = &ws->v[i];
                _cleanup_free_ char *hosts = w->hosts ? strv_join(w->hosts, " ") : NULL,
                                    *d = waiver_describe(w, false), *line = NULL, *e = NULL;

                if (!streq(w->rule, rule->id))
                        continue;
                if (!d || (w->hosts && !hosts))
                        return log_oom();
                line = strdupf("%s%s%s%s: %s", hosts ? "hosts " : "every host", strempty(hosts),
                        w->evidence ? ", evidence " : "", strempty(w->evidence), d);
                e = line ? utf8_escape_non_printable(line) : NULL;
                if (!e)
                        return log_oom();
                printf("%s%s\n", any ? "            " : "waivers:    ", e);
                any = true;
        }
        if (!any)
                printf("waivers:    none\n");
        return 0;
}

static int rules_show(const GlobalOptions *g, const char *id)
{
        _cleanup_(rule_set_done) RuleSet set = {};
        _cleanup_(waiver_set_done) WaiverSet ws = {};
        _cleanup_free_ char *err = NULL;
        const Rule *rule;
        int r = load_set(g, &set);

        if (r < 0)
                return r;
        /* A bad waiver file is an error, as in audit. */
        r = waiver_set_load(&ws, g->waivers_dirs, &set, &err);
        if (r < 0)
                return log_error_errno(r, err);
        rule = rule_set_find(&set, id);
        if (!rule) {
                for (size_t i = 0; set.disabled[i]; i++)
                        if (streq(set.disabled[i], id)) {
                                _cleanup_free_ char *by = utf8_escape_non_printable(set.disabled_by[i]);

                                printf("%s: disabled by %s (a symlink to /dev/null or an empty file)\n", id,
                                        by ? by : "?");
                                return fflush(stdout) == 0 ? 0 : EXIT_TROUBLE;
                        }
                return log_errorf_errno(-ENOENT, "no rule '%s' (see dockaudit rules list)", id);
        }

        printf("id:         %s\n", rule->id);
        printf("title:      %s\n", rule->title);
        printf("severity:   %s\n", severity_to_string(rule->severity));
        printf("message-id: %s\n", /* the journal's, for its findings */
                strna(id128_for_rule(rule->id, (char[ID128_STRING_MAX]){})));
        printf("file:       %s\n", rule->path);
        if (rule->applies_text)
                printf("applies:    %s\n", rule->applies_text);
        printf("when:       %s\n", rule->when_text);
        printf("message:    %s\n", rule->message);
        if (rule->rationale)
                printf("rationale:  %s\n", rule->rationale);
        for (size_t i = 0; rule->references && rule->references[i]; i++)
                printf("%s%s\n", i == 0 ? "references: " : "            ", rule->references[i]);
        if (rule->n_fixes == 0)
                printf("fix:        none by configuration\n");
        for (size_t i = 0; i < rule->n_fixes; i++) {
                const RuleFix *f = &rule->fixes[i];

                if (f->name)
                        printf("fix \"%s\":\n", f->name);
                else
                        printf("fix:\n");
                printf("    when:        %s\n", f->when_text ? f->when_text : "(always)");
                if (f->choose_only)
                        printf("    choose-only: yes (fix --choose %s=%s, or at the prompt)\n", rule->id,
                                f->name);
                for (size_t k = 0; k < f->n_actions; k++)
                        fix_describe_action(stdout, &f->actions[k], FIX_DESCRIBE_TABLE);
                printf("    restart:     %s\n", f->restart_needed ? "needed" : "no");
                if (f->note)
                        printf("    note:        %s\n", f->note);
        }
        r = rules_show_waivers(&ws, rule);
        if (r < 0)
                return r;
        return fflush(stdout) == 0 ? 0 : EXIT_TROUBLE;
}

static int rules_check(int n, char **files)
{
        int ret = 0;

        for (int i = 0; i < n; i++) {
                _cleanup_free_ char *err = NULL;
                _cleanup_rule_ Rule *rule = NULL;
                int r = rule_file_disables(files[i]);

                if (r > 0) {
                        printf("%s: ok (disables the rule of this name)\n", files[i]);
                        continue;
                }
                r = rule_load_file(files[i], &rule, &err);
                if (r < 0) {
                        /* "FILE:LINE: message"; the other files are still checked */
                        log_error_errno(r, err);
                        ret = EXIT_TROUBLE;
                        continue;
                }
                printf("%s: ok\n", files[i]);
        }
        if (fflush(stdout) != 0)
                return EXIT_TROUBLE;
        return ret;
}

int cmd_rules(int argc, char **argv, const GlobalOptions *g)
{
        RulesArgs a = {};
        int r = parse_argv(argc, argv, &a);

        if (r <= 0)
                return r;
        switch (a.verb) {
        case RULES_SHOW:
                return rules_show(g, a.id);
        case RULES_CHECK:
                return rules_check(a.n_files, a.files);
        case RULES_LIST:
        default:
                return rules_list(g);
        }
}
