/* SPDX-License-Identifier: MIT */
/* Test helper: turns a JSON report (dockaudit-report/1) into SARIF or Prometheus metrics, as
 * `audit --format sarif|prometheus` would have written it. It lets the tests feed reports
 * that carry fields another part of dockaudit writes (waived results, waivers, fingerprints,
 * baseline states: the report contract) to the real validators.
 *   report-convert sarif|prometheus REPORT.json RULES_DIR
 * The rules give the descriptors (rationale, references); the report's facts give the
 * evidence of each rule. Exit 0, or 1 with a message. */
#include "basic/log.h"
#include "formats/json-util.h"
#include "report/report.h"
#include "rules/facts-json.h"

static int convert(const char *format, const char *path, char *rules_dir)
{
        char *dirs[] = {rules_dir, NULL};
        _cleanup_(rule_set_done) RuleSet rules = {};
        _cleanup_facts_ Facts facts = {};
        _cleanup_(findings_done) Findings findings = {};
        _cleanup_free_ char *err = NULL;
        _cleanup_json_ json_t *doc = NULL, *log = NULL;
        json_error_t jerr;

        if (rule_set_load(&rules, dirs, &err) < 0 || facts_load_json_file(path, &facts, &err) < 0)
                return log_error_errno(-EINVAL, err);
        if (findings_evaluate(&rules, &facts, &findings) < 0)
                return log_oom();
        doc = json_load_file(path, 0, &jerr);
        if (!doc)
                return log_errorf_errno(-EINVAL, "%s:%d: %s", path, jerr.line, jerr.text);
        if (streq(format, "prometheus"))
                return prometheus_from_report_json(doc, time(NULL), stdout);
        log = sarif_from_report_json(doc, &findings);
        if (!log)
                return log_oom();
        return json_dumpf(log, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0 ? -EIO : 0;
}

int main(int argc, char **argv)
{
        if (argc != 4 || (!streq(argv[1], "sarif") && !streq(argv[1], "prometheus"))) {
                log_error("usage: report-convert sarif|prometheus REPORT.json RULES_DIR");
                return 1;
        }
        return convert(argv[1], argv[2], argv[3]) < 0 ? 1 : 0;
}
