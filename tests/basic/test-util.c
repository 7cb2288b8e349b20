/* SPDX-License-Identifier: MIT */
/* String lists, buffers, whole-file reads, number parsing (src/basic/util.c). */
#include <check.h>

#include "check-run.h"
#include <fcntl.h>
#include <sys/stat.h>

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

START_TEST(test_strbuf)
{
        _cleanup_sb_ StrBuf b = {};
        _cleanup_free_ char *s = NULL, *e = NULL;

        for (int i = 0; i < 1000; i++)
                ck_assert_int_eq(sb_printf(&b, "%d,", i % 10), 0);
        ck_assert_uint_eq(b.len, 2000);
        ck_assert_int_eq(sb_append_len(&b, "x\0y", 3), 0);
        ck_assert_uint_eq(b.len, 2003);
        s = sb_steal(&b);
        ck_assert_int_eq(memcmp(s + 2000, "x\0y", 4), 0);
        ck_assert_ptr_null(b.buf);
        e = sb_steal(&b); /* an empty buffer gives "", not NULL */
        ck_assert_str_eq(e, "");
}
END_TEST

START_TEST(test_strings)
{
        char buf[] = " \t a b \r\n";

        ck_assert(endswith("docker.service", ".service"));
        ck_assert(!endswith("e", ".service"));
        ck_assert_str_eq(startswith("--live-restore", "--"), "live-restore");
        ck_assert_ptr_null(startswith("-H", "--"));
        ck_assert_str_eq(strstrip(buf), "a b");
        ck_assert(streq_ptr(NULL, NULL));
        ck_assert(!streq_ptr("a", NULL));
}
END_TEST

START_TEST(test_utf8)
{
        ck_assert(utf8_is_valid_n("h\xc3\xa9llo", 6));
        ck_assert(!utf8_is_valid_n("caf\xe9", 4)); /* Latin-1 */
        ck_assert(!utf8_is_valid_n("\xc0\xaf", 2)); /* overlong '/' */
        ck_assert(!utf8_is_valid_n("\xed\xa0\x80", 3)); /* surrogate */
        ck_assert(!utf8_is_valid_n("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
        ck_assert(!utf8_is_valid_n("\xe2\x82", 2)); /* truncated */
        ck_assert(utf8_is_valid_n("\xf0\x9f\x90\xb3", 4)); /* whale */
}
END_TEST

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

START_TEST(test_files)
{
        char dir[] = "/tmp/check-util.XXXXXX";
        _cleanup_free_ char *p = NULL, *s = NULL, *err = NULL, *line = NULL;
        size_t n;
        FILE *f;

        ck_assert_ptr_nonnull(mkdtemp(dir));
        p = strdupf("%s/f", dir);
        ck_assert_int_eq(read_full_file(p, &s, &n), -ENOENT);
        ck_assert_int_eq(read_full_file(dir, &s, &n), -EISDIR);
        f = fopen(p, "w");
        fputs("1\nsecond\n", f);
        fclose(f);
        ck_assert_int_eq(read_full_file(p, &s, &n), 0);
        ck_assert_uint_eq(n, 9);
        ck_assert_str_eq(s, "1\nsecond\n");
        ck_assert_int_eq(read_one_line_file(p, &line), 0);
        ck_assert_str_eq(line, "1");
        ck_assert_int_eq(error_setf(&err, -EINVAL, "%s:%u: bad", p, 3u), -EINVAL);
        ck_assert(endswith(err, "/f:3: bad"));
        ck_assert_int_eq(error_setf(NULL, -EIO, "ignored"), -EIO);
        unlink(p);
        rmdir(dir);
}
END_TEST

START_TEST(test_take)
{
        struct {
                char *s;
                int n;
        } a = {strdup("x"), 3}, b;
        _cleanup_free_ char *p = strdup("y"), *q = NULL;

        b = TAKE_STRUCT(a);
        ck_assert_ptr_null(a.s);
        ck_assert_int_eq(a.n, 0);
        ck_assert_str_eq(b.s, "x");
        ck_assert_int_eq(b.n, 3);
        free(b.s);
        q = TAKE_PTR(p);
        ck_assert_ptr_null(p);
        ck_assert_str_eq(q, "y");
}
END_TEST

int main(void)
{
        Suite *s = suite_create("util");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_strv);
        tcase_add_test(tc, test_strbuf);
        tcase_add_test(tc, test_strings);
        tcase_add_test(tc, test_utf8);
        tcase_add_test(tc, test_numbers);
        tcase_add_test(tc, test_files);
        tcase_add_test(tc, test_take);
        suite_add_tcase(s, tc);
        return check_run(s);
}
