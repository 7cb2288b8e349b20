/* SPDX-License-Identifier: MIT */
/* error_setf(), the char **ret_error convention (src/basic/error-util.c). */
#include <check.h>

#include "check-run.h"

#include "basic/error-util.h"
#include "basic/util.h"

START_TEST(test_error_setf)
{
        _cleanup_free_ char *err = NULL;
        const char *p = "/tmp/check-util/f";

        ck_assert_int_eq(error_setf(&err, -EINVAL, "%s:%u: bad", p, 3u), -EINVAL);
        ck_assert(endswith(err, "/f:3: bad"));
        ck_assert_int_eq(error_setf(NULL, -EIO, "ignored"), -EIO);
}
END_TEST

/* A second message replaces the first (valgrind sees the first one freed). */
START_TEST(test_error_setf_replaces)
{
        _cleanup_free_ char *err = NULL;

        ck_assert_int_eq(error_setf(&err, -ENOENT, "first"), -ENOENT);
        ck_assert_str_eq(err, "first");
        ck_assert_int_eq(error_setf(&err, -EBADMSG, "%s", "second"), -EBADMSG);
        ck_assert_str_eq(err, "second");
        ck_assert_int_eq(error_setf(&err, -E2BIG, "%s", ""), -E2BIG);
        ck_assert_str_eq(err, "");
}
END_TEST

int main(void)
{
        Suite *s = suite_create("error-util");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_error_setf);
        tcase_add_test(tc, test_error_setf_replaces);
        suite_add_tcase(s, tc);
        return check_run(s);
}
