/* SPDX-License-Identifier: MIT */
/* The Rule type: the names of its severities and fix actions, and its release. */
#include "rules/rules.h"

static const char *const severity_names[_SEVERITY_MAX] = {
        [SEVERITY_INFO] = "info",
        [SEVERITY_LOW] = "low",
        [SEVERITY_MEDIUM] = "medium",
        [SEVERITY_HIGH] = "high",
};

const char *severity_to_string(Severity s)
{
        return s < _SEVERITY_MAX ? severity_names[s] : NULL;
}

int severity_from_string(const char *s)
{
        for (int i = 0; i < _SEVERITY_MAX; i++)
                if (streq(severity_names[i], s))
                        return i;
        return -EINVAL;
}

static const char *const fix_action_names[_FIX_ACTION_MAX] = {
        [FIX_ACTION_DROPIN] = "dropin",
        [FIX_ACTION_DAEMON_JSON] = "daemon-json",
        [FIX_ACTION_SYSCTL] = "sysctl",
        [FIX_ACTION_UNIT_OVERRIDE] = "unit-override",
};

const char *fix_action_type_to_string(FixActionType t)
{
        return t < _FIX_ACTION_MAX ? fix_action_names[t] : NULL;
}

static void fix_action_done(FixAction *a)
{
        free(a->unit);
        free(a->section);
        free(a->key);
        free(a->value);
}

static void rule_fix_done(RuleFix *f)
{
        free(f->name);
        free(f->when_text);
        expr_free(f->when);
        for (size_t i = 0; i < f->n_actions; i++)
                fix_action_done(&f->actions[i]);
        free(f->actions);
        free(f->note);
}

Rule *rule_free(Rule *r)
{
        if (!r)
                return NULL;
        free(r->path);
        free(r->id);
        free(r->title);
        free(r->rationale);
        strv_free(r->references);
        free(r->when_text);
        expr_free(r->when);
        free(r->applies_text);
        expr_free(r->applies);
        free(r->message);
        for (size_t i = 0; i < r->n_fixes; i++)
                rule_fix_done(&r->fixes[i]);
        free(r->fixes);
        free(r);
        return NULL;
}

/* ------------------------------------------------------------------ text values */
