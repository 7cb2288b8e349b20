/* SPDX-License-Identifier: MIT */
/* libFuzzer target: rule file text -> rule loader (inih underneath, our line checks in
 * front), then the message template and the conditions over an empty fact set. The file
 * is called "fuzz.rule", so inputs with "id = fuzz" get through to the end. */
#include "rules/findings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        _cleanup_free_ char *err = NULL, *msg = NULL;
        _cleanup_rule_ Rule *rule = NULL;
        Facts facts = {};
        Findings findings = {};
        RuleSet set = {};

        if (rule_parse_string("fuzz.rule", (const char *) data, size, &rule, &err) < 0)
                return 0;
        (void) rule_render_template(rule->message, &facts, &msg);
        set.rules = &rule;
        set.n = 1;
        if (findings_evaluate(&set, &facts, &findings) >= 0)
                findings_done(&findings);
        return 0;
}
