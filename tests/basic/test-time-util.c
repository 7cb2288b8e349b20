/* SPDX-License-Identifier: MIT */
/* Dates and RFC 3339 times in UTC (src/basic/time-util.c): offsets east and west, fractions,
 * leap years, and what is refused; the times it writes. */
#include <check.h>

#include "check-run.h"

#include "basic/time-util.h"
#include "basic/util.h"

#define JAN1_2027 1798761600LL /* 2027-01-01T00:00:00Z */

START_TEST(test_rfc3339)
{
        int64_t t;

        ck_assert_int_eq(parse_rfc3339("2026-12-31T23:59:59Z", &t), 0);
        ck_assert_int_eq(t, JAN1_2027 - 1);
        ck_assert_int_eq(parse_rfc3339("2026-12-31T23:59:59.999999Z", &t), 0);
        ck_assert_int_eq(t, JAN1_2027 - 1);
        /* the same instant written in Kiritimati (+14) and Adak (-10 in winter) */
        ck_assert_int_eq(parse_rfc3339("2027-01-01T13:59:59+14:00", &t), 0);
        ck_assert_int_eq(t, JAN1_2027 - 1);
        ck_assert_int_eq(parse_rfc3339("2026-12-31T13:59:59-10:00", &t), 0);
        ck_assert_int_eq(t, JAN1_2027 - 1);
        ck_assert_int_eq(parse_rfc3339("2026-12-31T23:59:59", &t), -EINVAL);
        ck_assert_int_eq(parse_rfc3339("2026-12-31T24:00:00Z", &t), -EINVAL);
        ck_assert_int_eq(parse_rfc3339("2026-12-31T23:59:59+1400", &t), -EINVAL);
        ck_assert_int_eq(parse_rfc3339("2026-12-31", &t), -EINVAL);
}
END_TEST

START_TEST(test_iso_day)
{
        int64_t d;

        ck_assert_int_eq(parse_iso_day("1970-01-01", &d), 0);
        ck_assert_int_eq(d, 0);
        ck_assert_int_eq(parse_iso_day("2027-01-01", &d), 0);
        ck_assert_int_eq(d * 86400, JAN1_2027);
        ck_assert_int_eq(parse_iso_day("2024-02-29", &d), 0); /* leap year */
        ck_assert_int_eq(parse_iso_day("2100-02-29", &d), -EINVAL);
        ck_assert_int_eq(parse_iso_day("2026-00-10", &d), -EINVAL);
        ck_assert_int_eq(parse_iso_day("1969-12-31", &d), -EINVAL);
        /* a space between date and time is not RFC 3339's T */
        ck_assert_int_eq(parse_rfc3339("2026-11-30 10:00:00Z", &d), -EINVAL);
        ck_assert_int_eq(parse_rfc3339("2026-11-30T10:00:00Zjunk", &d), -EINVAL);
}
END_TEST

START_TEST(test_format)
{
        char buf[32];
        int64_t t;

        format_rfc3339(0, buf);
        ck_assert_str_eq(buf, "1970-01-01T00:00:00Z");
        format_rfc3339((time_t) JAN1_2027 - 1, buf);
        ck_assert_str_eq(buf, "2026-12-31T23:59:59Z");
        format_rfc3339((time_t) 1709164800, buf); /* a leap day */
        ck_assert_str_eq(buf, "2024-02-29T00:00:00Z");
        /* UTC whatever TZ says */
        setenv("TZ", "Pacific/Kiritimati", 1);
        tzset();
        format_rfc3339((time_t) JAN1_2027, buf);
        ck_assert_str_eq(buf, "2027-01-01T00:00:00Z");
        unsetenv("TZ");
        tzset();
        /* what it writes, parse_rfc3339 reads back */
        ck_assert_int_eq(parse_rfc3339(buf, &t), 0);
        ck_assert_int_eq(t, JAN1_2027);
        /* a time no struct tm holds (a year beyond int) */
        format_rfc3339((time_t) INT64_MAX, buf);
        ck_assert_str_eq(buf, "@9223372036854775807");
}
END_TEST

int main(void)
{
        Suite *s = suite_create("time-util");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_rfc3339);
        tcase_add_test(tc, test_iso_day);
        tcase_add_test(tc, test_format);
        suite_add_tcase(s, tc);
        return check_run(s);
}
