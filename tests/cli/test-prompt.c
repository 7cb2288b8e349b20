/* SPDX-License-Identifier: MIT */
/* The fix and leaks questions: exactly their answers, whole lines, end of input is quit. */
#include <check.h>

#include "check-run.h"

#include "cli/prompt.h"

/* The answer prompt_ask_in() reads from text; *ret_out is what it printed. */
static Answer ask(const char *text, char **ret_out)
{
        _cleanup_fclose_ FILE *in = fmemopen((void *) text, strlen(text), "r");
        char *buf = NULL;
        size_t size = 0;
        FILE *out = open_memstream(&buf, &size);
        Answer a;

        ck_assert_ptr_nonnull(in);
        ck_assert_ptr_nonnull(out);
        a = prompt_ask_in(in, out, "Apply?", "apply it", "skip it");
        ck_assert_int_eq(fclose(out), 0);
        *ret_out = buf;
        return a;
}

/* How many times the question was asked in out. */
static int times_asked(const char *out)
{
        int n = 0;

        for (const char *p = out; (p = strstr(p, "Apply? [y]es")); p++)
                n++;
        return n;
}

START_TEST(test_exact_answers)
{
        static const struct {
                const char *in;
                Answer want;
        } cases[] = {
                {"y\n", ANSWER_YES}, {"Y\n", ANSWER_YES}, {"yes\n", ANSWER_YES}, {"YES\n", ANSWER_YES},
                {"  yes \n", ANSWER_YES}, {"n\n", ANSWER_NO}, {"No\n", ANSWER_NO}, {"a\n", ANSWER_ALL},
                {"all\n", ANSWER_ALL}, {"q\n", ANSWER_QUIT}, {"quit\n", ANSWER_QUIT},
                {"y", ANSWER_YES}, /* a last line without a newline */
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_free_ char *out = NULL;
                ck_assert_msg(ask(cases[i].in, &out) == cases[i].want, "input '%s'", cases[i].in);
                ck_assert_int_eq(times_asked(out), 1);
        }
}
END_TEST

START_TEST(test_other_words_ask_again)
{
        /* the case: "abort" applied everything because it starts with "a" */
        static const char *const bad[] = {"abort\n", "yep\n", "nope\n", "allow\n", "\n", "qq\n", "y es\n"};

        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                _cleanup_free_ char *in = strdupf("%sn\n", bad[i]), *out = NULL;
                ck_assert_int_eq(ask(in, &out), ANSWER_NO);
                ck_assert_int_eq(times_asked(out), 2);
                ck_assert_ptr_nonnull(strstr(out, "Please answer"));
        }
}
END_TEST

START_TEST(test_help_then_answer)
{
        _cleanup_free_ char *out = NULL;

        ck_assert_int_eq(ask("?\nq\n", &out), ANSWER_QUIT);
        ck_assert_ptr_nonnull(strstr(out, "y - apply it"));
        ck_assert_ptr_nonnull(strstr(out, "n - skip it"));
        ck_assert_int_eq(times_asked(out), 2);
}
END_TEST

START_TEST(test_long_line_is_dropped_whole)
{
        _cleanup_free_ char *out = NULL, *out2 = NULL;
        char line[4 * PROMPT_LINE_MAX + 8];

        /* "yyyy...y": over the buffer; none of its rest may answer the next question */
        memset(line, 'y', sizeof line - 3);
        strcpy(line + sizeof line - 3, "\nn");
        ck_assert_int_eq(ask(line, &out), ANSWER_NO);
        ck_assert_int_eq(times_asked(out), 2);
        /* a long line of "a " words ending in "y": still asked again, then end of input */
        memset(line, 'a', sizeof line - 1);
        line[sizeof line - 1] = 0;
        ck_assert_int_eq(ask(line, &out2), ANSWER_QUIT);
        ck_assert_int_eq(times_asked(out2), 2);
}
END_TEST

START_TEST(test_eof_is_quit)
{
        _cleanup_free_ char *out = NULL, *out2 = NULL;

        ck_assert_int_eq(ask("", &out), ANSWER_QUIT);
        ck_assert_int_eq(ask("abort\n", &out2), ANSWER_QUIT);
        ck_assert_int_eq(times_asked(out2), 2);
}
END_TEST

static bool yes_no(const char *text)
{
        _cleanup_fclose_ FILE *in = fmemopen((void *) text, strlen(text), "r");
        _cleanup_fclose_ FILE *out = fopen("/dev/null", "w");

        ck_assert_ptr_nonnull(in);
        ck_assert_ptr_nonnull(out);
        return prompt_yes_no_in(in, out, "Use it?");
}

START_TEST(test_yes_no)
{
        ck_assert(yes_no("y\n"));
        ck_assert(yes_no("YES\n"));
        ck_assert(!yes_no("n\n"));
        ck_assert(!yes_no("\n")); /* the default */
        ck_assert(!yes_no(""));
        ck_assert(!yes_no("yeah\n")); /* asked again, then end of input */
        ck_assert(yes_no("yeah\ny\n"));
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("prompt");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_exact_answers);
        tcase_add_test(tc, test_other_words_ask_again);
        tcase_add_test(tc, test_help_then_answer);
        tcase_add_test(tc, test_long_line_is_dropped_whole);
        tcase_add_test(tc, test_eof_is_quit);
        tcase_add_test(tc, test_yes_no);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
