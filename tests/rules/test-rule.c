/* SPDX-License-Identifier: MIT */
/* The Rule type (rule.c): the names of severities and fix actions, and its release. */
#include <check.h>

#include "check-run.h"

#include "rules/rules.h"

START_TEST(test_names)
{
        ck_assert_str_eq(severity_to_string(SEVERITY_INFO), "info");
        ck_assert_str_eq(severity_to_string(SEVERITY_HIGH), "high");
        ck_assert_ptr_null(severity_to_string(_SEVERITY_MAX));
        ck_assert_int_eq(severity_from_string("medium"), SEVERITY_MEDIUM);
        ck_assert_int_eq(severity_from_string("low"), SEVERITY_LOW);
        ck_assert_int_eq(severity_from_string("High"), -EINVAL);
        ck_assert_str_eq(fix_action_type_to_string(FIX_ACTION_DROPIN), "dropin");
        ck_assert_str_eq(fix_action_type_to_string(FIX_ACTION_DAEMON_JSON), "daemon-json");
        ck_assert_str_eq(fix_action_type_to_string(FIX_ACTION_SYSCTL), "sysctl");
        ck_assert_ptr_null(fix_action_type_to_string(_FIX_ACTION_MAX));
        ck_assert_ptr_null(rule_free(NULL));
}
END_TEST

static Suite *rule_suite(void)
{
        Suite *s = suite_create("rule");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_names);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(rule_suite());
}
