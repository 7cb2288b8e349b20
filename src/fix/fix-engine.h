/* SPDX-License-Identifier: MIT */
/* The steps of `dockaudit fix`, in order:
 *   fix_engine_load()     rules, the fix lock, the facts, the findings, what is incomplete
 *   fix_engine_plan()     the plan (again, with a person's choices)
 *   fix_engine_prove()    the plan run on the facts: refused when it does not clear them
 *   fix_engine_changes()  the file texts and diffs; whether to reload and restart
 *   fix_engine_apply()    one accepted change written
 *   fix_engine_connect()  after the writes: what is still to reload or restart, and the bus
 *   fix_engine_reload(), fix_engine_restart()
 *   fix_engine_reaudit()  the facts and findings again, as the manager now sees them
 * The caller (the command) prints, asks, and turns the results into an exit status. Every
 * step returns a negative errno on failure, with a message in *ret_error when it has one. */
#pragma once

#include <systemd/sd-bus.h>

#include "fix/fix-changes.h"
#include "fix/fix-plan.h"
#include "rules/waiver.h"

/* What to fix and how: plain values, borrowed for the engine's lifetime. */
typedef struct FixOptions {
        const char *unit; /* "docker.service" */
        bool user; /* the user service manager */
        const char *root; /* an offline image: no reload, no restart, no live sysctl */
        char *const *rules_dirs; /* highest priority first */
        char *const *waivers_dirs; /* every one read (waiver_set_load()); NULL: no waivers */
        bool dry_run; /* write nothing, take no lock */
        bool restart; /* restart the unit when the change (or its state) needs it */
        bool no_reload; /* never reload the manager (image builds) */
        /* --timeout (0: COLLECT_TIMEOUT_DEFAULT_USEC): the budget of each stage that waits on
         * the manager or dockerd: the audit before the plan (the manager's environment
         * included), the reload (connecting included), the re-audit. Not the restart job
         * (MANAGER_JOB_TIMEOUT_USEC) nor the person's answers. */
        uint64_t timeout_usec;
} FixOptions;

typedef struct FixEngine {
        FixOptions opts;
        RuleSet rules;
        WaiverSet waivers; /* a waived finding is accepted: fix leaves it alone */
        int lock_fd; /* the fix lock, from load to done; -1 on a dry run */
        uint64_t deadline_usec; /* the stage's (basic/deadline.h): set by load, connect, reaudit */
        Facts facts;
        Findings before;
        char **problems; /* why the audit is incomplete: then nothing may change (empty: none) */
        bool restart_pending; /* the rule restart-pending fails before the fix */
        char **manager_env; /* the user manager's environment: where its unit directories are
                             * (fix_engine_plan(); NULL for the system manager and offline) */
        char *dropin_path;
        FixPlan plan;
        FixChanges changes;
        bool dropin_changed; /* a change rewrites a drop-in (the unit's or another unit's) */
        bool own_dropin; /* the unit's own drop-in changes, or is stale (see dropin_stale) */
        char **other_units; /* the other units whose drop-in a change rewrites (containerd.service):
                             * reloaded, but never restarted by dockaudit */
        bool dropin_stale; /* the plan wants drop-in settings the file already holds, so the
                            * manager has not loaded it (systemd does not flag a new drop-in
                            * directory as NeedDaemonReload) */
        bool reload, restart; /* decided by fix_engine_changes(), kept by fix_engine_connect() */
        bool wrote_dropin; /* fix_engine_apply() wrote the drop-in */
        bool daemon_json_changed; /* a change rewrites daemon.json (read by dockerd when it starts) */
        bool wrote_daemon_json; /* fix_engine_apply() wrote daemon.json */
        sd_bus *bus; /* fix_engine_connect(), when there is a reload or restart */
        Facts after_facts; /* fix_engine_reaudit() */
        Findings after;
        char **after_problems; /* why the re-audit is incomplete (empty: none) */
} FixEngine;

/* Starts e with options o (copied; the strings stay the caller's). */
void fix_engine_init(FixEngine *e, const FixOptions *o);
/* Releases everything, the lock and the bus included. */
void fix_engine_done(FixEngine *e);

/* Loads the rules and the waivers, takes the fix lock (not on a dry run: -EBUSY naming the holder when
 * another fixer runs), collects the facts (by the deadline opts.timeout_usec from now: what did
 * not answer by then is a problem, "timed out after N s (--timeout): ..."), evaluates the rules (e->before,
 * waived failures FINDING_WAIVED: no fix is planned for them) and lists e->problems. One fixer at a time:
 * the lock is held from before the facts are read until done. */
int fix_engine_load(FixEngine *e, char **ret_error);

/* (Re)builds e->plan from the failing findings with choices (see fix_plan_build()); the first
 * call also finds the drop-in's path (for the user manager, from its own environment, read
 * by fix_engine_load()'s deadline). */
int fix_engine_plan(FixEngine *e, const FixChoice *choices, size_t n_choices, char **ret_error);

/* The plan run on the facts as they will be once reloaded and, if the plan needs one,
 * restarted (fix_plan_simulate()): ret->refusals says why it must not be applied, first the
 * later drop-in or sysctl file that would undo it (fix_override_check()). */
int fix_engine_prove(FixEngine *e, FixSimulation *ret);

/* The file changes of the plan (fix_changes_plan()), and from them and the facts whether the
 * manager needs a reload (not with no_reload or a root) and the unit a restart (only with
 * restart, when the drop-in needs one or restart-pending fails). */
int fix_engine_changes(FixEngine *e, char **ret_error);

/* No change, no reload, no restart: the host is as the plan wants it. */
bool fix_engine_nothing_to_do(const FixEngine *e);

/* Writes e->changes.v[i] (fix_change_apply()). */
int fix_engine_apply(FixEngine *e, size_t i, char **ret_error);

/* After the writes: keeps the reload and the restart only when what needs them was written
 * (or the manager was stale already), then connects to the manager if one is left; the
 * connection and the reload share one deadline, opts.timeout_usec from now. When either
 * fails (a timeout included), the message ends with what is written and the systemctl
 * commands left to run. */
int fix_engine_connect(FixEngine *e, char **ret_error);

/* Reloads the manager (systemctl daemon-reload), by fix_engine_connect()'s deadline (at most
 * MANAGER_RELOAD_TIMEOUT_USEC): -ETIMEDOUT when it did not answer by then. */
int fix_engine_reload(FixEngine *e, char **ret_error);

/* Restarts the unit and waits for the job: *ret_result is its result ("done" on success). */
int fix_engine_restart(FixEngine *e, char **ret_result, char **ret_error);

/* Collects and evaluates again (the waivers applied), within opts.timeout_usec from now:
 * e->after_facts, e->after, and e->after_problems (a re-audit that timed out or could not see
 * the unit proves nothing). */
int fix_engine_reaudit(FixEngine *e);
