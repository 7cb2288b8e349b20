/* SPDX-License-Identifier: MIT */
/* NULL-terminated string lists (src/basic/strv.c). */
#include <check.h>

#include "check-run.h"

#include "basic/strv.h"
#include "basic/util.h"

START_TEST(test_strv)
{
        _cleanup_strv_free_ char **l = NULL, **c = NULL;
        _cleanup_free_ char *j = NULL;

        ck_assert(strv_isempty(l));
        ck_assert_int_eq(strv_extend(&l, "a"), 0);
        ck_assert_int_eq(strv_consume(&l, strdup("b c")), 0);
        ck_assert_int_eq(strv_length(l), 2);
        ck_assert(strv_contains(l, "b c"));
        ck_assert(!strv_contains(l, "b"));
        c = strv_copy(l);
        ck_assert_ptr_nonnull(c);
        ck_assert_str_eq(c[1], "b c");
        ck_assert_ptr_null(c[2]);
        j = strv_join(l, ", ");
        ck_assert_str_eq(j, "a, b c");
}
END_TEST

/* NULL is the empty list for every function. */
START_TEST(test_strv_null)
{
        _cleanup_strv_free_ char **c = NULL;
        _cleanup_free_ char *j = NULL;
        char *const empty[] = {NULL};

        ck_assert_ptr_null(strv_free(NULL));
        ck_assert_uint_eq(strv_length(NULL), 0);
        ck_assert(!strv_contains(NULL, "a"));
        ck_assert(strv_isempty(empty));
        c = strv_copy(NULL);
        ck_assert_ptr_nonnull(c);
        ck_assert_ptr_null(c[0]);
        j = strv_join(NULL, ",");
        ck_assert_str_eq(j, "");
}
END_TEST

START_TEST(test_strv_edges)
{
        _cleanup_strv_free_ char **l = NULL;
        _cleanup_free_ char *one = NULL, *all = NULL;

        /* A failed strdup() handed to strv_consume() leaves the list as it was. */
        ck_assert_int_eq(strv_consume(&l, NULL), -ENOMEM);
        ck_assert_ptr_null(l);
        ck_assert_int_eq(strv_extend(&l, ""), 0);
        ck_assert(!strv_isempty(l));
        one = strv_join(l, ",");
        ck_assert_str_eq(one, "");
        ck_assert_int_eq(strv_consume(&l, NULL), -ENOMEM);
        ck_assert_uint_eq(strv_length(l), 1);
        for (int i = 0; i < 100; i++)
                ck_assert_int_eq(strv_extend(&l, "x"), 0);
        ck_assert_uint_eq(strv_length(l), 101);
        ck_assert(strv_contains(l, ""));
        all = strv_join(l, "");
        ck_assert_uint_eq(strlen(all), 100);
}
END_TEST

/* Appending many: the length kept by the caller, the room grown by doubling; lists from
 * other allocators (calloc, strv_copy) extend the same way. */
START_TEST(test_strv_consume_at)
{
        _cleanup_strv_free_ char **l = calloc(1, sizeof(char *)), **c = NULL;
        size_t n = 0;
        char buf[16];

        for (int i = 0; i < 5000; i++) {
                snprintf(buf, sizeof buf, "w%d", i);
                ck_assert_int_eq(strv_consume_at(&l, &n, strdup(buf)), 0);
        }
        ck_assert_uint_eq(n, 5000);
        ck_assert_uint_eq(strv_length(l), 5000);
        ck_assert_str_eq(l[4999], "w4999");
        ck_assert_int_eq(strv_consume_at(&l, &n, NULL), -ENOMEM);
        ck_assert_uint_eq(n, 5000);
        c = strv_copy(l);
        ck_assert_int_eq(strv_extend(&c, "last"), 0);
        ck_assert_str_eq(c[5000], "last");
        ck_assert_ptr_null(c[5001]);
}
END_TEST

int main(void)
{
        Suite *s = suite_create("strv");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_strv);
        tcase_add_test(tc, test_strv_null);
        tcase_add_test(tc, test_strv_edges);
        tcase_add_test(tc, test_strv_consume_at);
        suite_add_tcase(s, tc);
        return check_run(s);
}
