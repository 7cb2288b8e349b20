/* SPDX-License-Identifier: MIT */
#include <check.h>

#include "check-run.h"

#include "rules/fact-catalog.h"
#include "rules/facts-json.h"

START_TEST(test_catalog_sorted_and_typed)
{
        size_t n;
        const FactDef *all = fact_catalog_all(&n);

        ck_assert_uint_gt(n, 20);
        for (size_t i = 1; i < n; i++)
                ck_assert_msg(strcmp(all[i - 1].name, all[i].name) < 0, "catalog not sorted at %s", all[i].name);
        ck_assert_ptr_nonnull(fact_catalog_lookup("unit.mount_flags"));
        ck_assert_int_eq(fact_catalog_lookup("kernel.rhel_build")->type, FACT_VERSION);
        ck_assert_ptr_null(fact_catalog_lookup("unit.mountflags"));
}
END_TEST

START_TEST(test_set_get_replace)
{
        _cleanup_facts_ Facts f = {};
        const Fact *x;
        char *l[] = { "a", "b", NULL };

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
        char *l[] = { "/a.conf", "/b.conf", NULL };
        char *empty[] = { NULL };
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

static char *write_tmp(const char *content)
{
        char *p = strdup("/tmp/check-facts.XXXXXX");
        int fd = mkstemp(p);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(write(fd, content, strlen(content)), (ssize_t) strlen(content));
        close(fd);
        return p;
}

START_TEST(test_json_round_trip)
{
        _cleanup_facts_ Facts f = {}, g = {}, copy = {};
        char *l[] = { "--live-restore", NULL };
        _cleanup_free_ char *path = NULL, *err = NULL, *text = NULL;
        json_t *doc;

        facts_set_string(&f, "kernel.release", "3.10.0-514.el7.x86_64", "/proc/sys/kernel/osrelease");
        facts_set_list(&f, "dockerd.argv", l, "/etc/default/docker:2");
        facts_set_number(&f, "kernel.may_detach_mounts", 0, "/proc/sys/fs/may_detach_mounts");
        facts_set_unknown(&f, "docker.running", "no socket");
        ck_assert_int_eq(facts_copy(&f, &copy), 0);

        doc = json_pack("{s:s, s:o}", "schema", "dockaudit-facts/1", "facts", facts_to_json(&copy));
        text = json_dumps(doc, 0);
        json_decref(doc);
        path = write_tmp(text);
        ck_assert_int_eq(facts_load_json_file(path, &g, &err), 0);
        unlink(path);

        ck_assert_uint_eq(g.n, 4);
        ck_assert_str_eq(facts_get(&g, "kernel.release")->str, "3.10.0-514.el7.x86_64");
        ck_assert_str_eq(facts_get(&g, "kernel.release")->source, "/proc/sys/kernel/osrelease");
        ck_assert_str_eq(facts_get(&g, "dockerd.argv")->list[0], "--live-restore");
        ck_assert_int_eq(facts_get(&g, "kernel.may_detach_mounts")->num, 0);
        ck_assert(facts_get(&g, "kernel.may_detach_mounts")->known);
        ck_assert(!facts_get(&g, "docker.running")->known);
        ck_assert_str_eq(facts_get(&g, "docker.running")->reason, "no socket");
}
END_TEST

static void expect_load_error(const char *content, const char *needle)
{
        _cleanup_facts_ Facts g = {};
        _cleanup_free_ char *path = write_tmp(content), *err = NULL;

        ck_assert_int_eq(facts_load_json_file(path, &g, &err), -EINVAL);
        ck_assert_msg(err && strstr(err, needle), "error '%s' lacks '%s'", err, needle);
        ck_assert_msg(strstr(err, path) != NULL, "error '%s' does not name the file", err);
        unlink(path);
}

START_TEST(test_json_errors)
{
        expect_load_error("{\"schema\": \"dockaudit-facts/1\",\n \"facts\": {,}}", ":2:");
        expect_load_error("{\"schema\": \"other\", \"facts\": {}}", "not a dockaudit facts file");
        expect_load_error("{\"schema\": \"dockaudit-facts/1\", \"facts\": []}", "must be an object");
        expect_load_error("{\"schema\": \"dockaudit-facts/1\", \"facts\": {\"unit.main_pid\": "
                          "{\"type\": \"string\", \"known\": true, \"value\": \"1\"}}}",
                "expected number");
        expect_load_error("{\"schema\": \"dockaudit-facts/1\", \"facts\": {\"kernel.release\": "
                          "{\"type\": \"string\", \"known\": true, \"value\": 3}}}",
                "does not match");
        expect_load_error("{\"schema\": \"dockaudit-facts/1\", \"facts\": {\"x\": {\"known\": true}}}",
                "needs \"type\"");
}
END_TEST

int main(void)
{
        Suite *s = suite_create("facts");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_catalog_sorted_and_typed);
        tcase_add_test(tc, test_set_get_replace);
        tcase_add_test(tc, test_value_to_string);
        tcase_add_test(tc, test_json_round_trip);
        tcase_add_test(tc, test_json_errors);
        suite_add_tcase(s, tc);
        return check_run(s);
}
