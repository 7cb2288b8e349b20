/* SPDX-License-Identifier: MIT */
/* The fleet summary as JUnit XML: one testsuite per host, one testcase per rule of the fleet
 * (a rule the host's report lacks is skipped), and for a host whose report is missing, old or
 * incomplete one testcase "report" in error, so that a dashboard never shows it green. Stale
 * waivers go to the suite's system-out. */
#include "basic/string-util.h"
#include "basic/time-util.h"
#include "report/summary.h"
#include "report/xml-escape.h"

/* <TAG message="PREFIX MSG"/> */
static int junit_element(FILE *out, const char *tag, const char *prefix, const char *msg)
{
        fprintf(out, "      <%s message=\"%s", tag, prefix);
        if (xml_escaped(out, msg) < 0)
                return -ENOMEM;
        fputs("\"/>\n", out);
        return 0;
}

static int junit_cell(const SummaryRule *rule, const json_t *cell, FILE *out)
{
        const char *st = summary_cell_status(cell), *msg = summary_str(cell, "message");
        const char *sev = severity_to_string(rule->severity);
        int r = 0;

        fprintf(out, "    <testcase classname=\"dockaudit.%s\" name=\"", sev);
        if (xml_escaped(out, rule->id) < 0)
                return -ENOMEM;
        fputs("\">\n", out);
        if (streq(st, "fail")) {
                fprintf(out, "      <failure type=\"%s\" message=\"", sev);
                r = xml_escaped(out, msg ? msg : rule->title);
                fputs("\"/>\n", out);
        } else if (streq(st, "waived"))
                r = junit_element(
                        out, "skipped", "waived: ", summary_str(json_object_get(cell, "waiver"), "reason"));
        else if (streq(st, "error"))
                r = junit_element(out, "error", "", summary_str(cell, "reason"));
        else if (streq(st, "skip"))
                r = junit_element(out, "skipped", "", summary_str(cell, "reason"));
        else if (!streq(st, "pass"))
                r = junit_element(
                        out, "skipped", streq(st, "absent") ? "not in this host's report" : st, NULL);
        fputs("    </testcase>\n", out);
        return r;
}

/* The testcase "report" of a host whose report is missing, old or incomplete. */
static int junit_report_case(const SummaryHost *h, FILE *out)
{
        fputs("    <testcase classname=\"dockaudit.fleet\" name=\"report\">\n      <error message=\"", out);
        if (xml_escaped(out, h->problems ? h->problems[0] : "") < 0)
                return -ENOMEM;
        fputs("\">", out);
        for (char **p = h->problems; p && *p; p++) {
                if (xml_escaped(out, *p) < 0)
                        return -ENOMEM;
                fputc('\n', out);
        }
        fputs("</error>\n    </testcase>\n", out);
        return 0;
}

static int junit_stale(const SummaryHost *h, FILE *out)
{
        json_t *stale = json_object_get(json_object_get(h->doc, "waivers"), "stale"), *e;
        size_t k;

        if (json_array_size(stale) == 0)
                return 0;
        fputs("    <system-out>", out);
        json_array_foreach(stale, k, e)
        {
                fputs("stale waiver ", out);
                if (xml_escaped(out, summary_str(e, "file")) < 0)
                        return -ENOMEM;
                fprintf(out, ":%lld (rule ", (long long) json_integer_value(json_object_get(e, "line")));
                if (xml_escaped(out, summary_str(e, "rule")) < 0)
                        return -ENOMEM;
                fputs(") matches nothing\n", out);
        }
        fputs("</system-out>\n", out);
        return 0;
}

static int junit_host(const Summary *s, const SummaryHost *h, FILE *out)
{
        HostState state = summary_host_state(h);
        bool trouble = state == HOST_MISSING || state == HOST_INCOMPLETE || state == HOST_OLD;
        size_t n_fail = 0, n_error = h->n_error + trouble, n_rules = h->missing ? 0 : s->n_rules;
        char when[32];

        for (size_t k = 0; k < _SEVERITY_MAX; k++)
                n_fail += h->n_fail[k];
        fputs("  <testsuite name=\"", out);
        if (xml_escaped(out, h->name) < 0)
                return -ENOMEM;
        fprintf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" hostname=\"",
                n_rules + trouble, n_fail, n_error, n_rules - n_fail - h->n_error - h->n_pass);
        if (xml_escaped(out, h->name) < 0)
                return -ENOMEM;
        format_rfc3339(h->time, when);
        if (!h->missing)
                fprintf(out, "\" timestamp=\"%.19s", when);
        fputs("\">\n", out);
        if (trouble && junit_report_case(h, out) < 0)
                return -ENOMEM;
        for (size_t k = 0; k < n_rules; k++)
                if (junit_cell(&s->rules[k], h->cells[k], out) < 0)
                        return -ENOMEM;
        if (!h->missing && junit_stale(h, out) < 0)
                return -ENOMEM;
        fputs("  </testsuite>\n", out);
        return 0;
}

int summary_junit(const Summary *s, FILE *out)
{
        fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"dockaudit fleet\">\n", out);
        for (size_t i = 0; i < s->n_hosts; i++)
                if (junit_host(s, &s->hosts[i], out) < 0)
                        return -ENOMEM;
        fputs("</testsuites>\n", out);
        return ferror(out) ? -EIO : 0;
}
