/* SPDX-License-Identifier: MIT */
/* The JUnit report (src/report/report-junit.c): only characters XML 1.0 can carry, disabled
 * rules as skipped, problems as an error testcase. */
#include "check-run.h"
#include "report-test-util.h"

START_TEST(test_junit_escapes)
{
        Hostile h;
        _cleanup_free_ char *out = NULL;

        hostile_make(&h, false);
        out = report_to_string(report_junit, &h.report);
        assert_printable(out);
        ck_assert_msg(
                strstr(out, "<testsuite name=\"dockaudit caf\\xe9\\xff.service\" tests=\"4\" failures=\"1\" "
                            "errors=\"1\" skipped=\"2\""),
                "%s", out);
        ck_assert_ptr_nonnull(strstr(out, "--label=\\x1b]0;pwned\\x07\\x41"));
        ck_assert_ptr_nonnull(
                strstr(out, "<system-err>/etc/\\x1b]0;x\\x07:1: caf\\xe9\\xff.service</system-err>"));
        hostile_done(&h);
}
END_TEST

START_TEST(test_junit_disabled_and_problems)
{
        Hostile h;
        _cleanup_free_ char *out = NULL, *want = NULL;

        hostile_make(&h, false);
        out = report_to_string(report_junit, &h.report);
        want = strdupf("    <testcase classname=\"dockaudit.disabled\" name=\"gone\">\n"
                       "      <skipped message=\"disabled by %s/gone.rule\"/>\n    </testcase>\n",
                h.dir);
        ck_assert_msg(strstr(out, want), "%s", out);
        ck_assert_ptr_nonnull(strstr(out, "<testcase classname=\"dockaudit\" name=\"audit-complete\">\n"
                                          "      <error message=\"could not audit\">"));
        hostile_done(&h);
}
END_TEST

int main(void)
{
        Suite *s = suite_create("report-junit");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_junit_escapes);
        tcase_add_test(tc, test_junit_disabled_and_problems);
        suite_add_tcase(s, tc);
        return check_run(s);
}
