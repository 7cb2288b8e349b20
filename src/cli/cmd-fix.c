/* SPDX-License-Identifier: MIT */
/* dockaudit fix: turn the failing rules into one plan, prove on the facts that it clears
 * them, show it (diffs), write it atomically, reload (and restart), audit again. The steps
 * are the fix stage's (fix/fix-engine.h); this file parses, asks, prints. */
#include <getopt.h>

#include "cli/cmd-args.h"
#include "cli/cmd.h"
#include "cli/prompt.h"
#include "fix/fix-describe.h"
#include "fix/fix-engine.h"
#include "formats/docker-api.h"

typedef struct Args {
        bool yes, dry_run, restart, no_reload;
        Severity fail_on;
        FixChoice *choices;
        size_t n_choices;
        char **choice_args; /* owns the strings choices point into */
} Args;

static void args_done(Args *a)
{
        free(a->choices);
        strv_free(a->choice_args);
}

static int help(FILE *f)
{
        fprintf(f,
                "Usage: dockaudit fix [--yes] [--dry-run] [--restart] [--no-reload] [--fail-on SEVERITY]\n"
                "                     [--choose RULE=FIX]\n"
                "\n"
                "Applies the fixes of the failing rules as one plan (drop-in, daemon.json, sysctl),\n"
                "proven on the facts first; reloads systemd and audits again.\n"
                "  -y, --yes           apply without questions (provisioning)\n"
                "  -n, --dry-run       print the plan and the diff of every file; write nothing\n"
                "                      (exit 1 when changes are needed or findings at or above\n"
                "                      --fail-on remain that no fix clears, 0 when not)\n"
                "  --restart           restart the unit after the change and wait for it\n"
                "  --no-reload         do not reload the service manager (image builds)\n"
                "  --fail-on SEVERITY  the lowest severity still failing afterwards that makes\n"
                "                      the exit status 1 (default medium)\n"
                "  --choose RULE=FIX   use the rule's fix named FIX (\"default\": the unnamed one)\n"
                "                      instead of the one its conditions pick (repeatable)\n"
                "  -h, --help          this help\n"
                "Global options (--user, --unit, --root, --rules-dir, ...): see dockaudit --help.\n"
                "With fix, --timeout SECONDS (default 30) is the budget of each stage that waits on\n"
                "the manager or dockerd: the audit before the plan, the reload, the re-audit (not\n"
                "the --restart job: 120 s; not the questions). A stage that times out before the\n"
                "plan writes nothing; a reload or re-audit that times out leaves the files written\n"
                "(whole, never partial) and exits 2 naming it.\n"
                "Exit status: 0 nothing at or above --fail-on remains, 1 findings remain (or, with\n"
                "--dry-run, changes are needed), 2 refused or could not fix (nothing written), or\n"
                "the reload, restart or re-audit failed after the writes (which stay, named).\n");
        return 0;
}

/* The --choose arguments, split at '=' in place, as the plan takes them. */
static int args_split_choices(Args *a)
{
        a->n_choices = strv_length(a->choice_args);
        a->choices = calloc(a->n_choices + 1, sizeof *a->choices);
        if (!a->choices)
                return log_oom();
        for (size_t i = 0; i < a->n_choices; i++) {
                char *eq = strchr(a->choice_args[i], '=');

                *eq = 0;
                a->choices[i] = (FixChoice){.rule_id = a->choice_args[i], .fix_name = eq + 1};
        }
        return 1;
}

static int parse_argv(int argc, char **argv, Args *a)
{
        enum { ARG_RESTART = 0x100, ARG_NO_RELOAD, ARG_FAIL_ON, ARG_CHOOSE };
        static const struct option opts[] = {
                {"yes", no_argument, NULL, 'y'},
                {"dry-run", no_argument, NULL, 'n'},
                {"restart", no_argument, NULL, ARG_RESTART},
                {"no-reload", no_argument, NULL, ARG_NO_RELOAD},
                {"fail-on", required_argument, NULL, ARG_FAIL_ON},
                {"choose", required_argument, NULL, ARG_CHOOSE},
                {"help", no_argument, NULL, 'h'},
                {},
        };
        int c, r;

        optind = 0;
        while ((c = getopt_long(argc, argv, "ynh", opts, NULL)) >= 0)
                switch (c) {
                case 'y':
                        a->yes = true;
                        break;
                case 'n':
                        a->dry_run = true;
                        break;
                case ARG_RESTART:
                        a->restart = true;
                        break;
                case ARG_NO_RELOAD:
                        a->no_reload = true;
                        break;
                case ARG_FAIL_ON:
                        r = parse_fail_on(optarg, &a->fail_on);
                        if (r < 0)
                                return r;
                        break;
                case ARG_CHOOSE:
                        if (!strchr(optarg, '=') || optarg[0] == '=')
                                return log_errorf_errno(
                                        -EINVAL, "--choose: expected RULE=FIX, not '%s'", optarg);
                        if (strv_extend(&a->choice_args, optarg) < 0)
                                return log_oom();
                        break;
                case 'h':
                        return help(stdout);
                default: /* getopt_long() named the option (see main.c) */
                        return log_errorf_errno(-EINVAL, "see dockaudit fix --help");
                }
        if (optind < argc)
                return log_errorf_errno(
                        -EINVAL, "unexpected argument '%s' (see dockaudit fix --help)", argv[optind]);
        return args_split_choices(a);
}

static void print_fix(FILE *f, const RuleFix *fix)
{
        for (size_t k = 0; k < fix->n_actions; k++) {
                fputs(k ? ", " : "", f);
                fix_describe_action(f, &fix->actions[k], FIX_DESCRIBE_INLINE);
        }
        if (fix->n_actions == 0)
                fputs("no file change", f);
        fputs(fix->restart_needed ? " (restart needed)" : "", f);
}

static void print_plan(const FixPlan *p, const Findings *before)
{
        for (size_t i = 0; i < p->n_items; i++) {
                const PlanItem *it = &p->items[i];
                const Finding *fd = findings_find(before, it->rule);

                printf("* %s (%s): %s\n", it->rule->id, severity_to_string(it->rule->severity),
                        it->rule->title);
                if (fd && fd->message)
                        printf("  %s\n", fd->message);
                printf("  fix [%s]: ", rule_fix_display_name(it->fix));
                print_fix(stdout, it->fix);
                putchar('\n');
                if (it->fix->note)
                        printf("  note: %s\n", it->fix->note);
                for (size_t k = 0; k < it->n_alternatives; k++) {
                        printf("  other fix [%s] (--choose %s=%s): ",
                                rule_fix_display_name(it->alternatives[k]), it->rule->id,
                                rule_fix_display_name(it->alternatives[k]));
                        print_fix(stdout, it->alternatives[k]);
                        putchar('\n');
                }
        }
        for (size_t i = 0; i < p->n_unfixable; i++) {
                const Rule *rule = p->unfixable[i];
                const Finding *fd = findings_find(before, rule);
                printf("* %s (%s): no automatic fix%s%s\n", rule->id, severity_to_string(rule->severity),
                        fd && fd->message ? ": " : "", fd && fd->message ? fd->message : "");
                for (size_t k = 0; k < rule->n_fixes; k++) {
                        if (!rule->fixes[k].choose_only)
                                continue;
                        printf("  fix [%s] only when chosen (--choose %s=%s): ", rule->fixes[k].name,
                                rule->id, rule->fixes[k].name);
                        print_fix(stdout, &rule->fixes[k]);
                        putchar('\n');
                        if (rule->fixes[k].note)
                                printf("  note: %s\n", rule->fixes[k].note);
                }
        }
}

/* What leaving the private namespace does to the containers running now. */
static void print_container_warning(const Facts *facts)
{
        const char *sock = facts_get_string(facts, "docker.socket"), *what;
        _cleanup_(docker_container_list_done) DockerContainerList l = {};
        _cleanup_free_ char *err = NULL;
        size_t running = 0;
        int r;

        if (facts_get_bool(facts, "ns.dockerd_private") <= 0)
                return;
        if (facts_get_bool(facts, "dockerd.live_restore") > 0)
                what = "under live-restore they keep running across the restart, but `docker exec` "
                       "into them fails afterwards: recreate them (docker rm, then docker run / docker "
                       "compose up) once dockerd runs in the host's mount namespace.";
        else
                what = "the restart stops them; start them again afterwards.";
        printf("\nContainers started by a dockerd in a private (slave) mount namespace: %s\n", what);
        if (!sock) {
                printf("(the Docker API socket is unknown: cannot list them)\n");
                return;
        }
        r = docker_api_containers(sock, &l.v, &l.n, &err);
        if (r < 0) {
                printf("(cannot list them: %s)\n", err ? err : strerror(-r));
                return;
        }
        for (size_t i = 0; i < l.n; i++)
                if (l.v[i].state && streq(l.v[i].state, "running")) {
                        printf("%s  %.12s  %s\n", running ? "" : "Containers to recreate:\n", l.v[i].id,
                                strempty(l.v[i].name));
                        running++;
                }
        if (running == 0)
                printf("No container is running now.\n");
}

static void print_plan_and_changes(const FixEngine *e)
{
        const FixChanges *c = &e->changes;

        print_plan(&e->plan, &e->before);
        if ((e->dropin_changed || e->dropin_stale || e->daemon_json_changed) && e->plan.restart_needed)
                print_container_warning(&e->facts);
        printf("\nChanges:\n");
        for (size_t i = 0; i < c->n; i++)
                printf("  %s %s\n",
                        c->v[i].proc_sys   ? "write"
                        : c->v[i].old_text ? "update"
                                           : "create",
                        c->v[i].path);
        if (e->reload)
                printf("  reload the %s service manager\n", e->opts.user ? "user" : "system");
        if (e->restart)
                printf("  restart %s\n", e->opts.unit);
}

static void print_before_after(const Findings *before, const Findings *after)
{
        printf("\nRe-audit (before -> after):\n");
        for (size_t i = 0; i < after->n; i++) {
                const Finding *a = &after->v[i], *b = findings_find(before, a->rule);
                FindingStatus bs = b ? b->status : FINDING_SKIP;

                if (bs != FINDING_FAIL && a->status != FINDING_FAIL)
                        continue;
                printf("  %-38s %-6s %s -> %s\n", a->rule->id, severity_to_string(a->rule->severity),
                        finding_status_to_string(bs), finding_status_to_string(a->status));
        }
}

static int load_state(FixEngine *e)
{
        _cleanup_free_ char *err = NULL;
        int r;

        r = fix_engine_load(e, &err);
        if (r < 0)
                return log_error_errno(r, err);
        if (!strv_isempty(e->problems)) {
                for (char **x = e->problems; *x; x++)
                        log_error("%s", *x);
                log_error("the audit is incomplete: nothing changed");
                return -ENODATA;
        }
        return 0;
}

/* "RULE: planned fix [NAME]: ...\n  use fix [ALT] instead (...)?" */
static char *alternative_question(const PlanItem *it, const RuleFix *alt)
{
        _cleanup_free_ char *q = NULL;
        size_t size;
        FILE *f = open_memstream(&q, &size);

        if (!f)
                return NULL;
        fprintf(f, "%s: planned fix [%s]: ", it->rule->id, rule_fix_display_name(it->fix));
        print_fix(f, it->fix);
        fprintf(f, "\n  use fix [%s] instead (", rule_fix_display_name(alt));
        print_fix(f, alt);
        fputs(")?", f);
        if (fclose(f) != 0)
                return NULL;
        return TAKE_PTR(q);
}

/* A rule with no automatic fix: its choose-only fixes, each asked about with its note (the
 * trade-off), the first "y" wins. Returns how many were picked (0 or 1). */
static int ask_choose_only(const Rule *rule, const Facts *facts, FixChoice *picked)
{
        for (size_t k = 0; k < rule->n_fixes; k++) {
                const RuleFix *fix = &rule->fixes[k];
                _cleanup_free_ char *q = NULL;
                size_t size;
                FILE *f;

                if (!fix->choose_only || !rule_fix_applicable(fix, facts))
                        continue;
                if (!(f = open_memstream(&q, &size)))
                        return log_oom();
                fprintf(f, "%s: no automatic fix.%s%s\n  apply fix [%s] (", rule->id,
                        fix->note ? "\n  note: " : "", strempty(fix->note), fix->name);
                print_fix(f, fix);
                fputs(")?", f);
                if (fclose(f) != 0)
                        return log_oom();
                if (prompt_yes_no(q)) {
                        *picked = (FixChoice){.rule_id = rule->id, .fix_name = fix->name};
                        return 1;
                }
        }
        return 0;
}

/* The person's pick among each rule's other applicable fixes (the first "y" wins), after
 * those of --choose; then the choose-only fixes of the rules with none. Returns how many were
 * picked in all. */
static int ask_alternatives(const FixPlan *p, const Facts *facts, const Args *a, FixChoice *picked)
{
        size_t n = 0;
        int r;

        for (size_t i = 0; i < a->n_choices; i++)
                picked[n++] = a->choices[i];
        for (size_t i = 0; i < p->n_items; i++)
                for (size_t k = 0; k < p->items[i].n_alternatives; k++) {
                        const RuleFix *alt = p->items[i].alternatives[k];
                        _cleanup_free_ char *q = alternative_question(&p->items[i], alt);

                        if (!q)
                                return log_oom();
                        if (prompt_yes_no(q)) {
                                picked[n++] = (FixChoice){.rule_id = p->items[i].rule->id,
                                        .fix_name = rule_fix_display_name(alt)};
                                break;
                        }
                }
        for (size_t i = 0; i < p->n_unfixable; i++) {
                bool chosen = false;
                for (size_t k = 0; k < a->n_choices; k++)
                        chosen = chosen || streq(a->choices[k].rule_id, p->unfixable[i]->id);
                if (chosen)
                        continue;
                if ((r = ask_choose_only(p->unfixable[i], facts, &picked[n])) < 0)
                        return r;
                n += (size_t) r;
        }
        return (int) n;
}

/* The plan; on a terminal the person may pick another fix for a rule. */
static int choose_plan(FixEngine *e, const Args *a)
{
        _cleanup_free_ FixChoice *picked = NULL;
        _cleanup_free_ char *err = NULL;
        int r;

        r = fix_engine_plan(e, a->choices, a->n_choices, &err);
        if (r < 0)
                return log_error_errno(r, err);
        if (a->yes || a->dry_run)
                return 0;
        picked = calloc(e->plan.n_items + e->plan.n_unfixable + a->n_choices + 1, sizeof *picked);
        if (!picked)
                return log_oom();
        r = ask_alternatives(&e->plan, &e->facts, a, picked);
        if (r < 0 || (size_t) r == a->n_choices)
                return r;
        r = fix_engine_plan(e, picked, (size_t) r, &err);
        if (r < 0)
                return log_error_errno(r, err);
        return 0;
}

/* Prove the plan on the facts (the state once reloaded and, if it needs one, restarted). */
static int prove_plan(FixEngine *e)
{
        _cleanup_(fix_simulation_done) FixSimulation sim = {};
        int r;

        r = fix_engine_prove(e, &sim);
        if (r < 0)
                return log_error_errno(r, NULL);
        if (!strv_isempty(sim.refusals)) {
                print_plan(&e->plan, &e->before);
                log_error("refusing to apply this plan:");
                for (char **x = sim.refusals; *x; x++)
                        fprintf(stderr, "  - %s\n", *x);
                return -EPERM;
        }
        return 0;
}

/* With nothing to change, the failing findings stay as they are: EXIT_FINDINGS (on a dry run
 * too) when any is at or above fail_on, and they are named, as no fix can clear them. */
static int remaining_findings(const Findings *before, Severity fail_on)
{
        size_t n = findings_count_failed(before, fail_on);

        if (n == 0)
                return EXIT_COMPLIANT;
        printf("%zu finding%s at or above %s remain%s and cannot be fixed automatically:", n,
                n == 1 ? "" : "s", severity_to_string(fail_on), n == 1 ? "s" : "");
        for (size_t i = 0; i < before->n; i++)
                if (before->v[i].status == FINDING_FAIL && before->v[i].rule->severity >= fail_on)
                        printf(" %s", before->v[i].rule->id);
        putchar('\n');
        return EXIT_FINDINGS;
}

static int nothing_to_change(const FixEngine *e, const Args *a)
{
        if (e->plan.n_items + e->plan.n_unfixable > 0)
                print_plan(&e->plan, &e->before);
        printf("Nothing to change.\n");
        if (e->restart_pending)
                printf("%s runs with settings that need a restart to take effect (dockaudit fix "
                       "--restart).\n",
                        e->opts.unit);
        return remaining_findings(&e->before, a->fail_on);
}

/* Each change shown and asked about, unless --yes (or "all"). */
static void confirm_changes(FixEngine *e, const Args *a)
{
        bool all = false;

        for (size_t i = 0; i < e->changes.n; i++) {
                FixChange *ch = &e->changes.v[i];
                Answer ans;

                if (a->yes || all) {
                        ch->accepted = true;
                        continue;
                }
                printf("\n%s", ch->diff);
                ans = prompt_ask(ch->proc_sys ? "Write this value?" : "Apply this change?",
                        "apply this change", "skip this change");
                if (ans == ANSWER_QUIT)
                        break;
                ch->accepted = ans != ANSWER_NO;
                all = ans == ANSWER_ALL;
        }
}

static int apply_changes(FixEngine *e)
{
        for (size_t i = 0; i < e->changes.n; i++) {
                const FixChange *ch = &e->changes.v[i];
                _cleanup_free_ char *err = NULL;
                int r;

                if (!ch->accepted)
                        continue;
                r = fix_engine_apply(e, i, &err);
                if (r < 0)
                        return log_error_errno(r, err);
                printf("%s %s\n", ch->proc_sys ? "Wrote" : ch->old_text ? "Updated" : "Created", ch->path);
        }
        return 0;
}

/* When the change takes effect, if the fix did not make it take effect now. */
static void print_effect(const FixEngine *e)
{
        const char *user = e->opts.user ? " --user" : "";

        if (e->wrote_dropin && !e->reload)
                printf("The change to the unit takes effect once the service manager is reloaded "
                       "(systemctl%s "
                       "daemon-reload)%s.\n",
                        user, e->plan.restart_needed ? " and the unit restarted" : "");
        else if ((e->wrote_dropin || (e->dropin_stale && e->reload)) && e->plan.restart_needed)
                printf("The change takes effect at the next restart of %s (systemctl%s restart %s, "
                       "or dockaudit fix --restart); until then restart-pending reports it.\n",
                        e->opts.unit, user, e->opts.unit);
        else if (e->wrote_daemon_json && e->plan.restart_needed && !e->restart)
                printf("dockerd reads its configuration file when it starts: the change takes effect at "
                       "the next restart of %s (systemctl%s restart %s, or dockaudit fix --restart).\n",
                        e->opts.unit, user, e->opts.unit);
        else if (e->restart_pending)
                printf("%s needs a restart for its settings to take effect.\n", e->opts.unit);
        /* Another unit's drop-in (containerd.service): never restarted by dockaudit. */
        for (char **u = e->other_units; e->wrote_dropin && e->plan.restart_needed && u && *u; u++)
                printf("%s keeps its old settings until it is restarted (systemctl%s restart %s); dockaudit "
                       "fix --restart restarts only %s.\n",
                        *u, user, *u, e->opts.unit);
}

/* Returns the exit status so far (a failed restart is EXIT_TROUBLE, but the re-audit still
 * runs), or a negative errno when nothing more can be done. */
static int reload_and_restart(FixEngine *e)
{
        _cleanup_free_ char *err = NULL, *result = NULL;
        int r;

        r = fix_engine_connect(e, &err);
        if (r < 0)
                return log_error_errno(r, err);
        if (e->reload) {
                r = fix_engine_reload(e, &err);
                if (r < 0)
                        return log_error_errno(r, err);
                printf("Reloaded the %s service manager.\n", e->opts.user ? "user" : "system");
        }
        if (!e->restart) {
                print_effect(e);
                return EXIT_COMPLIANT;
        }
        printf("Restarting %s ...\n", e->opts.unit);
        fflush(stdout);
        r = fix_engine_restart(e, &result, &err);
        if (r < 0) {
                log_error_errno(r, err);
                return EXIT_TROUBLE;
        }
        if (!streq(result, "done")) {
                log_error("restarting %s: job %s", e->opts.unit, result);
                return EXIT_TROUBLE;
        }
        printf("Restarted %s (job result: %s).\n", e->opts.unit, result);
        return EXIT_COMPLIANT;
}

static int do_fix(const Args *a, const GlobalOptions *g)
{
        _cleanup_(fix_engine_done) FixEngine e = {};
        _cleanup_free_ char *err = NULL;
        int r, status;

        fix_engine_init(&e, &(FixOptions){.unit = g->unit,
                                    .user = g->user,
                                    .root = g->root,
                                    .rules_dirs = g->rules_dirs,
                                    .waivers_dirs = g->waivers_dirs,
                                    .dry_run = a->dry_run,
                                    .restart = a->restart,
                                    .no_reload = a->no_reload,
                                    .timeout_usec = g->timeout_usec});
        if ((r = load_state(&e)) < 0 || (r = choose_plan(&e, a)) < 0 || (r = prove_plan(&e)) < 0)
                return r;
        r = fix_engine_changes(&e, &err);
        if (r < 0)
                return log_error_errno(r, err);
        if (fix_engine_nothing_to_do(&e))
                return nothing_to_change(&e, a);

        print_plan_and_changes(&e);
        if (a->dry_run) {
                for (size_t i = 0; i < e.changes.n; i++)
                        printf("\n%s", e.changes.v[i].diff);
                return EXIT_FINDINGS;
        }
        confirm_changes(&e, a);
        r = apply_changes(&e);
        if (r < 0)
                return r;
        status = reload_and_restart(&e);
        if (status < 0)
                return status;

        r = fix_engine_reaudit(&e);
        if (r < 0)
                return log_error_errno(r, NULL);
        print_before_after(&e.before, &e.after);
        if (!strv_isempty(e.after_problems)) {
                /* what was written stays: the re-audit only could not confirm it */
                for (char **x = e.after_problems; *x; x++)
                        log_error("%s", *x);
                log_error("the re-audit is incomplete: the result of the fix is not known");
                return EXIT_TROUBLE;
        }
        if (status != EXIT_COMPLIANT)
                return status;
        return findings_count_failed(&e.after, a->fail_on) > 0 ? EXIT_FINDINGS : EXIT_COMPLIANT;
}

int cmd_fix(int argc, char **argv, const GlobalOptions *g)
{
        _cleanup_(args_done) Args a = {.fail_on = SEVERITY_MEDIUM};
        int r;

        r = parse_argv(argc, argv, &a);
        if (r <= 0)
                return r;
        if (g->root_error)
                return log_error_errno(-EINVAL, g->root_error);
        if (!a.yes && !a.dry_run && !(isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))) {
                log_error("not on a terminal, so no questions can be asked: use --yes to apply the changes, "
                          "or --dry-run to see them");
                return EXIT_TROUBLE;
        }
        if (!a.dry_run && !g->user && !g->root && geteuid() != 0) {
                log_error("changing %s of the system service manager needs root: run it as root (sudo), or "
                          "use --dry-run to see the plan (--user for the user manager)",
                        g->unit);
                return EXIT_TROUBLE;
        }
        return do_fix(&a, g);
}
