/* SPDX-License-Identifier: MIT */
/* report-leaks.c: what reaches a terminal or a JSON reader from process names, units, paths
 * and container names (a process can name itself ESC]0;...BEL, a path holds any byte), and
 * the JSON documents of an incomplete report and of a failure. */
#include <check.h>
#include <jansson.h>

#include "check-run.h"

#include "formats/json-util.h"
#include "report/report-leaks.h"

/* One leak of container "web\e[2J" at a path with ESC and a non-UTF-8 byte, held by a process
 * named ESC]0;pwned BEL\xff in a unit with a control in its name. */
static void fake_report(LeakReport *rep, LeakHolder *h, LeakNamespace *ns, Leak *l, char **problems)
{
        *h = (LeakHolder){
                .pid = 42, .comm = (char *) "\x1b]0;pwned\x07\xff", .unit = (char *) "a\x01.service"};
        *ns = (LeakNamespace){.ino = 4026532000, .holders = h, .n_holders = 1};
        *l = (Leak){.mount_point = (char *) "/var/lib/docker/volumes/\x1b[31m\xfe/_data",
                .fstype = (char *) "ext4",
                .kind = "volume",
                .key = (char *) "\x1b[31m\xfe",
                .container_id = (char *) "c0ffee",
                .container_name = (char *) "web\x1b[2J",
                .container_state = (char *) "running"};
        problems[0] = (char *) "mnt:[1] (pid 7) not judged: /proc/7/mountinfo took longer than 2000 ms";
        problems[1] = NULL;
        *rep = (LeakReport){.root_dir = (char *) "/var/lib/docker",
                .leaks = l,
                .n_leaks = 1,
                .namespaces = ns,
                .n_namespaces = 1,
                .dockerd_known = true,
                .reference = (char *) "dockerd's namespace mnt:[1] (pid 1)",
                .problems = problems};
}

START_TEST(test_text_escaped)
{
        LeakReport rep;
        LeakHolder h;
        LeakNamespace ns;
        Leak l;
        char *problems[2], *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);

        fake_report(&rep, &h, &ns, &l, problems);
        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(report_leaks_text(&rep, f), 0);
        ck_assert_int_eq(fclose(f), 0);
        for (size_t i = 0; i < size; i++)
                ck_assert_msg((unsigned char) buf[i] >= 0x20 || buf[i] == '\n',
                        "control byte %#x at %zu in:\n%s", (unsigned char) buf[i], i, buf);
        ck_assert_ptr_nonnull(strstr(buf, "web\\x1b[2J (c0ffee, running)"));
        ck_assert_ptr_nonnull(strstr(buf, "/var/lib/docker/volumes/\\x1b[31m\\xfe/_data"));
        ck_assert_ptr_nonnull(strstr(buf, "42 \\x1b]0;pwned\\x07\\xff (a\\x01.service)"));
        ck_assert_ptr_nonnull(strstr(buf, "Incomplete: mnt:[1] (pid 7) not judged"));
        free(buf);
}
END_TEST

START_TEST(test_json_valid)
{
        _cleanup_json_ json_t *doc = NULL, *again = NULL, *err = NULL;
        _cleanup_free_ char *text = NULL;
        LeakReport rep;
        LeakHolder h;
        LeakNamespace ns;
        Leak l;
        char *problems[2];
        json_error_t e;

        fake_report(&rep, &h, &ns, &l, problems);
        /* a string that is not UTF-8 made the document NULL ("out of memory") before */
        doc = report_leaks_to_json(&rep);
        ck_assert_ptr_nonnull(doc);
        text = json_dumps(doc, 0);
        ck_assert_ptr_nonnull(text);
        again = json_loads(text, 0, &e);
        ck_assert_msg(again != NULL, "%s", e.text);
        ck_assert_str_eq(
                json_string_value(json_object_get(
                        json_array_get(
                                json_object_get(
                                        json_array_get(json_object_get(again, "namespaces"), 0), "holders"),
                                0),
                        "comm")),
                "\x1b]0;pwned\x07\\xff");
        ck_assert(json_is_false(json_object_get(again, "complete")));
        ck_assert_int_eq(json_array_size(json_object_get(again, "problems")), 1);
        ck_assert(json_is_true(json_object_get(again, "dockerd_namespace_known")));

        err = report_leaks_error_json("/run/docker.sock: \xff no such socket");
        ck_assert_ptr_nonnull(err);
        ck_assert_str_eq(json_string_value(json_object_get(err, "schema")), LEAKS_SCHEMA);
        ck_assert_str_eq(
                json_string_value(json_object_get(err, "error")), "/run/docker.sock: \\xff no such socket");
        ck_assert(json_is_false(json_object_get(err, "complete")));
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("report-leaks");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_text_escaped);
        tcase_add_test(tc, test_json_valid);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
