/* SPDX-License-Identifier: MIT */
/* Growing arrays (src/basic/alloc-util.c): room kept, doubling, arrays from other allocators. */
#include <check.h>
#include <malloc.h>
#include <stdint.h>

#include "check-run.h"

#include "basic/alloc-util.h"
#include "basic/util.h"

START_TEST(test_greedy_realloc)
{
        _cleanup_free_ int *v = NULL;
        _cleanup_free_ char *c = calloc(3, 1);
        int *before;
        size_t reallocs = 0;

        for (size_t i = 0; i < 10000; i++) {
                before = v;
                ck_assert_ptr_nonnull(greedy_realloc((void **) &v, i + 1, sizeof(int)));
                reallocs += v != before;
                v[i] = (int) i;
        }
        /* doubling: a handful of moves, not one per item */
        ck_assert_uint_le(reallocs, 20);
        ck_assert_int_eq(v[9999], 9999);
        ck_assert_uint_ge(malloc_usable_size(v), 10000 * sizeof(int));
        /* what is already there is kept, whoever allocated it */
        ck_assert_ptr_eq(greedy_realloc((void **) &c, 3, 1), c);
        ck_assert_ptr_nonnull(greedy_realloc((void **) &c, 100, 1));
        ck_assert_uint_ge(malloc_usable_size(c), 100);
        /* overflow: refused, the array left as it was */
        before = v;
        ck_assert_ptr_null(greedy_realloc((void **) &v, SIZE_MAX / 2, sizeof(int)));
        ck_assert_ptr_eq(v, before);
}
END_TEST

int main(void)
{
        Suite *s = suite_create("alloc-util");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_greedy_realloc);
        suite_add_tcase(s, tc);
        return check_run(s);
}
