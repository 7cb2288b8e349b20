/* SPDX-License-Identifier: MIT */
/* extract_first_word() and cunescape_one() against systemd-reference.md 1.6 (systemd 252). */
#include <check.h>

#include "check-run.h"

#include "systemd/extract-word.h"

/* Splits all of s; returns the number of words or the negative error. */
static int split(const char *s, ExtractFlags flags, char ***ret)
{
        const char *p = s;
        char **l = NULL;
        int r;

        for (;;) {
                char *w;

                r = extract_first_word(&p, &w, flags);
                if (r < 0) {
                        strv_free(l);
                        *ret = NULL;
                        return r;
                }
                if (r == 0)
                        break;
                ck_assert_int_eq(strv_consume(&l, w), 0);
        }
        ck_assert_ptr_nonnull(p);
        ck_assert_int_eq(*p, '\0');
        *ret = l;
        return (int) strv_length(l);
}

/* Expects exactly one word equal to (want, want_len) (may hold raw bytes). */
static void one_word(const char *s, ExtractFlags flags, const char *want, size_t want_len)
{
        _cleanup_strv_free_ char **l = NULL;

        ck_assert_msg(split(s, flags, &l) == 1, "input %s", s);
        ck_assert_uint_eq(strlen(l[0]), want_len);
        ck_assert_msg(memcmp(l[0], want, want_len) == 0, "input %s gave %s", s, l[0]);
}

static void fails(const char *s, ExtractFlags flags)
{
        _cleanup_strv_free_ char **l = NULL;

        ck_assert_msg(split(s, flags, &l) == -EINVAL, "input %s should fail", s);
}

#define ONE(s, f, want) one_word(s, f, want, sizeof(want) - 1)

START_TEST(test_whitespace)
{
        _cleanup_strv_free_ char **l = NULL;

        ck_assert_int_eq(split("  a \t b\n\rc  ", 0, &l), 3);
        ck_assert_str_eq(l[0], "a");
        ck_assert_str_eq(l[1], "b");
        ck_assert_str_eq(l[2], "c");
        strv_free(l);
        ck_assert_int_eq(split("", 0, &l), 0);
        ck_assert_int_eq(split(" \t ", 0, &l), 0);
}
END_TEST

START_TEST(test_end_and_null)
{
        const char *p = "a  ", *q = NULL;
        char *w;

        ck_assert_int_eq(extract_first_word(&p, &w, 0), 1);
        ck_assert_str_eq(w, "a");
        free(w);
        /* The whitespace after a word is consumed with it. */
        ck_assert_int_eq(*p, '\0');
        ck_assert_int_eq(extract_first_word(&p, &w, 0), 0);
        ck_assert_ptr_null(w);
        ck_assert_int_eq(extract_first_word(&q, &w, 0), 0);
        ck_assert_ptr_null(w);

        p = "a\tb";
        ck_assert_int_eq(extract_first_word(&p, &w, 0), 1);
        free(w);
        ck_assert_str_eq(p, "b");
}
END_TEST

START_TEST(test_quotes)
{
        _cleanup_strv_free_ char **l = NULL;

        /* Quotes group and are removed; they may open mid-word and pieces join. */
        ck_assert_int_eq(split("a\"b c\"d 'e f' \"\" ''x", 0, &l), 4);
        ck_assert_str_eq(l[0], "ab cd");
        ck_assert_str_eq(l[1], "e f");
        ck_assert_str_eq(l[2], "");
        ck_assert_str_eq(l[3], "x");
        ONE("DOCKER_OPTS=\"--a --b\"", 0, "DOCKER_OPTS=--a --b");
        /* The other quote character is literal inside quotes. */
        ONE("\"it's\"", 0, "it's");
        ONE("'say \"hi\"'", 0, "say \"hi\"");
        /* A backslash escapes inside either quote (C-like, not shell-like). */
        ONE("'a\\tb'", 0, "a\tb");
        ONE("\"a\\\"b\"", 0, "a\"b");
        ONE("'a\\'b'", 0, "a'b");
        /* Unbalanced quotes fail, with or without relaxed escapes. */
        fails("\"abc", 0);
        fails("a 'b", EXTRACT_RELAX_UNKNOWN_ESCAPES);
        fails("\"abc\\", EXTRACT_RELAX_UNKNOWN_ESCAPES);
}
END_TEST

START_TEST(test_escapes)
{
        ONE("\\a\\b\\f\\n\\r\\t\\v", 0, "\a\b\f\n\r\t\v");
        ONE("\\\\\\\"\\'", 0, "\\\"'");
        ONE("a\\sb", 0, "a b");
        /* \xHH is a raw byte, not UTF-8 encoded. */
        ONE("g\\x41", 0, "gA");
        ONE("\\xff", 0, "\xff");
        /* \NNN: exactly three octal digits, value <= 255, raw byte. */
        ONE("\\101", 0, "A");
        ONE("\\377", 0, "\xff");
        fails("\\400", 0);
        fails("\\18", 0);
        fails("\\1", 0);
        /* \u and \U are UTF-8 encoded. */
        ONE("\\u00e9", 0, "\xc3\xa9");
        ONE("\\u20AC", 0, "\xe2\x82\xac");
        ONE("\\U0001F600", 0, "\xf0\x9f\x98\x80");
        /* \u does not check surrogates, \U rejects invalid code points. */
        ONE("\\uD800", 0, "\xed\xa0\x80");
        fails("\\U0000D800", 0);
        fails("\\U00110000", 0);
        fails("\\u12", 0);
        fails("\\xg1", 0);
        /* Anything decoding to NUL is rejected. */
        fails("\\x00", 0);
        fails("\\000", 0);
        fails("\\u0000", 0);
        fails("\\U00000000", 0);
}
END_TEST

START_TEST(test_unknown_escapes)
{
        _cleanup_strv_free_ char **l = NULL;

        /* Strict (Environment=): an error. */
        fails("\\d", 0);
        fails("a\\;", 0);
        fails("a\\ b", 0);
        fails("abc\\", 0);
        /* Relaxed (ExecStart=): kept as written. */
        ONE("\\d", EXTRACT_RELAX_UNKNOWN_ESCAPES, "\\d");
        ONE("h\\;", EXTRACT_RELAX_UNKNOWN_ESCAPES, "h\\;");
        ONE("\"h\\;\"", EXTRACT_RELAX_UNKNOWN_ESCAPES, "h\\;");
        ONE("\\$MAINPID", EXTRACT_RELAX_UNKNOWN_ESCAPES, "\\$MAINPID");
        /* "\ " is an unknown escape too: the space is kept inside the word. */
        ONE("a\\ b", EXTRACT_RELAX_UNKNOWN_ESCAPES, "a\\ b");
        /* A lone trailing backslash stays (outside quotes). */
        ONE("abc\\", EXTRACT_RELAX_UNKNOWN_ESCAPES, "abc\\");
        /* NUL-decoding escapes are kept verbatim when relaxed (systemd-analyze: "\x00" warns). */
        ONE("a\\x00b", EXTRACT_RELAX_UNKNOWN_ESCAPES, "a\\x00b");
        ONE("\\x4", EXTRACT_RELAX_UNKNOWN_ESCAPES, "\\x4");
        ck_assert_int_eq(split("\\d \\x41", EXTRACT_RELAX_UNKNOWN_ESCAPES, &l), 2);
        ck_assert_str_eq(l[0], "\\d");
        ck_assert_str_eq(l[1], "A");
}
END_TEST

START_TEST(test_relax_no_cunescape)
{
        const ExtractFlags f = EXTRACT_RELAX | EXTRACT_NO_CUNESCAPE;
        _cleanup_strv_free_ char **l = NULL;

        /* The mode systemd splits $VAR values with at exec time. */
        ck_assert_int_eq(split("--dns 8.8.8.8 --label 'a b'", f, &l), 4);
        ck_assert_str_eq(l[3], "a b");
        ONE("a\\ b", f, "a b");
        ONE("\\x41", f, "x41");
        ONE("'a b", f, "a b");
        ONE("x\\", f, "x");
        ONE("\"a\\\"b\"", f, "a\"b");
}
END_TEST

START_TEST(test_cunescape_one)
{
        _cleanup_sb_ StrBuf b = {};

        ck_assert_int_eq(cunescape_one("x41zz", 5, &b), 3);
        ck_assert_int_eq(cunescape_one("n", 1, &b), 1);
        ck_assert_int_eq(cunescape_one("101", 3, &b), 3);
        ck_assert_int_eq(cunescape_one("u00e9", 5, &b), 5);
        ck_assert_int_eq(cunescape_one("U0001F600", 9, &b), 9);
        ck_assert_str_eq(b.buf, "A\nA\xc3\xa9\xf0\x9f\x98\x80");
        /* The length limit is honoured. */
        ck_assert_int_eq(cunescape_one("x41", 2, &b), -EINVAL);
        ck_assert_int_eq(cunescape_one("u00e9", 4, &b), -EINVAL);
        ck_assert_int_eq(cunescape_one("", 0, &b), -EINVAL);
        ck_assert_int_eq(cunescape_one("q", 1, &b), -EINVAL);
        ck_assert_int_eq(cunescape_one("x00", 3, &b), -EINVAL);
        ck_assert_uint_eq(b.len, 9);
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("extract_word");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_whitespace);
        tcase_add_test(tc, test_end_and_null);
        tcase_add_test(tc, test_quotes);
        tcase_add_test(tc, test_escapes);
        tcase_add_test(tc, test_unknown_escapes);
        tcase_add_test(tc, test_relax_no_cunescape);
        tcase_add_test(tc, test_cunescape_one);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
