/* SPDX-License-Identifier: MIT */
/* Running a rule set over facts: one finding per rule. */
#include "rules/findings.h"

static const char *const status_names[_FINDING_STATUS_MAX] = {
        [FINDING_PASS] = "pass",
        [FINDING_FAIL] = "fail",
        [FINDING_SKIP] = "skip",
        [FINDING_ERROR] = "error",
        [FINDING_WAIVED] = "waived",
};

const char *finding_status_to_string(FindingStatus s)
{
        return s < _FINDING_STATUS_MAX ? status_names[s] : NULL;
}

static void finding_done(Finding *f)
{
        free(f->message);
        free(f->reason);
        strv_free(f->evidence);
}

/* The first fix whose "when" holds; an unknown "when" is not a yes: guessing a fix is worse
 * than offering none. A choose-only fix is never picked here: only a person picks it. */
static int pick_fix(const Rule *rule, const Facts *facts, const RuleFix **ret)
{
        *ret = NULL;
        for (size_t i = 0; i < rule->n_fixes; i++) {
                const RuleFix *fix = &rule->fixes[i];
                Tri t = TRI_TRUE;

                if (fix->choose_only)
                        continue;
                if (fix->when) {
                        int r = expr_eval(fix->when, facts, &t, NULL);
                        if (r < 0)
                                return r;
                }
                if (t == TRI_TRUE) {
                        *ret = fix;
                        return 0;
                }
        }
        return 0;
}

/* "not applicable: COND is false (FACT: SOURCE; ...)": the sources say why. */
static int applies_reason(const Rule *rule, const Facts *facts, char **ret)
{
        _cleanup_strv_free_ char **names = NULL;
        _cleanup_free_ char *why = strdup("");
        int r = expr_fact_names(rule->applies, &names);

        if (r < 0 || !why)
                return -ENOMEM;
        for (char **n = names; n && *n; n++) {
                const Fact *x = facts_get(facts, *n);
                char *s;

                if (!x || !x->source)
                        continue;
                if (!(s = strdupf("%s%s%s: %s", why, *why ? "; " : "", *n, x->source)))
                        return -ENOMEM;
                free(why);
                why = s;
        }
        *ret = *why ? strdupf("not applicable: %s is false (%s)", rule->applies_text, why)
                    : strdupf("not applicable: %s is false", rule->applies_text);
        return *ret ? 0 : -ENOMEM;
}

/* The rule's "applies": 1 it applies (go on), 0 the finding is decided (a skip), -ENOMEM. Not
 * applying is a skip that says so; an unknown "applies" is an ordinary skip: whether the rule
 * matters here is not known. */
static int evaluate_applies(const Rule *rule, const Facts *facts, Finding *f)
{
        _cleanup_free_ char *reason = NULL;
        Tri t = TRI_UNKNOWN;
        int r;

        if (!rule->applies)
                return 1;
        r = expr_eval(rule->applies, facts, &t, &reason);
        if (r == -ENOMEM)
                return r;
        if (r >= 0 && t == TRI_TRUE)
                return 1;
        f->status = FINDING_SKIP;
        f->not_applicable = r >= 0 && t == TRI_FALSE;
        if (f->not_applicable)
                return applies_reason(rule, facts, &f->reason);
        f->reason = reason ? TAKE_PTR(reason) : strdup("whether the rule applies is not known");
        return f->reason ? 0 : -ENOMEM;
}

static int evaluate_one(const Rule *rule, const Facts *facts, Finding *f)
{
        _cleanup_free_ char *reason = NULL;
        Tri t = TRI_UNKNOWN;
        int r;

        *f = (Finding){.rule = rule};

        if (!rule->when) {
                f->status = FINDING_ERROR;
                f->reason = strdup("the rule has no condition");
                return f->reason ? 0 : -ENOMEM;
        }
        r = expr_fact_names(rule->when, &f->evidence);
        if (r < 0)
                return r;
        r = evaluate_applies(rule, facts, f);
        if (r <= 0)
                return r;

        r = expr_eval(rule->when, facts, &t, &reason);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                f->status = FINDING_ERROR;
                f->reason = strdupf("evaluating the condition failed: %s", strerror(-r));
                return f->reason ? 0 : -ENOMEM;
        }

        switch (t) {
        case TRI_FALSE:
                f->status = FINDING_PASS;
                return 0;
        case TRI_UNKNOWN:
                f->status = FINDING_SKIP;
                f->reason = reason ? TAKE_PTR(reason) : strdup("the condition depends on an unknown fact");
                return f->reason ? 0 : -ENOMEM;
        case TRI_TRUE:
                break;
        }

        r = rule_render_template(rule->message, facts, &f->message);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                f->status = FINDING_ERROR;
                f->reason = strdup("the message template is malformed");
                return f->reason ? 0 : -ENOMEM;
        }
        r = pick_fix(rule, facts, &f->fix);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                free(f->message);
                f->message = NULL;
                f->status = FINDING_ERROR;
                f->reason = strdupf("evaluating a fix condition failed: %s", strerror(-r));
                return f->reason ? 0 : -ENOMEM;
        }
        f->status = FINDING_FAIL;
        return 0;
}

int findings_evaluate(const RuleSet *rules, const Facts *facts, Findings *ret)
{
        Findings out = {};

        out.v = calloc(rules->n ? rules->n : 1, sizeof(Finding));
        if (!out.v)
                return -ENOMEM;
        for (size_t i = 0; i < rules->n; i++) {
                int r = evaluate_one(rules->rules[i], facts, &out.v[out.n]);

                out.n++;
                if (r < 0) {
                        findings_done(&out);
                        return r;
                }
        }
        *ret = out;
        return 0;
}

void findings_done(Findings *f)
{
        for (size_t i = 0; i < f->n; i++)
                finding_done(&f->v[i]);
        free(f->v);
        *f = (Findings){};
}

size_t findings_count_failed(const Findings *f, Severity min)
{
        size_t n = 0;

        for (size_t i = 0; i < f->n; i++)
                if (f->v[i].status == FINDING_FAIL && f->v[i].rule->severity >= min)
                        n++;
        return n;
}

const Finding *findings_find(const Findings *fs, const Rule *rule)
{
        for (size_t i = 0; i < fs->n; i++)
                if (fs->v[i].rule == rule)
                        return &fs->v[i];
        return NULL;
}
