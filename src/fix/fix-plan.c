/* SPDX-License-Identifier: MIT */
#include "fix/fix-plan.h"

#include "fix/fix-paths.h"
#include "formats/json-util.h"
#include "rules/fact-catalog.h"
#include "systemd/unit-settings.h"

static void plan_action_done(PlanAction *a)
{
        free(a->unit);
        free(a->section);
        free(a->key);
        free(a->value);
        strv_free(a->rule_ids);
}

void fix_plan_done(FixPlan *p)
{
        for (size_t i = 0; i < p->n_items; i++)
                free(p->items[i].alternatives);
        free(p->items);
        for (size_t i = 0; i < p->n_actions; i++)
                plan_action_done(&p->actions[i]);
        free(p->actions);
        free(p->unfixable);
        *p = (FixPlan){};
}

void fix_simulation_done(FixSimulation *s)
{
        facts_done(&s->facts);
        findings_done(&s->findings);
        strv_free(s->refusals);
        *s = (FixSimulation){};
}

const char *rule_fix_display_name(const RuleFix *fix)
{
        return fix->name ? fix->name : "default";
}

bool rule_fix_applicable(const RuleFix *fix, const Facts *facts)
{
        Tri t = TRI_TRUE;

        /* "not false": an unknown condition still lets a person pick the fix. */
        if (fix->when && expr_eval(fix->when, facts, &t, NULL) < 0)
                return false;
        return t != TRI_FALSE;
}

static bool same_target(const PlanAction *a, const FixAction *b)
{
        return a->type == b->type && streq(a->key, b->key) && streq_ptr(a->section, b->section) &&
               streq_ptr(a->unit, b->unit);
}

static int action_describe(FixActionType type, const char *unit, const char *section, const char *key,
        const char *value, char **ret)
{
        if (type == FIX_ACTION_DROPIN)
                *ret = strdupf(
                        "%s%s%s.%s=%s", strempty(unit), unit ? ":" : "", section, key, strempty(value));
        else if (!value)
                *ret = strdupf("-%s", key);
        else
                *ret = strdupf("%s=%s", key, value);
        return *ret ? 0 : -ENOMEM;
}

static int plan_add_action(
        FixPlan *p, const Rule *rule, const FixAction *fa, const char *audited, char **ret_error)
{
        FixAction own;
        PlanAction *n;

        /* "docker.service:Service.X" while auditing docker.service is the unit's own drop-in */
        if (fa->unit && streq_ptr(fa->unit, audited)) {
                own = *fa;
                own.unit = NULL;
                fa = &own;
        }

        for (size_t i = 0; i < p->n_actions; i++) {
                PlanAction *a = &p->actions[i];
                _cleanup_free_ char *mine = NULL, *theirs = NULL;

                if (!same_target(a, fa))
                        continue;
                if (streq_ptr(a->value, fa->value))
                        return strv_contains(a->rule_ids, rule->id) ? 0
                                                                    : strv_extend(&a->rule_ids, rule->id);
                if (action_describe(a->type, a->unit, a->section, a->key, a->value, &theirs) < 0 ||
                        action_describe(fa->type, fa->unit, fa->section, fa->key, fa->value, &mine) < 0)
                        return -ENOMEM;
                return error_setf(ret_error, -EINVAL,
                        "conflicting fixes: rule %s wants %s %s, rule %s wants %s %s", a->rule_ids[0],
                        fix_action_type_to_string(a->type), theirs, rule->id,
                        fix_action_type_to_string(fa->type), mine);
        }
        n = realloc(p->actions, (p->n_actions + 1) * sizeof *n);
        if (!n)
                return -ENOMEM;
        p->actions = n;
        n = &p->actions[p->n_actions];
        *n = (PlanAction){.type = fa->type};
        p->n_actions++;
        if ((fa->unit && !(n->unit = strdup(fa->unit))) ||
                (fa->section && !(n->section = strdup(fa->section))) || !(n->key = strdup(fa->key)) ||
                (fa->value && !(n->value = strdup(fa->value))) || strv_extend(&n->rule_ids, rule->id) < 0)
                return -ENOMEM;
        return 0;
}

static const RuleFix *find_choice(const Rule *rule, const FixChoice *choices, size_t n, bool *found)
{
        for (size_t i = 0; i < n; i++) {
                if (!streq(choices[i].rule_id, rule->id))
                        continue;
                *found = true;
                for (size_t k = 0; k < rule->n_fixes; k++) {
                        const char *want =
                                choices[i].fix_name && *choices[i].fix_name ? choices[i].fix_name : NULL;
                        if (streq_ptr(rule->fixes[k].name, want) ||
                                (want && !rule->fixes[k].name && streq(want, "default")))
                                return &rule->fixes[k];
                }
                return NULL;
        }
        *found = false;
        return NULL;
}

static int plan_add_item(FixPlan *p, const Finding *f, const Facts *facts, const FixChoice *choices,
        size_t n_choices, char **ret_error)
{
        const Rule *rule = f->rule;
        const RuleFix *fix = f->fix, *chosen;
        PlanItem item = {};
        bool found;
        int r;

        chosen = find_choice(rule, choices, n_choices, &found);
        if (found) {
                if (!chosen || (chosen != f->fix && !rule_fix_applicable(chosen, facts)))
                        return error_setf(ret_error, -EINVAL, "rule %s has no applicable fix named '%s'",
                                rule->id, chosen ? rule_fix_display_name(chosen) : "?");
                fix = chosen;
        }
        if (!fix) {
                const Rule **u = realloc(p->unfixable, (p->n_unfixable + 1) * sizeof *u);
                if (!u)
                        return -ENOMEM;
                p->unfixable = u;
                p->unfixable[p->n_unfixable++] = rule;
                return 0;
        }

        item = (PlanItem){.rule = rule, .fix = fix};
        item.alternatives = calloc(rule->n_fixes + 1, sizeof *item.alternatives);
        if (!item.alternatives)
                return -ENOMEM;
        for (size_t k = 0; k < rule->n_fixes; k++)
                if (&rule->fixes[k] != fix && rule_fix_applicable(&rule->fixes[k], facts))
                        item.alternatives[item.n_alternatives++] = &rule->fixes[k];
        {
                PlanItem *n = realloc(p->items, (p->n_items + 1) * sizeof *n);
                if (!n) {
                        free(item.alternatives);
                        return -ENOMEM;
                }
                p->items = n;
                p->items[p->n_items++] = item;
        }
        for (size_t k = 0; k < fix->n_actions; k++) {
                r = plan_add_action(
                        p, rule, &fix->actions[k], facts_get_string(facts, "unit.name"), ret_error);
                if (r < 0)
                        return r;
        }
        p->restart_needed = p->restart_needed || fix->restart_needed;
        return 0;
}

int fix_plan_build(const Findings *findings, const Facts *facts, const FixChoice *choices, size_t n_choices,
        FixPlan *ret, char **ret_error)
{
        _cleanup_(fix_plan_done) FixPlan p = {};
        int r;

        /* A choice for a rule that passes is spent (a second run of the same command changes
         * nothing); for one that is not there, or skipped, it is a mistake. */
        for (size_t i = 0; i < n_choices; i++) {
                const Finding *f = NULL;
                for (size_t k = 0; k < findings->n; k++)
                        if (streq(findings->v[k].rule->id, choices[i].rule_id))
                                f = &findings->v[k];
                if (!f)
                        return error_setf(ret_error, -EINVAL,
                                "a fix was chosen for rule %s, which is not loaded", choices[i].rule_id);
                if (f->status != FINDING_FAIL && f->status != FINDING_PASS)
                        return error_setf(ret_error, -EINVAL,
                                "a fix was chosen for rule %s, which does not fail (%s)", choices[i].rule_id,
                                finding_status_to_string(f->status));
        }
        for (size_t i = 0; i < findings->n; i++) {
                if (findings->v[i].status != FINDING_FAIL)
                        continue;
                r = plan_add_item(&p, &findings->v[i], facts, choices, n_choices, ret_error);
                if (r < 0)
                        return r;
        }
        *ret = p;
        p = (FixPlan){};
        return 0;
}

/* ---- simulation ---- */

static bool fact_list_has(const Facts *f, const char *name, const char *item)
{
        const Fact *x = facts_get(f, name);
        return x && x->known && x->type == FACT_LIST && strv_contains(x->list, item);
}

/* A drop-in that sorts after ours (in any .d directory) wins over it: systemd applies
 * drop-ins in file-name order. Then our setting would not take effect. */
static bool overridden_by_later_dropin(const Fact *setting)
{
        _cleanup_free_ char *path = NULL;
        const char *slash, *colon;

        if (!setting || !setting->source || setting->source[0] != '/')
                return false;
        colon = strrchr(setting->source, ':');
        path = colon ? strndup(setting->source, colon - setting->source) : strdup(setting->source);
        if (!path)
                return false;
        slash = strrchr(path, '/');
        if (!slash || slash == path || !endswith(path, ".conf"))
                return false;
        /* only files in a "*.d" directory are drop-ins */
        if (!(slash - path >= 2 && slash[-2] == '.' && slash[-1] == 'd'))
                return false;
        return strcmp(slash + 1, FIX_DROPIN_NAME) > 0;
}

static int list_edit(Facts *f, const char *name, const char *item, bool add, const char *source)
{
        const Fact *x = facts_get(f, name);
        _cleanup_strv_free_ char **l = NULL;
        _cleanup_free_ char *keep = NULL;

        if (!x || !x->known || x->type != FACT_LIST)
                return 0;
        for (char **p = x->list; p && *p; p++)
                if (!streq(*p, item) && strv_extend(&l, *p) < 0)
                        return -ENOMEM;
        if (add && strv_extend(&l, item) < 0)
                return -ENOMEM;
        if (!l && !(l = calloc(1, sizeof(char *))))
                return -ENOMEM;
        /* x->source is freed when the fact is replaced: a copy */
        if (!source && x->source && !(keep = strdup(x->source)))
                return -ENOMEM;
        return facts_set_list(f, name, l, source ? source : keep);
}

/* PREFIX.SUFFIX into buf; false when that fact is not in the catalog (nothing to set). */
static bool sim_fact_name(char *buf, size_t size, const char *prefix, const char *suffix)
{
        int n = snprintf(buf, size, "%s.%s", prefix, suffix);
        return n > 0 && (size_t) n < size && fact_catalog_lookup(buf);
}

#define INFINITY_FACT 9223372036854775807LL

static long long limit_fact(uint64_t v)
{
        return v >= (uint64_t) INFINITY_FACT ? INFINITY_FACT : (long long) v;
}

static int sim_mount_flags(Facts *f, const char *prefix, const char *value, const char *source)
{
        char name[96];

        if (!sim_fact_name(name, sizeof name, prefix, "mount_flags"))
                return 0;
        return facts_set_string(f, name, value, source);
}

static int sim_limit_nofile(Facts *f, const char *prefix, const char *value, const char *source)
{
        char hard[96], soft[96];
        uint64_t s, h;
        int r;

        if (!sim_fact_name(hard, sizeof hard, prefix, "limit_nofile") ||
                !sim_fact_name(soft, sizeof soft, prefix, "limit_nofile_soft"))
                return 0;
        r = unit_parse_limit_nofile(value, &s, &h);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return facts_set_unknown(f, hard, "LimitNOFILE=%s is not valid: systemd ignores it", value) <
                                               0 ||
                                       facts_set_unknown(f, soft, "LimitNOFILE=%s is not valid", value) < 0
                               ? -ENOMEM
                               : 0;
        if ((r = facts_set_number(f, hard, limit_fact(h), source)) < 0)
                return r;
        return facts_set_number(f, soft, limit_fact(s), source);
}

static int sim_tasks_max(Facts *f, const char *prefix, const char *value, const char *source)
{
        char name[96];
        TasksMax t;
        int r;

        if (!sim_fact_name(name, sizeof name, prefix, "tasks_max"))
                return 0;
        r = unit_parse_tasks_max(value, &t);
        if (r == -ENOMEM)
                return r;
        /* A share depends on the kernel's limit: not predicted. */
        if (r < 0 || t.scale != 0)
                return facts_set_unknown(f, name, "TasksMax=%s: the resolved value is not predicted", value);
        return facts_set_number(f, name, limit_fact(t.value), source);
}

static int sim_kill_mode(Facts *f, const char *prefix, const char *value, const char *source)
{
        char name[96];

        if (!sim_fact_name(name, sizeof name, prefix, "kill_mode"))
                return 0;
        return facts_set_string(f, name, value, source);
}

static int sim_list_add(
        Facts *f, const char *prefix, const char *suffix, const char *value, const char *source)
{
        const char *p = value;
        char name[96];
        int r;

        if (!sim_fact_name(name, sizeof name, prefix, suffix))
                return 0;
        /* dependencies only add: each word once */
        for (;;) {
                _cleanup_free_ char *w = NULL;
                size_t n;

                p += strspn(p, " \t");
                if (!*p)
                        return 0;
                n = strcspn(p, " \t");
                if (!(w = strndup(p, n)))
                        return -ENOMEM;
                p += n;
                if ((r = list_edit(f, name, w, true, NULL)) < 0)
                        return r;
                (void) source; /* the list keeps the manager's source: it only grows */
        }
}

static int sim_after(Facts *f, const char *prefix, const char *value, const char *source)
{
        return sim_list_add(f, prefix, "after", value, source);
}

/* The drop-in keys whose effect the simulation predicts, one row each. */
static const FixDropinKey dropin_keys[] = {
        {"Service", "MountFlags", "mount_flags", sim_mount_flags},
        {"Service", "LimitNOFILE", "limit_nofile", sim_limit_nofile},
        {"Service", "TasksMax", "tasks_max", sim_tasks_max},
        {"Service", "KillMode", "kill_mode", sim_kill_mode},
        {"Unit", "After", NULL, sim_after}, /* dependencies add up: no later drop-in undoes them */
};

const FixDropinKey *fix_plan_dropin_key(const char *section, const char *key)
{
        for (size_t i = 0; i < ELEMENTSOF(dropin_keys); i++)
                if (streq(dropin_keys[i].section, section) && streq(dropin_keys[i].key, key))
                        return &dropin_keys[i];
        return NULL;
}

/* The facts prefix of the unit whose drop-in a is: "unit" for the audited unit, the
 * related unit's prefix, or NULL when no facts describe that unit. */
static const char *dropin_prefix(const Facts *f, const PlanAction *a)
{
        if (!a->unit || streq_ptr(a->unit, facts_get_string(f, "unit.name")))
                return "unit";
        if (streq(a->unit, "containerd.service"))
                return "containerd_unit";
        return NULL;
}

static int apply_dropin(Facts *f, const PlanAction *a, const char *dropin_path)
{
        const FixDropinKey *k = fix_plan_dropin_key(a->section, a->key);
        const char *prefix = dropin_prefix(f, a);
        _cleanup_free_ char *src = NULL;
        char name[96];
        int r;

        if (!k || !prefix || !a->value)
                return 0; /* no fact follows this setting */
        if (k->fact && sim_fact_name(name, sizeof name, prefix, k->fact) &&
                overridden_by_later_dropin(facts_get(f, name)))
                return 0;
        if ((r = fix_paths_dropin_sibling(dropin_path, a->unit, &src, NULL)) < 0)
                return r;
        return k->apply(f, prefix, a->value, src);
}

/* The unit's full override takes an item out of a dependency setting; a requirement taken out
 * stays a Wants= and an After= (fix-unit-override.h). Drop-ins that set it too refuse the
 * plan (fix_unit_override_check()), so the item is gone from what the manager loads. */
static int apply_unit_override(Facts *f, const PlanAction *a, const char *override_source)
{
        static const struct {
                const char *key, *fact;
        } deps[] = {
                {"After", "unit.after"},
                {"BindsTo", "unit.binds_to"},
                {"Requires", "unit.requires"},
                {"Wants", "unit.wants"},
        };
        bool requirement =
                streq(a->key, "BindsTo") || streq(a->key, "Requires") || streq(a->key, "Requisite");
        int r;

        for (size_t i = 0; i < ELEMENTSOF(deps); i++)
                if (streq(a->key, deps[i].key) &&
                        (r = list_edit(f, deps[i].fact, a->value, false, override_source)) < 0)
                        return r;
        if (requirement && ((r = list_edit(f, "unit.wants", a->value, true, override_source)) < 0 ||
                                   (r = list_edit(f, "unit.after", a->value, true, override_source)) < 0))
                return r;
        if ((r = facts_set_bool(f, "unit_override.present", true, override_source)) < 0)
                return r;
        return facts_set_bool(f, "unit_override.stale", false, override_source);
}

/* The top-level daemon.json key an action edits: "log-opts" for "log-opts.max-size". */
static char *action_top_key(const PlanAction *a)
{
        const char *dot = strchr(a->key, '.');

        return dot ? strndup(a->key, (size_t) (dot - a->key)) : strdup(a->key);
}

/* A JSON string value as text, NULL for another JSON value (or out of memory). */
static char *json_text_string(const char *json)
{
        _cleanup_json_ json_t *v = json ? json_loads(json, JSON_DECODE_ANY, NULL) : NULL;

        return json_is_string(v) ? strdup(json_string_value(v)) : NULL;
}

/* dockerd.log_max_size and dockerd.log_max_file from dockerd.log_opts (the collector's rule:
 * the last one, "" when none). */
static int derive_log_limits(Facts *f)
{
        static const char *const names[][2] = {
                {"max-size=", "dockerd.log_max_size"}, {"max-file=", "dockerd.log_max_file"}};
        const Fact *lo = facts_get(f, "dockerd.log_opts");
        int r;

        if (!lo || !lo->known)
                return 0;
        for (size_t i = 0; i < ELEMENTSOF(names); i++) {
                const char *v = "";
                for (char **p = lo->list; p && *p; p++)
                        if (startswith(*p, names[i][0]))
                                v = *p + strlen(names[i][0]);
                if ((r = facts_set_string(f, names[i][1], v, lo->source)) < 0)
                        return r;
        }
        return 0;
}

/* "log-opts.KEY" (one option) or "log-opts" (the whole object) into dockerd.log_opts, when the
 * file decides it (no --log-opt flag: the plan refuses that). */
static int apply_log_opts(Facts *f, const PlanAction *a, const char *path)
{
        const char *opt = startswith(a->key, "log-opts.");
        const Fact *lo = facts_get(f, "dockerd.log_opts");
        _cleanup_strv_free_ char **l = calloc(1, sizeof(char *));
        _cleanup_free_ char *v = NULL, *item = NULL;
        int r;

        if (!l)
                return -ENOMEM;
        if (!opt) {
                /* The whole object replaced (or removed): its string members, in order. */
                _cleanup_json_ json_t *o = a->value ? json_loads(a->value, JSON_DECODE_ANY, NULL) : NULL;
                const char *k;
                json_t *x;

                json_object_foreach(
                        o, k, x) if (json_is_string(x) &&
                                     strv_consume(&l, strdupf("%s=%s", k, json_string_value(x))) <
                                             0) return -ENOMEM;
                if ((r = facts_set_list(f, "dockerd.log_opts", l, path)) < 0)
                        return r;
                return derive_log_limits(f);
        }
        if (!lo || !lo->known)
                return 0;
        if (a->value && !(v = json_text_string(a->value)))
                return facts_set_unknown(
                        f, "dockerd.log_opts", "log-opts \"%s\" set to %s, not a string", opt, a->value);
        if (!(item = strdupf("%s=", opt)))
                return -ENOMEM;
        for (char **p = lo->list; p && *p; p++)
                if (!startswith(*p, item) && strv_extend(&l, *p) < 0)
                        return -ENOMEM;
        if (v && strv_consume(&l, strdupf("%s%s", item, v)) < 0)
                return -ENOMEM;
        if ((r = facts_set_list(f, "dockerd.log_opts", l, path)) < 0)
                return r;
        return derive_log_limits(f);
}

static int apply_daemon_json(Facts *f, const PlanAction *a, char ***refusals)
{
        const char *path = facts_get_string(f, "daemon_json.path");
        const Fact *flags = facts_get(f, "dockerd.flags");
        _cleanup_free_ char *top = action_top_key(a);
        int present = facts_get_bool(f, "daemon_json.present");
        int r;

        if (!top)
                return -ENOMEM;
        if (fact_list_has(f, "dockerd.flags", top) && a->value)
                /* dockerd refuses to start when an option is both a flag and in its config file. */
                return strv_consume(refusals,
                        strdupf("%s is set as a dockerd flag (%s): setting it in %s as well makes dockerd "
                                "refuse to start; change the flag instead",
                                top, flags->source ? flags->source : "the command line",
                                path ? path : "daemon.json"));
        /* Removing a member of an object keeps the object (and its key). */
        if ((a->value || !streq(top, a->key)) ? (r = list_edit(f, "daemon_json.keys", top, true, path)) < 0
                                              : (r = list_edit(f, "daemon_json.keys", top, false, path)) < 0)
                return r;
        if (a->value) {
                if ((r = facts_set_bool(f, "daemon_json.present", true, path)) < 0)
                        return r;
                /* A new file holds only our keys; an existing one stays as valid as it was. */
                if (present == 0 && ((r = facts_set_bool(f, "daemon_json.valid", true, path)) < 0 ||
                                            (r = facts_set_string(f, "daemon_json.error", "", path)) < 0 ||
                                            (r = facts_set_list(f, "daemon_json.unknown_keys",
                                                     (char *[]){NULL}, path)) < 0))
                        return r;
        } else if (streq(top, a->key) &&
                   (r = list_edit(f, "dockerd.conflicting_options", a->key, false, NULL)) < 0)
                return r;
        if (streq(top, "log-opts"))
                return apply_log_opts(f, a, path);
        if (streq(a->key, "live-restore") && !fact_list_has(f, "dockerd.flags", "live-restore")) {
                if (!a->value)
                        return facts_set_bool(
                                f, "dockerd.live_restore", false, "default (not in daemon.json)");
                if (streq(a->value, "true") || streq(a->value, "false"))
                        return facts_set_bool(f, "dockerd.live_restore", streq(a->value, "true"), path);
                return facts_set_unknown(
                        f, "dockerd.live_restore", "live-restore=%s is not a boolean", a->value);
        }
        return 0;
}

static int apply_sysctl(Facts *f, const PlanAction *a, const char *sysctl_source)
{
        long long v;
        int r;

        if (!streq(a->key, "fs.may_detach_mounts") || !a->value)
                return 0;
        if (safe_atoi64(a->value, &v) < 0)
                return facts_set_unknown(
                        f, "kernel.may_detach_mounts", "sysctl value '%s' is not a number", a->value);
        /* The same action writes FIX_SYSCTL_FILE, fs.may_detach_mounts' boot value from now on
         * (fix-override.c refuses a later file that would undo it). */
        if ((r = facts_set_number(f, "kernel.may_detach_mounts_persistent", v, FIX_SYSCTL_FILE)) < 0)
                return r;
        return facts_set_number(f, "kernel.may_detach_mounts", v, sysctl_source);
}

static int apply_restart(Facts *f)
{
        const char *mf = facts_get_string(f, "unit.mount_flags"),
                   *mgr = facts_get_string(f, "ns.manager_mnt");
        bool want;
        int r;

        if (!mf || facts_get_bool(f, "ns.dockerd_private") < 0)
                return 0;
        want = streq(mf, "slave") || streq(mf, "private");
        if ((r = facts_set_bool(f, "ns.dockerd_private", want, "after the restart (expected)")) < 0)
                return r;
        if (!want && mgr)
                return facts_set_string(f, "ns.dockerd_mnt", mgr, "after the restart (expected)");
        return 0;
}

int fix_plan_simulate(const FixPlan *plan, const RuleSet *rules, const Facts *facts, const Findings *before,
        const char *dropin_path, bool reload, bool restart, FixSimulation *ret)
{
        _cleanup_(fix_simulation_done) FixSimulation s = {};
        int r;

        r = facts_copy(facts, &s.facts);
        if (r < 0)
                return r;
        for (size_t i = 0; i < plan->n_actions; i++) {
                const PlanAction *a = &plan->actions[i];
                _cleanup_free_ char *src = NULL;

                switch (a->type) {
                case FIX_ACTION_DROPIN:
                        r = apply_dropin(&s.facts, a, dropin_path);
                        break;
                case FIX_ACTION_DAEMON_JSON:
                        r = apply_daemon_json(&s.facts, a, &s.refusals);
                        break;
                case FIX_ACTION_UNIT_OVERRIDE:
                        r = apply_unit_override(&s.facts, a, "the full override (dockaudit fix)");
                        break;
                case FIX_ACTION_SYSCTL:
                        src = strdupf("/proc/sys/%s (and /etc/sysctl.d)", a->key);
                        if (!src)
                                return -ENOMEM;
                        for (char *p = src + strlen("/proc/sys/"); *p && *p != ' '; p++)
                                if (*p == '.')
                                        *p = '/';
                        r = apply_sysctl(&s.facts, a, src);
                        break;
                default:
                        r = 0;
                }
                if (r < 0)
                        return r;
        }
        if (reload &&
                ((r = facts_set_bool(&s.facts, "unit.need_daemon_reload", false, "after the reload")) < 0 ||
                        (r = facts_set_bool(&s.facts, "unit.changed_on_disk", false, "after the reload")) <
                                0))
                return r;
        if (restart && (r = apply_restart(&s.facts)) < 0)
                return r;

        r = findings_evaluate(rules, &s.facts, &s.findings);
        if (r < 0)
                return r;

        for (size_t i = 0; i < plan->n_items; i++) {
                const Finding *after = findings_find(&s.findings, plan->items[i].rule);
                if (after && after->status == FINDING_FAIL &&
                        plan->items[i].rule->severity >= SEVERITY_HIGH &&
                        strv_consume(&s.refusals, strdupf("the plan leaves %s (high) failing: %s",
                                                          after->rule->id, strempty(after->message))) < 0)
                        return -ENOMEM;
        }
        for (size_t i = 0; i < s.findings.n; i++) {
                const Finding *after = &s.findings.v[i], *was = findings_find(before, after->rule);
                /* A waived failure stays accepted: the waiver applies to the real audit. */
                if (after->status == FINDING_FAIL &&
                        (!was || (was->status != FINDING_FAIL && was->status != FINDING_WAIVED)) &&
                        strv_consume(
                                &s.refusals, strdupf("the plan would make %s (%s) fail: %s", after->rule->id,
                                                     severity_to_string(after->rule->severity),
                                                     strempty(after->message))) < 0)
                        return -ENOMEM;
        }
        if (!s.refusals && !(s.refusals = calloc(1, sizeof(char *))))
                return -ENOMEM;
        *ret = s;
        s = (FixSimulation){};
        return 0;
}
