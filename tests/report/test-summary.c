/* SPDX-License-Identifier: MIT */
/* The fleet summary (src/report/summary*.c): which report of a host counts, host states, the
 * ranking of rules, the exit status, bad input, times and durations, escaping. Fixtures:
 * tests/fixtures/summarize (hand-made reports) and reports written here. */
#include <stdio.h>
#include <unistd.h>

#include "check-run.h"
#include "formats/json-util.h"
#include "report/summary.h"

#define DIR FIXTURES "/summarize"
#define NOW "2026-11-30T10:00:00Z"

static void summary_init(Summary *s, Severity fail_on)
{
        *s = (Summary){.max_age = SUMMARY_MAX_AGE_DEFAULT, .fail_on = fail_on};
        ck_assert_int_eq(summary_parse_time(NOW, &s->now), 0);
}

static const SummaryHost *host(const Summary *s, const char *name)
{
        for (size_t i = 0; i < s->n_hosts; i++)
                if (streq(s->hosts[i].name, name))
                        return &s->hosts[i];
        ck_abort_msg("no host %s", name);
        return NULL;
}

/* A temporary report file holding text; the path is static storage. */
static const char *write_tmp(const char *name, const char *text)
{
        static char path[256];
        FILE *f;

        snprintf(path, sizeof path, "/tmp/test-summary-%d-%s", (int) getpid(), name);
        f = fopen(path, "we");
        ck_assert_ptr_nonnull(f);
        fputs(text, f);
        ck_assert_int_eq(fclose(f), 0);
        return path;
}

static char *to_string(int (*fmt)(const Summary *, FILE *), const Summary *s)
{
        char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);

        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(fmt(s, f), 0);
        fclose(f);
        return buf;
}

START_TEST(test_summary_fleet)
{
        _cleanup_(summary_done) Summary s;
        _cleanup_free_ char *err = NULL;
        char *expect[] = {(char *) "alpha", (char *) "zeta", NULL};

        summary_init(&s, SEVERITY_MEDIUM);
        /* alpha.json before its older report in the order read: the newer stays. */
        ck_assert_int_eq(summary_add_file(&s, DIR "/alpha.json", &err), 0);
        ck_assert_int_eq(summary_add_file(&s, DIR "/alpha-2026-11-29.json", &err), 0);
        ck_assert_int_eq(summary_add_dir(&s, DIR, &err), 0);
        ck_assert_int_eq(summary_expect(&s, expect), 0);
        ck_assert_int_eq(summary_finish(&s), 0);

        ck_assert_uint_eq(s.n_hosts, 7);
        ck_assert_str_eq(host(&s, "alpha")->file, DIR "/alpha.json");
        ck_assert_int_eq(summary_host_state(host(&s, "alpha")), HOST_FAILING);
        ck_assert_uint_eq(host(&s, "alpha")->n_waived, 1);
        ck_assert_uint_eq(host(&s, "alpha")->n_stale, 1);
        ck_assert_int_eq(summary_host_state(host(&s, "beta")), HOST_CLEAN);
        ck_assert_int_eq(summary_host_state(host(&s, "delta")), HOST_INCOMPLETE);
        ck_assert_int_eq(summary_host_state(host(&s, "epsilon")), HOST_OLD);
        ck_assert_int_eq(summary_host_state(host(&s, "zeta")), HOST_MISSING);
        /* a report without host identity is named by its file */
        ck_assert(host(&s, "legacy")->time_from_file);
        ck_assert_int_eq(summary_exit_status(&s), 2);

        /* ranked: most failing hosts first, then severity */
        ck_assert_str_eq(s.rules[0].id, "mountflags-slave-with-live-restore");
        ck_assert_uint_eq(s.rules[0].n_fail, 2);
        ck_assert_str_eq(s.rules[1].id, "log-size-unbounded");
        ck_assert_str_eq(s.rules[2].id, "detach-mounts-disabled");
        ck_assert_str_eq(summary_cell_status(host(&s, "alpha")->cells[1]), "waived");
        ck_assert_str_eq(summary_cell_status(host(&s, "legacy")->cells[1]), "absent");
}
END_TEST

/* Without the trouble, failing decides; --fail-on low makes a low finding count. */
START_TEST(test_summary_exit_status)
{
        Severity levels[] = {SEVERITY_MEDIUM, SEVERITY_LOW, SEVERITY_HIGH};
        int expected_beta_epsilon[] = {0, 1, 0};

        for (size_t i = 0; i < ELEMENTSOF(levels); i++) {
                _cleanup_(summary_done) Summary s;
                _cleanup_free_ char *err = NULL;

                summary_init(&s, levels[i]);
                s.max_age = 30 * 86400; /* epsilon is 10 days old */
                ck_assert_int_eq(summary_add_file(&s, DIR "/beta.json", &err), 0);
                ck_assert_int_eq(summary_add_file(&s, DIR "/epsilon.json", &err), 0);
                ck_assert_int_eq(summary_finish(&s), 0);
                ck_assert_int_eq(summary_exit_status(&s), expected_beta_epsilon[i]);
        }
}
END_TEST

START_TEST(test_summary_bad_input)
{
        static const struct {
                const char *text, *error;
        } cases[] = {
                {"{\n \"schema\": \"dockaudit-report/1\",\n \"results\": [ 1 2 ]\n}\n", ":3:17: "},
                {"{\"schema\": \"dockaudit-facts/1\", \"facts\": {}}", "not a dockaudit report"},
                {"{\"schema\": \"dockaudit-report/1\", \"results\": {}, \"summary\": {\"exit_status\": 0}}",
                        "\"results\" must be an array"},
                {"{\"schema\": \"dockaudit-report/1\", \"results\": [], \"summary\": {}}", "exit_status"},
                {"{\"schema\": \"dockaudit-report/1\", \"results\": [{\"id\": \"x\", \"status\": "
                 "\"maybe\"}], "
                 "\"summary\": {\"exit_status\": 0}}",
                        "unknown \"status\""},
                {"{\"schema\": \"dockaudit-report/1\", \"host\": {\"hostname\": 7}, \"results\": [], "
                 "\"summary\": {\"exit_status\": 0}}",
                        "wrong type"},
                {"{\"schema\": \"dockaudit-report/1\", \"host\": {\"time\": \"yesterday\"}, \"results\": "
                 "[], "
                 "\"summary\": {\"exit_status\": 0}}",
                        "not an RFC 3339 time"},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_(summary_done) Summary s;
                _cleanup_free_ char *err = NULL;
                const char *path = write_tmp("bad.json", cases[i].text);

                summary_init(&s, SEVERITY_MEDIUM);
                ck_assert_int_eq(summary_add_file(&s, path, &err), -EINVAL);
                ck_assert_msg(err && strstr(err, path) && strstr(err, cases[i].error), "case %zu: %s", i,
                        strempty(err));
                unlink(path);
        }
}
END_TEST

START_TEST(test_summary_time)
{
        time_t t;
        uint64_t d;

        ck_assert_int_eq(summary_parse_time("2026-11-30T10:00:00Z", &t), 0);
        ck_assert_int_eq(t, 1796032800);
        ck_assert_int_eq(summary_parse_time("2026-11-30T11:30:00.25+01:30", &t), 0);
        ck_assert_int_eq(t, 1796032800);
        ck_assert_int_eq(summary_parse_time("2026-11-30T08:00:00-02:00", &t), 0);
        ck_assert_int_eq(t, 1796032800);
        ck_assert_int_eq(summary_parse_time("2026-11-30 10:00:00Z", &t), -EINVAL);
        ck_assert_int_eq(summary_parse_time("2026-11-30T10:00:00", &t), -EINVAL);
        ck_assert_int_eq(summary_parse_time("2026-11-30T10:00:00Zjunk", &t), -EINVAL);
        ck_assert_int_eq(summary_parse_duration("2d", &d), 0);
        ck_assert_uint_eq(d, 172800);
        ck_assert_int_eq(summary_parse_duration("90", &d), 0);
        ck_assert_uint_eq(d, 90);
        ck_assert_int_eq(summary_parse_duration("36h", &d), 0);
        ck_assert_uint_eq(d, 129600);
        ck_assert_int_eq(summary_parse_duration("1w", &d), 0);
        ck_assert_uint_eq(d, 604800);
        ck_assert_int_eq(summary_parse_duration("2days", &d), -EINVAL);
        ck_assert_int_eq(summary_parse_duration("-1h", &d), -EINVAL);
        ck_assert_int_eq(summary_parse_duration("", &d), -EINVAL);
}
END_TEST

/* The hostile host name and message never appear as markup in JUnit or HTML, and JSON keeps
 * them as they are. */
START_TEST(test_summary_escaping)
{
        _cleanup_(summary_done) Summary s;
        _cleanup_free_ char *err = NULL, *html = NULL, *junit = NULL, *text = NULL;
        _cleanup_json_ json_t *doc = NULL;

        summary_init(&s, SEVERITY_MEDIUM);
        ck_assert_int_eq(summary_add_file(&s, DIR "/gamma.json", &err), 0);
        ck_assert_int_eq(summary_finish(&s), 0);
        html = to_string(summary_html, &s);
        junit = to_string(summary_junit, &s);
        text = to_string(summary_text, &s);
        ck_assert_ptr_null(strstr(html, "<script>document"));
        ck_assert_ptr_null(strstr(html, "<img"));
        ck_assert_ptr_nonnull(strstr(html, "&lt;script&gt;document.body.setAttribute(&#39;data-pwned&#39;"));
        ck_assert_ptr_null(strstr(junit, "<script>"));
        ck_assert_ptr_nonnull(strstr(junit, "KillMode=&lt;img src=x"));
        ck_assert_ptr_nonnull(strstr(text, "<script>document"));
        doc = summary_to_json(&s);
        ck_assert_ptr_nonnull(doc);
        ck_assert_str_eq(
                json_string_value(json_object_get(json_array_get(json_object_get(doc, "hosts"), 0), "name")),
                "<script>document.body.setAttribute('data-pwned','1')</script>");
}
END_TEST

int main(void)
{
        Suite *s = suite_create("summary");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_summary_fleet);
        tcase_add_test(tc, test_summary_exit_status);
        tcase_add_test(tc, test_summary_bad_input);
        tcase_add_test(tc, test_summary_time);
        tcase_add_test(tc, test_summary_escaping);
        suite_add_tcase(s, tc);
        return check_run(s);
}
