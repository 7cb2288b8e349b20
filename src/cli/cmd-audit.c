/* SPDX-License-Identifier: MIT */
/* dockaudit audit: collect facts (or read them from a file), run the rules, report. */
#include <getopt.h>

#include "basic/output.h"
#include "cli/cmd-args.h"
#include "cli/cmd.h"
#include "collect/collect.h"
#include "report/report.h"
#include "rules/facts-json.h"
#include "rules/problems.h"

typedef enum Format {
        FORMAT_TEXT,
        FORMAT_JSON,
        FORMAT_JUNIT,
} Format;

typedef struct AuditArgs {
        Format format;
        const char *output; /* -o FILE, or NULL for stdout */
        const char *facts_file; /* --facts FILE, or NULL for this host */
        Severity fail_on;
} AuditArgs;

static int help(FILE *f)
{
        fprintf(f, "Usage: dockaudit audit [--format text|json|junit] [-o FILE] [--fail-on SEVERITY]\n"
                   "                       [--facts FILE]\n"
                   "  --fail-on SEVERITY  info, low, medium (default) or high: the lowest severity of a\n"
                   "                      failed rule that makes the exit status 1\n"
                   "  --facts FILE        evaluate a saved facts file (dockaudit facts --format json, or a\n"
                   "                      JSON report) instead of this host\n");
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
        else
                return log_errorf_errno(-EINVAL, "--format: expected text, json or junit, not '%s'", s);
        return 0;
}

static int parse_argv(int argc, char **argv, AuditArgs *a)
{
        static const struct option opts[] = {
                {"format", required_argument, NULL, 'f'},
                {"output", required_argument, NULL, 'o'},
                {"fail-on", required_argument, NULL, 'F'},
                {"facts", required_argument, NULL, 'i'},
                {"help", no_argument, NULL, 'h'},
                {},
        };
        int c, r;

        /* getopt_long() itself names an unknown option or a missing value (argv[0] is our
         * prefix, see main.c); the hint follows. */
        while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) >= 0)
                switch (c) {
                case 'f':
                        r = parse_format(optarg, &a->format);
                        if (r < 0)
                                return r;
                        break;
                case 'o':
                        a->output = optarg;
                        break;
                case 'F':
                        r = parse_fail_on(optarg, &a->fail_on);
                        if (r < 0)
                                return r;
                        break;
                case 'i':
                        a->facts_file = optarg;
                        break;
                case 'h':
                        return help(stdout);
                default:
                        return log_errorf_errno(-EINVAL, "see dockaudit audit --help");
                }
        if (optind < argc)
                return log_errorf_errno(
                        -EINVAL, "unexpected argument '%s' (see dockaudit audit --help)", argv[optind]);
        return 1;
}

static int audit_load_rules(const GlobalOptions *g, RuleSet *ret)
{
        _cleanup_free_ char *err = NULL;
        int r = rule_set_load(ret, g->rules_dirs, &err);

        if (r < 0)
                return log_error_errno(r, err);
        return 0;
}

/* Facts from the host or from --facts FILE. */
static int audit_load_facts(const GlobalOptions *g, const char *facts_file, Facts *ret)
{
        _cleanup_free_ char *err = NULL;
        int r;

        if (facts_file) {
                r = facts_load_json_file(facts_file, ret, &err);
                if (r >= 0)
                        r = kernel_derive_facts(ret);
                if (r < 0)
                        return log_error_errno(r, err);
                return 0;
        }
        r = collect_all(ret,
                &(CollectOptions){
                        .unit = g->unit, .user = g->user, .root = g->root, .timeout_usec = g->timeout_usec});
        if (r < 0)
                return log_errorf_errno(r, "collecting facts failed: %m");
        return 0;
}

/* The findings, the report's problem list (facts_problems) and whether the audit is
 * incomplete (audit_problems: also the rules in error, which the report lists with their
 * results). */
static int audit_evaluate(const RuleSet *rules, const Facts *facts, Findings *ret_findings,
        char ***ret_problems, bool *ret_incomplete)
{
        _cleanup_strv_free_ char **incomplete = NULL;

        if (findings_evaluate(rules, facts, ret_findings) < 0 || facts_problems(facts, ret_problems) < 0 ||
                audit_problems(facts, ret_findings, &incomplete) < 0)
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
        }
        if (r >= 0)
                r = output_commit(&out, &err);
        if (r < 0)
                return err ? log_errorf_errno(r, "writing the report: %s", err)
                           : log_errorf_errno(r, "writing the report: %m");
        return 0;
}

int cmd_audit(int argc, char **argv, const GlobalOptions *g)
{
        _cleanup_facts_ Facts facts = {};
        _cleanup_strv_free_ char **problems = NULL;
        _cleanup_(rule_set_done) RuleSet rules = {};
        _cleanup_(findings_done) Findings findings = {};
        AuditArgs a = {.format = FORMAT_TEXT, .fail_on = SEVERITY_MEDIUM};
        bool incomplete = false;
        Report rep;
        int r;

        r = parse_argv(argc, argv, &a);
        if (r <= 0)
                return r;
        r = audit_load_rules(g, &rules);
        if (r < 0)
                return r;
        r = audit_load_facts(g, a.facts_file, &facts);
        if (r < 0)
                return r;
        r = audit_evaluate(&rules, &facts, &findings, &problems, &incomplete);
        if (r < 0)
                return r;

        rep = (Report){
                .unit = g->unit,
                .user = g->user,
                .root = g->root,
                .facts = &facts,
                .findings = &findings,
                .facts_file = a.facts_file,
                .fail_on = a.fail_on,
                .problems = problems,
                .exit_status = incomplete                                        ? EXIT_TROUBLE
                               : findings_count_failed(&findings, a.fail_on) > 0 ? EXIT_FINDINGS
                                                                                 : EXIT_COMPLIANT,
        };
        r = audit_write_report(&a, &rep, g->color);
        if (r < 0)
                return r;
        /* Problems also go to stderr, so a script that only keeps stdout still sees them. */
        if (a.format != FORMAT_TEXT || a.output)
                for (char **p = problems; p && *p; p++)
                        log_error("%s", *p);
        return rep.exit_status;
}
