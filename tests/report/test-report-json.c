/* SPDX-License-Identifier: MIT */
/* The JSON report (src/report/report-json.c): bytes that are not UTF-8, disabled rules,
 * --strict. jansson refuses such strings: the report used to fail with "Cannot allocate
 * memory" and print nothing. */
#include "check-run.h"
#include "formats/json-util.h"
#include "report-test-util.h"

static json_t *result(json_t *doc, const char *id)
{
        size_t i;
        json_t *e;

        json_array_foreach(json_object_get(doc, "results"), i, e)
        {
                if (streq(json_string_value(json_object_get(e, "id")), id))
                        return e;
        }
        ck_abort_msg("no result %s", id);
        return NULL;
}

static const char *str_at(json_t *o, const char *a, const char *b)
{
        json_t *v = json_object_get(o, a);

        if (b)
                v = json_object_get(v, b);
        ck_assert_msg(json_is_string(v), "%s.%s is not a string", a, strempty(b));
        return json_string_value(v);
}

START_TEST(test_json_bytes)
{
        Hostile h;
        _cleanup_free_ char *out = NULL;
        _cleanup_json_ json_t *doc = NULL;
        json_t *hostile, *ev;

        hostile_make(&h, false);
        out = report_to_string(report_json, &h.report);
        doc = json_loads(out, 0, NULL);
        ck_assert_ptr_nonnull(doc);
        ck_assert_str_eq(str_at(doc, "target", "unit"), "caf\\xe9\\xff.service");
        ck_assert_str_eq(str_at(doc, "target", "root"), "/tmp/\\xff");
        ck_assert_str_eq(json_string_value(json_array_get(json_object_get(doc, "problems"), 0)),
                "/etc/\033]0;x\007:1: caf\\xe9\\xff.service");
        /* The facts: escaped, and said so, so that --facts gives the bytes back. */
        ck_assert(json_is_true(
                json_object_get(json_object_get(json_object_get(doc, "facts"), "unit.name"), "escaped")));
        ck_assert_str_eq(
                str_at(json_object_get(doc, "facts"), "unit.name", "value"), "caf\\xe9\\xff.service");
        ck_assert_str_eq(str_at(json_object_get(doc, "facts"), "unit.name", "source"), "dbus:\033[2J");
        hostile = result(doc, "hostile");
        ck_assert_str_eq(str_at(hostile, "status", NULL), "fail");
        ck_assert_str_eq(str_at(hostile, "message", NULL),
                "unit caf\\xe9\\xff.service runs /usr/bin/dockerd, --label=\033]0;pwned\007\\\\x41 "
                "(/etc/default/\\xfe:1)");
        ev = json_array_get(json_object_get(hostile, "evidence"), 0);
        ck_assert_str_eq(str_at(ev, "fact", NULL), "unit.name");
        ck_assert_str_eq(str_at(ev, "value", NULL), "caf\\xe9\\xff.service");
        ck_assert(json_is_true(json_object_get(ev, "escaped")));
        /* An escaped fact doubles its backslashes. */
        ev = json_object_get(json_object_get(doc, "facts"), "dockerd.argv");
        ck_assert_str_eq(json_string_value(json_array_get(json_object_get(ev, "value"), 1)),
                "--label=\033]0;pwned\007\\\\x41");
        hostile_done(&h);
}
END_TEST

START_TEST(test_json_disabled_and_strict)
{
        Hostile h;
        _cleanup_free_ char *by = NULL;
        _cleanup_json_ json_t *doc = NULL;
        json_t *gone, *summary;

        hostile_make(&h, true);
        doc = report_to_json(&h.report);
        ck_assert_ptr_nonnull(doc);
        gone = result(doc, "gone");
        by = strdupf("%s/gone.rule", h.dir);
        ck_assert_str_eq(str_at(gone, "status", NULL), "disabled");
        ck_assert_str_eq(str_at(gone, "disabled_by", NULL), by);
        summary = json_object_get(doc, "summary");
        ck_assert_int_eq(json_integer_value(json_object_get(summary, "disabled")), 1);
        ck_assert_int_eq(json_integer_value(json_object_get(summary, "skip")), 1);
        ck_assert(json_is_true(json_object_get(summary, "strict")));
        ck_assert_str_eq(str_at(result(doc, "skipped"), "status", NULL), "skip");
        ck_assert_str_eq(json_string_value(json_array_get(json_object_get(doc, "problems"), 0)),
                "rule skipped skipped: docker.live_restore unknown: not collected");
        hostile_done(&h);
}
END_TEST

/* No rules and no facts (could not audit at all): still the whole document. */
START_TEST(test_json_empty)
{
        Facts none = {};
        Findings nothing = {};
        char *problems[] = {(char *) "no rules found (looked in: /x)", NULL};
        Report r = {.unit = "docker.service",
                .facts = &none,
                .findings = &nothing,
                .problems = problems,
                .exit_status = 2};
        _cleanup_free_ char *out = report_to_string(report_json, &r);
        _cleanup_json_ json_t *doc = json_loads(out, 0, NULL);

        ck_assert_ptr_nonnull(doc);
        ck_assert_str_eq(str_at(doc, "schema", NULL), "dockaudit-report/1");
        ck_assert_uint_eq(json_array_size(json_object_get(doc, "results")), 0);
        ck_assert(json_is_null(json_object_get(json_object_get(doc, "target"), "root")));
        ck_assert_int_eq(
                json_integer_value(json_object_get(json_object_get(doc, "summary"), "exit_status")), 2);
}
END_TEST

int main(void)
{
        Suite *s = suite_create("report-json");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_json_bytes);
        tcase_add_test(tc, test_json_disabled_and_strict);
        tcase_add_test(tc, test_json_empty);
        suite_add_tcase(s, tc);
        return check_run(s);
}
