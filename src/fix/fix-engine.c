/* SPDX-License-Identifier: MIT */
#include "fix/fix-engine.h"

#include <time.h>

#include "collect/collect.h"
#include "fix/fix-journal.h"
#include "fix/fix-lock.h"
#include "fix/fix-override.h"
#include "fix/fix-paths.h"
#include "fix/fix-unit-override.h"
#include "rules/problems.h"
#include "systemd/bus-util.h"
#include "systemd/manager.h"

void fix_engine_init(FixEngine *e, const FixOptions *o)
{
        *e = (FixEngine){.opts = *o, .lock_fd = -1};
}

void fix_engine_done(FixEngine *e)
{
        rule_set_done(&e->rules);
        waiver_set_done(&e->waivers);
        if (e->lock_fd >= 0)
                close(e->lock_fd);
        facts_done(&e->facts);
        findings_done(&e->before);
        strv_free(e->problems);
        free(e->dropin_path);
        strv_free(e->other_units);
        strv_free(e->manager_env);
        fix_plan_done(&e->plan);
        fix_changes_done(&e->changes);
        sd_bus_flush_close_unref(e->bus);
        facts_done(&e->after_facts);
        findings_done(&e->after);
        strv_free(e->after_problems);
        *e = (FixEngine){.lock_fd = -1};
}

/* The deadline of a stage that starts now (--timeout). */
static void stage_start(FixEngine *e)
{
        e->deadline_usec =
                deadline_in(e->opts.timeout_usec ? e->opts.timeout_usec : COLLECT_TIMEOUT_DEFAULT_USEC);
}

static int collect_and_evaluate(const FixEngine *e, Facts *facts, Findings *findings)
{
        const CollectOptions co = {.unit = e->opts.unit,
                .user = e->opts.user,
                .root = e->opts.root,
                .timeout_usec = e->opts.timeout_usec,
                .deadline_usec = e->deadline_usec};
        _cleanup_(host_identity_done) HostIdentity host = {};
        _cleanup_free_ const Waiver **stale = NULL;
        time_t now = time(NULL);
        int r;

        /* waivers match the audited host (under --root, the image's name) */
        if ((r = collect_host_identity(&co, now, &host)) < 0 || (r = collect_all(facts, &co)) < 0)
                return r;
        const WaiverContext ctx = {.hostname = host.value[HOST_HOSTNAME], .now = (int64_t) now};
        r = findings_evaluate(&e->rules, facts, findings);
        if (r < 0)
                return r;
        /* Stale waivers are the audit's to report. */
        return waivers_apply(&e->waivers, findings, facts, &ctx, &stale);
}

/* Whether the rule of that id failed (a missing or disabled rule did not). */
static bool rule_fails(const FixEngine *e, const Findings *fs, const char *id)
{
        const Rule *rule = rule_set_find(&e->rules, id);
        const Finding *f = rule ? findings_find(fs, rule) : NULL;

        return f && f->status == FINDING_FAIL;
}

int fix_engine_load(FixEngine *e, char **ret_error)
{
        int r;

        r = rule_set_load(&e->rules, e->opts.rules_dirs, ret_error);
        if (r < 0)
                return r;
        r = waiver_set_load(&e->waivers, e->opts.waivers_dirs, &e->rules, ret_error);
        if (r < 0)
                return r;
        if (!e->opts.dry_run) {
                r = fix_lock_acquire(e->opts.user, e->opts.root, &e->lock_fd, ret_error);
                if (r < 0)
                        return r;
        }
        stage_start(e);
        r = collect_and_evaluate(e, &e->facts, &e->before);
        if (r < 0)
                return r;
        /* Like audit: what could not be read makes the result "could not audit", and a fixer
         * that cannot see the unit must not call the host compliant or guess a plan. */
        r = audit_problems(&e->facts, &e->before, &e->problems);
        if (r < 0)
                return r;
        /* dockerd runs in a namespace that does not match the loaded MountFlags: the rule
         * decides, so that a local copy of it decides too. */
        e->restart_pending = rule_fails(e, &e->before, "restart-pending");
        return 0;
}

/* The user manager's environment (Manager.Environment: its own, which it passes on to the
 * units), the one its unit directories come from. NULL in *ret for the system manager and
 * offline: then the paths come from the files (and our environment). */
static int read_manager_env(const FixEngine *e, char ***ret, char **ret_error)
{
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_bus_error_ sd_bus_error err = SD_BUS_ERROR_NULL;
        int r;

        *ret = NULL;
        if (!e->opts.user || e->opts.root)
                return 0;
        r = manager_bus_open(true, e->deadline_usec, &bus, ret_error);
        if (r >= 0)
                r = bus_budget_set(bus, e->deadline_usec, "the user manager's Environment", ret_error);
        if (r == -ETIMEDOUT)
                return error_setf(ret_error, r, "timed out before the plan, nothing changed: %s",
                        ret_error && *ret_error ? *ret_error : strerror(-r));
        if (r < 0)
                return r;
        r = sd_bus_get_property_strv(bus, SD_DEST, SD_PATH, SD_MANAGER, "Environment", &err, ret);
        if (r < 0)
                return error_setf(ret_error, r, "the user manager's Environment: %s",
                        err.message ? err.message : strerror(-r));
        return 0;
}

int fix_engine_plan(FixEngine *e, const FixChoice *choices, size_t n_choices, char **ret_error)
{
        _cleanup_(fix_plan_done) FixPlan plan = {};
        int r;

        if (!e->dropin_path) {
                if ((r = read_manager_env(e, &e->manager_env, ret_error)) < 0 ||
                        (r = fix_paths_dropin(e->opts.unit, e->opts.user, e->manager_env, e->opts.root,
                                 &e->dropin_path, ret_error)) < 0)
                        return r;
        }
        r = fix_plan_build(&e->before, &e->facts, choices, n_choices, &plan, ret_error);
        if (r < 0)
                return r;
        fix_plan_done(&e->plan);
        e->plan = plan;
        plan = (FixPlan){};
        return 0;
}

int fix_engine_prove(FixEngine *e, FixSimulation *ret)
{
        const FixTarget t = {
                .root = e->opts.root, .user = e->opts.user, .env = e->manager_env, .unit = e->opts.unit};
        _cleanup_strv_free_ char **later = NULL;
        int r;

        /* First what a later file would undo: that refusal names the file to edit. */
        r = fix_override_check(&e->plan, &t, &later);
        if (r >= 0)
                r = fix_unit_override_check(&e->plan, &e->facts, e->opts.root, &later);
        if (r < 0)
                return r;
        r = fix_plan_simulate(&e->plan, &e->rules, &e->facts, &e->before, e->dropin_path, true,
                e->plan.restart_needed, ret);
        if (r < 0 || !later)
                return r;
        for (char **x = ret->refusals; x && *x; x++)
                if (strv_extend(&later, *x) < 0)
                        return -ENOMEM;
        strv_free(ret->refusals);
        ret->refusals = TAKE_PTR(later);
        return 0;
}

static bool unit_file_action(FixActionType t)
{
        return t == FIX_ACTION_DROPIN || t == FIX_ACTION_UNIT_OVERRIDE;
}

int fix_engine_changes(FixEngine *e, char **ret_error)
{
        const bool managed = !e->opts.no_reload && !e->opts.root;
        bool dropin, own;
        int r;

        fix_changes_done(&e->changes);
        r = fix_changes_plan(&e->plan, &e->facts, e->opts.root, e->dropin_path, &e->changes, ret_error);
        if (r < 0)
                return r;
        e->dropin_changed = e->dropin_stale = e->daemon_json_changed = e->own_dropin = false;
        strv_free(e->other_units);
        e->other_units = NULL;
        for (size_t i = 0; i < e->changes.n; i++) {
                const FixChange *ch = &e->changes.v[i];

                e->daemon_json_changed = e->daemon_json_changed || ch->type == FIX_ACTION_DAEMON_JSON;
                /* the unit's full override is a unit file too: the manager must reload it */
                if (!unit_file_action(ch->type))
                        continue;
                e->dropin_changed = true;
                e->own_dropin = e->own_dropin || !ch->unit;
                if (ch->unit && !strv_contains(e->other_units, ch->unit) &&
                        strv_extend(&e->other_units, ch->unit) < 0)
                        return -ENOMEM;
        }
        for (size_t i = 0; i < e->plan.n_actions; i++)
                e->dropin_stale =
                        e->dropin_stale || (unit_file_action(e->plan.actions[i].type) && !e->dropin_changed);
        dropin = e->dropin_changed || e->dropin_stale;
        own = e->own_dropin;
        for (size_t i = 0; i < e->plan.n_actions; i++)
                own = own || (e->dropin_stale && e->plan.actions[i].type == FIX_ACTION_DROPIN &&
                                     !e->plan.actions[i].unit);
        e->reload = managed && (dropin || facts_get_bool(&e->facts, "unit.need_daemon_reload") > 0 ||
                                       facts_get_bool(&e->facts, "unit.changed_on_disk") > 0);
        /* dockerd reads daemon.json when it starts: a fix that says restart = needed (log-opts)
         * takes effect only then. Another unit's drop-in (containerd.service) is not ours to
         * restart. */
        e->restart = e->opts.restart && managed &&
                     (((own || e->daemon_json_changed) && e->plan.restart_needed) || e->restart_pending);
        return 0;
}

bool fix_engine_nothing_to_do(const FixEngine *e)
{
        return e->changes.n == 0 && !e->reload && !e->restart;
}

int fix_engine_apply(FixEngine *e, size_t i, char **ret_error)
{
        const FixChange *ch = &e->changes.v[i];
        int r;

        r = fix_journal_change(e, ch, fix_change_apply(ch, ret_error));
        if (r < 0)
                return r;
        e->wrote_dropin = e->wrote_dropin || unit_file_action(ch->type);
        e->wrote_daemon_json = e->wrote_daemon_json || ch->type == FIX_ACTION_DAEMON_JSON;
        return 0;
}

/* A failure after the writes (r < 0, with *ret_error): what was written stays (each file
 * whole); say so, and what is left to do by hand. */
static int after_write_error(const FixEngine *e, int r, char **ret_error)
{
        const char *why = ret_error && *ret_error ? *ret_error : strerror(-r);
        const char *user = e->opts.user ? " --user" : "";

        if (r >= 0 || r == -ENOMEM)
                return r;
        if (!e->reload)
                return error_setf(ret_error, r, "%s; the files are written: systemctl%s restart %s", why,
                        user, e->opts.unit);
        if (e->restart)
                return error_setf(ret_error, r,
                        "%s; the files are written, not yet loaded: systemctl%s daemon-reload, then "
                        "systemctl%s restart %s",
                        why, user, user, e->opts.unit);
        return error_setf(ret_error, r,
                "%s; the files are written, not yet loaded: systemctl%s daemon-reload", why, user);
}

int fix_engine_connect(FixEngine *e, char **ret_error)
{
        /* A drop-in (or daemon.json) the person skipped needs no reload and no restart. */
        e->reload = e->reload && (e->wrote_dropin || !e->dropin_changed);
        e->restart = e->restart && (e->wrote_dropin || e->wrote_daemon_json ||
                                           (!e->dropin_changed && !e->daemon_json_changed));
        if (!e->reload && !e->restart)
                return 0;
        stage_start(e);
        return after_write_error(
                e, manager_bus_open(e->opts.user, e->deadline_usec, &e->bus, ret_error), ret_error);
}

int fix_engine_reload(FixEngine *e, char **ret_error)
{
        return fix_journal_reload(
                e, after_write_error(e, manager_reload(e->bus, e->deadline_usec, ret_error), ret_error));
}

int fix_engine_restart(FixEngine *e, char **ret_result, char **ret_error)
{
        return fix_journal_restart(e,
                manager_restart_unit(e->bus, e->opts.unit, MANAGER_JOB_TIMEOUT_USEC, ret_result, ret_error),
                ret_result);
}

int fix_engine_reaudit(FixEngine *e)
{
        int r;

        facts_done(&e->after_facts);
        findings_done(&e->after);
        strv_free(e->after_problems);
        e->after_problems = NULL;
        stage_start(e);
        /* The truth is what the manager loaded: audit again over D-Bus. */
        r = collect_and_evaluate(e, &e->after_facts, &e->after);
        return r < 0 ? r : audit_problems(&e->after_facts, &e->after, &e->after_problems);
}
