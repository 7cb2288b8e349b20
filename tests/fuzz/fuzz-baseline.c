/* SPDX-License-Identifier: MIT */
/* The baseline loader (audit --baseline OLD.json: baseline_parse()) on hostile documents. A
 * refused document always says why; what loads holds only failing results with a rule id and
 * a 64-hex-digit fingerprint, and compared with an audit that found nothing, every one of
 * them is resolved. */
#include "report/baseline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        _cleanup_(baseline_done) Baseline b = {};
        _cleanup_(baseline_result_done) BaselineResult res = {};
        _cleanup_free_ char *err = NULL;
        Findings none = {};
        Facts no_facts = {};
        int r;

        if (size > 256 * 1024)
                return 0;
        r = baseline_parse("fuzz.json", (const char *) data, size, &b, &err);
        if (r < 0) {
                if (r != -ENOMEM && (!err || !startswith(err, "fuzz.json")))
                        __builtin_trap(); /* a refused file always says why, naming it */
                return 0;
        }
        for (size_t i = 0; i < b.n; i++)
                if (!b.v[i].rule || strlen(b.v[i].fingerprint) != 64)
                        __builtin_trap();
        if (baseline_compare(&b, &none, &no_facts, "docker.service", false, &res) < 0)
                return 0;
        if (res.n_resolved != b.n || res.n_new != 0)
                __builtin_trap();
        return 0;
}
