/* SPDX-License-Identifier: MIT */
/* The text report (src/report/report-text.c): escaped strings, disabled rules, --strict. */
#include "check-run.h"
#include "report-test-util.h"

static int text_plain(const Report *r, FILE *f)
{
        return report_text(r, f, false);
}

/* An ESC]0;...BEL in a unit value reached the terminal; bytes that are not UTF-8 too. */
START_TEST(test_text_escapes)
{
        Hostile h;
        _cleanup_free_ char *out = NULL;

        hostile_make(&h, false);
        out = report_to_string(text_plain, &h.report);
        assert_printable(out);
        ck_assert_msg(
                strstr(out,
                        "unit caf\\xe9\\xff.service runs /usr/bin/dockerd, --label=\\x1b]0;pwned\\x07\\x41"),
                "%s", out);
        ck_assert_ptr_nonnull(strstr(out, "(dbus:\\x1b[2J)"));
        ck_assert_ptr_nonnull(strstr(out, "(/etc/default/\\xfe:1)"));
        ck_assert_ptr_nonnull(strstr(out, "problem: /etc/\\x1b]0;x\\x07:1: caf\\xe9\\xff.service"));
        ck_assert_ptr_nonnull(strstr(out, ", root /tmp/\\xff"));
        hostile_done(&h);
}
END_TEST

/* A rule disabled with a /dev/null symlink is listed with the file, and counted. */
START_TEST(test_text_disabled)
{
        Hostile h;
        _cleanup_free_ char *out = NULL, *line = NULL;

        hostile_make(&h, false);
        out = report_to_string(text_plain, &h.report);
        line = strdupf("  DISABLED  gone: by %s/gone.rule\n", h.dir);
        ck_assert_msg(strstr(out, "\nDISABLED (not evaluated)\n") && strstr(out, line), "%s", out);
        ck_assert_msg(
                strstr(out, "1 failed (1 high, 0 medium, 0 low, 0 info), 0 passed, 1 skipped, 0 errors, "
                            "1 disabled; exit status 2 (--fail-on medium)\n"),
                "%s", out);
        hostile_done(&h);
}
END_TEST

START_TEST(test_text_strict)
{
        Hostile h;
        _cleanup_free_ char *out = NULL;

        hostile_make(&h, true);
        out = report_to_string(text_plain, &h.report);
        ck_assert_msg(
                strstr(out, "problem: rule skipped skipped: docker.live_restore unknown: not collected\n"),
                "%s", out);
        ck_assert_ptr_nonnull(strstr(out, "  SKIP  skipped: "));
        ck_assert_ptr_nonnull(strstr(out, "(--fail-on medium, --strict)\n"));
        hostile_done(&h);
}
END_TEST

int main(void)
{
        Suite *s = suite_create("report-text");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_text_escapes);
        tcase_add_test(tc, test_text_disabled);
        tcase_add_test(tc, test_text_strict);
        suite_add_tcase(s, tc);
        return check_run(s);
}
