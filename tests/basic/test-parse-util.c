/* SPDX-License-Identifier: MIT */
/* Number parsing and hex digits (src/basic/parse-util.c). */
#include <check.h>

#include "check-run.h"
#include <limits.h>

#include "basic/parse-util.h"
#include "basic/util.h"

START_TEST(test_numbers)
{
        unsigned long long u;
        long long i;

        ck_assert_int_eq(safe_atou64("262144", &u), 0);
        ck_assert_uint_eq(u, 262144);
        ck_assert_int_eq(safe_atou64("-1", &u), -EINVAL);
        ck_assert_int_eq(safe_atou64("1x", &u), -EINVAL);
        ck_assert_int_eq(safe_atou64("", &u), -EINVAL);
        ck_assert_int_eq(safe_atou64("99999999999999999999999", &u), -ERANGE);
        ck_assert_int_eq(safe_atoi64("-42", &i), 0);
        ck_assert_int_eq(i, -42);
        ck_assert_int_eq(safe_atoi64(" 1", &i), -EINVAL);
}
END_TEST

START_TEST(test_atou64)
{
        unsigned long long u = 7;

        ck_assert_int_eq(safe_atou64("0", &u), 0);
        ck_assert_uint_eq(u, 0);
        ck_assert_int_eq(safe_atou64("007", &u), 0); /* decimal, not octal */
        ck_assert_uint_eq(u, 7);
        ck_assert_int_eq(safe_atou64("18446744073709551615", &u), 0);
        ck_assert(u == ULLONG_MAX);

        /* Failures leave *ret alone. */
        u = 7;
        ck_assert_int_eq(safe_atou64("18446744073709551616", &u), -ERANGE); /* ULLONG_MAX + 1 */
        ck_assert_int_eq(safe_atou64(NULL, &u), -EINVAL);
        ck_assert_int_eq(safe_atou64("+1", &u), -EINVAL);
        ck_assert_int_eq(safe_atou64("-0", &u), -EINVAL);
        ck_assert_int_eq(safe_atou64("-18446744073709551615", &u), -EINVAL); /* strtoull would wrap */
        ck_assert_int_eq(safe_atou64(" 1", &u), -EINVAL);
        ck_assert_int_eq(safe_atou64("   ", &u), -EINVAL);
        ck_assert_int_eq(safe_atou64("1 ", &u), -EINVAL);
        ck_assert_int_eq(safe_atou64("1\n", &u), -EINVAL);
        ck_assert_int_eq(safe_atou64("0x10", &u), -EINVAL);
        ck_assert_int_eq(safe_atou64("1.5", &u), -EINVAL);
        ck_assert_int_eq(safe_atou64("1e3", &u), -EINVAL);
        ck_assert_int_eq(safe_atou64("x", &u), -EINVAL);
        ck_assert_uint_eq(u, 7);
        /* strtoull() would skip the whitespace, then accept and negate the '-' */
        ck_assert_int_eq(safe_atou64("\t-1", &u), -EINVAL);
        ck_assert_int_eq(safe_atou64("\n1", &u), -EINVAL);
        ck_assert_int_eq(safe_atou64("\v1", &u), -EINVAL);
        ck_assert_int_eq(safe_atou64("\f1", &u), -EINVAL);
        ck_assert_uint_eq(u, 7);
}
END_TEST

START_TEST(test_atoi64)
{
        long long i = 7;

        ck_assert_int_eq(safe_atoi64("0", &i), 0);
        ck_assert_int_eq(i, 0);
        ck_assert_int_eq(safe_atoi64("+5", &i), 0); /* a sign is fine for the signed parser */
        ck_assert_int_eq(i, 5);
        ck_assert_int_eq(safe_atoi64("-0", &i), 0);
        ck_assert_int_eq(i, 0);
        ck_assert_int_eq(safe_atoi64("9223372036854775807", &i), 0);
        ck_assert(i == LLONG_MAX);
        ck_assert_int_eq(safe_atoi64("-9223372036854775808", &i), 0);
        ck_assert(i == LLONG_MIN);

        i = 7;
        ck_assert_int_eq(safe_atoi64("9223372036854775808", &i), -ERANGE);
        ck_assert_int_eq(safe_atoi64("-9223372036854775809", &i), -ERANGE);
        ck_assert_int_eq(safe_atoi64("18446744073709551615", &i), -ERANGE);
        ck_assert_int_eq(safe_atoi64(NULL, &i), -EINVAL);
        ck_assert_int_eq(safe_atoi64("", &i), -EINVAL);
        ck_assert_int_eq(safe_atoi64("-", &i), -EINVAL);
        ck_assert_int_eq(safe_atoi64("+", &i), -EINVAL);
        ck_assert_int_eq(safe_atoi64("--1", &i), -EINVAL);
        ck_assert_int_eq(safe_atoi64("\t5", &i), -EINVAL); /* as " 5": not a number */
        ck_assert_int_eq(safe_atoi64("\n-5", &i), -EINVAL);
        ck_assert_int_eq(safe_atoi64("1 ", &i), -EINVAL);
        ck_assert_int_eq(safe_atoi64("12abc", &i), -EINVAL);
        ck_assert_int_eq(safe_atoi64("0x10", &i), -EINVAL);
        ck_assert_int_eq(i, 7);
}
END_TEST

START_TEST(test_unhexchar)
{
        ck_assert_int_eq(unhexchar('0'), 0);
        ck_assert_int_eq(unhexchar('9'), 9);
        ck_assert_int_eq(unhexchar('a'), 10);
        ck_assert_int_eq(unhexchar('f'), 15);
        ck_assert_int_eq(unhexchar('A'), 10);
        ck_assert_int_eq(unhexchar('F'), 15);
        ck_assert_int_eq(unhexchar('g'), -EINVAL);
        ck_assert_int_eq(unhexchar('G'), -EINVAL);
        ck_assert_int_eq(unhexchar('x'), -EINVAL);
        ck_assert_int_eq(unhexchar(' '), -EINVAL);
        ck_assert_int_eq(unhexchar('\0'), -EINVAL);
        ck_assert_int_eq(unhexchar('/'), -EINVAL); /* the neighbours of the ranges */
        ck_assert_int_eq(unhexchar(':'), -EINVAL);
        ck_assert_int_eq(unhexchar('@'), -EINVAL);
        ck_assert_int_eq(unhexchar('`'), -EINVAL);
        ck_assert_int_eq(unhexchar((char) 0xe9), -EINVAL);
}
END_TEST

int main(void)
{
        Suite *s = suite_create("parse-util");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_numbers);
        tcase_add_test(tc, test_atou64);
        tcase_add_test(tc, test_atoi64);
        tcase_add_test(tc, test_unhexchar);
        suite_add_tcase(s, tc);
        return check_run(s);
}
