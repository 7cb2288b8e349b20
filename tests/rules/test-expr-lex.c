/* SPDX-License-Identifier: MIT */
/* The tokenizer (expr-lex.c): its errors, with their columns, through expr_parse() (the
 * lexer has no API of its own). */
#include <check.h>

#include "check-run.h"

#include "basic/util.h"
#include "rules/expr.h"

static const struct {
        const char *text;
        const char *error;
} lex_errors[] = {
        {"docker.running & docker.running", "column 16: unexpected '&' (use '&&')"},
        {"docker.running | docker.running", "column 16: unexpected '|' (use '||')"},
        {"distro.id = \"x\"", "column 11: unexpected '=' (use '==' to compare)"},
        {"kernel.version < 3.10.0",
                "column 18: '3.10.0' is not a number; write versions and other text in quotes"},
        {"kernel.rhel_build < 693a",
                "column 21: '693a' is not a number; write versions and other text in quotes"},
        {"unit.main_pid == 99999999999999999999", "column 18: number '99999999999999999999' out of range"},
        {"unit.main_pid == - 1", "column 18: unexpected '-'"},
        {"distro.id == \"abc", "column 14: unterminated string"},
        {"distro.id == \"abc\\", "column 14: unterminated string"},
        {"distro.id == \"a\\qb\"", "column 16: invalid escape in string (only \\\" \\\\ \\n \\t)"},
        {"distro.id == 'x'", "column 14: unexpected '''"},
        {"distro.id == \x01", "column 14: unexpected byte 0x01"},
        {"distro.id == \xc3\xa9", "column 14: unexpected byte 0xc3"},
};

START_TEST(test_lex_errors)
{
        for (size_t i = 0; i < ELEMENTSOF(lex_errors); i++) {
                _cleanup_expr_ Expr *e = NULL;
                _cleanup_free_ char *error = NULL;
                int r = expr_parse(lex_errors[i].text, &e, &error);

                ck_assert_msg(r == -EINVAL, "%s: r=%d", lex_errors[i].text, r);
                ck_assert_ptr_null(e);
                ck_assert_ptr_nonnull(error);
                ck_assert_msg(streq(error, lex_errors[i].error), "%s:\n got      %s\n expected %s",
                        lex_errors[i].text, error, lex_errors[i].error);
        }
}
END_TEST

static Suite *expr_lex_suite(void)
{
        Suite *s = suite_create("expr-lex");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_lex_errors);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(expr_lex_suite());
}
