/* SPDX-License-Identifier: MIT */
/* dockaudit fix: turn the failing rules into one plan, prove on the facts that it clears
 * them, show it (diffs), write it atomically, reload (and restart), audit again. */
#include <getopt.h>
#include <sys/stat.h>

#include "basic/atomic-write.h"
#include "basic/sysctl-util.h"
#include "cli/cmd.h"
#include "cli/prompt.h"
#include "systemd/unit-info.h"
#include "collect/collect.h"
#include "basic/diff.h"
#include "formats/docker-api.h"
#include "fix/fix-files.h"
#include "fix/fix-lock.h"
#include "fix/fix-plan.h"
#include "rules/problems.h"
#include "systemd/manager.h"

#define SYSCTL_FILE "/etc/sysctl.d/50-dockaudit.conf"

typedef struct FixOptions {
        bool yes, dry_run, restart, no_reload;
        Severity fail_on;
        FixChoice *choices;
        size_t n_choices;
        char **choice_args; /* owns the strings choices point into */
} FixOptions;

static void fix_options_done(FixOptions *o)
{
        free(o->choices);
        strv_free(o->choice_args);
}

/* One file to replace, or one live sysctl to write. */
typedef struct Change {
        FixActionType type;
        bool proc_sys; /* a live /proc/sys write rather than a file */
        char *path; /* file, or /proc/sys/... for people */
        char *old_text; /* NULL: the file does not exist */
        char *new_text; /* file contents, or the sysctl value */
        char *key; /* proc_sys: the sysctl name */
        char *diff;
        mode_t mode;
        bool accepted;
} Change;

typedef struct Changes {
        Change *v;
        size_t n;
} Changes;

static void changes_done(Changes *c)
{
        for (size_t i = 0; i < c->n; i++) {
                free(c->v[i].path);
                free(c->v[i].old_text);
                free(c->v[i].new_text);
                free(c->v[i].key);
                free(c->v[i].diff);
        }
        free(c->v);
        *c = (Changes){};
}

static Change *changes_add(Changes *c)
{
        Change *n = realloc(c->v, (c->n + 1) * sizeof *n);

        if (!n)
                return NULL;
        c->v = n;
        c->v[c->n] = (Change){};
        return &c->v[c->n++];
}

static void fix_usage(FILE *f)
{
        fprintf(f,
                "Usage: dockaudit fix [--yes] [--dry-run] [--restart] [--no-reload] [--fail-on SEVERITY]\n"
                "                     [--choose RULE=FIX]\n"
                "  -y, --yes          apply without questions (provisioning)\n"
                "  -n, --dry-run      print the plan and the diff of every file; write nothing\n"
                "                     (exit 1 when changes are needed, 0 when not)\n"
                "  --restart          restart the unit after the change and wait for it\n"
                "  --no-reload        do not reload the service manager (image builds)\n"
                "  --fail-on SEV      the lowest severity still failing afterwards that makes\n"
                "                     the exit status 1 (default medium)\n"
                "  --choose RULE=FIX  use the rule's fix named FIX (\"default\": the unnamed one) instead\n"
                "                     of the one its conditions pick\n");
}

static int parse_options(int argc, char **argv, FixOptions *o)
{
        static const struct option opts[] = {
                {"yes", no_argument, NULL, 'y'},
                {"dry-run", no_argument, NULL, 'n'},
                {"restart", no_argument, NULL, 'R'},
                {"no-reload", no_argument, NULL, 'N'},
                {"fail-on", required_argument, NULL, 'F'},
                {"choose", required_argument, NULL, 'C'},
                {"help", no_argument, NULL, 'h'},
                {},
        };
        int c, r;

        while ((c = getopt_long(argc, argv, "ynh", opts, NULL)) >= 0)
                switch (c) {
                case 'y':
                        o->yes = true;
                        break;
                case 'n':
                        o->dry_run = true;
                        break;
                case 'R':
                        o->restart = true;
                        break;
                case 'N':
                        o->no_reload = true;
                        break;
                case 'F':
                        r = severity_from_string(optarg);
                        if (r < 0) {
                                fprintf(stderr,
                                        "dockaudit: --fail-on: expected info, low, medium or high, not "
                                        "'%s'\n",
                                        optarg);
                                return EXIT_TROUBLE;
                        }
                        o->fail_on = (Severity) r;
                        break;
                case 'C':
                        if (!strchr(optarg, '=') || optarg[0] == '=') {
                                fprintf(stderr, "dockaudit: --choose: expected RULE=FIX, not '%s'\n",
                                        optarg);
                                return EXIT_TROUBLE;
                        }
                        if (strv_extend(&o->choice_args, optarg) < 0)
                                return -ENOMEM;
                        break;
                case 'h':
                        fix_usage(stdout);
                        return -1;
                default:
                        fix_usage(stderr);
                        return EXIT_TROUBLE;
                }
        if (optind < argc) {
                fprintf(stderr, "dockaudit fix: unexpected argument '%s'\n", argv[optind]);
                return EXIT_TROUBLE;
        }
        o->n_choices = strv_length(o->choice_args);
        o->choices = calloc(o->n_choices + 1, sizeof *o->choices);
        if (!o->choices)
                return -ENOMEM;
        for (size_t i = 0; i < o->n_choices; i++) {
                char *eq = strchr(o->choice_args[i], '=');
                *eq = 0;
                o->choices[i] = (FixChoice){.rule_id = o->choice_args[i], .fix_name = eq + 1};
        }
        return 0;
}

static const char *fact_str(const Facts *f, const char *name)
{
        const Fact *x = facts_get(f, name);
        return x && x->known && (x->type == FACT_STRING || x->type == FACT_VERSION) ? x->str : NULL;
}

static bool fact_true(const Facts *f, const char *name)
{
        const Fact *x = facts_get(f, name);
        return x && x->known && x->type == FACT_BOOL && x->b;
}

/* dockerd runs in a namespace that does not match the loaded MountFlags (restart-pending). */
static bool restart_pending(const Facts *f)
{
        const char *mf = fact_str(f, "unit.mount_flags"), *st = fact_str(f, "unit.active_state");
        const Fact *priv = facts_get(f, "ns.dockerd_private");
        bool want;

        if (!mf || !st || !streq(st, "active") || !priv || !priv->known)
                return false;
        want = streq(mf, "slave") || streq(mf, "private");
        return want != priv->b;
}

static char *prefixed(const char *root, const char *path)
{
        return strdupf("%s%s", root ? root : "", path);
}

/* Reads a file we may replace; NULL text when missing. Refuses symlinks and non-files. */
static int read_target(const char *path, char **ret, mode_t *ret_mode, char **ret_error)
{
        struct stat st;
        size_t size;

        if (lstat(path, &st) < 0) {
                if (errno != ENOENT)
                        return error_setf(ret_error, -errno, "%s: %s", path, strerror(errno));
                *ret = NULL;
                return 0;
        }
        if (S_ISLNK(st.st_mode))
                return error_setf(ret_error, -ELOOP,
                        "%s is a symbolic link: refusing to write through it "
                        "(replace it with a file, or edit its target by hand)",
                        path);
        if (!S_ISREG(st.st_mode))
                return error_setf(ret_error, -EINVAL, "%s is not a regular file", path);
        *ret_mode = st.st_mode & 07777;
        return read_full_file(path, ret, &size) < 0 ? error_setf(ret_error, -errno, "%s: cannot read", path)
                                                    : 0;
}

static int collect_rule_ids(const FixPlan *p, FixActionType type, char ***ret)
{
        for (size_t i = 0; i < p->n_actions; i++)
                if (p->actions[i].type == type)
                        for (char **id = p->actions[i].rule_ids; id && *id; id++)
                                if (!strv_contains(*ret, *id) && strv_extend(ret, *id) < 0)
                                        return -ENOMEM;
        return 0;
}

static int add_file_change(
        Changes *c, FixActionType type, char *path, char *old, char *new_text, mode_t mode)
{
        Change *ch;

        /* NULL new text: nothing to write (daemon.json missing and nothing to put in it) */
        if (!new_text || (old && streq(old, new_text))) {
                free(path);
                free(old);
                free(new_text);
                return 0;
        }
        ch = changes_add(c);
        if (!ch) {
                free(path);
                free(old);
                free(new_text);
                return -ENOMEM;
        }
        *ch = (Change){.type = type, .path = path, .old_text = old, .new_text = new_text, .mode = mode};
        return unified_diff(old ? path : "/dev/null", old, path, new_text, &ch->diff);
}

/* The settings of one action kind, as the renderers take them. */
static int settings_of(const FixPlan *p, FixActionType type, DropinSetting **ret, size_t *ret_n)
{
        DropinSetting *s = calloc(p->n_actions + 1, sizeof *s);
        size_t n = 0;

        if (!s)
                return -ENOMEM;
        for (size_t i = 0; i < p->n_actions; i++)
                if (p->actions[i].type == type)
                        s[n++] = (DropinSetting){.section = p->actions[i].section,
                                .key = p->actions[i].key,
                                .value = p->actions[i].value};
        *ret = s;
        *ret_n = n;
        return 0;
}

static int plan_file_changes(const FixPlan *p, const Facts *facts, const GlobalOptions *g,
        const char *dropin_path, Changes *c, char **ret_error)
{
        _cleanup_free_ DropinSetting *settings = NULL;
        _cleanup_free_ JsonEdit *edits = NULL;
        size_t n = 0, ne = 0;
        int r;

        /* the drop-in */
        if ((r = settings_of(p, FIX_ACTION_DROPIN, &settings, &n)) < 0)
                return r;
        if (n > 0) {
                _cleanup_strv_free_ char **ids = NULL;
                _cleanup_free_ char *old = NULL, *text = NULL, *path = strdup(dropin_path);
                mode_t mode = 0644;

                if (!path || collect_rule_ids(p, FIX_ACTION_DROPIN, &ids) < 0)
                        return -ENOMEM;
                if ((r = read_target(path, &old, &mode, ret_error)) < 0)
                        return r;
                if ((r = dropin_render(old, settings, n, PACKAGE_VERSION, ids, &text, ret_error)) < 0)
                        return r;
                if ((r = add_file_change(
                             c, FIX_ACTION_DROPIN, TAKE_PTR(path), TAKE_PTR(old), TAKE_PTR(text), mode)) < 0)
                        return r;
        }
        free(settings);
        settings = NULL;

        /* daemon.json */
        edits = calloc(p->n_actions + 1, sizeof *edits);
        if (!edits)
                return -ENOMEM;
        for (size_t i = 0; i < p->n_actions; i++)
                if (p->actions[i].type == FIX_ACTION_DAEMON_JSON)
                        edits[ne++] =
                                (JsonEdit){.key = p->actions[i].key, .json_value = p->actions[i].value};
        if (ne > 0) {
                const char *dj = fact_str(facts, "daemon_json.path");
                _cleanup_free_ char *old = NULL, *text = NULL, *path = NULL;
                mode_t mode = 0644;

                if (!dj || *dj != '/')
                        return error_setf(ret_error, -ENOENT,
                                "the plan edits dockerd's configuration file, but its path is unknown");
                if (!(path = prefixed(g->root, dj)))
                        return -ENOMEM;
                if ((r = read_target(path, &old, &mode, ret_error)) < 0)
                        return r;
                if ((r = daemon_json_edit(path, old, edits, ne, &text, ret_error)) < 0)
                        return r;
                if ((r = add_file_change(c, FIX_ACTION_DAEMON_JSON, TAKE_PTR(path), TAKE_PTR(old),
                             TAKE_PTR(text), mode)) < 0)
                        return r;
        }

        /* sysctl.d, and the live value */
        if ((r = settings_of(p, FIX_ACTION_SYSCTL, &settings, &n)) < 0)
                return r;
        if (n > 0) {
                _cleanup_strv_free_ char **ids = NULL;
                _cleanup_free_ char *old = NULL, *text = NULL, *path = prefixed(g->root, SYSCTL_FILE);
                mode_t mode = 0644;

                if (!path || collect_rule_ids(p, FIX_ACTION_SYSCTL, &ids) < 0)
                        return -ENOMEM;
                if ((r = read_target(path, &old, &mode, ret_error)) < 0)
                        return r;
                if ((r = sysctl_render(old, settings, n, PACKAGE_VERSION, ids, &text, ret_error)) < 0)
                        return r;
                if ((r = add_file_change(
                             c, FIX_ACTION_SYSCTL, TAKE_PTR(path), TAKE_PTR(old), TAKE_PTR(text), mode)) < 0)
                        return r;
                for (size_t i = 0; i < n && !g->root; i++) {
                        _cleanup_free_ char *proc = strdupf("/proc/sys/%s", settings[i].key), *cur = NULL;
                        Change *ch;

                        if (!proc)
                                return -ENOMEM;
                        for (char *q = proc + strlen("/proc/sys/"); *q; q++)
                                if (*q == '.')
                                        *q = '/';
                        if (read_one_line_file(proc, &cur) >= 0 && streq(strstrip(cur), settings[i].value))
                                continue;
                        if (!(ch = changes_add(c)))
                                return -ENOMEM;
                        *ch = (Change){.type = FIX_ACTION_SYSCTL, .proc_sys = true};
                        if (!(ch->path = TAKE_PTR(proc)) || !(ch->key = strdup(settings[i].key)) ||
                                !(ch->new_text = strdup(settings[i].value)) ||
                                !(ch->diff = strdupf("write %s to %s (now %s)\n", settings[i].value,
                                          ch->path, cur ? cur : "unreadable")))
                                return -ENOMEM;
                }
        }
        return 0;
}

static void print_action(FILE *f, const FixAction *a)
{
        if (a->type == FIX_ACTION_DROPIN)
                fprintf(f, "drop-in %s.%s=%s", a->section, a->key, strempty(a->value));
        else if (a->type == FIX_ACTION_DAEMON_JSON)
                fprintf(f, a->value ? "daemon.json %s=%s" : "daemon.json remove %s", a->key,
                        strempty(a->value));
        else
                fprintf(f, "sysctl %s=%s", a->key, strempty(a->value));
}

static void print_fix(FILE *f, const RuleFix *fix)
{
        for (size_t k = 0; k < fix->n_actions; k++) {
                fputs(k ? ", " : "", f);
                print_action(f, &fix->actions[k]);
        }
        if (fix->n_actions == 0)
                fputs("no file change", f);
        fputs(fix->restart_needed ? " (restart needed)" : "", f);
}

static const Finding *finding_of(const Findings *fs, const Rule *rule)
{
        for (size_t i = 0; i < fs->n; i++)
                if (fs->v[i].rule == rule)
                        return &fs->v[i];
        return NULL;
}

static void print_plan(const FixPlan *p, const Findings *before)
{
        for (size_t i = 0; i < p->n_items; i++) {
                const PlanItem *it = &p->items[i];
                const Finding *fd = finding_of(before, it->rule);

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
                const Finding *fd = finding_of(before, p->unfixable[i]);
                printf("* %s (%s): no automatic fix%s%s\n", p->unfixable[i]->id,
                        severity_to_string(p->unfixable[i]->severity), fd && fd->message ? ": " : "",
                        fd && fd->message ? fd->message : "");
        }
}

/* What leaving the private namespace does to the containers running now. */
static void print_container_warning(const Facts *facts)
{
        const char *sock = fact_str(facts, "docker.socket"), *what;
        _cleanup_free_ char *err = NULL;
        DockerContainer *v = NULL;
        size_t n = 0, running = 0;
        int r;

        if (!fact_true(facts, "ns.dockerd_private"))
                return;
        if (fact_true(facts, "dockerd.live_restore"))
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
        r = docker_api_containers(sock, &v, &n, &err);
        if (r < 0) {
                printf("(cannot list them: %s)\n", err ? err : strerror(-r));
                return;
        }
        for (size_t i = 0; i < n; i++)
                if (v[i].state && streq(v[i].state, "running")) {
                        printf("%s  %.12s  %s\n", running ? "" : "Containers to recreate:\n", v[i].id,
                                strempty(v[i].name));
                        running++;
                }
        if (running == 0)
                printf("No container is running now.\n");
        docker_containers_free(v, n);
}

static int apply_change(const Change *ch, char **ret_error)
{
        _cleanup_free_ char *dir = NULL;
        const char *base;
        int r;

        if (ch->proc_sys)
                return write_proc_sys(ch->key, ch->new_text, ret_error);
        base = strrchr(ch->path, '/');
        if (!base || !(dir = strndup(ch->path, base == ch->path ? 1 : (size_t) (base - ch->path))))
                return -ENOMEM;
        base++;
        /* leftovers of a fixer killed while writing this file */
        r = atomic_remove_stale_temps(dir, base);
        if (r < 0)
                return error_setf(ret_error, r, "%s: removing stale temp files: %s", dir, strerror(-r));
        if (ch->type == FIX_ACTION_DAEMON_JSON && ch->old_text && (r = backup_file(ch->path, ret_error)) < 0)
                return r;
        return atomic_write_file(ch->path, ch->new_text, strlen(ch->new_text), ch->mode, ret_error);
}

static int load_state(const GlobalOptions *g, const RuleSet *rules, Facts *facts, Findings *findings)
{
        int r = collect_all(facts, &(CollectOptions){.unit = g->unit, .user = g->user, .root = g->root});

        if (r < 0)
                return r;
        return findings_evaluate(rules, facts, findings);
}

static void print_before_after(const Findings *before, const Findings *after)
{
        printf("\nRe-audit (before -> after):\n");
        for (size_t i = 0; i < after->n; i++) {
                const Finding *a = &after->v[i], *b = finding_of(before, a->rule);
                FindingStatus bs = b ? b->status : FINDING_SKIP;

                if (bs != FINDING_FAIL && a->status != FINDING_FAIL)
                        continue;
                printf("  %-38s %-6s %s -> %s\n", a->rule->id, severity_to_string(a->rule->severity),
                        finding_status_to_string(bs), finding_status_to_string(a->status));
        }
}

static int do_fix(const FixOptions *o, const GlobalOptions *g)
{
        _cleanup_(rule_set_done) RuleSet rules = {};
        _cleanup_facts_ Facts facts = {}, after_facts = {};
        _cleanup_(findings_done) Findings before = {}, after = {};
        _cleanup_(fix_plan_done) FixPlan plan = {};
        _cleanup_(fix_simulation_done) FixSimulation sim = {};
        _cleanup_(changes_done) Changes changes = {};
        _cleanup_free_ char *err = NULL, *dropin_path = NULL, *restart_result = NULL;
        _cleanup_strv_free_ char **problems = NULL;
        _cleanup_close_ int lock_fd = -1;
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        bool dropin_changed = false, dropin_stale = false, reload, restart, pending, all = false,
             wrote_dropin = false;
        int r, status = EXIT_COMPLIANT;

        r = rule_set_load(&rules, g->rules_dirs, &err);
        if (r < 0) {
                fprintf(stderr, "dockaudit: %s\n", err ? err : strerror(-r));
                return EXIT_TROUBLE;
        }
        /* one fixer at a time, from before the facts are read until the re-audit */
        if (!o->dry_run) {
                r = fix_lock_acquire(g->user, g->root, &lock_fd, &err);
                if (r < 0) {
                        fprintf(stderr, "dockaudit: %s\n", err ? err : strerror(-r));
                        return EXIT_TROUBLE;
                }
        }
        if (load_state(g, &rules, &facts, &before) < 0) {
                fprintf(stderr, "dockaudit: out of memory\n");
                return EXIT_TROUBLE;
        }
        /* Like audit: what could not be read makes the result "could not audit", and a fixer
         * that cannot see the unit must not call the host compliant or guess a plan. */
        if (audit_problems(&facts, &before, &problems) < 0) {
                fprintf(stderr, "dockaudit: out of memory\n");
                return EXIT_TROUBLE;
        }
        if (!strv_isempty(problems)) {
                for (char **x = problems; *x; x++)
                        fprintf(stderr, "dockaudit: %s\n", *x);
                fprintf(stderr, "dockaudit fix: the audit is incomplete: nothing changed\n");
                return EXIT_TROUBLE;
        }
        r = fix_dropin_path(g->unit, g->user, g->root, &dropin_path, &err);
        if (r >= 0)
                r = fix_plan_build(&before, &facts, o->choices, o->n_choices, &plan, &err);
        if (r < 0) {
                fprintf(stderr, "dockaudit: %s\n", err ? err : strerror(-r));
                return EXIT_TROUBLE;
        }

        /* On a terminal the person may pick another fix for a rule. */
        if (!o->yes && !o->dry_run) {
                _cleanup_free_ FixChoice *picked = calloc(plan.n_items + o->n_choices + 1, sizeof *picked);
                size_t n_picked = 0;

                if (!picked)
                        return EXIT_TROUBLE;
                for (size_t i = 0; i < o->n_choices; i++)
                        picked[n_picked++] = o->choices[i];
                for (size_t i = 0; i < plan.n_items; i++)
                        for (size_t k = 0; k < plan.items[i].n_alternatives; k++) {
                                const RuleFix *alt = plan.items[i].alternatives[k];
                                char line[16];

                                printf("%s: planned fix [%s]: ", plan.items[i].rule->id,
                                        rule_fix_display_name(plan.items[i].fix));
                                print_fix(stdout, plan.items[i].fix);
                                printf("\n  use fix [%s] instead (", rule_fix_display_name(alt));
                                print_fix(stdout, alt);
                                printf(")? [y/N] ");
                                fflush(stdout);
                                if (fgets(line, sizeof line, stdin) && (line[0] == 'y' || line[0] == 'Y')) {
                                        picked[n_picked++] = (FixChoice){.rule_id = plan.items[i].rule->id,
                                                .fix_name = rule_fix_display_name(alt)};
                                        break;
                                }
                        }
                if (n_picked > o->n_choices) {
                        _cleanup_(fix_plan_done) FixPlan again = {};
                        r = fix_plan_build(&before, &facts, picked, n_picked, &again, &err);
                        if (r < 0) {
                                fprintf(stderr, "dockaudit: %s\n", err ? err : strerror(-r));
                                return EXIT_TROUBLE;
                        }
                        fix_plan_done(&plan);
                        plan = again;
                        again = (FixPlan){};
                }
        }

        /* Prove the plan on the facts (the state once reloaded and, if it needs one, restarted). */
        r = fix_plan_simulate(&plan, &rules, &facts, &before, dropin_path, true, plan.restart_needed, &sim);
        if (r < 0) {
                fprintf(stderr, "dockaudit: out of memory\n");
                return EXIT_TROUBLE;
        }
        if (!strv_isempty(sim.refusals)) {
                print_plan(&plan, &before);
                fprintf(stderr, "dockaudit: refusing to apply this plan:\n");
                for (char **x = sim.refusals; *x; x++)
                        fprintf(stderr, "  - %s\n", *x);
                return EXIT_TROUBLE;
        }

        r = plan_file_changes(&plan, &facts, g, dropin_path, &changes, &err);
        if (r < 0) {
                fprintf(stderr, "dockaudit: %s\n", err ? err : strerror(-r));
                return EXIT_TROUBLE;
        }
        for (size_t i = 0; i < changes.n; i++)
                dropin_changed = dropin_changed || changes.v[i].type == FIX_ACTION_DROPIN;
        /* A drop-in setting planned although the file already holds it: the manager has not
         * loaded the file (systemd does not flag a new drop-in directory as NeedDaemonReload). */
        for (size_t i = 0; i < plan.n_actions; i++)
                dropin_stale =
                        dropin_stale || (plan.actions[i].type == FIX_ACTION_DROPIN && !dropin_changed);
        pending = restart_pending(&facts);
        reload = !o->no_reload && !g->root &&
                 (dropin_changed || dropin_stale || fact_true(&facts, "unit.need_daemon_reload") ||
                         fact_true(&facts, "unit.changed_on_disk"));
        restart = o->restart && !o->no_reload && !g->root &&
                  (((dropin_changed || dropin_stale) && plan.restart_needed) || pending);

        if (changes.n == 0 && !reload && !restart) {
                if (plan.n_items + plan.n_unfixable > 0)
                        print_plan(&plan, &before);
                printf("Nothing to change.\n");
                if (pending)
                        printf("%s runs with settings that need a restart to take effect (dockaudit fix "
                               "--restart).\n",
                                g->unit);
                if (o->dry_run)
                        return EXIT_COMPLIANT; /* no change needed, whatever cannot be fixed */
                return findings_count_failed(&before, o->fail_on) > 0 ? EXIT_FINDINGS : EXIT_COMPLIANT;
        }

        print_plan(&plan, &before);
        if ((dropin_changed || dropin_stale) && plan.restart_needed)
                print_container_warning(&facts);
        printf("\nChanges:\n");
        for (size_t i = 0; i < changes.n; i++)
                printf("  %s %s\n",
                        changes.v[i].proc_sys   ? "write"
                        : changes.v[i].old_text ? "update"
                                                : "create",
                        changes.v[i].path);
        if (reload)
                printf("  reload the %s service manager\n", g->user ? "user" : "system");
        if (restart)
                printf("  restart %s\n", g->unit);

        if (o->dry_run) {
                for (size_t i = 0; i < changes.n; i++)
                        printf("\n%s", changes.v[i].diff);
                return EXIT_FINDINGS;
        }

        for (size_t i = 0; i < changes.n; i++) {
                Change *ch = &changes.v[i];
                Answer a;

                if (o->yes || all) {
                        ch->accepted = true;
                        continue;
                }
                printf("\n%s", ch->diff);
                a = prompt_ask(ch->proc_sys ? "Write this value?" : "Apply this change?", "apply this change",
                        "skip this change");
                if (a == ANSWER_QUIT)
                        break;
                ch->accepted = a != ANSWER_NO;
                all = a == ANSWER_ALL;
        }

        for (size_t i = 0; i < changes.n; i++) {
                Change *ch = &changes.v[i];

                if (!ch->accepted)
                        continue;
                free(err);
                err = NULL;
                r = apply_change(ch, &err);
                if (r < 0) {
                        fprintf(stderr, "dockaudit: %s\n", err ? err : strerror(-r));
                        status = EXIT_TROUBLE;
                        break;
                }
                printf("%s %s\n", ch->proc_sys ? "Wrote" : ch->old_text ? "Updated" : "Created", ch->path);
                wrote_dropin = wrote_dropin || ch->type == FIX_ACTION_DROPIN;
        }
        if (status != EXIT_COMPLIANT)
                return status;

        /* Only when what needs it was written (or the manager was stale already). */
        reload = reload && (wrote_dropin || !dropin_changed);
        restart = restart && (wrote_dropin || !dropin_changed);
        if (reload || restart) {
                r = manager_bus_open(g->user, &bus, &err);
                if (r < 0) {
                        fprintf(stderr, "dockaudit: %s\n", err ? err : strerror(-r));
                        return EXIT_TROUBLE;
                }
        }
        if (reload) {
                r = manager_reload(bus, &err);
                if (r < 0) {
                        fprintf(stderr, "dockaudit: %s\n", err ? err : strerror(-r));
                        return EXIT_TROUBLE;
                }
                printf("Reloaded the %s service manager.\n", g->user ? "user" : "system");
        }
        if (restart) {
                printf("Restarting %s ...\n", g->unit);
                fflush(stdout);
                r = manager_restart_unit(bus, g->unit, MANAGER_JOB_TIMEOUT_USEC, &restart_result, &err);
                if (r < 0) {
                        fprintf(stderr, "dockaudit: %s\n", err ? err : strerror(-r));
                        status = EXIT_TROUBLE;
                } else if (!streq(restart_result, "done")) {
                        fprintf(stderr, "dockaudit: restarting %s: job %s\n", g->unit, restart_result);
                        status = EXIT_TROUBLE;
                } else
                        printf("Restarted %s (job result: %s).\n", g->unit, restart_result);
        } else if (wrote_dropin && !reload)
                printf("The drop-in takes effect once the service manager is reloaded (systemctl%s "
                       "daemon-reload)%s.\n",
                        g->user ? " --user" : "", plan.restart_needed ? " and the unit restarted" : "");
        else if ((wrote_dropin || (dropin_stale && reload)) && plan.restart_needed)
                printf("The change takes effect at the next restart of %s (systemctl%s restart %s, "
                       "or dockaudit fix --restart); until then restart-pending reports it.\n",
                        g->unit, g->user ? " --user" : "", g->unit);
        else if (pending)
                printf("%s needs a restart for its settings to take effect.\n", g->unit);

        /* The truth is what the manager loaded: audit again over D-Bus. */
        if (load_state(g, &rules, &after_facts, &after) < 0) {
                fprintf(stderr, "dockaudit: out of memory\n");
                return EXIT_TROUBLE;
        }
        print_before_after(&before, &after);
        if (status != EXIT_COMPLIANT)
                return status;
        return findings_count_failed(&after, o->fail_on) > 0 ? EXIT_FINDINGS : EXIT_COMPLIANT;
}

int cmd_fix(int argc, char **argv, const GlobalOptions *g)
{
        _cleanup_(fix_options_done) FixOptions o = {.fail_on = SEVERITY_MEDIUM};
        int r;

        r = parse_options(argc, argv, &o);
        if (r == -1)
                return 0; /* --help */
        if (r == -ENOMEM) {
                fprintf(stderr, "dockaudit: out of memory\n");
                return EXIT_TROUBLE;
        }
        if (r != 0)
                return r;
        if (!o.yes && !o.dry_run && !(isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))) {
                fprintf(stderr,
                        "dockaudit fix: not on a terminal, so no questions can be asked: use --yes to apply "
                        "the changes, or --dry-run to see them\n");
                return EXIT_TROUBLE;
        }
        if (!o.dry_run && !g->user && !g->root && geteuid() != 0) {
                fprintf(stderr,
                        "dockaudit fix: changing %s of the system service manager needs root: run it as "
                        "root (sudo), or use --dry-run to see the plan (--user for the user manager)\n",
                        g->unit);
                return EXIT_TROUBLE;
        }
        return do_fix(&o, g);
}
