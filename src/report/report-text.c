/* SPDX-License-Identifier: MIT */
/* The report for people: failures grouped by severity, each with its evidence. */
#include "report/report.h"

#define ANSI_RED "\033[1;31m"
#define ANSI_YELLOW "\033[1;33m"
#define ANSI_GREEN "\033[32m"
#define ANSI_GREY "\033[2m"
#define ANSI_BOLD "\033[1m"
#define ANSI_RESET "\033[0m"

typedef struct Style {
        bool on;
} Style;

static const char *sty(Style s, const char *code)
{
        return s.on ? code : "";
}

static const char *severity_colour(Severity sev)
{
        return sev >= SEVERITY_HIGH ? ANSI_RED : sev == SEVERITY_MEDIUM ? ANSI_YELLOW : ANSI_BOLD;
}

static void upper(char *dst, const char *src, size_t n)
{
        size_t i = 0;
        for (; src[i] && i + 1 < n; i++)
                dst[i] = (char) (src[i] >= 'a' && src[i] <= 'z' ? src[i] - 'a' + 'A' : src[i]);
        dst[i] = 0;
}

static int print_evidence(const Finding *f, const Facts *facts, FILE *out, Style s)
{
        bool first = true;

        for (char **n = f->evidence; n && *n; n++) {
                const Fact *x = facts_get(facts, *n);
                _cleanup_free_ char *v = x ? fact_value_to_string(x) : strdup("unknown (not collected)");

                if (!v)
                        return -ENOMEM;
                fprintf(out, "      %s %s = %s", first ? "evidence:" : "         ", *n,
                        x && x->known && !*v ? "\"\"" : v);
                if (x && x->known && x->source)
                        fprintf(out, "  %s(%s)%s", sty(s, ANSI_GREY), x->source, sty(s, ANSI_RESET));
                fputc('\n', out);
                first = false;
        }
        return 0;
}

static void print_fix(const Finding *f, FILE *out)
{
        const RuleFix *fix = f->fix;

        if (!fix)
                return;
        fprintf(out, "      fix%s%s:", fix->name ? " " : "", fix->name ? fix->name : "");
        for (size_t i = 0; i < fix->n_actions; i++) {
                const FixAction *a = &fix->actions[i];
                switch (a->type) {
                case FIX_ACTION_DROPIN:
                        fprintf(out, " drop-in [%s] %s=%s;", a->section, a->key, strempty(a->value));
                        break;
                case FIX_ACTION_DAEMON_JSON:
                        if (a->value)
                                fprintf(out, " daemon.json \"%s\": %s;", a->key, a->value);
                        else
                                fprintf(out, " daemon.json remove \"%s\";", a->key);
                        break;
                case FIX_ACTION_SYSCTL:
                        fprintf(out, " sysctl %s=%s;", a->key, strempty(a->value));
                        break;
                default:
                        break;
                }
        }
        fprintf(out, "%s (dockaudit fix)\n", fix->restart_needed ? " then restart docker" : "");
}

int report_text(const Report *r, FILE *out, bool color)
{
        Style s = {color};
        const Findings *fs = r->findings;
        size_t counts[_FINDING_STATUS_MAX] = {}, failed_at[_SEVERITY_MAX] = {};
        _cleanup_free_ char *host = report_hostname();

        fprintf(out, "%sdockaudit %s%s: %s (%s manager)", sty(s, ANSI_BOLD), PACKAGE_VERSION,
                sty(s, ANSI_RESET), r->unit, r->user ? "user" : "system");
        if (r->facts_file)
                fprintf(out, ", facts from %s\n", r->facts_file);
        else
                fprintf(out, " on %s%s%s\n", host ? host : "this host", r->root ? ", root " : "",
                        strempty(r->root));
        for (char **p = r->problems; p && *p; p++)
                fprintf(out, "%sproblem:%s %s\n", sty(s, ANSI_RED), sty(s, ANSI_RESET), *p);

        for (size_t i = 0; i < fs->n; i++) {
                counts[fs->v[i].status]++;
                if (fs->v[i].status == FINDING_FAIL)
                        failed_at[fs->v[i].rule->severity]++;
        }

        for (int sev = _SEVERITY_MAX - 1; sev >= 0; sev--) {
                char name[16];

                if (!failed_at[sev])
                        continue;
                upper(name, severity_to_string((Severity) sev), sizeof name);
                fprintf(out, "\n%s%s%s\n", sty(s, severity_colour((Severity) sev)), name,
                        sty(s, ANSI_RESET));
                for (size_t i = 0; i < fs->n; i++) {
                        const Finding *f = &fs->v[i];
                        if (f->status != FINDING_FAIL || (int) f->rule->severity != sev)
                                continue;
                        fprintf(out, "  %sFAIL%s  %s%s%s  %s\n", sty(s, severity_colour(f->rule->severity)),
                                sty(s, ANSI_RESET), sty(s, ANSI_BOLD), f->rule->id, sty(s, ANSI_RESET),
                                f->rule->title);
                        if (f->message)
                                fprintf(out, "      %s\n", f->message);
                        if (print_evidence(f, r->facts, out, s) < 0)
                                return -ENOMEM;
                        print_fix(f, out);
                        for (char **ref = f->rule->references; ref && *ref; ref++)
                                fprintf(out, "      see %s\n", *ref);
                }
        }

        if (counts[FINDING_ERROR] > 0) {
                fprintf(out, "\n%sERRORS%s\n", sty(s, ANSI_RED), sty(s, ANSI_RESET));
                for (size_t i = 0; i < fs->n; i++)
                        if (fs->v[i].status == FINDING_ERROR)
                                fprintf(out, "  ERROR %s: %s\n", fs->v[i].rule->id,
                                        strempty(fs->v[i].reason));
        }
        if (counts[FINDING_SKIP] > 0) {
                fprintf(out, "\nSKIPPED (a fact they need is unknown)\n");
                for (size_t i = 0; i < fs->n; i++)
                        if (fs->v[i].status == FINDING_SKIP)
                                fprintf(out, "  SKIP  %s: %s\n", fs->v[i].rule->id,
                                        strempty(fs->v[i].reason));
        }
        if (counts[FINDING_PASS] > 0) {
                fprintf(out, "\n%sPASSED%s\n ", sty(s, ANSI_GREEN), sty(s, ANSI_RESET));
                for (size_t i = 0; i < fs->n; i++)
                        if (fs->v[i].status == FINDING_PASS)
                                fprintf(out, " %s", fs->v[i].rule->id);
                fputc('\n', out);
        }

        fprintf(out, "\n%zu failed (", counts[FINDING_FAIL]);
        for (int sev = _SEVERITY_MAX - 1; sev >= 0; sev--)
                fprintf(out, "%s%zu %s", sev == _SEVERITY_MAX - 1 ? "" : ", ", failed_at[sev],
                        severity_to_string((Severity) sev));
        fprintf(out, "), %zu passed, %zu skipped, %zu errors; exit status %d (--fail-on %s)\n",
                counts[FINDING_PASS], counts[FINDING_SKIP], counts[FINDING_ERROR], r->exit_status,
                severity_to_string(r->fail_on));
        return ferror(out) ? -EIO : 0;
}
