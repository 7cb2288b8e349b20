/* SPDX-License-Identifier: MIT */
/* StrBuf, the growable string (src/basic/strbuf.c). */
#include <check.h>

#include "check-run.h"

#include "basic/strbuf.h"
#include "basic/util.h"

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

START_TEST(test_strbuf_append)
{
        _cleanup_sb_ StrBuf b = {};
        _cleanup_free_ char *s = NULL;

        ck_assert_int_eq(sb_append(&b, ""), 0); /* allocates: buf is "" from here on */
        ck_assert_ptr_nonnull(b.buf);
        ck_assert_str_eq(b.buf, "");
        ck_assert_int_eq(sb_append(&b, "ab"), 0);
        ck_assert_int_eq(sb_putc(&b, 'c'), 0);
        ck_assert_int_eq(sb_printf(&b, "%s", ""), 0);
        ck_assert_int_eq(sb_printf(&b, "-%03d-", 7), 0);
        ck_assert_str_eq(b.buf, "abc-007-");
        ck_assert_uint_eq(b.len, 8);
        /* Past the first 64 bytes, across several doublings. */
        for (int i = 0; i < 300; i++)
                ck_assert_int_eq(sb_putc(&b, 'z'), 0);
        ck_assert_uint_eq(b.len, 308);
        ck_assert_uint_eq(strlen(b.buf), 308);
        ck_assert_uint_ge(b.cap, 309);
        s = sb_steal(&b);
        ck_assert_int_eq(s[307], 'z');
        ck_assert_uint_eq(b.len, 0);
        ck_assert_uint_eq(b.cap, 0);
}
END_TEST

START_TEST(test_strbuf_free)
{
        StrBuf b = {};

        sb_free(&b); /* an unused buffer */
        ck_assert_int_eq(sb_append(&b, "x"), 0);
        sb_free(&b);
        ck_assert_ptr_null(b.buf);
        ck_assert_uint_eq(b.len, 0);
        ck_assert_uint_eq(b.cap, 0);
        sb_free(&b); /* twice is fine */
}
END_TEST

int main(void)
{
        Suite *s = suite_create("strbuf");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_strbuf);
        tcase_add_test(tc, test_strbuf_append);
        tcase_add_test(tc, test_strbuf_free);
        suite_add_tcase(s, tc);
        return check_run(s);
}
