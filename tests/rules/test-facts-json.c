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

static void check_fact_eq(const Fact *a, const Fact *b)
{
        ck_assert_ptr_nonnull(b);
        ck_assert_str_eq(a->name, b->name);
        ck_assert_int_eq(a->type, b->type);
        ck_assert_int_eq(a->known, b->known);
        ck_assert_str_eq(strempty(a->str), strempty(b->str));
        ck_assert_str_eq(strempty(a->source), strempty(b->source));
        ck_assert_str_eq(strempty(a->reason), strempty(b->reason));
        ck_assert_uint_eq(strv_length(a->list), strv_length(b->list));
        for (size_t i = 0; a->list && a->list[i]; i++)
                ck_assert_str_eq(a->list[i], b->list[i]);
}

static char *facts_doc(const Facts *f)
{
        json_t *doc = json_pack("{s:s, s:o}", "schema", "dockaudit-facts/1", "facts", facts_to_json(f));
        char *text;

        ck_assert_ptr_nonnull(doc);
        text = json_dumps(doc, JSON_PRESERVE_ORDER);
        json_decref(doc);
        ck_assert_ptr_nonnull(text);
        return text;
}

/* Bytes that are not UTF-8 (a Latin-1 unit name, a stray \xff) and control characters
 * (an ESC]0;...BEL title sequence) survive facts --format json and --facts FILE unchanged;
 * before, the value became null with "known": true and the file was refused. */
START_TEST(test_json_round_trip_bytes)
{
        _cleanup_facts_ Facts f = {}, g = {};
        char *l[] = {"--label=caf\xe9", "\033]0;pwned\007", "a\\b", NULL};
        _cleanup_free_ char *path = NULL, *err = NULL, *text = NULL, *again = NULL;

        ck_assert_int_eq(facts_set_string(&f, "unit.name", "\xff.service", "dbus:Id"), 0);
        ck_assert_int_eq(facts_set_list(&f, "dockerd.argv", l, "/etc/default/\xfe:2"), 0);
        ck_assert_int_eq(facts_set_string(&f, "unit.fragment_path", "/x/a\\x2db\001\t.service", "s\033"), 0);
        ck_assert_int_eq(facts_set_unknown(&f, "docker.running", "no socket \xc0\xaf\\"), 0);
        text = facts_doc(&f);
        /* Valid strings stay readable, backslashes and all. */
        ck_assert_ptr_nonnull(strstr(text, "\"/x/a\\\\x2db\\u0001\\t.service\""));
        ck_assert_ptr_nonnull(strstr(text, "\"\\\\xff.service\""));
        path = write_tmp(text);
        ck_assert_msg(facts_load_json_file(path, &g, &err) == 0, "%s", err);
        unlink(path);
        ck_assert_uint_eq(g.n, f.n);
        for (size_t i = 0; i < f.n; i++)
                check_fact_eq(&f.v[i], facts_get(&g, f.v[i].name));
        again = facts_doc(&g);
        ck_assert_str_eq(again, text);
}
END_TEST

START_TEST(test_json_bad_escape)
{
        expect_load_error(
                "{\"schema\": \"dockaudit-facts/1\", \"facts\": {\"kernel.release\": "
                "{\"type\": \"string\", \"known\": true, \"escaped\": true, \"value\": \"a\\\\n\"}}}",
                "\"escaped\" but");
        expect_load_error(
                "{\"schema\": \"dockaudit-facts/1\", \"facts\": {\"kernel.release\": "
                "{\"type\": \"string\", \"known\": true, \"escaped\": true, \"value\": \"\\\\x00\"}}}",
                "\"escaped\" but");
}
END_TEST

/* Infinity (INT64_MAX) after a tool that computes in doubles (jq 1.6): 9223372036854776000. */
START_TEST(test_json_infinity_through_doubles)
{
        _cleanup_facts_ Facts f = {};
        _cleanup_free_ char
                *err = NULL,
                *path = write_tmp(
                        "{\"schema\": \"dockaudit-facts/1\", \"facts\": {"
                        "\"unit.limit_nofile\": {\"type\": \"number\", \"known\": true, \"value\": "
                        "9223372036854776000},"
                        "\"unit.tasks_max\": {\"type\": \"number\", \"known\": true, \"value\": 4915}}}");

        ck_assert_int_eq(facts_load_json_file(path, &f, &err), 0);
        ck_assert_int_eq(facts_get(&f, "unit.limit_nofile")->num, 9223372036854775807LL);
        ck_assert_int_eq(facts_get(&f, "unit.tasks_max")->num, 4915);
        unlink(path);
        expect_load_error(
                "{\"schema\": \"dockaudit-facts/1\", \"facts\": {\"unit.limit_nofile\": {\"type\": "
                "\"number\", \"known\": true, \"value\": 9223372036854776000}, \"unit.tasks_max\": "
                "{\"type\": \"number\", \"known\": true, \"value\": 1.5}}}",
                "unit.tasks_max");
}
END_TEST

int main(void)
{
        Suite *s = suite_create("facts_json");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_json_round_trip);
        tcase_add_test(tc, test_json_errors);
        tcase_add_test(tc, test_json_round_trip_bytes);
        tcase_add_test(tc, test_json_bad_escape);
        tcase_add_test(tc, test_json_infinity_through_doubles);
        suite_add_tcase(s, tc);
        return check_run(s);
}
