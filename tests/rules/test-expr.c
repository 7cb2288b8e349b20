/* SPDX-License-Identifier: MIT */
/* The tree (expr.c): the facts a condition names, and its release. */
#include <check.h>

#include "check-run.h"

#include "basic/util.h"
#include "rules/expr.h"

START_TEST(test_fact_names)
{
        _cleanup_expr_ Expr *e = NULL;
        _cleanup_strv_free_ char **names = NULL;

        ck_assert_int_eq(
                expr_parse("kernel.rhel_build < 693 && (docker.running || kernel.rhel_build > 1) && "
                           "defined(unit.mount_flags) && distro.id in [\"x\", kernel.el] && "
                           "\"a\" in dockerd.flags",
                        &e, NULL),
                0);
        ck_assert_int_eq(expr_fact_names(e, &names), 0);
        ck_assert_uint_eq(strv_length(names), 6);
        ck_assert_str_eq(names[0], "kernel.rhel_build");
        ck_assert_str_eq(names[1], "docker.running");
        ck_assert_str_eq(names[2], "unit.mount_flags");
        ck_assert_str_eq(names[3], "distro.id");
        ck_assert_str_eq(names[4], "kernel.el");
        ck_assert_str_eq(names[5], "dockerd.flags");

        e = expr_free(e);
        names = strv_free(names);
        ck_assert_int_eq(expr_parse("true", &e, NULL), 0);
        ck_assert_int_eq(expr_fact_names(e, &names), 0);
        ck_assert_ptr_nonnull(names);
        ck_assert_uint_eq(strv_length(names), 0);
        ck_assert_ptr_null(expr_free(NULL));
}
END_TEST

static Suite *expr_suite(void)
{
        Suite *s = suite_create("expr");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_fact_names);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(expr_suite());
}
