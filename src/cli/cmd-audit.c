/* SPDX-License-Identifier: MIT */
/* dockaudit audit: collect facts (or read them from a file), run the rules, report. */
#include <getopt.h>

#include "cli/cmd.h"
#include "collect/collect.h"
#include "rules/facts-json.h"
#include "basic/output.h"
#include "report/report.h"
#include "rules/problems.h"

typedef enum Format {
        FORMAT_TEXT,
        FORMAT_JSON,
        FORMAT_JUNIT,
} Format;

static void audit_usage(FILE *f)
{
        fprintf(f, "Usage: dockaudit audit [--format text|json|junit] [-o FILE] [--fail-on SEVERITY]\n"
                   "                       [--facts FILE]\n"
                   "  --fail-on SEVERITY  info, low, medium (default) or high: the lowest severity of a\n"
                   "                      failed rule that makes the exit status 1\n"
                   "  --facts FILE        evaluate a saved facts file (dockaudit facts --format json, or a\n"
                   "                      JSON report) instead of this host\n");
}

/* Facts from the host or from --facts FILE. Returns 0 or an exit status > 0. */
static int audit_load_facts(const GlobalOptions *g, const char *facts_file, Facts *ret)
{
        _cleanup_free_ char *err = NULL;
        int r;

        if (facts_file) {
                r = facts_load_json_file(facts_file, ret, &err);
                if (r >= 0)
                        r = kernel_derive_facts(ret);
                if (r < 0) {
                        fprintf(stderr, "dockaudit: %s\n", err ? err : strerror(-r));
                        return EXIT_TROUBLE;
                }
                return 0;
        }
        r = collect_all(ret, &(CollectOptions){ .unit = g->unit, .user = g->user, .root = g->root });
        if (r < 0) {
                fprintf(stderr, "dockaudit: collecting facts failed: %s\n", strerror(-r));
                return EXIT_TROUBLE;
        }
        return 0;
}

int cmd_audit(int argc, char **argv, const GlobalOptions *g)
{
        static const struct option opts[] = {
                { "format", required_argument, NULL, 'f' },
                { "output", required_argument, NULL, 'o' },
                { "fail-on", required_argument, NULL, 'F' },
                { "facts", required_argument, NULL, 'i' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        _cleanup_facts_ Facts facts = {};
        _cleanup_strv_free_ char **problems = NULL, **incomplete = NULL;
        _cleanup_free_ char *err = NULL;
        _cleanup_(rule_set_done) RuleSet rules = {};
        _cleanup_(findings_done) Findings findings = {};
        _cleanup_(output_done) Output out = {};
        const char *output = NULL, *facts_file = NULL;
        Format format = FORMAT_TEXT;
        Severity fail_on = SEVERITY_MEDIUM;
        Report rep;
        int c, r;

        while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) >= 0)
                switch (c) {
                case 'f':
                        if (streq(optarg, "text"))
                                format = FORMAT_TEXT;
                        else if (streq(optarg, "json"))
                                format = FORMAT_JSON;
                        else if (streq(optarg, "junit"))
                                format = FORMAT_JUNIT;
                        else {
                                fprintf(stderr, "dockaudit: --format: expected text, json or junit, not '%s'\n",
                                        optarg);
                                return EXIT_TROUBLE;
                        }
                        break;
                case 'o':
                        output = optarg;
                        break;
                case 'F':
                        r = severity_from_string(optarg);
                        if (r < 0) {
                                fprintf(stderr,
                                        "dockaudit: --fail-on: expected info, low, medium or high, not '%s'\n",
                                        optarg);
                                return EXIT_TROUBLE;
                        }
                        fail_on = (Severity) r;
                        break;
                case 'i':
                        facts_file = optarg;
                        break;
                case 'h':
                        audit_usage(stdout);
                        return 0;
                default:
                        audit_usage(stderr);
                        return EXIT_TROUBLE;
                }
        if (optind < argc) {
                fprintf(stderr, "dockaudit audit: unexpected argument '%s'\n", argv[optind]);
                return EXIT_TROUBLE;
        }

        r = rule_set_load(&rules, g->rules_dirs, &err);
        if (r < 0) {
                fprintf(stderr, "dockaudit: %s\n", err ? err : strerror(-r));
                return EXIT_TROUBLE;
        }
        r = audit_load_facts(g, facts_file, &facts);
        if (r > 0)
                return r;
        if (findings_evaluate(&rules, &facts, &findings) < 0 || facts_problems(&facts, &problems) < 0 ||
                audit_problems(&facts, &findings, &incomplete) < 0) {
                fprintf(stderr, "dockaudit: out of memory\n");
                return EXIT_TROUBLE;
        }

        rep = (Report){
                .unit = g->unit,
                .user = g->user,
                .root = g->root,
                .facts = &facts,
                .findings = &findings,
                .facts_file = facts_file,
                .fail_on = fail_on,
                .problems = problems,
        };
        rep.exit_status = findings_count_failed(&findings, fail_on) > 0 ? EXIT_FINDINGS : EXIT_COMPLIANT;
        /* The report lists the rules in error with their results, the other problems apart. */
        if (!strv_isempty(incomplete))
                rep.exit_status = EXIT_TROUBLE;

        r = output_open(&out, output, &err);
        if (r < 0) {
                fprintf(stderr, "dockaudit: %s\n", err ? err : strerror(-r));
                return EXIT_TROUBLE;
        }
        switch (format) {
        case FORMAT_TEXT:
                r = report_text(&rep, out.f, g->color && !output);
                break;
        case FORMAT_JSON:
                r = report_json(&rep, out.f);
                break;
        case FORMAT_JUNIT:
                r = report_junit(&rep, out.f);
                break;
        }
        if (r >= 0)
                r = output_commit(&out, &err);
        if (r < 0) {
                fprintf(stderr, "dockaudit: writing the report: %s\n", err ? err : strerror(-r));
                return EXIT_TROUBLE;
        }
        /* Problems also go to stderr, so a script that only keeps stdout still sees them. */
        if (format != FORMAT_TEXT || output)
                for (char **p = problems; p && *p; p++)
                        fprintf(stderr, "dockaudit: %s\n", *p);
        return rep.exit_status;
}
