/* SPDX-License-Identifier: MIT */
/* The evaluator (expr-eval.c): precedence, Kleene logic, the reasons of unknown results,
 * versions, strings, numbers, globs, membership, defined() and empty(). */
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

#define T TRI_TRUE
#define F TRI_FALSE
#define U TRI_UNKNOWN

/* A host as the collectors would describe it: a CentOS 7.3 box, MountFlags unreadable. */
static void setup_facts(Facts *f)
{
        char *id_like[] = {"rhel", "fedora", NULL};
        char *flags[] = {"live-restore", "storage-driver", NULL};
        char *none[] = {NULL};

        *f = (Facts){};
        ck_assert_int_eq(facts_set_string(f, "distro.id", "centos", "/etc/os-release:3"), 0);
        ck_assert_int_eq(facts_set_list(f, "distro.id_like", id_like, "/etc/os-release:4"), 0);
        ck_assert_int_eq(facts_set_string(f, "kernel.release", "3.10.0-514.el7.x86_64", NULL), 0);
        ck_assert_int_eq(facts_set_version(f, "kernel.rhel_build", "514", NULL), 0);
        ck_assert_int_eq(facts_set_version(f, "kernel.version", "3.10.0", NULL), 0);
        ck_assert_int_eq(facts_set_number(f, "kernel.may_detach_mounts", 1, NULL), 0);
        ck_assert_int_eq(facts_set_number(f, "unit.main_pid", 0, NULL), 0);
        ck_assert_int_eq(facts_set_bool(f, "docker.running", true, NULL), 0);
        ck_assert_int_eq(facts_set_bool(f, "docker.live_restore", false, NULL), 0);
        ck_assert_int_eq(facts_set_unknown(f, "dockerd.live_restore", "dockerd not found"), 0);
        ck_assert_int_eq(facts_set_unknown(f, "unit.mount_flags", "docker.service not found"), 0);
        ck_assert_int_eq(facts_set_list(f, "dockerd.flags", flags, NULL), 0);
        ck_assert_int_eq(facts_set_list(f, "dockerd.conflicting_options", none, NULL), 0);
        ck_assert_int_eq(facts_set_string(f, "unit.load_error", "", NULL), 0);
        /* Not set at all: kernel.el, systemd.version, docker.server_version, ... */
}

/* Parses (must succeed) and evaluates text; *reason is set only for unknown results. */
static Tri eval_reason(const Facts *f, const char *text, char **reason)
{
        _cleanup_expr_ Expr *e = NULL;
        _cleanup_free_ char *error = NULL;
        Tri t = 42;
        int r;

        r = expr_parse(text, &e, &error);
        ck_assert_msg(r == 0, "expr_parse(%s): %d %s", text, r, strempty(error));
        ck_assert_ptr_nonnull(e);
        r = expr_eval(e, f, &t, reason);
        ck_assert_int_eq(r, 0);
        ck_assert(t == T || t == F || t == U);
        if (reason)
                ck_assert_msg((t == U) == (*reason != NULL), "%s: reason %s", text, strempty(*reason));
        return t;
}

static Tri eval(const Facts *f, const char *text)
{
        _cleanup_free_ char *reason = NULL;
        return eval_reason(f, text, &reason);
}

#define CHECK_EVAL(f, text, expected)                                                                   \
        do {                                                                                            \
                Tri _t = eval(f, text);                                                                 \
                ck_assert_msg(                                                                          \
                        _t == (expected), "%s: got %d, expected %d", text, (int) _t, (int) (expected)); \
        } while (0)

START_TEST(test_precedence)
{
        _cleanup_facts_ Facts f = {};

        setup_facts(&f);
        /* && binds tighter than ||. */
        CHECK_EVAL(&f, "true || false && false", T);
        CHECK_EVAL(&f, "false && false || true", T);
        CHECK_EVAL(&f, "(true || false) && false", F);
        /* ! binds tighter than &&, but a comparison is its operand. */
        CHECK_EVAL(&f, "!false && false", F);
        CHECK_EVAL(&f, "!(false && false)", T);
        CHECK_EVAL(&f, "!true == false", T);
        CHECK_EVAL(&f, "!!true", T);
        CHECK_EVAL(&f, "! ! ! true", F);
        /* Parenthesised comparisons compare as bools. */
        CHECK_EVAL(&f, "(distro.id == \"centos\") == true", T);
        CHECK_EVAL(&f, "(distro.id == \"centos\") != (unit.main_pid == 0)", F);
        /* Parentheses around a single value keep its type. */
        CHECK_EVAL(&f, "(kernel.rhel_build) < (693)", T);
        CHECK_EVAL(&f, "((distro.id)) == \"centos\"", T);
        /* Whitespace is free, including none. */
        CHECK_EVAL(&f, "distro.id==\"centos\"&&!docker.live_restore||false", T);
        CHECK_EVAL(&f, " \t\ndistro.id\r\n==\t\"centos\" ", T);
}
END_TEST

/* Kleene's strong three-valued logic: T and F from booleans, U from an unknown fact. */
START_TEST(test_kleene)
{
        static const char *const lit[] = {
                [T] = "docker.running", [F] = "docker.live_restore", [U] = "dockerd.live_restore"};
        static const Tri and_table[3][3] = {
                [T] = {[T] = T, [F] = F, [U] = U},
                [F] = {[T] = F, [F] = F, [U] = F},
                [U] = {[T] = U, [F] = F, [U] = U},
        };
        static const Tri or_table[3][3] = {
                [T] = {[T] = T, [F] = T, [U] = T},
                [F] = {[T] = T, [F] = F, [U] = U},
                [U] = {[T] = T, [F] = U, [U] = U},
        };
        static const Tri not_table[3] = {[T] = F, [F] = T, [U] = U};
        _cleanup_facts_ Facts f = {};

        setup_facts(&f);
        for (int a = 0; a < 3; a++) {
                _cleanup_free_ char *n = strdupf("!%s", lit[a]);

                CHECK_EVAL(&f, lit[a], (Tri) a);
                CHECK_EVAL(&f, n, not_table[a]);
                for (int b = 0; b < 3; b++) {
                        _cleanup_free_ char *x = strdupf("%s && %s", lit[a], lit[b]);
                        _cleanup_free_ char *y = strdupf("%s || %s", lit[a], lit[b]);

                        CHECK_EVAL(&f, x, and_table[a][b]);
                        CHECK_EVAL(&f, y, or_table[a][b]);
                }
        }
        /* Unknown propagates through comparisons. */
        CHECK_EVAL(&f, "unit.mount_flags == \"slave\"", U);
        CHECK_EVAL(&f, "unit.mount_flags != \"slave\"", U);
        CHECK_EVAL(&f, "!(unit.mount_flags == \"slave\")", U);
        CHECK_EVAL(&f, "unit.mount_flags == \"slave\" && docker.live_restore", F);
        CHECK_EVAL(&f, "unit.mount_flags == \"slave\" || docker.running", T);
        CHECK_EVAL(&f, "(dockerd.live_restore && false) || true", T);
        CHECK_EVAL(&f, "dockerd.live_restore == true", U);
        CHECK_EVAL(&f, "(dockerd.live_restore || true) == true", T);
        /* A fact never collected is unknown, too. */
        CHECK_EVAL(&f, "systemd.version >= 230", U);
        CHECK_EVAL(&f, "kernel.el == \"el7\" || true", T);
}
END_TEST

START_TEST(test_unknown_reason)
{
        _cleanup_facts_ Facts f = {};
        char *reason = NULL;

        setup_facts(&f);
        ck_assert_int_eq(eval_reason(&f, "unit.mount_flags == \"slave\"", &reason), U);
        ck_assert_str_eq(reason, "unit.mount_flags unknown: docker.service not found");
        reason = mfree_str(reason);

        ck_assert_int_eq(eval_reason(&f, "kernel.el == \"el7\"", &reason), U);
        ck_assert_str_eq(reason, "kernel.el unknown: not collected");
        reason = mfree_str(reason);

        /* Both unknowns named, once each, in order of appearance. */
        ck_assert_int_eq(eval_reason(&f,
                                 "unit.mount_flags == \"slave\" && (dockerd.live_restore || "
                                 "unit.mount_flags == \"shared\") && docker.running",
                                 &reason),
                U);
        ck_assert_str_eq(reason, "unit.mount_flags unknown: docker.service not found; "
                                 "dockerd.live_restore unknown: dockerd not found");
        reason = mfree_str(reason);

        /* Only the unknowns the result depends on: the first clause is decided false. */
        ck_assert_int_eq(
                eval_reason(&f, "(unit.mount_flags == \"slave\" && false) || kernel.el == \"el7\"", &reason),
                U);
        ck_assert_str_eq(reason, "kernel.el unknown: not collected");
        reason = mfree_str(reason);

        /* Known results carry no reason. */
        ck_assert_int_eq(eval_reason(&f, "unit.mount_flags == \"slave\" && false", &reason), F);
        ck_assert_ptr_null(reason);
        ck_assert_int_eq(eval_reason(&f, "defined(unit.mount_flags)", &reason), F);
        ck_assert_ptr_null(reason);

        ck_assert_int_eq(eval_reason(&f, "distro.id in [\"debian\", unit.mount_flags]", &reason), U);
        ck_assert_str_eq(reason, "unit.mount_flags unknown: docker.service not found");
        reason = mfree_str(reason);

        /* A list member that matched makes the unknown one irrelevant. */
        ck_assert_int_eq(
                eval_reason(
                        &f, "distro.id in [unit.mount_flags, \"centos\"] && kernel.el == \"el7\"", &reason),
                U);
        ck_assert_str_eq(reason, "kernel.el unknown: not collected");
        reason = mfree_str(reason);

        /* ret_reason may be NULL. */
        _cleanup_expr_ Expr *e = NULL;
        Tri t;
        ck_assert_int_eq(expr_parse("unit.mount_flags == \"\"", &e, NULL), 0);
        ck_assert_int_eq(expr_eval(e, &f, &t, NULL), 0);
        ck_assert_int_eq(t, U);
}
END_TEST

START_TEST(test_versions)
{
        _cleanup_facts_ Facts f = {};

        setup_facts(&f);
        /* kernel.rhel_build = 514: before the 7.4 GA kernel. */
        CHECK_EVAL(&f, "kernel.rhel_build < 693", T);
        CHECK_EVAL(&f, "kernel.rhel_build < \"693\"", T);
        CHECK_EVAL(&f, "693 > kernel.rhel_build", T);
        CHECK_EVAL(&f, "kernel.rhel_build >= 693", F);
        CHECK_EVAL(&f, "kernel.rhel_build == 514", T);
        CHECK_EVAL(&f, "kernel.rhel_build == \"0514\"", T); /* rpm ignores leading zeros */
        CHECK_EVAL(&f, "kernel.rhel_build != 514", F);
        CHECK_EVAL(&f, "kernel.rhel_build <= 514", T);
        CHECK_EVAL(&f, "kernel.rhel_build > 514", F);

        ck_assert_int_eq(facts_set_version(&f, "kernel.rhel_build", "1160.81.1", NULL), 0);
        CHECK_EVAL(&f, "kernel.rhel_build < 693", F);
        CHECK_EVAL(&f, "kernel.rhel_build >= 693", T);
        CHECK_EVAL(&f, "kernel.rhel_build < \"1160.119.1\"", T); /* bytewise it would be greater */
        CHECK_EVAL(&f, "kernel.rhel_build > \"1160.81\"", T);
        CHECK_EVAL(&f, "kernel.rhel_build in [\"693\", \"1160.81.1\"]", T);
        CHECK_EVAL(&f, "kernel.rhel_build in [693, 957]", F);

        /* kernel.version 3.10.0: version order, not byte order. */
        CHECK_EVAL(&f, "kernel.version < \"3.18\"", T);
        CHECK_EVAL(&f, "kernel.version > \"3.9\"", T);
        CHECK_EVAL(&f, "kernel.version >= \"3.10\"", T);
        CHECK_EVAL(&f, "kernel.version == \"3.10.0\"", T);
        CHECK_EVAL(&f, "kernel.version < 4", T);
        CHECK_EVAL(&f, "kernel.version > 3", T);
        ck_assert_int_eq(facts_set_version(&f, "kernel.version", "4.4.0", NULL), 0);
        CHECK_EVAL(&f, "kernel.version < \"4.14\"", T);
        /* Version against a string fact: version order. */
        CHECK_EVAL(&f, "kernel.version > distro.id", T);
        /* Same strings as plain text compare bytewise. */
        ck_assert_int_eq(facts_set_string(&f, "kernel.release", "4.4.0-47-generic", NULL), 0);
        CHECK_EVAL(&f, "kernel.release > \"4.14\"", T);
        CHECK_EVAL(&f, "\"4.4.0\" < \"4.14\"", F);
}
END_TEST

START_TEST(test_strings_numbers)
{
        _cleanup_facts_ Facts f = {};

        setup_facts(&f);
        CHECK_EVAL(&f, "distro.id == \"centos\"", T);
        CHECK_EVAL(&f, "distro.id != \"centos\"", F);
        CHECK_EVAL(&f, "distro.id == \"CentOS\"", F);
        CHECK_EVAL(&f, "distro.id < \"debian\"", T);
        CHECK_EVAL(&f, "distro.id > \"c\"", T);
        CHECK_EVAL(&f, "\"b\" <= \"a\"", F);
        CHECK_EVAL(&f, "unit.load_error == \"\"", T);
        CHECK_EVAL(&f, "\"\" == \"\"", T);

        CHECK_EVAL(&f, "kernel.may_detach_mounts == 1", T);
        CHECK_EVAL(&f, "kernel.may_detach_mounts != 0", T);
        CHECK_EVAL(&f, "kernel.may_detach_mounts > -1", T);
        CHECK_EVAL(&f, "kernel.may_detach_mounts < 2", T);
        CHECK_EVAL(&f, "unit.main_pid == 0", T);
        CHECK_EVAL(&f, "-5 < -4", T);
        CHECK_EVAL(&f, "-9223372036854775808 < 9223372036854775807", T);
        ck_assert_int_eq(facts_set_number(&f, "unit.main_pid", 10, NULL), 0);
        CHECK_EVAL(&f, "unit.main_pid > 9", T); /* numeric, not "10" < "9" */
        CHECK_EVAL(&f, "unit.main_pid >= unit.main_pid", T);
        /* A number beside a string compares as text. */
        CHECK_EVAL(&f, "unit.main_pid == \"10\"", T);
        CHECK_EVAL(&f, "unit.main_pid < \"9\"", T);

        /* Escapes in strings. */
        ck_assert_int_eq(facts_set_string(&f, "distro.pretty_name", "CentOS \"7\"\t\\x\n", NULL), 0);
        CHECK_EVAL(&f, "distro.pretty_name == \"CentOS \\\"7\\\"\\t\\\\x\\n\"", T);

        /* Bools. */
        CHECK_EVAL(&f, "docker.running == true", T);
        CHECK_EVAL(&f, "docker.running != docker.live_restore", T);
        CHECK_EVAL(&f, "docker.live_restore == false", T);
        CHECK_EVAL(&f, "true", T);
        CHECK_EVAL(&f, "false", F);
}
END_TEST

START_TEST(test_glob)
{
        _cleanup_facts_ Facts f = {};

        setup_facts(&f);
        CHECK_EVAL(&f, "kernel.release =~ \"*.el7.*\"", T);
        CHECK_EVAL(&f, "kernel.release =~ \"*.el8.*\"", F);
        CHECK_EVAL(&f, "kernel.release =~ \"3.10.0-*\"", T);
        CHECK_EVAL(&f, "kernel.release =~ \"3.10.0\"", F); /* anchored: whole string */
        CHECK_EVAL(&f, "distro.id =~ \"cent?s\"", T);
        CHECK_EVAL(&f, "distro.id =~ \"[a-c]*\"", T);
        CHECK_EVAL(&f, "distro.id =~ \"[!c]*\"", F);
        CHECK_EVAL(&f, "kernel.version =~ \"3.10*\"", T);
        CHECK_EVAL(&f, "kernel.may_detach_mounts =~ \"1\"", T);
        CHECK_EVAL(&f, "\"a*b\" =~ \"a\\\\*b\"", T);
        CHECK_EVAL(&f, "\"axb\" =~ \"a\\\\*b\"", F);
        CHECK_EVAL(&f, "unit.mount_flags =~ \"*\"", U);
}
END_TEST

START_TEST(test_in)
{
        _cleanup_facts_ Facts f = {};

        setup_facts(&f);
        CHECK_EVAL(&f, "distro.id in [\"rhel\", \"centos\"]", T);
        CHECK_EVAL(&f, "distro.id in [\"debian\", \"ubuntu\"]", F);
        CHECK_EVAL(&f, "distro.id in [\"centos\"]", T);
        CHECK_EVAL(&f, "distro.id in []", F);
        CHECK_EVAL(&f, "distro.id in [ ]", F);
        CHECK_EVAL(&f, "\"rhel\" in distro.id_like", T);
        CHECK_EVAL(&f, "\"debian\" in distro.id_like", F);
        CHECK_EVAL(&f, "\"live-restore\" in dockerd.flags", T);
        CHECK_EVAL(&f, "!(\"live-restore\" in dockerd.flags)", F);
        CHECK_EVAL(&f, "\"live-restore\" in dockerd.conflicting_options", F);
        CHECK_EVAL(&f, "unit.main_pid in [1, 0]", T);
        CHECK_EVAL(&f, "unit.main_pid in [\"0\"]", T);
        CHECK_EVAL(&f, "true in [false, docker.running]", T);
        CHECK_EVAL(&f, "distro.id in [kernel.release, (\"centos\")]", T);
        /* Members may be facts; unknown members only matter when nothing matched. */
        CHECK_EVAL(&f, "distro.id in [unit.mount_flags, \"centos\"]", T);
        CHECK_EVAL(&f, "distro.id in [unit.mount_flags, \"debian\"]", U);
        CHECK_EVAL(&f, "unit.mount_flags in [\"slave\"]", U);
        CHECK_EVAL(&f, "\"x\" in unit.dropin_paths", U); /* never collected */
        CHECK_EVAL(&f, "distro.id in [distro.id]", T);
}
END_TEST

START_TEST(test_defined_empty_truthiness)
{
        _cleanup_facts_ Facts f = {};

        setup_facts(&f);
        CHECK_EVAL(&f, "defined(distro.id)", T);
        CHECK_EVAL(&f, "defined(unit.mount_flags)", F); /* unknown: not defined, not unknown */
        CHECK_EVAL(&f, "defined(kernel.el)", F); /* never collected */
        CHECK_EVAL(&f, "!defined(kernel.el)", T);
        CHECK_EVAL(&f, "defined(dockerd.conflicting_options)", T);

        CHECK_EVAL(&f, "empty(unit.load_error)", T);
        CHECK_EVAL(&f, "empty(distro.id)", F);
        CHECK_EVAL(&f, "empty(dockerd.conflicting_options)", T);
        CHECK_EVAL(&f, "empty(dockerd.flags)", F);
        CHECK_EVAL(&f, "empty(kernel.version)", F);
        CHECK_EVAL(&f, "empty(unit.mount_flags)", U);
        CHECK_EVAL(&f, "empty(kernel.el)", U);

        /* Bare facts: bools as is, others true when non-empty / non-zero. */
        CHECK_EVAL(&f, "docker.running", T);
        CHECK_EVAL(&f, "docker.live_restore", F);
        CHECK_EVAL(&f, "kernel.release", T);
        CHECK_EVAL(&f, "unit.load_error", F);
        CHECK_EVAL(&f, "kernel.may_detach_mounts", T);
        CHECK_EVAL(&f, "unit.main_pid", F);
        CHECK_EVAL(&f, "dockerd.flags", T);
        CHECK_EVAL(&f, "dockerd.conflicting_options", F);
        CHECK_EVAL(&f, "kernel.rhel_build", T);
        CHECK_EVAL(&f, "unit.mount_flags", U);
        CHECK_EVAL(&f, "\"\"", F);
        CHECK_EVAL(&f, "\"x\"", T);
        CHECK_EVAL(&f, "0", F);
        CHECK_EVAL(&f, "-1", T);
}
END_TEST

/* A fact set by a collector under a catalog name but with another type is unknown, not misread. */
START_TEST(test_fact_type_mismatch)
{
        _cleanup_facts_ Facts f = {};
        char *reason = NULL;

        /* facts_set_* refuse this; build it by hand as a corrupt copy would. */
        ck_assert_int_eq(facts_set_string(&f, "docker.storage_driver", "overlay2", NULL), 0);
        free(f.v[0].name);
        f.v[0].name = strdup("docker.running");
        ck_assert_int_eq(eval_reason(&f, "docker.running", &reason), U);
        ck_assert_str_eq(reason, "docker.running unknown: collected as a string, expected a bool");
        free(reason);
        ck_assert_int_eq(eval(&f, "defined(docker.running)"), F);
}
END_TEST

static Suite *expr_eval_suite(void)
{
        Suite *s = suite_create("expr-eval");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_precedence);
        tcase_add_test(tc, test_kleene);
        tcase_add_test(tc, test_unknown_reason);
        tcase_add_test(tc, test_versions);
        tcase_add_test(tc, test_strings_numbers);
        tcase_add_test(tc, test_glob);
        tcase_add_test(tc, test_in);
        tcase_add_test(tc, test_defined_empty_truthiness);
        tcase_add_test(tc, test_fact_type_mismatch);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(expr_eval_suite());
}
