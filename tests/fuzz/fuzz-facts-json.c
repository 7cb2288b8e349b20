/* SPDX-License-Identifier: MIT */
/* The facts loader (audit --facts FILE: facts_load_json_file()) on hostile documents. What
 * loads must survive a round trip through facts_to_json() unchanged (dockaudit reads its own
 * output back), and the shipped rules are evaluated on it: facts of any value, known or not. */
#include "rules/facts-json.h"
#include "rules/findings.h"

#include "formats/json-util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[] = "/tmp/fuzz-facts-json.XXXXXX";
static RuleSet rules;

static int write_file(const char *p, const void *buf, size_t n)
{
        FILE *f = fopen(p, "we");
        bool ok;

        if (!f)
                return -errno;
        ok = fwrite(buf, 1, n, f) == n;
        return fclose(f) == 0 && ok ? 0 : -EIO;
}

/* {"schema":"dockaudit-facts/1","facts":...} of f, loaded back. */
static void round_trip(const Facts *f)
{
        _cleanup_json_ json_t *j = facts_to_json(f), *doc = NULL, *j2 = NULL;
        _cleanup_facts_ Facts back = {};
        _cleanup_free_ char *text = NULL, *err = NULL;

        if (!j)
                return;
        doc = json_pack("{s:s,s:O}", "schema", "dockaudit-facts/1", "facts", j);
        text = doc ? json_dumps(doc, JSON_PRESERVE_ORDER) : NULL;
        if (!text || write_file(path, text, strlen(text)) < 0)
                return;
        if (facts_load_json_file(path, &back, &err) < 0) {
                fprintf(stderr, "own output refused: %s\n%s\n", err ? err : "", text);
                __builtin_trap();
        }
        j2 = facts_to_json(&back);
        if (j2 && !json_equal(j, j2))
                __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static bool ready;
        _cleanup_facts_ Facts f = {};
        _cleanup_free_ char *err = NULL;
        Findings found = {};
        int r;

        if (!ready) {
                char *const dirs[] = {(char *) SRC_RULESDIR, NULL};
                _cleanup_free_ char *e = NULL;
                int fd = mkstemp(path);

                if (fd < 0 || rule_set_load(&rules, dirs, &e) < 0 || rules.n == 0)
                        __builtin_trap();
                close(fd);
                ready = true;
        }
        if (size > 256 * 1024 || write_file(path, data, size) < 0)
                return 0;
        r = facts_load_json_file(path, &f, &err);
        if (r < 0) {
                if (r != -ENOMEM && !err)
                        __builtin_trap(); /* a refused file always says why */
                return 0;
        }
        round_trip(&f);
        if (findings_evaluate(&rules, &f, &found) >= 0)
                findings_done(&found);
        return 0;
}
