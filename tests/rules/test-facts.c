/* SPDX-License-Identifier: MIT */
/* The fact set: setting, replacing, copying, printing values (src/rules/facts.c). */
#include <check.h>

#include "check-run.h"

#include "rules/facts.h"
#include "rules/problems.h"

START_TEST(test_set_get_replace)
{
        _cleanup_facts_ Facts f = {};
        const Fact *x;
        char *l[] = {"a", "b", NULL};

        ck_assert_int_eq(facts_set_string(&f, "unit.mount_flags", "slave", "/x/docker.service:12"), 0);
        ck_assert_int_eq(facts_set_bool(&f, "dockerd.live_restore", true, "/etc/default/docker:3"), 0);
        ck_assert_int_eq(facts_set_number(&f, "unit.main_pid", 1234, NULL), 0);
        ck_assert_int_eq(facts_set_list(&f, "unit.dropin_paths", l, "dbus"), 0);
        ck_assert_int_eq(facts_set_version(&f, "kernel.version", "3.10.0", NULL), 0);
        /* the catalog's type is enforced */
        ck_assert_int_eq(facts_set_string(&f, "unit.main_pid", "x", NULL), -EINVAL);

        x = facts_get(&f, "unit.mount_flags");
        ck_assert(x->known);
        ck_assert_str_eq(x->str, "slave");
        ck_assert_str_eq(x->source, "/x/docker.service:12");

        /* replacing keeps one entry and drops the old source */
        ck_assert_int_eq(facts_set_unknown(&f, "unit.mount_flags", "bus said %s", "no"), 0);
        x = facts_get(&f, "unit.mount_flags");
        ck_assert(!x->known);
        ck_assert_ptr_null(x->source);
        ck_assert_str_eq(x->reason, "bus said no");
        ck_assert_uint_eq(f.n, 5);
        ck_assert_ptr_null(facts_get(&f, "kernel.release"));
}
END_TEST

START_TEST(test_value_to_string)
{
        _cleanup_facts_ Facts f = {};
        char *l[] = {"/a.conf", "/b.conf", NULL};
        char *empty[] = {NULL};
        _cleanup_free_ char *a = NULL, *b = NULL, *c = NULL, *d = NULL;

        facts_set_list(&f, "unit.dropin_paths", l, NULL);
        facts_set_list(&f, "unit.environment", empty, NULL);
        facts_set_bool(&f, "ns.dockerd_private", false, NULL);
        facts_set_unknown(&f, "docker.running", "connection refused");
        a = fact_value_to_string(facts_get(&f, "unit.dropin_paths"));
        b = fact_value_to_string(facts_get(&f, "unit.environment"));
        c = fact_value_to_string(facts_get(&f, "ns.dockerd_private"));
        d = fact_value_to_string(facts_get(&f, "docker.running"));
        ck_assert_str_eq(a, "/a.conf, /b.conf");
        ck_assert_str_eq(b, "");
        ck_assert_str_eq(c, "false");
        ck_assert_str_eq(d, "unknown (connection refused)");
}
END_TEST

START_TEST(test_copy)
{
        _cleanup_facts_ Facts f = {}, copy = {};
        char *l[] = {"a", NULL};

        ck_assert_int_eq(facts_set_list(&f, "dockerd.argv", l, "src"), 0);
        ck_assert_int_eq(facts_set_unknown(&f, "docker.running", "no socket"), 0);
        ck_assert_int_eq(facts_copy(&f, &copy), 0);
        ck_assert_uint_eq(copy.n, 2);
        ck_assert_ptr_ne(facts_get(&copy, "dockerd.argv")->list, facts_get(&f, "dockerd.argv")->list);
        ck_assert_str_eq(facts_get(&copy, "dockerd.argv")->list[0], "a");
        ck_assert_str_eq(facts_get(&copy, "dockerd.argv")->source, "src");
        ck_assert(!facts_get(&copy, "docker.running")->known);
        ck_assert_str_eq(facts_get(&copy, "docker.running")->reason, "no socket");
}
END_TEST

START_TEST(test_add_problem)
{
        _cleanup_facts_ Facts f = {};
        _cleanup_strv_free_ char **l = NULL;

        ck_assert_int_eq(facts_add_problem(&f, "%s:%d: bad", "/etc/docker/daemon.json", 3), 0);
        ck_assert_int_eq(facts_add_problem(&f, "D-Bus: timed out"), 0);
        ck_assert_uint_eq(strv_length(facts_get(&f, "audit.problems")->list), 2);
        ck_assert_str_eq(facts_get(&f, "audit.problems")->list[1], "D-Bus: timed out");
        /* each one makes the audit incomplete, in the order they were found */
        ck_assert_int_eq(facts_problems(&f, &l), 0);
        ck_assert_uint_eq(strv_length(l), 2);
        ck_assert_str_eq(l[0], "/etc/docker/daemon.json:3: bad");
}
END_TEST

int main(void)
{
        Suite *s = suite_create("facts");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_set_get_replace);
        tcase_add_test(tc, test_value_to_string);
        tcase_add_test(tc, test_copy);
        tcase_add_test(tc, test_add_problem);
        suite_add_tcase(s, tc);
        return check_run(s);
}
