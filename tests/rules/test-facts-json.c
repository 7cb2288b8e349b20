/* SPDX-License-Identifier: MIT */
/* Facts to and from JSON files (src/rules/facts-json.c). */
#include <check.h>

#include "check-run.h"

#include "rules/facts-json.h"

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
        char *l[] = {"--live-restore", NULL};
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
        Suite *s = suite_create("facts_json");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_json_round_trip);
        tcase_add_test(tc, test_json_errors);
        suite_add_tcase(s, tc);
        return check_run(s);
}
