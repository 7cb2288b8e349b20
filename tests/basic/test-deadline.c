/* SPDX-License-Identifier: MIT */
/* Deadlines (src/basic/deadline.c): a wait's own budget cut to what is left, never 0, and
 * -ETIMEDOUT once the deadline has passed. */
#include <check.h>

#include "check-run.h"

#include "basic/deadline.h"
#include "basic/util.h"

#define SEC 1000000ULL

START_TEST(test_no_deadline)
{
        uint64_t b = 0;

        ck_assert_int_eq(deadline_budget(0, 5 * SEC, &b), 0);
        ck_assert_uint_eq(b, 5 * SEC);
        /* 0 would mean "the default" to sd-bus: never handed out */
        ck_assert_int_eq(deadline_budget(0, 0, &b), 0);
        ck_assert_uint_eq(b, 1);
        ck_assert(!deadline_reached(0, 10 * SEC));
}
END_TEST

START_TEST(test_cut_to_what_is_left)
{
        uint64_t d = deadline_in(2 * SEC), b = 0;

        ck_assert_int_eq(deadline_budget(d, 5 * SEC, &b), 0);
        ck_assert_uint_le(b, 2 * SEC);
        ck_assert_uint_gt(b, 1 * SEC);
        /* an own budget shorter than what is left stays */
        ck_assert_int_eq(deadline_budget(d, SEC / 10, &b), 0);
        ck_assert_uint_eq(b, SEC / 10);
        ck_assert(!deadline_reached(d, SEC / 2));
        ck_assert(deadline_reached(d, 3 * SEC));
}
END_TEST

START_TEST(test_passed)
{
        uint64_t d = deadline_now_usec() - 1, b = 42;

        ck_assert_int_eq(deadline_budget(d, 5 * SEC, &b), -ETIMEDOUT);
        ck_assert_uint_eq(b, 42);
        ck_assert(deadline_reached(d, 0));
        ck_assert_uint_ge(deadline_in(0), d);
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("deadline");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_no_deadline);
        tcase_add_test(tc, test_cut_to_what_is_left);
        tcase_add_test(tc, test_passed);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
