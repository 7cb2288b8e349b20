/* SPDX-License-Identifier: MIT */
/* dockaudit summarize: many JSON reports (files or directories of them) into one fleet report. */
#include <getopt.h>
#include <sys/stat.h>

#include "basic/error-util.h"
#include "basic/fileio.h"
#include "basic/output.h"
#include "basic/string-util.h"
#include "basic/strv.h"
#include "cli/cmd-args.h"
#include "cli/cmd.h"
#include "report/summary.h"

typedef enum Format {
        FORMAT_TEXT,
        FORMAT_JSON,
        FORMAT_JUNIT,
        FORMAT_HTML,
} Format;

typedef struct Args {
        Format format;
        const char *output;
        Severity fail_on;
        uint64_t max_age;
        time_t now;
        const char *hosts; /* --hosts FILE|LIST */
        char **inputs; /* borrowed from argv */
} Args;

static int help(FILE *f)
{
        fprintf(f,
                "Usage: dockaudit summarize [--format text|json|junit|html] [-o FILE] [--fail-on SEVERITY]\n"
                "                           [--max-age DURATION] [--now TIME] [--hosts FILE|LIST]\n"
                "                           REPORT.json...|DIR...\n"
                "\n"
                "Reads JSON reports (dockaudit audit --format json; a directory: its *.json files) and\n"
                "prints one fleet report: hosts x rules, the failing rules ranked by host count, waived\n"
                "findings and stale waivers, old, missing and incomplete reports. Hosts are named by\n"
                "the report's host.hostname (else the file name); of several reports of one host the\n"
                "newest counts.\n"
                "  --format FORMAT     text (default), json (schema dockaudit-summary/1), junit (one\n"
                "                      testsuite per host) or html (one self-contained page)\n"
                "  -o, --output FILE   write the summary to FILE atomically\n"
                "  --fail-on SEVERITY  info, low, medium (default) or high: the lowest severity of a\n"
                "                      failed rule that makes a host failing\n"
                "  --max-age DURATION  a report older than this is old (default 2d; s, m, h, d, w)\n"
                "  --now TIME          measure ages from TIME (RFC 3339, e.g. 2026-11-30T10:00:00Z)\n"
                "                      instead of the clock\n"
                "  --hosts FILE|LIST   the hosts expected (a file of names, one a line, or a comma-\n"
                "                      separated list): those without a report are missing\n"
                "  -h, --help          this help\n"
                "Exit status: 0 every host clean, 1 a host fails at or above --fail-on, 2 a report is\n"
                "missing, old or incomplete, or bad input (a malformed report: nothing is written).\n");
        return 0;
}

static int parse_format(const char *s, Format *ret)
{
        static const char *const names[] = {"text", "json", "junit", "html"};

        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if (streq(s, names[i])) {
                        *ret = (Format) i;
                        return 0;
                }
        return log_errorf_errno(-EINVAL, "--format: expected text, json, junit or html, not '%s'", s);
}

static int parse_option(int c, Args *a)
{
        switch (c) {
        case 'f':
                return parse_format(optarg, &a->format);
        case 'o':
                a->output = optarg;
                return 0;
        case 'F':
                return parse_fail_on(optarg, &a->fail_on);
        case 'M':
                if (summary_parse_duration(optarg, &a->max_age) < 0)
                        return log_errorf_errno(-EINVAL,
                                "--max-age: expected a number with s, m, h, d or w (e.g. 2d), not '%s'",
                                optarg);
                return 0;
        case 'N':
                if (summary_parse_time(optarg, &a->now) < 0)
                        return log_errorf_errno(-EINVAL,
                                "--now: expected an RFC 3339 time (2026-11-30T10:00:00Z), not '%s'", optarg);
                return 0;
        case 'H':
                a->hosts = optarg;
                return 0;
        default:
                return -EINVAL; /* getopt_long() said why */
        }
}

static int parse_argv(int argc, char **argv, Args *a)
{
        static const struct option opts[] = {
                {"format", required_argument, NULL, 'f'},
                {"output", required_argument, NULL, 'o'},
                {"fail-on", required_argument, NULL, 'F'},
                {"max-age", required_argument, NULL, 'M'},
                {"now", required_argument, NULL, 'N'},
                {"hosts", required_argument, NULL, 'H'},
                {"help", no_argument, NULL, 'h'},
                {},
        };
        int c, r;

        while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) >= 0) {
                if (c == 'h')
                        return help(stdout);
                r = parse_option(c, a);
                if (r < 0)
                        return r;
        }
        if (optind >= argc)
                return log_errorf_errno(
                        -EINVAL, "summarize: no report given (see dockaudit summarize --help)");
        a->inputs = argv + optind;
        return 1;
}

/* --hosts: the names in FILE (one a line; blank lines and # comments skipped) when FILE exists,
 * else the comma-separated LIST. */
static int expected_hosts(const char *arg, char ***ret)
{
        _cleanup_free_ char *text = NULL;
        _cleanup_strv_free_ char **names = NULL;
        const char *sep = ",";
        struct stat st;
        size_t n = 0;
        int r;

        if (stat(arg, &st) >= 0) {
                r = read_full_file(arg, &text, NULL);
                if (r < 0)
                        return log_errorf_errno(r, "--hosts '%s': %s", arg, read_strerror(r));
                sep = "\n";
        } else {
                text = strdup(arg);
                if (!text)
                        return log_oom();
        }
        for (char *save = NULL, *tok = strtok_r(text, sep, &save); tok; tok = strtok_r(NULL, sep, &save)) {
                tok = strstrip(tok);
                if (*tok && *tok != '#' && strv_consume_at(&names, &n, strdup(tok)) < 0)
                        return log_oom();
        }
        *ret = TAKE_PTR(names);
        return 0;
}

/* Every report, or the first bad one logged (then nothing is written). */
static int summarize_load(const Args *a, Summary *s)
{
        _cleanup_strv_free_ char **expected = NULL;
        _cleanup_free_ char *err = NULL;
        struct stat st;
        int r;

        for (char **p = a->inputs; *p; p++) {
                r = stat(*p, &st) >= 0 && S_ISDIR(st.st_mode) ? summary_add_dir(s, *p, &err)
                                                              : summary_add_file(s, *p, &err);
                if (r < 0) {
                        _cleanup_free_ char *e = err ? utf8_escape_non_printable(err) : NULL;
                        return r == -ENOMEM ? log_oom() : log_error_errno(r, e ? e : err);
                }
        }
        if (a->hosts) {
                r = expected_hosts(a->hosts, &expected);
                if (r < 0)
                        return r;
                if (summary_expect(s, expected) < 0)
                        return log_oom();
        }
        if (s->n_hosts == 0)
                return log_errorf_errno(-ENODATA, "summarize: no report found in the arguments");
        if (summary_finish(s) < 0)
                return log_oom();
        return 0;
}

static int summarize_write(const Args *a, const Summary *s)
{
        _cleanup_(output_done) Output out = {};
        _cleanup_free_ char *err = NULL;
        int r;

        r = output_open(&out, a->output, &err);
        if (r < 0)
                return log_error_errno(r, err);
        switch (a->format) {
        case FORMAT_TEXT:
                r = summary_text(s, out.f);
                break;
        case FORMAT_JSON:
                r = summary_json(s, out.f);
                break;
        case FORMAT_JUNIT:
                r = summary_junit(s, out.f);
                break;
        case FORMAT_HTML:
                r = summary_html(s, out.f);
                break;
        }
        if (r >= 0)
                r = output_commit(&out, &err);
        if (r < 0)
                return err ? log_errorf_errno(r, "writing the summary: %s", err)
                           : log_errorf_errno(r, "writing the summary: %m");
        return 0;
}

int cmd_summarize(int argc, char **argv, const GlobalOptions *g)
{
        _cleanup_(summary_done) Summary s = {};
        Args a = {.format = FORMAT_TEXT,
                .fail_on = SEVERITY_MEDIUM,
                .max_age = SUMMARY_MAX_AGE_DEFAULT,
                .now = time(NULL)};
        int r;

        (void) g;
        r = parse_argv(argc, argv, &a);
        if (r <= 0)
                return r;
        s.now = a.now;
        s.max_age = a.max_age;
        s.fail_on = a.fail_on;
        r = summarize_load(&a, &s);
        if (r < 0)
                return r;
        r = summarize_write(&a, &s);
        if (r < 0)
                return r;
        return summary_exit_status(&s);
}
