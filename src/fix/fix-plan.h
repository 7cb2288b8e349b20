/* SPDX-License-Identifier: MIT */
/* The fix plan: the fix actions of the failing rules merged into one set of changes, and
 * the check that the changes clear the findings (the rules re-run on the facts as they
 * would be after the plan) before anything is written. */
#pragma once

#include "rules/findings.h"

/* One change to the host: a key in the unit's drop-in, in daemon.json or in sysctl.d, or an
 * item taken out of a dependency in the unit's full override (value: the item). */
typedef struct PlanAction {
        FixActionType type;
        char *unit; /* FIX_ACTION_DROPIN only: another unit's drop-in, NULL: the audited unit's */
        char *section; /* FIX_ACTION_DROPIN only */
        char *key;
        char *value; /* NULL: remove (daemon-json only) */
        char **rule_ids; /* the rules that want it (merged identical actions) */
} PlanAction;

/* The fix picked for one failing rule, and the others the person may pick instead. */
typedef struct PlanItem {
        const Rule *rule;
        const RuleFix *fix;
        const RuleFix **alternatives; /* other [fix] sections whose "when" is not false */
        size_t n_alternatives;
} PlanItem;

typedef struct FixPlan {
        PlanItem *items;
        size_t n_items;
        PlanAction *actions;
        size_t n_actions;
        const Rule **unfixable; /* failing rules with no applicable fix */
        size_t n_unfixable;
        bool restart_needed; /* a chosen fix says restart = needed */
} FixPlan;

/* A person's pick of another fix for a rule: fix_name NULL (or "") names the unnamed [fix]. */
typedef struct FixChoice {
        const char *rule_id;
        const char *fix_name;
} FixChoice;

void fix_plan_done(FixPlan *p);

/* The fix's "when" is not false on facts: a person may pick it (an unknown condition does not
 * stop them). */
bool rule_fix_applicable(const RuleFix *fix, const Facts *facts);

/* Name of a fix for people: "default" for the unnamed [fix], else its name. */
const char *rule_fix_display_name(const RuleFix *fix);

/* Builds the plan from the failing findings (their chosen Finding.fix, or the choice given
 * for that rule, which must be one of its applicable fixes: -EINVAL with a message if not;
 * a choice for a rule that passes is ignored, one for a rule not loaded or skipped is -EINVAL).
 * Identical actions merge; two different values for the same key fail with -EINVAL and a
 * message naming both rules. */
int fix_plan_build(const Findings *findings, const Facts *facts, const FixChoice *choices, size_t n_choices,
        FixPlan *ret, char **ret_error);

typedef struct FixSimulation {
        Facts facts; /* the facts as they would be after the plan */
        Findings findings; /* the rules run on them */
        char **refusals; /* why the plan must not be applied; empty: it may */
} FixSimulation;

void fix_simulation_done(FixSimulation *s);

/* Applies the plan's effects to a copy of facts: the drop-in (its path: dropin_path) sets
 * unit.* settings (and another unit's drop-in, in the same directory, the facts of that unit:
 * containerd_unit.* for containerd.service) as fix_plan_dropin_keys lists them, daemon-json edits
 * dockerd.live_restore / daemon_json.keys / dockerd.conflicting_options, sysctl the kernel.* value,
 * unit-override takes its item out of unit.binds_to / requires / wants / after (a requirement
 * stays in unit.wants and unit.after) and makes unit_override.* fresh; reload
 * clears unit.need_daemon_reload and unit.changed_on_disk; restart makes ns.dockerd_private follow
 * MountFlags. Then re-runs rules. Refused (a line each in ->refusals) when a daemon.json key
 * is also a dockerd flag, a high finding the plan was meant to fix still fails, or a rule
 * that did not fail before now fails. Returns -ENOMEM-class errors only. */
/* The drop-in keys the simulation follows: what each sets in the facts of the unit whose
 * drop-in it is. prefix is "unit" (the audited unit) or "containerd_unit"; a fact not in the
 * catalog under that prefix is not set. To follow another key: a function and a row in
 * fix-plan.c's table. */
typedef struct FixDropinKey {
        const char *section, *key;
        const char *fact; /* PREFIX.fact holds the value now: its source tells whether a later
                           * drop-in of the unit overrides ours (then nothing changes) */
        int (*apply)(Facts *f, const char *prefix, const char *value, const char *source);
} FixDropinKey;

/* The row for section.key, NULL when no fact follows it. */
const FixDropinKey *fix_plan_dropin_key(const char *section, const char *key);

int fix_plan_simulate(const FixPlan *plan, const RuleSet *rules, const Facts *facts, const Findings *before,
        const char *dropin_path, bool reload, bool restart, FixSimulation *ret);
