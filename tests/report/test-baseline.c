/* SPDX-License-Identifier: MIT */
/* Baselines (src/report/baseline.c): loading an earlier JSON report, refusing what is not one
 * (naming the file, and line:column for JSON errors), and marking findings new, unchanged and
 * resolved by fingerprint. */
#include "check-run.h"
#include "report/baseline.h"
#include "report/fingerprint.h"
#include "test-util.h"

#define OK(x) ck_assert_int_eq((x), 0)
#define FP_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

static int parse(const char *text, Baseline *b, char **err)
{
        return baseline_parse("old.json", text, strlen(text), b, err);
}

START_TEST(test_baseline_load)
{
        _cleanup_(baseline_done) Baseline b = {};
        _cleanup_free_ char *err = NULL;

        OK(parse("{\"schema\":\"dockaudit-report/1\",\"results\":["
                 "{\"id\":\"a\",\"status\":\"fail\",\"fingerprint\":\"" FP_A "\"},"
                 "{\"id\":\"b\",\"status\":\"pass\"},"
                 "{\"id\":\"c\",\"status\":\"waived\",\"fingerprint\":\"" FP_A "\"},"
                 "{\"id\":\"d\",\"status\":\"disabled\",\"reason\":\"x\"}],\"problems\":[]}",
                &b, &err));
        ck_assert_uint_eq(b.n, 2);
        ck_assert_str_eq(b.v[0].rule, "a");
        baseline_done(&b);
        /* a report that passed through jq 1.6: INT64_MAX ("infinity") rounded in floating point */
        OK(parse("{\"schema\":\"dockaudit-report/1\",\"facts\":{\"unit.limit_nofile\":{\"value\":"
                 "9223372036854776000}},\"results\":[{\"id\":\"a\",\"status\":\"fail\",\"fingerprint\":"
                 "\"" FP_A "\"}],\"problems\":[]}",
                &b, &err));
        ck_assert_uint_eq(b.n, 1);
        baseline_done(&b);
        OK(parse("{\"schema\":\"dockaudit-report/1\",\"results\":["
                 "{\"id\":\"a\",\"status\":\"fail\",\"fingerprint\":\"" FP_A "\"},"
                 "{\"id\":\"b\",\"status\":\"pass\"},"
                 "{\"id\":\"c\",\"status\":\"waived\",\"fingerprint\":\"" FP_A "\"},"
                 "{\"id\":\"d\",\"status\":\"disabled\",\"reason\":\"x\"}],\"problems\":[]}",
                &b, &err));
        ck_assert_str_eq(b.v[0].rule, "a");
        ck_assert_str_eq(b.v[1].rule, "c");
        ck_assert_str_eq(b.v[0].fingerprint, FP_A);
        ck_assert_str_eq(b.file, "old.json");
}
END_TEST

START_TEST(test_baseline_refused)
{
        static const struct {
                const char *text, *error;
        } cases[] = {
                {"{\"schema\":", "old.json:1:"},
                {"", "old.json:1:0: "},
                {"[]", "old.json: not a dockaudit JSON report"},
                {"{\"schema\":\"dockaudit-facts/1\",\"facts\":{}}", "old.json: not a dockaudit JSON report"},
                {"{\"schema\":\"dockaudit-report/1\"}", "old.json: \"results\" must be an array"},
                {"{\"schema\":\"dockaudit-report/1\",\"results\":[1]}",
                        "old.json: results[0] is an integer"},
                {"{\"schema\":\"dockaudit-report/1\",\"results\":[{\"id\":\"a\"}]}",
                        "old.json: results[0] needs"},
                {"{\"schema\":\"dockaudit-report/1\",\"results\":[{\"id\":\"a\",\"status\":\"fail\"}]}",
                        "old.json: results[0] (a) has no \"fingerprint\""},
                {"{\"schema\":\"dockaudit-report/1\",\"results\":[{\"id\":\"a\",\"status\":\"fail\","
                 "\"fingerprint\":\"AB\"}]}",
                        "old.json: results[0] (a) has no \"fingerprint\""},
                {"{\"schema\":\"dockaudit-report/1\",\"results\":[],\"problems\":[\"no rules\"]}",
                        "old.json: the audit it reports could not run"},
                {"{\"schema\":\"dockaudit-report/1\",\"schema\":\"x\",\"results\":[]}", "old.json:1:"},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_(baseline_done) Baseline b = {};
                _cleanup_free_ char *err = NULL;

                ck_assert_int_eq(parse(cases[i].text, &b, &err), -EINVAL);
                ck_assert_msg(err && startswith(err, cases[i].error), "case %zu: '%s'", i, strempty(err));
        }
}
END_TEST

START_TEST(test_baseline_load_file)
{
        char dir[64];
        _cleanup_free_ char *p = NULL, *err = NULL;
        Baseline b = {};

        tmpdir_make(dir, sizeof dir, "baseline");
        p = path_in(dir, "missing.json");
        ck_assert_int_eq(baseline_load(p, &b, &err), -ENOENT);
        ck_assert(startswith(err, p));
        free(err);
        err = NULL;
        /* A FIFO is refused, never opened and waited on. */
        ck_assert_int_eq(mkfifo(p, 0600), 0);
        ck_assert_int_lt(baseline_load(p, &b, &err), 0);
        ck_assert(startswith(err, p));
        ck_assert_int_eq(rm_rf(dir), 0);
}
END_TEST

/* Three rules: "slave" and "lr" fail, "ok" passes; OLD had "slave" (same file) and "gone". */
START_TEST(test_baseline_compare)
{
        static const char slave[] = "[rule]\nid = slave\ntitle = t\nseverity = high\n"
                                    "when = unit.mount_flags == \"slave\"\nmessage = m\n",
                          lr[] = "[rule]\nid = lr\ntitle = t\nseverity = low\nwhen = dockerd.live_restore\n"
                                 "message = m\n",
                          ok[] = "[rule]\nid = ok\ntitle = t\nseverity = high\nwhen = false\nmessage = m\n";
        _cleanup_facts_ Facts f = {};
        _cleanup_(findings_done) Findings fs = {};
        _cleanup_(baseline_done) Baseline old = {};
        _cleanup_(baseline_result_done) BaselineResult res = {};
        _cleanup_free_ char *err = NULL, *doc = NULL;
        char fp_slave[SHA256_HEX_SIZE];
        Rule *rules[3] = {};
        RuleSet set = {.rules = rules, .n = 3};

        OK(rule_parse_string("/x/lr.rule", lr, sizeof lr - 1, &rules[0], &err));
        OK(rule_parse_string("/x/ok.rule", ok, sizeof ok - 1, &rules[1], &err));
        OK(rule_parse_string("/x/slave.rule", slave, sizeof slave - 1, &rules[2], &err));
        OK(facts_set_string(&f, "unit.mount_flags", "slave", "/etc/x.conf:2"));
        OK(facts_set_bool(&f, "dockerd.live_restore", true, "/etc/docker/daemon.json:1"));
        OK(findings_evaluate(&set, &f, &fs));
        ck_assert_int_eq(fs.v[2].status, FINDING_FAIL);
        OK(finding_fingerprint(&fs.v[2], &f, "docker.service", false, fp_slave));

        doc = strdupf("{\"schema\":\"dockaudit-report/1\",\"results\":["
                      "{\"id\":\"slave\",\"status\":\"fail\",\"fingerprint\":\"%s\"},"
                      "{\"id\":\"gone\",\"status\":\"fail\",\"fingerprint\":\"" FP_A "\"}]}",
                fp_slave);
        OK(parse(doc, &old, &err));
        OK(baseline_compare(&old, &fs, &f, "docker.service", false, &res));
        ck_assert_int_eq(res.marks[0], BASELINE_NEW); /* lr */
        ck_assert_int_eq(res.marks[1], BASELINE_NONE); /* ok passes */
        ck_assert_int_eq(res.marks[2], BASELINE_UNCHANGED);
        ck_assert_uint_eq(res.n_new, 1);
        ck_assert_uint_eq(res.n_resolved, 1);
        ck_assert_str_eq(res.resolved[0].rule, "gone");
        ck_assert_str_eq(res.resolved[0].status, "absent");
        /* --fail-on-new counts the new failure at or above --fail-on only. */
        ck_assert_uint_eq(baseline_count_new(&res, &fs, SEVERITY_LOW), 1);
        ck_assert_uint_eq(baseline_count_new(&res, &fs, SEVERITY_MEDIUM), 0);
        baseline_result_done(&res);

        /* The same audit for the user manager: another unit's findings, all new; OLD's resolved,
         * "slave" with the status it has now. */
        OK(baseline_compare(&old, &fs, &f, "docker.service", true, &res));
        ck_assert_uint_eq(res.n_new, 2);
        ck_assert_uint_eq(res.n_resolved, 2);
        ck_assert_str_eq(res.resolved[0].status, "fail");
        for (size_t i = 0; i < ELEMENTSOF(rules); i++)
                rule_free(rules[i]);
}
END_TEST

int main(void)
{
        Suite *s = suite_create("baseline");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_baseline_load);
        tcase_add_test(tc, test_baseline_refused);
        tcase_add_test(tc, test_baseline_load_file);
        tcase_add_test(tc, test_baseline_compare);
        suite_add_tcase(s, tc);
        return check_run(s);
}
