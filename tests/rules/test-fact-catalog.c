/* SPDX-License-Identifier: MIT */
/* The catalog of known facts and their types (src/rules/fact-catalog.c). */
#include <check.h>

#include "check-run.h"

#include "rules/fact-catalog.h"

START_TEST(test_catalog_sorted_and_typed)
{
        size_t n;
        const FactDef *all = fact_catalog_all(&n);

        ck_assert_uint_gt(n, 20);
        for (size_t i = 1; i < n; i++)
                ck_assert_msg(
                        strcmp(all[i - 1].name, all[i].name) < 0, "catalog not sorted at %s", all[i].name);
        ck_assert_ptr_nonnull(fact_catalog_lookup("unit.mount_flags"));
        ck_assert_int_eq(fact_catalog_lookup("kernel.rhel_build")->type, FACT_VERSION);
        ck_assert_ptr_null(fact_catalog_lookup("unit.mountflags"));
}
END_TEST

int main(void)
{
        Suite *s = suite_create("fact_catalog");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_catalog_sorted_and_typed);
        suite_add_tcase(s, tc);
        return check_run(s);
}
