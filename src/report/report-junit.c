/* SPDX-License-Identifier: MIT */
/* JUnit XML: one testcase per rule, so CI systems and compliance dashboards can file it. */
#include "report/report.h"

static void xml_escaped(FILE *out, const char *s)
{
        for (; s && *s; s++) {
                unsigned char c = (unsigned char) *s;
                switch (c) {
                case '<':
                        fputs("&lt;", out);
                        break;
                case '>':
                        fputs("&gt;", out);
                        break;
                case '&':
                        fputs("&amp;", out);
                        break;
                case '"':
                        fputs("&quot;", out);
                        break;
                case '\'':
                        fputs("&apos;", out);
                        break;
                default:
                        /* XML 1.0 cannot carry most control characters, even escaped. */
                        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                                fputc('?', out);
                        else
                                fputc(c, out);
                }
        }
}

static int evidence_text(const Finding *f, const Facts *facts, FILE *out)
{
        for (char **n = f->evidence; n && *n; n++) {
                const Fact *x = facts_get(facts, *n);
                _cleanup_free_ char *v = x ? fact_value_to_string(x) : strdup("unknown (not collected)");

                if (!v)
                        return -ENOMEM;
                xml_escaped(out, *n);
                fputs(" = ", out);
                xml_escaped(out, v);
                if (x && x->known && x->source) {
                        fputs(" (", out);
                        xml_escaped(out, x->source);
                        fputc(')', out);
                }
                fputc('\n', out);
        }
        return 0;
}

int report_junit(const Report *r, FILE *out)
{
        size_t counts[_FINDING_STATUS_MAX] = {};
        _cleanup_free_ char *host = report_hostname();

        for (size_t i = 0; i < r->findings->n; i++)
                counts[r->findings->v[i].status]++;
        fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite name=\"dockaudit ",
                out);
        xml_escaped(out, r->unit);
        fprintf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" hostname=\"",
                r->findings->n, counts[FINDING_FAIL], counts[FINDING_ERROR], counts[FINDING_SKIP]);
        xml_escaped(out, host ? host : "unknown");
        fputs("\">\n", out);
        for (char **p = r->problems; p && *p; p++) {
                fputs("    <system-err>", out);
                xml_escaped(out, *p);
                fputs("</system-err>\n", out);
        }
        for (size_t i = 0; i < r->findings->n; i++) {
                const Finding *f = &r->findings->v[i];

                fprintf(out, "    <testcase classname=\"dockaudit.%s\" name=\"",
                        severity_to_string(f->rule->severity));
                xml_escaped(out, f->rule->id);
                fputs("\">\n", out);
                switch (f->status) {
                case FINDING_FAIL:
                        fprintf(out, "      <failure type=\"%s\" message=\"",
                                severity_to_string(f->rule->severity));
                        xml_escaped(out, f->message ? f->message : f->rule->title);
                        fputs("\">", out);
                        if (evidence_text(f, r->facts, out) < 0)
                                return -ENOMEM;
                        fputs("</failure>\n", out);
                        break;
                case FINDING_SKIP:
                        fputs("      <skipped message=\"", out);
                        xml_escaped(out, f->reason);
                        fputs("\"/>\n", out);
                        break;
                case FINDING_ERROR:
                        fputs("      <error message=\"", out);
                        xml_escaped(out, f->reason);
                        fputs("\"/>\n", out);
                        break;
                default:
                        break;
                }
                fputs("    </testcase>\n", out);
        }
        fputs("  </testsuite>\n</testsuites>\n", out);
        return ferror(out) ? -EIO : 0;
}
