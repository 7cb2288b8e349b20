/* SPDX-License-Identifier: MIT */
/* The Prometheus text format (src/report/report-prometheus.c): label escaping, the metric
 * set on a hostile report, waived findings (the report contract), an audit that could not
 * run. node_exporter itself reads the files in tests/cli/test-sarif-prometheus.sh. */
#include "check-run.h"
#include "formats/json-util.h"
#include "report-test-util.h"

static void check_escape(const char *s, const char *want)
{
        _cleanup_free_ char *e = prometheus_escape_label(s);

        ck_assert_ptr_nonnull(e);
        ck_assert_str_eq(e, want);
}

START_TEST(test_escape)
{
        check_escape("docker.service", "docker.service");
        check_escape("a\\b\"c\nd", "a\\\\b\\\"c\\nd");
        check_escape("\033]0;x\007\t\x7f", "\\\\x1b]0;x\\\\x07\\\\x09\\\\x7f");
        check_escape("caf\xc3\xa9", "caf\xc3\xa9");
        check_escape("", "");
        check_escape(NULL, "");
}
END_TEST

static char *metrics_of(json_t *doc)
{
        char *buf = NULL;
        size_t n = 0;
        FILE *f = open_memstream(&buf, &n);

        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(prometheus_from_report_json(doc, 1700000000, f), 0);
        ck_assert_int_eq(fclose(f), 0);
        return buf;
}

static void assert_line(const char *out, const char *line)
{
        _cleanup_free_ char *l = strdupf("\n%s\n", line);

        ck_assert_msg(strstr(out, l), "no line %s in:\n%s", line, out);
}

#define L "unit=\"caf\\\\xe9\\\\xff.service\",scope=\"system\""

START_TEST(test_metrics_hostile)
{
        Hostile h;
        _cleanup_json_ json_t *doc = NULL;
        _cleanup_free_ char *out = NULL;

        hostile_make(&h, false);
        doc = report_to_json(&h.report);
        out = metrics_of(doc);
        assert_printable(out);
        /* The problem as a comment, its control characters as text. */
        ck_assert(startswith(out, "# problem: /etc/\\\\x1b]0;x\\\\x07:1: caf\\\\xe9\\\\xff.service\n"));
        assert_line(out, "# TYPE dockaudit_finding gauge");
        assert_line(out, "dockaudit_finding{" L ",rule=\"hostile\",severity=\"high\",status=\"fail\"} 1");
        assert_line(out, "dockaudit_exit_status{" L "} 2");
        assert_line(out, "dockaudit_problems{" L "} 1");
        assert_line(out, "dockaudit_last_run_timestamp_seconds{" L "} 1700000000");
        assert_line(out, "dockaudit_rules{" L ",status=\"fail\"} 1");
        assert_line(out, "dockaudit_rules{" L ",status=\"skip\"} 1");
        assert_line(out, "dockaudit_rules{" L ",status=\"disabled\"} 1");
        assert_line(out, "dockaudit_rules{" L ",status=\"waived\"} 0");
        assert_line(out, "dockaudit_failures{" L ",severity=\"high\"} 1");
        assert_line(out, "dockaudit_failures{" L ",severity=\"low\"} 0");
        ck_assert(strstr(out, "\ndockaudit_info{" L ",version=\"" PACKAGE_VERSION "\"} 1\n"));
        ck_assert(!strstr(out, "rule=\"skipped\""));
        hostile_done(&h);
}
END_TEST

/* A waived failure: its own status, not counted among the failures; the digest of F1. */
START_TEST(test_metrics_waived)
{
        Hostile h;
        _cleanup_json_ json_t *doc = NULL;
        _cleanup_free_ char *out = NULL;
        json_t *res;
        size_t i;

        hostile_make(&h, false);
        doc = report_to_json(&h.report);
        json_array_foreach(json_object_get(doc, "results"), i, res)
        {
                if (streq(json_string_value(json_object_get(res, "id")), "hostile"))
                        ck_assert_int_eq(json_object_set_new(res, "status", json_string("waived")), 0);
        }
        ck_assert_int_eq(
                json_object_set_new(json_object_get(doc, "tool"), "rules_digest", json_string("ab\"c")), 0);
        out = metrics_of(doc);
        assert_line(out, "dockaudit_finding{" L ",rule=\"hostile\",severity=\"high\",status=\"waived\"} 1");
        assert_line(out, "dockaudit_rules{" L ",status=\"waived\"} 1");
        assert_line(out, "dockaudit_rules{" L ",status=\"fail\"} 0");
        assert_line(out, "dockaudit_failures{" L ",severity=\"high\"} 0");
        assert_line(out, "dockaudit_info{" L ",version=\"" PACKAGE_VERSION "\",rules_digest=\"ab\\\"c\"} 1");
        hostile_done(&h);
}
END_TEST

START_TEST(test_metrics_empty)
{
        Facts none = {};
        Findings nothing = {};
        char *problems[] = {(char *) "no rules found (looked in: /x)", NULL};
        Report r = {.unit = "docker.service",
                .user = true,
                .facts = &none,
                .findings = &nothing,
                .problems = problems,
                .exit_status = 2};
        _cleanup_json_ json_t *doc = report_to_json(&r);
        _cleanup_free_ char *out = metrics_of(doc);

        assert_line(out, "dockaudit_exit_status{unit=\"docker.service\",scope=\"user\"} 2");
        assert_line(out, "dockaudit_problems{unit=\"docker.service\",scope=\"user\"} 1");
        assert_line(out, "dockaudit_rules{unit=\"docker.service\",scope=\"user\",status=\"pass\"} 0");
        assert_line(out, "# TYPE dockaudit_finding gauge");
        ck_assert(!strstr(out, "\ndockaudit_finding{"));
}
END_TEST

int main(void)
{
        Suite *s = suite_create("report-prometheus");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_escape);
        tcase_add_test(tc, test_metrics_hostile);
        tcase_add_test(tc, test_metrics_waived);
        tcase_add_test(tc, test_metrics_empty);
        suite_add_tcase(s, tc);
        return check_run(s);
}
