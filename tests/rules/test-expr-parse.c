/* SPDX-License-Identifier: MIT */
/* The parser (expr-parse.c): syntax and type errors with their columns, the nesting
 * limit. What the parsed conditions mean is in test-expr-eval.c. */
#include <check.h>

#include "check-run.h"

#include "basic/util.h"
#include "rules/expr.h"
#include "rules/facts.h"

static char *mfree_str(char *s)
{
        free(s);
        return NULL;
}

static const struct {
        const char *text;
        const char *error;
} parse_errors[] = {
        {"", "column 1: unexpected end of expression, expected a value"},
        {"   ", "column 4: unexpected end of expression, expected a value"},
        {"kernel.relase == \"x\"", "column 1: unknown fact 'kernel.relase'"},
        {"docker.running && kernel.bogus", "column 19: unknown fact 'kernel.bogus'"},
        {"foo", "column 1: unknown fact 'foo'"},
        {"docker.running < true", "column 16: a bool has no order; use '==' or '!='"},
        {"docker.running >= docker.live_restore", "column 16: a bool has no order; use '==' or '!='"},
        {"(docker.running || false) > false", "column 27: a bool has no order; use '==' or '!='"},
        {"docker.running == \"true\"", "column 16: a bool can only be compared with a bool"},
        {"kernel.release == docker.running", "column 16: a bool can only be compared with a bool"},
        {"docker.running =~ \"t*\"", "column 16: '=~' needs text on both sides, not a bool"},
        {"unit.exec_start == \"x\"", "column 17: a list cannot be compared; use 'in' or empty()"},
        {"kernel.release in distro.id",
                "column 19: the right side of 'in' must be a list; 'distro.id' is a string"},
        {"\"x\" in docker.running",
                "column 8: the right side of 'in' must be a list; 'docker.running' is a bool"},
        {"kernel.release in \"abc\"", "column 19: the right side of 'in' must be a list fact or [ ... ]"},
        {"distro.id_like in dockerd.flags", "column 1: the left side of 'in' cannot be a list"},
        {"docker.running in [\"x\"]", "column 20: a bool can only be compared with a bool"},
        {"distro.id in [\"a\" \"b\"]", "column 19: unexpected '\"b\"', expected ',' or ']'"},
        {"distro.id in [\"a\",", "column 19: unexpected end of expression, expected a value"},
        {"distro.id in", "column 13: unexpected end of expression, expected a value"},
        {"in [\"a\"]", "column 1: unexpected 'in', expected a value before 'in'"},
        {"(kernel.release == \"x\"", "column 23: unexpected end of expression, expected ')'"},
        {"kernel.release == \"x\")", "column 22: unexpected ')', expected '&&', '||' or the end"},
        {"kernel.release == \"x\" distro.id",
                "column 23: unexpected 'distro.id', expected '&&', '||' or the end"},
        {"kernel.release == == \"x\"", "column 19: unexpected '==', expected a value"},
        {"distro.id == \"a\" == \"b\"", "column 18: unexpected '==', expected '&&', '||' or the end"},
        {"docker.running &&", "column 18: unexpected end of expression, expected a value"},
        {"defined(kernel.release", "column 23: unexpected end of expression, expected ')'"},
        {"defined kernel.release",
                "column 9: unexpected 'kernel.release', expected '(' after the function name"},
        {"defined(\"x\")", "column 9: unexpected '\"x\"', expected a fact name"},
        {"defined(nope.nope)", "column 9: unknown fact 'nope.nope'"},
        {"empty(docker.running)",
                "column 7: empty() needs a string, version or list fact; 'docker.running' is a bool"},
        {"empty(unit.main_pid)",
                "column 7: empty() needs a string, version or list fact; 'unit.main_pid' is a number"},
        {"[\"a\"] == \"a\"", "column 1: unexpected '[', expected a value"},
        {"()", "column 2: unexpected ')', expected a value"},
        /* A lexer error right after a complete term (nothing may leak). */
        {"distro.id'", "column 10: unexpected '''"},
        {"distro.id in [\"a\"'", "column 18: unexpected '''"},
        {"distro.id in []'", "column 16: unexpected '''"},
        {"defined(distro.id)'", "column 19: unexpected '''"},
        {"(true)'", "column 7: unexpected '''"},
        {"!", "column 2: unexpected end of expression, expected a value"},
};

START_TEST(test_parse_errors)
{
        for (size_t i = 0; i < ELEMENTSOF(parse_errors); i++) {
                _cleanup_expr_ Expr *e = NULL;
                _cleanup_free_ char *error = NULL;
                int r = expr_parse(parse_errors[i].text, &e, &error);

                ck_assert_msg(r == -EINVAL, "%s: r=%d", parse_errors[i].text, r);
                ck_assert_ptr_null(e);
                ck_assert_ptr_nonnull(error);
                ck_assert_msg(streq(error, parse_errors[i].error), "%s:\n got      %s\n expected %s",
                        parse_errors[i].text, error, parse_errors[i].error);
        }
        /* ret_error may be NULL. */
        Expr *e = NULL;
        ck_assert_int_eq(expr_parse("nope", &e, NULL), -EINVAL);
        ck_assert_ptr_null(e);
}
END_TEST

static char *repeat(const char *s, size_t n)
{
        _cleanup_sb_ StrBuf b = {};

        int r = 0;

        /* One assertion, not one per piece: each ck_assert is a message to Check's parent. */
        for (size_t i = 0; i < n && r == 0; i++)
                r = sb_append(&b, s);
        ck_assert_int_eq(r, 0);
        return sb_steal(&b);
}

static int parse_nested(size_t depth, const char *open, const char *inner, const char *close, char **error)
{
        _cleanup_free_ char *a = repeat(open, depth), *c = repeat(close, depth);
        _cleanup_free_ char *text = strdupf("%s%s%s", a, inner, c);
        _cleanup_expr_ Expr *e = NULL;

        return expr_parse(text, &e, error);
}

START_TEST(test_nesting_limit)
{
        _cleanup_free_ char *err = NULL;
        Facts f = {};
        Tri t;

        ck_assert_int_eq(parse_nested(64, "(", "docker.running", ")", NULL), 0);
        ck_assert_int_eq(parse_nested(65, "(", "docker.running", ")", &err), -EINVAL);
        ck_assert_str_eq(err, "column 65: expression nested too deeply (more than 64 levels)");
        err = mfree_str(err);
        ck_assert_int_eq(parse_nested(64, "!", "docker.running", "", NULL), 0);
        ck_assert_int_eq(parse_nested(100000, "!", "docker.running", "", &err), -EINVAL);
        ck_assert_str_eq(err, "column 65: expression nested too deeply (more than 64 levels)");
        err = mfree_str(err);
        ck_assert_int_eq(parse_nested(100000, "(", "", "", &err), -EINVAL);
        ck_assert_str_eq(err, "column 65: expression nested too deeply (more than 64 levels)");
        err = mfree_str(err);
        ck_assert_int_eq(parse_nested(40, "(! ", "docker.running", ")", &err), -EINVAL);
        ck_assert_str_eq(err, "column 97: expression nested too deeply (more than 64 levels)");

        /* Long flat chains are not nesting: they parse and evaluate without deep recursion. */
        _cleanup_free_ char *chain = repeat("docker.running && ", 100000);
        _cleanup_free_ char *text = strdupf("%sdocker.running", chain);
        _cleanup_expr_ Expr *e = NULL;
        ck_assert_int_eq(expr_parse(text, &e, NULL), 0);
        ck_assert_int_eq(expr_eval(e, &f, &t, NULL), 0);
        ck_assert_int_eq(t, TRI_UNKNOWN);
        facts_done(&f);
        ck_assert_int_eq(facts_set_bool(&f, "docker.running", true, NULL), 0);
        ck_assert_int_eq(expr_eval(e, &f, &t, NULL), 0);
        ck_assert_int_eq(t, TRI_TRUE);
        facts_done(&f);
}
END_TEST

static Suite *expr_parse_suite(void)
{
        Suite *s = suite_create("expr-parse");
        TCase *tc = tcase_create("core");

        tcase_set_timeout(tc, 60);
        tcase_add_test(tc, test_parse_errors);
        tcase_add_test(tc, test_nesting_limit);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(expr_parse_suite());
}
