/* SPDX-License-Identifier: MIT */
/* JUnit XML: one testcase per rule, so CI systems and compliance dashboards can file it.
 * XML 1.0 cannot carry control characters (not even as references) nor bytes that are not
 * UTF-8: strings go through utf8_escape_non_printable() (\xNN) before the entities. */
#include "report/report.h"
#include "report/xml-escape.h"

static int evidence_text(const Finding *f, const Facts *facts, FILE *out)
{
        for (char **n = f->evidence; n && *n; n++) {
                const Fact *x = facts_get(facts, *n);
                _cleanup_free_ char *v = x ? fact_value_to_string(x) : strdup("unknown (not collected)");

                if (!v || xml_escaped(out, *n) < 0)
                        return -ENOMEM;
                fputs(" = ", out);
                if (xml_escaped(out, v) < 0)
                        return -ENOMEM;
                if (x && x->known && x->source) {
                        fputs(" (", out);
                        if (xml_escaped(out, x->source) < 0)
                                return -ENOMEM;
                        fputc(')', out);
                }
                fputc('\n', out);
        }
        return 0;
}

/* prefix, the description of f's waiver, suffix. */
static int waiver_text(const char *prefix, const Finding *f, FILE *out, const char *suffix)
{
        _cleanup_free_ char *d = waiver_describe(f->waiver, f->waiver_expired);

        if (!d)
                return -ENOMEM;
        fputs(prefix, out);
        if (xml_escaped(out, d) < 0)
                return -ENOMEM;
        fputs(suffix, out);
        return 0;
}

/* Waivers that matched nothing: one <system-out> of the suite, a line each. */
static int stale_waivers_text(const Report *r, FILE *out)
{
        if (!r->stale_waivers || !*r->stale_waivers)
                return 0;
        fputs("    <system-out>", out);
        for (const Waiver *const *w = r->stale_waivers; *w; w++) {
                _cleanup_free_ char *line = strdupf(
                        "stale waiver %s:%u: rule %s (matches nothing)", (*w)->path, (*w)->line, (*w)->rule);

                if (!line || xml_escaped(out, line) < 0)
                        return -ENOMEM;
                fputc('\n', out);
        }
        fputs("</system-out>\n", out);
        return 0;
}

/* <tag message="msg"/> */
static int element_with_message(FILE *out, const char *tag, const char *msg)
{
        fprintf(out, "      <%s message=\"", tag);
        if (xml_escaped(out, msg) < 0)
                return -ENOMEM;
        fputs("\"/>\n", out);
        return 0;
}

/* After a failure's evidence: its fingerprint, and with --baseline new or unchanged. */
static int failure_identity(const Report *r, size_t i, FILE *out)
{
        char fp[SHA256_HEX_SIZE];

        if (report_fingerprint(r, i, fp) < 0)
                return -ENOMEM;
        fprintf(out, "fingerprint: %s\n", fp);
        if (r->baseline)
                fprintf(out, "baseline: %s\n", baseline_mark_to_string(r->baseline->marks[i]));
        return 0;
}

static int testcase(const Report *rep, size_t i, FILE *out)
{
        const Finding *f = &rep->findings->v[i];
        const Facts *facts = rep->facts;
        int r = 0;

        fprintf(out, "    <testcase classname=\"dockaudit.%s\" name=\"",
                severity_to_string(f->rule->severity));
        if (xml_escaped(out, f->rule->id) < 0)
                return -ENOMEM;
        fputs("\">\n", out);
        switch (f->status) {
        case FINDING_FAIL:
                fprintf(out, "      <failure type=\"%s\" message=\"", severity_to_string(f->rule->severity));
                if (xml_escaped(out, f->message ? f->message : f->rule->title) < 0)
                        return -ENOMEM;
                fputs("\">", out);
                r = evidence_text(f, facts, out);
                if (r >= 0)
                        r = failure_identity(rep, i, out);
                if (r >= 0 && f->waiver)
                        r = waiver_text("waiver expired: ", f, out, "\n");
                fputs("</failure>\n", out);
                break;
        case FINDING_WAIVED:
                /* Accepted: skipped (CI dashboards show the message and do not fail on it). */
                fputs("      <skipped message=\"", out);
                r = waiver_text("waived: ", f, out, "\"/>\n");
                break;
        case FINDING_SKIP:
                r = element_with_message(out, "skipped", f->reason);
                break;
        case FINDING_ERROR:
                r = element_with_message(out, "error", f->reason);
                break;
        default:
                break;
        }
        fputs("    </testcase>\n", out);
        return r;
}

/* A rule disabled in a rules directory: skipped, naming the file that disabled it. */
static int testcase_disabled(const char *id, const char *by, FILE *out)
{
        _cleanup_free_ char *msg = strdupf("disabled by %s", strempty(by));

        if (!msg)
                return -ENOMEM;
        fputs("    <testcase classname=\"dockaudit.disabled\" name=\"", out);
        if (xml_escaped(out, id) < 0)
                return -ENOMEM;
        fputs("\">\n", out);
        if (element_with_message(out, "skipped", msg) < 0)
                return -ENOMEM;
        fputs("    </testcase>\n", out);
        return 0;
}

/* The problems that made the audit incomplete: one testcase in error, so that a dashboard
 * does not show an audit that could not look as green. */
static int testcase_problems(char **problems, FILE *out)
{
        fputs("    <testcase classname=\"dockaudit\" name=\"audit-complete\">\n", out);
        fputs("      <error message=\"could not audit\">", out);
        for (char **p = problems; p && *p; p++) {
                if (xml_escaped(out, *p) < 0)
                        return -ENOMEM;
                fputc('\n', out);
        }
        fputs("</error>\n    </testcase>\n", out);
        return 0;
}

static int property(FILE *out, const char *name, const char *value)
{
        fprintf(out, "      <property name=\"%s\" value=\"", name);
        if (xml_escaped(out, value) < 0)
                return -ENOMEM;
        fputs("\"/>\n", out);
        return 0;
}

/* The audited host and the tool (issue 12): "host.FIELD" (an unknown field: "unknown: REASON"),
 * "dockaudit.version", "dockaudit.rules_digest", "baseline.*" with --baseline. */
static int properties(const Report *r, FILE *out)
{
        char n[32];

        fputs("    <properties>\n", out);
        for (int i = 0; i < _HOST_FIELD_MAX; i++) {
                _cleanup_free_ char *v = NULL;

                if (!r->host || !r->host->value[i])
                        v = strdupf("unknown: %s", r->host ? strempty(r->host->reason[i]) : "not collected");
                snprintf(n, sizeof n, "host.%s", host_field_to_string(i));
                if ((!v && (!r->host || !r->host->value[i])) ||
                        property(out, n, v ? v : r->host->value[i]) < 0)
                        return -ENOMEM;
        }
        if (property(out, "dockaudit.version", PACKAGE_VERSION) < 0 ||
                property(out, "dockaudit.rules_digest", r->rules_digest ? r->rules_digest : "none") < 0)
                return -ENOMEM;
        if (r->baseline) {
                snprintf(n, sizeof n, "%zu", r->baseline->n_new);
                if (property(out, "baseline.file", r->baseline->file) < 0 ||
                        property(out, "baseline.new", n) < 0)
                        return -ENOMEM;
                snprintf(n, sizeof n, "%zu", r->baseline->n_resolved);
                if (property(out, "baseline.resolved", n) < 0)
                        return -ENOMEM;
        }
        fputs("    </properties>\n", out);
        return 0;
}

int report_junit(const Report *r, FILE *out)
{
        size_t counts[_FINDING_STATUS_MAX] = {}, n_disabled = strv_length(r->disabled);
        bool trouble = !strv_isempty(r->problems);

        for (size_t i = 0; i < r->findings->n; i++)
                counts[r->findings->v[i].status]++;
        fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite name=\"dockaudit ",
                out);
        if (xml_escaped(out, r->unit) < 0)
                return -ENOMEM;
        fprintf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" hostname=\"",
                r->findings->n + n_disabled + trouble, counts[FINDING_FAIL], counts[FINDING_ERROR] + trouble,
                counts[FINDING_SKIP] + counts[FINDING_WAIVED] + n_disabled);
        if (xml_escaped(out, report_audited_hostname(r)) < 0)
                return -ENOMEM;
        fputs("\">\n", out);
        if (properties(r, out) < 0)
                return -ENOMEM;
        for (char **p = r->problems; p && *p; p++) {
                fputs("    <system-err>", out);
                if (xml_escaped(out, *p) < 0)
                        return -ENOMEM;
                fputs("</system-err>\n", out);
        }
        if (stale_waivers_text(r, out) < 0)
                return -ENOMEM;
        if (trouble && testcase_problems(r->problems, out) < 0)
                return -ENOMEM;
        for (size_t i = 0; i < r->findings->n; i++)
                if (testcase(r, i, out) < 0)
                        return -ENOMEM;
        for (size_t i = 0; i < n_disabled; i++)
                if (testcase_disabled(r->disabled[i], r->disabled_by ? r->disabled_by[i] : NULL, out) < 0)
                        return -ENOMEM;
        fputs("  </testsuite>\n</testsuites>\n", out);
        return ferror(out) ? -EIO : 0;
}
