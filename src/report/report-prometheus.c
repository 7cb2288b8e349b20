/* SPDX-License-Identifier: MIT */
/* The audit as Prometheus metrics, in the text exposition format that node_exporter's textfile
 * collector reads (write it with -o into its directory, as NAME.prom: -o renames a finished
 * file into place, so the collector never reads half of one). Built from the JSON report.
 *
 * Every series carries unit and scope, so that the files of several audits (the system
 * docker.service and a rootless one) can sit in one directory without clashing. No sample
 * carries a timestamp: the textfile collector refuses them. The set of series of a rule
 * count does not depend on the result (every status and severity is written, 0 included),
 * so alert rules can compare without "absent()". On an audit that could not run, the file is
 * still complete: dockaudit_exit_status 2 and dockaudit_problems say so. */
#include "formats/json-util.h"
#include "report/report.h"

static const char *const statuses[] = {"pass", "fail", "waived", "skip", "error", "disabled"};
static const char *const severities[] = {"info", "low", "medium", "high"};

char *prometheus_escape_label(const char *s)
{
        _cleanup_sb_ StrBuf b = {};

        if (sb_append(&b, "") < 0)
                return NULL;
        for (const unsigned char *c = (const unsigned char *) s; c && *c; c++) {
                int r = *c == '\\'   ? sb_append(&b, "\\\\")
                        : *c == '"'  ? sb_append(&b, "\\\"")
                        : *c == '\n' ? sb_append(&b, "\\n")
                        /* The format has no escape for them: the text "\xNN", as JSON and text give it. */
                        : *c < 0x20 || *c == 0x7f ? sb_printf(&b, "\\\\x%02x", *c)
                                                  : sb_putc(&b, (char) *c);
                if (r < 0)
                        return NULL;
        }
        return sb_steal(&b);
}

/* The labels every series carries: unit="..",scope="..". */
static char *common_labels(const json_t *doc)
{
        const json_t *target = json_object_get(doc, "target");
        _cleanup_free_ char *unit =
                prometheus_escape_label(json_string_value(json_object_get(target, "unit")));
        _cleanup_free_ char *scope =
                prometheus_escape_label(json_string_value(json_object_get(target, "scope")));

        if (!unit || !scope)
                return NULL;
        return strdupf("unit=\"%s\",scope=\"%s\"", unit, scope);
}

static void header(FILE *out, const char *name, const char *help)
{
        fprintf(out, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

/* dockaudit_info{...,version,rules_digest} 1; rules_digest only when the report has one. */
static int write_info(const json_t *doc, const char *labels, FILE *out)
{
        const json_t *tool = json_object_get(doc, "tool");
        _cleanup_free_ char *version =
                prometheus_escape_label(json_string_value(json_object_get(tool, "version")));
        const char *digest = json_string_value(json_object_get(tool, "rules_digest"));
        _cleanup_free_ char *d = digest ? prometheus_escape_label(digest) : NULL;

        if (!version || (digest && !d))
                return -ENOMEM;
        header(out, "dockaudit_info",
                "The dockaudit that wrote this file: version and digest of its rule set.");
        fprintf(out, "dockaudit_info{%s,version=\"%s\"", labels, version);
        if (d)
                fprintf(out, ",rules_digest=\"%s\"", d);
        fputs("} 1\n", out);
        return 0;
}

static void write_run(const json_t *doc, const char *labels, time_t now, FILE *out)
{
        const json_t *summary = json_object_get(doc, "summary");

        header(out, "dockaudit_last_run_timestamp_seconds",
                "When the audit ran, in seconds since the epoch.");
        fprintf(out, "dockaudit_last_run_timestamp_seconds{%s} %lld\n", labels, (long long) now);
        header(out, "dockaudit_exit_status",
                "Exit status of the audit: 0 compliant, 1 findings at or above --fail-on, 2 could not "
                "audit.");
        fprintf(out, "dockaudit_exit_status{%s} %lld\n", labels,
                (long long) json_integer_value(json_object_get(summary, "exit_status")));
        header(out, "dockaudit_problems", "Reasons the audit is incomplete (each makes the exit status 2).");
        fprintf(out, "dockaudit_problems{%s} %zu\n", labels,
                json_array_size(json_object_get(doc, "problems")));
}

/* Problems as comments, for the person who opens the file (one line each). */
static int write_problem_comments(const json_t *doc, FILE *out)
{
        size_t i;
        json_t *p;

        json_array_foreach(json_object_get(doc, "problems"), i, p)
        {
                _cleanup_free_ char *e = prometheus_escape_label(json_string_value(p));
                if (!e)
                        return -ENOMEM;
                fprintf(out, "# problem: %s\n", e);
        }
        return 0;
}

/* dockaudit_rules by status and dockaudit_failures by severity (waived ones not counted). */
static void write_counts(const json_t *doc, const char *labels, FILE *out)
{
        size_t by_status[ELEMENTSOF(statuses)] = {}, by_severity[ELEMENTSOF(severities)] = {}, i;
        json_t *res;

        json_array_foreach(json_object_get(doc, "results"), i, res)
        {
                const char *status = json_string_value(json_object_get(res, "status"));
                const char *severity = json_string_value(json_object_get(res, "severity"));
                for (size_t s = 0; s < ELEMENTSOF(statuses); s++)
                        by_status[s] += streq_ptr(status, statuses[s]);
                for (size_t s = 0; streq_ptr(status, "fail") && s < ELEMENTSOF(severities); s++)
                        by_severity[s] += streq_ptr(severity, severities[s]);
        }
        header(out, "dockaudit_rules", "Rules by result: pass, fail, waived, skip, error, disabled.");
        for (size_t s = 0; s < ELEMENTSOF(statuses); s++)
                fprintf(out, "dockaudit_rules{%s,status=\"%s\"} %zu\n", labels, statuses[s], by_status[s]);
        header(out, "dockaudit_failures", "Failed rules by severity, waived ones not counted.");
        for (size_t s = 0; s < ELEMENTSOF(severities); s++)
                fprintf(out, "dockaudit_failures{%s,severity=\"%s\"} %zu\n", labels, severities[s],
                        by_severity[s]);
}

/* dockaudit_finding{...,rule,severity,status} 1 for each failed or waived rule. */
static int write_findings(const json_t *doc, const char *labels, FILE *out)
{
        size_t i;
        json_t *res;

        header(out, "dockaudit_finding",
                "A rule that failed (status fail) or failed and is waived (status waived).");
        json_array_foreach(json_object_get(doc, "results"), i, res)
        {
                const char *status = json_string_value(json_object_get(res, "status"));
                _cleanup_free_ char *id = NULL, *severity = NULL;

                if (!streq_ptr(status, "fail") && !streq_ptr(status, "waived"))
                        continue;
                id = prometheus_escape_label(json_string_value(json_object_get(res, "id")));
                severity = prometheus_escape_label(json_string_value(json_object_get(res, "severity")));
                if (!id || !severity)
                        return -ENOMEM;
                fprintf(out, "dockaudit_finding{%s,rule=\"%s\",severity=\"%s\",status=\"%s\"} 1\n", labels,
                        id, severity, status);
        }
        return 0;
}

int prometheus_from_report_json(const json_t *doc, time_t now, FILE *out)
{
        _cleanup_free_ char *labels = common_labels(doc);

        if (!labels || write_problem_comments(doc, out) < 0 || write_info(doc, labels, out) < 0)
                return -ENOMEM;
        write_run(doc, labels, now, out);
        write_counts(doc, labels, out);
        if (write_findings(doc, labels, out) < 0)
                return -ENOMEM;
        return ferror(out) ? -EIO : 0;
}

int report_prometheus(const Report *r, FILE *out, time_t now)
{
        _cleanup_json_ json_t *doc = report_to_json(r);

        if (!doc)
                return -ENOMEM;
        return prometheus_from_report_json(doc, now, out);
}
