/* SPDX-License-Identifier: MIT */
/* libFuzzer target: waiver file text -> waiver loader (inih underneath, the rule file
 * reader's line checks in front), loaded twice (the second time every waiver is a
 * duplicate of the first), then applied to a failing finding of a one-rule set and
 * described; the dates and RFC 3339 times on the raw input too. The rule set holds "fuzz",
 * so inputs with "rule = fuzz" get through to the end. */
#include "basic/time-util.h"
#include "rules/waiver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static Rule *fuzz_rule(void)
{
        static const char text[] = "[rule]\nid = fuzz\ntitle = t\nseverity = high\n"
                                   "when = unit.mount_flags == \"slave\"\nmessage = m\n";
        Rule *r = NULL;

        (void) rule_parse_string("fuzz.rule", text, sizeof text - 1, &r, NULL);
        return r;
}

static void apply_all(const WaiverSet *s, const Rule *rule)
{
        const Rule *rules[] = {rule};
        _cleanup_facts_ Facts facts = {};
        _cleanup_free_ const Waiver **stale = NULL;
        Findings fs = {};

        if (facts_set_string(&facts, "unit.mount_flags", "slave", "/etc/x.conf:3") < 0 ||
                findings_evaluate(&(RuleSet){.rules = (Rule **) rules, .n = 1}, &facts, &fs) < 0)
                return;
        (void) waivers_apply(
                s, &fs, &facts, &(WaiverContext){.hostname = "web1", .now = 1798761599}, &stale);
        for (size_t i = 0; i < fs.n; i++)
                if (fs.v[i].waiver)
                        free(waiver_describe(fs.v[i].waiver, fs.v[i].waiver_expired));
        findings_done(&fs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        _cleanup_rule_ Rule *rule = fuzz_rule();
        _cleanup_(waiver_set_done) WaiverSet s = {};
        _cleanup_free_ char *err = NULL, *str = strndup((const char *) data, size);
        int64_t t;

        if (!rule || !str)
                return 0;
        (void) waiver_parse_date(str, &t);
        (void) parse_rfc3339(str, &t);
        if (waiver_parse_string(&s, "/w/fuzz.waiver", (const char *) data, size,
                    &(RuleSet){.rules = &rule, .n = 1}, &err) < 0)
                return 0;
        (void) waiver_parse_string(&s, "/w/again.waiver", (const char *) data, size, NULL, &err);
        apply_all(&s, rule);
        return 0;
}
