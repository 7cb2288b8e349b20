/* SPDX-License-Identifier: MIT */
/* The macros and inline helpers of src/basic/util.h. The helpers util.h includes have their
 * own tests: test-strv.c, test-strbuf.c, test-string-util.c, test-parse-util.c,
 * test-fileio.c, test-error-util.c. */
#include <check.h>

#include "check-run.h"

#include "basic/util.h"

START_TEST(test_strings)
{
        static const char *const three[] = {"a", "b", "c"};

        ck_assert_str_eq(startswith("--live-restore", "--"), "live-restore");
        ck_assert_ptr_null(startswith("-H", "--"));
        ck_assert_str_eq(startswith("abc", ""), "abc");
        ck_assert_str_eq(startswith("--", "--"), "");
        ck_assert_ptr_null(startswith("-", "--"));
        ck_assert(streq("a", "a"));
        ck_assert(!streq("a", "ab"));
        ck_assert(streq_ptr(NULL, NULL));
        ck_assert(!streq_ptr("a", NULL));
        ck_assert(!streq_ptr(NULL, "a"));
        ck_assert(streq_ptr("a", "a"));
        ck_assert_str_eq(strempty(NULL), "");
        ck_assert_str_eq(strempty("x"), "x");
        ck_assert_uint_eq(ELEMENTSOF(three), 3);
}
END_TEST

START_TEST(test_take)
{
        struct {
                char *s;
                int n;
        } a = {strdup("x"), 3}, b;
        _cleanup_free_ char *p = strdup("y"), *q = NULL;
        _cleanup_close_ int fd = dup(STDIN_FILENO), fd2 = -1;

        b = TAKE_STRUCT(a);
        ck_assert_ptr_null(a.s);
        ck_assert_int_eq(a.n, 0);
        ck_assert_str_eq(b.s, "x");
        ck_assert_int_eq(b.n, 3);
        free(b.s);
        q = TAKE_PTR(p);
        ck_assert_ptr_null(p);
        ck_assert_str_eq(q, "y");
        ck_assert_int_ge(fd, 0);
        fd2 = TAKE_FD(fd);
        ck_assert_int_eq(fd, -1);
        ck_assert_int_ge(fd2, 0);
}
END_TEST

int main(void)
{
        Suite *s = suite_create("util");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_strings);
        tcase_add_test(tc, test_take);
        suite_add_tcase(s, tc);
        return check_run(s);
}
