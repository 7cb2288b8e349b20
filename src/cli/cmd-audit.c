/* SPDX-License-Identifier: MIT */
/* dockaudit audit: collect facts (or read them from a file), run the rules, report. */
#include <getopt.h>
#include <time.h>

#include <time.h>

#include "basic/output.h"
#include "basic/time-util.h"
#include "cli/cmd.h"
#include "collect/collect.h"
#include "report/report-dir.h"
#include "report/report-journal.h"
#include "report/report.h"
#include "rules/facts-json.h"
#include "rules/problems.h"

typedef enum Format {
        FORMAT_TEXT,
        FORMAT_JSON,
        FORMAT_JUNIT,
        FORMAT_SARIF,
        FORMAT_PROMETHEUS,
} Format;

typedef struct AuditArgs {
        Format format;
        const char *output; /* -o FILE, or NULL for stdout */
        const char *facts_file; /* --facts FILE, or NULL for this host */
        Severity fail_on;
        bool strict; /* --strict: a skipped rule makes the audit incomplete */
        const char *report_dir; /* --report-dir DIR: the JSON report kept there too */
        unsigned keep; /* --keep N: reports kept in report_dir */
        bool journal; /* --journal: each failing finding logged to the journal */
        const char *baseline; /* --baseline OLD.json, or NULL */
        bool fail_on_new; /* --fail-on-new: only findings new against the baseline fail */
        char *error; /* the first bad argument: parsing goes on, so that --format is known */
} AuditArgs;

static void audit_args_done(AuditArgs *a)
{
        free(a->error);
}

static int help(FILE *f)
{
        fprintf(f, "Usage: dockaudit audit [--format text|json|junit|sarif|prometheus] [-o FILE]\n"
                   "                       [--fail-on SEVERITY] [--facts FILE] [--strict]\n"
                   "                       [--report-dir DIR [--keep N]] [--journal]\n"
                   "                       [--baseline OLD.json [--fail-on-new]]\n"
                   "\n"
                   "Collects the facts, evaluates every rule and prints a report.\n"
                   "  --format FORMAT     text (default), json (schema dockaudit-report/1), junit,\n"
                   "                      sarif (SARIF 2.1.0) or prometheus (node_exporter textfile)\n"
                   "  -o, --output FILE   write the report to FILE atomically (a regular file or none)\n"
                   "  --fail-on SEVERITY  info, low, medium (default) or high: the lowest severity of a\n"
                   "                      failed rule that makes the exit status 1\n"
                   "  --facts FILE        evaluate a saved facts file (dockaudit facts --format json, or a\n"
                   "                      JSON report) instead of this host\n"
                   "  --strict            a rule skipped for an unknown fact is a problem (exit status 2)\n"
                   "  --report-dir DIR    also write the JSON report into DIR as report-TIME.json and\n"
                   "                      latest.json (DIR must hold only dockaudit's reports)\n"
                   "  --keep N            keep the newest N reports in the --report-dir (default 30)\n"
                   "  --journal           log each failing finding to the journal (MESSAGE_ID: rules show)\n"
                   "  --baseline OLD.json mark each failing finding new or unchanged against an earlier\n"
                   "                      JSON report (by fingerprint) and list what it had that no\n"
                   "                      longer fails as resolved\n"
                   "  --fail-on-new       with --baseline: only new findings at or above --fail-on make\n"
                   "                      the exit status 1\n"
                   "  -h, --help          this help\n"
                   "Global options (--user, --unit, --root, --rules-dir, ...): see dockaudit --help.\n"
                   "Exit status: 0 compliant, 1 findings at or above --fail-on, 2 could not audit.\n");
        return 0;
}

/* log_error_errno() with the bytes a terminal would act on escaped: msg may quote a hostile
 * file or argument. Returns r. */
static int log_error_escaped(int r, const char *msg)
{
        _cleanup_free_ char *e = msg ? utf8_escape_non_printable(msg) : NULL;

        return log_error_errno(r, e ? e : msg);
}

/* Keeps the first error of the command line (the report names it). Returns -ENOMEM or 0. */
static int args_error(AuditArgs *a, char *msg)
{
        if (!msg)
                return -ENOMEM;
        if (a->error)
                free(msg);
        else
                a->error = msg;
        return 0;
}

static int parse_format(const char *s, Format *ret)
{
        if (streq(s, "text"))
                *ret = FORMAT_TEXT;
        else if (streq(s, "json"))
                *ret = FORMAT_JSON;
        else if (streq(s, "junit"))
                *ret = FORMAT_JUNIT;
        else if (streq(s, "sarif"))
                *ret = FORMAT_SARIF;
        else if (streq(s, "prometheus"))
                *ret = FORMAT_PROMETHEUS;
        else
                return -EINVAL;
        return 0;
}

/* The message for what getopt_long() refused at argv[optind - 1] (opterr is off: the message
 * goes into the report too). */
static char *getopt_error(char **argv)
{
        const char *arg = argv[optind - 1];

        if (optopt != 0 && strchr("foFiRKB", optopt))
                return strdupf("option '%s' needs a value (see dockaudit audit --help)", arg);
        if (optopt != 0)
                return strdupf("unknown option '-%c' (see dockaudit audit --help)", optopt);
        return strdupf("unknown option '%s' (see dockaudit audit --help)", arg);
}

/* One option; a bad value is kept in a->error. Returns 0, or -ENOMEM. */
static int parse_option(int c, char **argv, AuditArgs *a)
{
        switch (c) {
        case 'f':
                if (parse_format(optarg, &a->format) < 0)
                        return args_error(a, strdupf("--format: expected text, json, junit, sarif or "
                                                     "prometheus, not '%s'",
                                                     optarg));
                return 0;
        case 'o':
                a->output = optarg;
                return 0;
        case 'F': {
                int r = severity_from_string(optarg);
                if (r < 0)
                        return args_error(a,
                                strdupf("--fail-on: expected info, low, medium or high, not '%s'", optarg));
                a->fail_on = (Severity) r;
                return 0;
        }
        case 'i':
                a->facts_file = optarg;
                return 0;
        case 'S':
                a->strict = true;
                return 0;
        case 'R':
                a->report_dir = optarg;
                return 0;
        case 'K': {
                unsigned long long n;
                if (safe_atou64(optarg, &n) < 0 || n < 1 || n > 100000)
                        return args_error(
                                a, strdupf("--keep: expected a number from 1 to 100000, not '%s'", optarg));
                a->keep = (unsigned) n;
                return 0;
        }
        case 'J':
                a->journal = true;
                return 0;
        case 'B':
                a->baseline = optarg;
                return 0;
        case 'N':
                a->fail_on_new = true;
                return 0;
        default:
                return args_error(a, getopt_error(argv));
        }
}

static int parse_argv(int argc, char **argv, AuditArgs *a)
{
        static const struct option opts[] = {
                {"format", required_argument, NULL, 'f'},
                {"output", required_argument, NULL, 'o'},
                {"fail-on", required_argument, NULL, 'F'},
                {"facts", required_argument, NULL, 'i'},
                {"strict", no_argument, NULL, 'S'},
                {"report-dir", required_argument, NULL, 'R'},
                {"keep", required_argument, NULL, 'K'},
                {"journal", no_argument, NULL, 'J'},
                {"baseline", required_argument, NULL, 'B'},
                {"fail-on-new", no_argument, NULL, 'N'},
                {"help", no_argument, NULL, 'h'},
                {},
        };
        int c;

        /* The whole line is read before an error is reported: `--bogus --format json` still
         * gets its JSON error report. */
        opterr = 0;
        while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) >= 0) {
                if (c == 'h')
                        return help(stdout);
                if (parse_option(c, argv, a) < 0)
                        return log_oom();
        }
        if (optind < argc && args_error(a, strdupf("unexpected argument '%s' (see dockaudit audit --help)",
                                                   argv[optind])) < 0)
                return log_oom();
        if (!a->error && a->keep > 0 && !a->report_dir)
                a->error = strdup("--keep needs --report-dir");
        if (a->fail_on_new && !a->baseline &&
                args_error(a,
                        strdup("--fail-on-new needs --baseline OLD.json (see dockaudit audit --help)")) < 0)
                return log_oom();
        if (a->error)
                return log_error_escaped(-EINVAL, a->error);
        return 1;
}

/* Rules, or *ret_error saying why not. */
static int audit_load_rules(const GlobalOptions *g, RuleSet *ret, char **ret_error)
{
        int r = rule_set_load(ret, g->rules_dirs, ret_error);

        if (r < 0)
                return log_error_escaped(r, *ret_error);
        return 0;
}

/* Waivers (after the rules: each names one), or *ret_error saying why not: a bad waiver
 * file is bad input, like a bad rule file. */
static int audit_load_waivers(const GlobalOptions *g, const RuleSet *rules, WaiverSet *ret, char **ret_error)
{
        int r = waiver_set_load(ret, g->waivers_dirs, rules, ret_error);

        if (r < 0)
                return log_error_escaped(r, *ret_error);
        return 0;
}

/* The waivers applied to the findings, matched with the audited host (host: collected, or
 * what --facts FILE says of its host) and its collection time; a facts file that names no
 * time is judged at the time of this evaluation. */
static int audit_apply_waivers(const HostIdentity *host, const WaiverSet *waivers, const Facts *facts,
        Findings *findings, const Waiver ***ret_stale)
{
        int64_t t = -1;

        if (!host->value[HOST_TIME] || parse_rfc3339(host->value[HOST_TIME], &t) < 0)
                t = (int64_t) time(NULL);
        if (waivers_apply(waivers, findings, facts,
                    &(WaiverContext){.hostname = host->value[HOST_HOSTNAME], .now = t}, ret_stale) < 0)
                return log_oom();
        return 0;
}

/* Facts and the host they describe, from the host or from --facts FILE, or *ret_error saying
 * why not. */
/* What collect_all() is given: the command line's unit, scope, root and budget. */
static CollectOptions audit_collect_options(const GlobalOptions *g)
{
        return (CollectOptions){.unit = g->unit,
                .user = g->user,
                .root = g->root,
                .timeout_usec = g->timeout_usec,
                .files_root = g->host_root,
                .sos = g->sos};
}

static int audit_load_facts(const char *facts_file, const CollectOptions *co, Facts *ret,
        HostIdentity *ret_host, char **ret_error)
{
        int r;

        if (facts_file) {
                r = facts_load_json_file_host(facts_file, ret, ret_host, ret_error);
                /* Nothing to evaluate is not a clean host: every rule would be skipped. */
                if (r >= 0 && ret->n == 0)
                        r = error_setf(ret_error, -ENODATA, "%s: holds no facts", facts_file);
                if (r >= 0)
                        r = kernel_derive_facts(ret);
                if (r < 0)
                        return log_error_escaped(r, *ret_error);
                return 0;
        }
        r = collect_host_identity(co, time(NULL), ret_host);
        if (r >= 0)
                r = collect_all(ret, co);
        if (r < 0) {
                error_setf(ret_error, r, "collecting facts failed: %s", strerror(-r));
                return log_error_errno(r, *ret_error);
        }
        return 0;
}

/* The findings, the report's problem list (facts_problems; with --strict also the skipped
 * rules) and whether the audit is incomplete (audit_problems: also the rules in error,
 * which the report lists with their results). */
static int audit_evaluate(const RuleSet *rules, const Facts *facts, bool strict, Findings *ret_findings,
        char ***ret_problems, bool *ret_incomplete)
{
        _cleanup_strv_free_ char **incomplete = NULL;

        if (findings_evaluate(rules, facts, ret_findings) < 0 || facts_problems(facts, ret_problems) < 0 ||
                audit_problems(facts, ret_findings, &incomplete) < 0)
                return log_oom();
        if (strict && (strict_problems(ret_findings, ret_problems) < 0 ||
                              strict_problems(ret_findings, &incomplete) < 0))
                return log_oom();
        *ret_incomplete = !strv_isempty(incomplete);
        return 0;
}

static int audit_write_report(const AuditArgs *a, const Report *rep, bool color)
{
        _cleanup_(output_done) Output out = {};
        _cleanup_free_ char *err = NULL;
        int r;

        r = output_open(&out, a->output, &err);
        if (r < 0)
                return log_error_errno(r, err);
        switch (a->format) {
        case FORMAT_TEXT:
                r = report_text(rep, out.f, color && !a->output);
                break;
        case FORMAT_JSON:
                r = report_json(rep, out.f);
                break;
        case FORMAT_JUNIT:
                r = report_junit(rep, out.f);
                break;
        case FORMAT_SARIF:
                r = report_sarif(rep, out.f);
                break;
        case FORMAT_PROMETHEUS:
                r = report_prometheus(rep, out.f, time(NULL));
                break;
        }
        if (r >= 0)
                r = output_commit(&out, &err);
        if (r < 0)
                return err ? log_errorf_errno(r, "writing the report: %s", err)
                           : log_errorf_errno(r, "writing the report: %m");
        return 0;
}

/* --report-dir and --journal (the periodic run): the JSON report into the directory, then
 * each failing finding into the journal. Either failing is "could not audit": EXIT_TROUBLE,
 * logged; else the audit's own status. */
static int audit_keep_report(const AuditArgs *a, const Report *rep)
{
        _cleanup_free_ char *path = NULL, *err = NULL;
        int r;

        if (a->report_dir) {
                r = report_dir_save(a->report_dir, rep, a->keep ?: REPORT_DIR_KEEP_DEFAULT, &path, &err);
                if (r < 0) {
                        log_errorf_errno(r, "--report-dir: %s", err ? err : strerror(-r));
                        return EXIT_TROUBLE;
                }
        }
        if (a->journal && (r = report_journal(rep, path, &err)) < 0) {
                log_errorf_errno(r, "--journal: %s", err ? err : strerror(-r));
                return EXIT_TROUBLE;
        }
        return rep->exit_status;
}

/* Could not audit at all (bad command line, rules, --facts FILE): the error is logged; JSON,
 * JUnit, SARIF and Prometheus still print a well-formed report that says why (no results, exit status 2), so
 * a pipeline that parses stdout sees the problem instead of nothing. */
static int audit_fail(const AuditArgs *a, const GlobalOptions *g, int r, const char *error)
{
        char *problems[] = {(char *) (error ? error : strerror(-r)), NULL};
        Facts none = {};
        Findings nothing = {};
        const Report rep = {
                .unit = g->unit,
                .user = g->user,
                .root = g->root,
                .facts = &none,
                .findings = &nothing,
                .facts_file = a->facts_file,
                .fail_on = a->fail_on,
                .strict = a->strict,
                .problems = problems,
                .exit_status = EXIT_TROUBLE,
        };

        /* The periodic run keeps the failed run's report too: evidence that it did not audit. */
        if (a->report_dir)
                audit_keep_report(&(AuditArgs){.report_dir = a->report_dir, .keep = a->keep}, &rep);
        if (a->format == FORMAT_TEXT)
                return r;
        r = audit_write_report(a, &rep, false);
        return r < 0 ? r : EXIT_TROUBLE;
}

/* --baseline OLD.json, or *ret_error saying why it is bad input. */
static int audit_load_baseline(const char *path, Baseline *ret, char **ret_error)
{
        int r = baseline_load(path, ret, ret_error);

        if (r < 0) {
                if (r == -ENOMEM && !*ret_error)
                        return log_oom();
                return log_error_escaped(r, *ret_error);
        }
        return 0;
}

/* 2 incomplete; 1 a failure at or above --fail-on (with --fail-on-new: a new one); else 0. */
static int audit_exit_status(
        const AuditArgs *a, const Findings *findings, const BaselineResult *b, bool incomplete)
{
        if (incomplete)
                return EXIT_TROUBLE;
        if (a->fail_on_new)
                return baseline_count_new(b, findings, a->fail_on) > 0 ? EXIT_FINDINGS : EXIT_COMPLIANT;
        return findings_count_failed(findings, a->fail_on) > 0 ? EXIT_FINDINGS : EXIT_COMPLIANT;
}

/* Problems also go to stderr, so a script that only keeps stdout still sees them. */
static void audit_log_problems(char **problems)
{
        for (char **p = problems; p && *p; p++)
                log_error_escaped(0, *p);
}

int cmd_audit(int argc, char **argv, const GlobalOptions *g)
{
        _cleanup_facts_ Facts facts = {};
        _cleanup_strv_free_ char **problems = NULL;
        _cleanup_(rule_set_done) RuleSet rules = {};
        _cleanup_(findings_done) Findings findings = {};
        _cleanup_(waiver_set_done) WaiverSet waivers = {};
        _cleanup_free_ const Waiver **stale = NULL;
        _cleanup_(audit_args_done) AuditArgs a = {.format = FORMAT_TEXT, .fail_on = SEVERITY_MEDIUM};
        _cleanup_(host_identity_done) HostIdentity host = {};
        _cleanup_(collect_prefetch_done) CollectOptions co = audit_collect_options(g);
        _cleanup_(baseline_done) Baseline baseline = {};
        _cleanup_(baseline_result_done) BaselineResult marks = {};
        _cleanup_free_ char *err = NULL;
        char digest[SHA256_HEX_SIZE];
        bool incomplete = false;
        Report rep;
        int r;

        r = parse_argv(argc, argv, &a);
        if (r == 0)
                return 0;
        if (r < 0)
                return audit_fail(&a, g, r, a.error);
        if (g->root_error)
                return audit_fail(&a, g, log_error_errno(-EINVAL, g->root_error), g->root_error);
        /* The baseline first: bad input is refused before anything is collected. */
        if (a.baseline && (r = audit_load_baseline(a.baseline, &baseline, &err)) < 0)
                return audit_fail(&a, g, r, err);
        /* The Docker API's answers take longest (/info: a few ms of the daemon's): asked now
         * (read-only), while the rules and waivers load; a bad rule still ends the run with
         * nothing written. */
        if (!a.facts_file && collect_prefetch_start(&co) < 0)
                return log_oom();
        r = audit_load_rules(g, &rules, &err);
        if (r < 0)
                return audit_fail(&a, g, r, err);
        r = audit_load_waivers(g, &rules, &waivers, &err);
        if (r < 0)
                return audit_fail(&a, g, r, err);
        if (rule_set_digest(&rules, digest) < 0)
                return log_oom();
        r = audit_load_facts(a.facts_file, &co, &facts, &host, &err);
        if (r < 0)
                return audit_fail(&a, g, r, err);
        r = audit_evaluate(&rules, &facts, a.strict, &findings, &problems, &incomplete);
        if (r < 0)
                return r;
        r = audit_apply_waivers(&host, &waivers, &facts, &findings, &stale);
        if (r < 0)
                return r;
        if (a.baseline && baseline_compare(&baseline, &findings, &facts, g->unit, g->user, &marks) < 0)
                return log_oom();

        rep = (Report){
                .unit = g->unit,
                .user = g->user,
                .root = g->root,
                .facts = &facts,
                .findings = &findings,
                .facts_file = a.facts_file,
                .fail_on = a.fail_on,
                .strict = a.strict,
                .problems = problems,
                .disabled = rules.disabled,
                .disabled_by = rules.disabled_by,
                .host = &host,
                .rules_digest = digest,
                .baseline = a.baseline ? &marks : NULL,
                .fail_on_new = a.fail_on_new,
                .exit_status = audit_exit_status(&a, &findings, &marks, incomplete),
                .stale_waivers = stale,
        };
        r = audit_write_report(&a, &rep, g->color);
        if (r < 0)
                return r;
        if (a.format != FORMAT_TEXT || a.output)
                audit_log_problems(problems);
        return audit_keep_report(&a, &rep);
}
