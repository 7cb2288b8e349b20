/* SPDX-License-Identifier: MIT */
/* Suffixes, trimming, strdupf() and UTF-8 validity (src/basic/string-util.c). */
#include <check.h>

#include "check-run.h"

#include "basic/string-util.h"
#include "basic/util.h"

START_TEST(test_strings)
{
        char buf[] = " \t a b \r\n";

        ck_assert(endswith("docker.service", ".service"));
        ck_assert(!endswith("e", ".service"));
        ck_assert_str_eq(strstrip(buf), "a b");
}
END_TEST

START_TEST(test_endswith)
{
        ck_assert(endswith(".service", ".service"));
        ck_assert(endswith("abc", ""));
        ck_assert(endswith("", ""));
        ck_assert(!endswith("", "a"));
        ck_assert(!endswith("docker.service.d", ".service"));
        ck_assert(!endswith("docker.Service", ".service")); /* case matters */
}
END_TEST

START_TEST(test_strstrip)
{
        char empty[] = "", blank[] = " \t\r\n \n", inner[] = "a \t b", none[] = "x";
        char vt[] = "\v x \f"; /* only space, tab, CR and LF are trimmed */

        ck_assert_str_eq(strstrip(empty), "");
        ck_assert_str_eq(strstrip(blank), "");
        ck_assert_str_eq(strstrip(inner), "a \t b");
        ck_assert_ptr_eq(strstrip(none), none);
        ck_assert_str_eq(strstrip(vt), "\v x \f");
}
END_TEST

START_TEST(test_strdupf)
{
        _cleanup_free_ char *a = strdupf("%s:%u: %s", "/etc/docker/daemon.json", 3u, "bad"),
                            *b = strdupf("%s", ""), *c = strdupf("%%%c", 'x');

        ck_assert_str_eq(a, "/etc/docker/daemon.json:3: bad");
        ck_assert_str_eq(b, "");
        ck_assert_str_eq(c, "%x");
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

/* The first and last code point of each sequence length, and the planes' edges. */
START_TEST(test_utf8_boundaries)
{
        ck_assert(utf8_is_valid_n("", 0));
        ck_assert(utf8_is_valid_n("\xff", 0)); /* only n bytes are looked at */
        ck_assert(utf8_is_valid_n("a\0b", 3)); /* NUL is a character */
        ck_assert(utf8_is_valid_n("\x7f", 1)); /* U+007F */
        ck_assert(utf8_is_valid_n("\xc2\x80", 2)); /* U+0080 */
        ck_assert(utf8_is_valid_n("\xdf\xbf", 2)); /* U+07FF */
        ck_assert(utf8_is_valid_n("\xe0\xa0\x80", 3)); /* U+0800 */
        ck_assert(utf8_is_valid_n("\xed\x9f\xbf", 3)); /* U+D7FF, just below the surrogates */
        ck_assert(utf8_is_valid_n("\xee\x80\x80", 3)); /* U+E000, just above them */
        ck_assert(utf8_is_valid_n("\xef\xbb\xbf", 3)); /* U+FEFF, a BOM */
        ck_assert(utf8_is_valid_n("\xef\xbf\xbf", 3)); /* U+FFFF, a noncharacter but valid */
        ck_assert(utf8_is_valid_n("\xf0\x90\x80\x80", 4)); /* U+10000 */
        ck_assert(utf8_is_valid_n("\xf4\x8f\xbf\xbf", 4)); /* U+10FFFF */
}
END_TEST

START_TEST(test_utf8_overlong)
{
        ck_assert(!utf8_is_valid_n("\xc0\x80", 2)); /* NUL as two bytes ("modified UTF-8") */
        ck_assert(!utf8_is_valid_n("\xc1\xbf", 2)); /* U+007F as two bytes */
        ck_assert(!utf8_is_valid_n("\xe0\x80\xaf", 3)); /* '/' as three bytes */
        ck_assert(!utf8_is_valid_n("\xe0\x9f\xbf", 3)); /* U+07FF as three bytes */
        ck_assert(!utf8_is_valid_n("\xf0\x80\x80\xaf", 4)); /* '/' as four bytes */
        ck_assert(!utf8_is_valid_n("\xf0\x8f\xbf\xbf", 4)); /* U+FFFF as four bytes */
}
END_TEST

START_TEST(test_utf8_surrogates_and_range)
{
        ck_assert(!utf8_is_valid_n("\xed\xbf\xbf", 3)); /* U+DFFF */
        ck_assert(!utf8_is_valid_n("\xed\xb0\x80", 3)); /* U+DC00, a low surrogate */
        ck_assert(!utf8_is_valid_n("\xed\xa0\xbd\xed\xb0\xb3", 6)); /* a CESU-8 pair */
        ck_assert(!utf8_is_valid_n("\xf5\x80\x80\x80", 4)); /* lead 0xF5: past U+10FFFF */
        ck_assert(!utf8_is_valid_n("\xf7\xbf\xbf\xbf", 4));
        ck_assert(!utf8_is_valid_n("\xf8\x88\x80\x80\x80", 5)); /* five-byte form */
        ck_assert(!utf8_is_valid_n("\xfc\x84\x80\x80\x80\x80", 6)); /* six-byte form */
        ck_assert(!utf8_is_valid_n("\xfe", 1));
        ck_assert(!utf8_is_valid_n("\xff", 1));
}
END_TEST

START_TEST(test_utf8_broken_sequences)
{
        ck_assert(!utf8_is_valid_n("\x80", 1)); /* a lone continuation byte */
        ck_assert(!utf8_is_valid_n("a\xbf", 2));
        ck_assert(!utf8_is_valid_n("\xc3", 1)); /* truncated at the end */
        ck_assert(!utf8_is_valid_n("\xf0\x9f\x90", 3));
        ck_assert(!utf8_is_valid_n("h\xc3\xa9", 2)); /* cut short by n, not by the string */
        ck_assert(!utf8_is_valid_n("\xe2\x82"
                                   "A",
                3)); /* truncated, then ASCII */
        ck_assert(!utf8_is_valid_n("\xc3\xa9\xa9", 3)); /* one continuation too many */
        ck_assert(!utf8_is_valid_n("\xf0\x9f\x90\xb3\x80", 5));
        ck_assert(!utf8_is_valid_n("\xc3\xc3\xa9", 3)); /* a lead where a continuation belongs */
}
END_TEST

/* An OSC title sequence from a unit value must not reach a terminal. */
START_TEST(test_escape_non_printable)
{
        _cleanup_free_ char *a = utf8_escape_non_printable("x\033]0;pwned\007y"),
                            *b = utf8_escape_non_printable("h\xc3\xa9 \xff\\n"),
                            *c = utf8_escape_non_printable("tab\there\nnl\x7f\xc2\x85"),
                            *d = utf8_escape_non_printable(""),
                            *e = utf8_escape_non_printable("\xef\xbf\xbe!"),
                            *f = utf8_escape_non_printable("\xe2\x82");

        ck_assert_str_eq(a, "x\\x1b]0;pwned\\x07y");
        ck_assert_str_eq(b, "h\xc3\xa9 \\xff\\n"); /* é kept, backslash kept */
        ck_assert_str_eq(c, "tab\\x09here\\x0anl\\x7f\\xc2\\x85"); /* C1 NEL: both bytes */
        ck_assert_str_eq(d, "");
        ck_assert_str_eq(e, "\\xef\\xbf\\xbe!"); /* U+FFFE: not in XML */
        ck_assert_str_eq(f, "\\xe2\\x82"); /* cut short */
        ck_assert(utf8_is_valid(a) && utf8_is_valid(e) && utf8_is_valid(f));
}
END_TEST

static void check_invalid_round_trip(const char *in, const char *want)
{
        _cleanup_free_ char *e = utf8_escape_invalid(in), *back = NULL;

        ck_assert_str_eq(e, want);
        ck_assert(utf8_is_valid(e));
        if (!utf8_is_valid(in)) {
                ck_assert_int_eq(utf8_unescape_invalid(e, &back), 0);
                ck_assert_str_eq(back, in);
        }
}

START_TEST(test_escape_invalid)
{
        /* Valid UTF-8 goes through untouched, backslashes and control characters included. */
        check_invalid_round_trip("a\\x41\033\001\xc3\xa9", "a\\x41\033\001\xc3\xa9");
        check_invalid_round_trip("\xff", "\\xff");
        check_invalid_round_trip("C:\\\xfe\033", "C:\\\\\\xfe\033");
        check_invalid_round_trip("\\xff\xff", "\\\\xff\\xff");
        check_invalid_round_trip("\xc0\xaf/\xed\xa0\x80", "\\xc0\\xaf/\\xed\\xa0\\x80");
        check_invalid_round_trip("", "");
}
END_TEST

START_TEST(test_unescape_invalid_refuses)
{
        char *out = NULL;

        ck_assert_int_eq(utf8_unescape_invalid("\\n", &out), -EINVAL);
        ck_assert_int_eq(utf8_unescape_invalid("\\x0", &out), -EINVAL);
        ck_assert_int_eq(utf8_unescape_invalid("\\xg0", &out), -EINVAL);
        ck_assert_int_eq(utf8_unescape_invalid("a\\x00b", &out), -EINVAL); /* no NUL */
        ck_assert_int_eq(utf8_unescape_invalid("end\\", &out), -EINVAL);
        ck_assert_ptr_null(out);
        ck_assert_int_eq(utf8_unescape_invalid("\\xFF\\\\", &out), 0);
        ck_assert_str_eq(out, "\xff\\");
        free(out);
}
END_TEST

int main(void)
{
        Suite *s = suite_create("string-util");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_strings);
        tcase_add_test(tc, test_endswith);
        tcase_add_test(tc, test_strstrip);
        tcase_add_test(tc, test_strdupf);
        tcase_add_test(tc, test_utf8);
        tcase_add_test(tc, test_utf8_boundaries);
        tcase_add_test(tc, test_utf8_overlong);
        tcase_add_test(tc, test_utf8_surrogates_and_range);
        tcase_add_test(tc, test_utf8_broken_sequences);
        tcase_add_test(tc, test_escape_non_printable);
        tcase_add_test(tc, test_escape_invalid);
        tcase_add_test(tc, test_unescape_invalid_refuses);
        suite_add_tcase(s, tc);
        return check_run(s);
}
