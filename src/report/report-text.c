/* SPDX-License-Identifier: MIT */
/* The report for people: failures grouped by severity, each with its evidence. Every string
 * that comes from the host (values, sources, messages, file names) is printed with
 * utf8_escape_non_printable(): an ESC or BEL in a unit file must not reach the terminal. */
#include "report/report.h"

#define ANSI_RED "\033[1;31m"
#define ANSI_YELLOW "\033[1;33m"
#define ANSI_GREEN "\033[32m"
#define ANSI_GREY "\033[2m"
#define ANSI_BOLD "\033[1m"
#define ANSI_RESET "\033[0m"

/* Colours, and the escaped copies of the strings printed so far (freed with the report). */
typedef struct Style {
        bool on;
        char **held;
        bool oom;
} Style;

static void style_done(Style *s)
{
        strv_free(s->held);
}

static const char *sty(const Style *s, const char *code)
{
        return s->on ? code : "";
}

/* s for a terminal (NULL as ""); "?" and s->oom on ENOMEM. */
static const char *esc(Style *s, const char *str)
{
        char *e;

        if (!str)
                return "";
        e = utf8_escape_non_printable(str);
        if (!e || strv_consume(&s->held, e) < 0) {
                s->oom = true;
                return "?";
        }
        return e;
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

static int print_evidence(const Finding *f, const Facts *facts, FILE *out, Style *s)
{
        bool first = true;

        for (char **n = f->evidence; n && *n; n++) {
                const Fact *x = facts_get(facts, *n);
                _cleanup_free_ char *v = x ? fact_value_to_string(x) : strdup("unknown (not collected)");

                if (!v)
                        return -ENOMEM;
                fprintf(out, "      %s %s = %s", first ? "evidence:" : "         ", esc(s, *n),
                        x && x->known && !*v ? "\"\"" : esc(s, v));
                if (x && x->known && x->source)
                        fprintf(out, "  %s(%s)%s", sty(s, ANSI_GREY), esc(s, x->source), sty(s, ANSI_RESET));
                fputc('\n', out);
                first = false;
        }
        return 0;
}

static void print_fix(const Finding *f, FILE *out, Style *s)
{
        const RuleFix *fix = f->fix;

        if (!fix) {
                /* A fix a person must choose (it has a trade-off): name it, apply nothing. */
                for (size_t i = 0; i < f->rule->n_fixes; i++)
                        if (f->rule->fixes[i].choose_only)
                                fprintf(out,
                                        "      no automatic fix; if you accept its trade-off: dockaudit fix "
                                        "--choose %s=%s\n",
                                        esc(s, f->rule->id), esc(s, f->rule->fixes[i].name));
                return;
        }
        fprintf(out, "      fix%s%s:", fix->name ? " " : "", esc(s, fix->name));
        for (size_t i = 0; i < fix->n_actions; i++) {
                const FixAction *a = &fix->actions[i];
                switch (a->type) {
                case FIX_ACTION_DROPIN:
                        fprintf(out, " drop-in %s%s[%s] %s=%s;", a->unit ? esc(s, a->unit) : "",
                                a->unit ? " " : "", esc(s, a->section), esc(s, a->key), esc(s, a->value));
                        break;
                case FIX_ACTION_DAEMON_JSON:
                        if (a->value)
                                fprintf(out, " daemon.json \"%s\": %s;", esc(s, a->key), esc(s, a->value));
                        else
                                fprintf(out, " daemon.json remove \"%s\";", esc(s, a->key));
                        break;
                case FIX_ACTION_SYSCTL:
                        fprintf(out, " sysctl %s=%s;", esc(s, a->key), esc(s, a->value));
                        break;
                case FIX_ACTION_UNIT_OVERRIDE:
                        fprintf(out, " full override of the unit without %s=%s;", esc(s, a->key),
                                esc(s, a->value));
                        break;
                default:
                        break;
                }
        }
        fprintf(out, "%s (dockaudit fix)\n", fix->restart_needed ? " then restart docker" : "");
}

/* Lines of the unit's files and environment files that systemd ignores: not problems (the
 * service starts), but a setting there does not do what its author meant. */
static void print_warnings(const Report *r, FILE *out, Style *s)
{
        static const char *const lists[] = {"unit.warnings", "dockerd.environment_warnings"};

        for (size_t i = 0; r->facts && i < ELEMENTSOF(lists); i++) {
                const Fact *x = facts_get(r->facts, lists[i]);

                for (char **p = x && x->known ? x->list : NULL; p && *p; p++)
                        fprintf(out, "%swarning:%s %s\n", sty(s, ANSI_YELLOW), sty(s, ANSI_RESET),
                                esc(s, *p));
        }
}

/* "host NAME, machine-id ID, boot-id ID, collected TIME; rules sha256 DIGEST" (issue 12). */
static void print_identity(const Report *r, FILE *out, Style *s)
{
        static const char *const label[_HOST_FIELD_MAX] = {
                [HOST_HOSTNAME] = "host ",
                [HOST_MACHINE_ID] = ", machine-id ",
                [HOST_BOOT_ID] = ", boot-id ",
                [HOST_TIME] = ", collected ",
        };

        for (int i = 0; i < _HOST_FIELD_MAX; i++)
                fprintf(out, "%s%s", label[i],
                        r->host && r->host->value[i] ? esc(s, r->host->value[i]) : "unknown");
        fprintf(out, "; rules sha256 %s\n", r->rules_digest ? r->rules_digest : "none");
}

static void print_header(const Report *r, FILE *out, Style *s)
{
        fprintf(out, "%sdockaudit %s%s: %s (%s manager)", sty(s, ANSI_BOLD), PACKAGE_VERSION,
                sty(s, ANSI_RESET), esc(s, r->unit), r->user ? "user" : "system");
        if (r->facts_file)
                fprintf(out, " on %s, facts from %s\n", esc(s, report_audited_hostname(r)),
                        esc(s, r->facts_file));
        else
                fprintf(out, " on %s%s%s\n", esc(s, report_audited_hostname(r)), r->root ? ", root " : "",
                        esc(s, r->root));
        print_identity(r, out, s);
        if (r->baseline)
                fprintf(out, "baseline %s: %zu new, %zu resolved%s\n", esc(s, r->baseline->file),
                        r->baseline->n_new, r->baseline->n_resolved,
                        r->fail_on_new ? " (--fail-on-new: only new findings fail)" : "");
        for (char **p = r->problems; p && *p; p++)
                fprintf(out, "%sproblem:%s %s\n", sty(s, ANSI_RED), sty(s, ANSI_RESET), esc(s, *p));
        print_warnings(r, out, s);
}

/* The findings of the baseline that no longer fail (--baseline). */
static void print_resolved(const Report *r, FILE *out, Style *s)
{
        const BaselineResult *b = r->baseline;

        if (!b || b->n_resolved == 0)
                return;
        fprintf(out, "\n%sRESOLVED%s (failed in %s)\n", sty(s, ANSI_GREEN), sty(s, ANSI_RESET),
                esc(s, b->file));
        for (size_t i = 0; i < b->n_resolved; i++)
                fprintf(out, "  RESOLVED  %s: now %s (fingerprint %.12s)\n", esc(s, b->resolved[i].rule),
                        b->resolved[i].status, b->resolved[i].fingerprint);
}

/* " [new]" / " [unchanged]" after a failure's title with --baseline. */
static const char *baseline_tag(const Report *r, size_t i)
{
        if (!r->baseline)
                return "";
        return r->baseline->marks[i] == BASELINE_NEW ? " [new]" : " [unchanged]";
}

/* "LABEL reason (owner, expiry, FILE:LINE)" of the waiver that matched f. */
static int print_waiver(const Finding *f, const char *label, FILE *out, Style *s)
{
        _cleanup_free_ char *d = waiver_describe(f->waiver, f->waiver_expired);

        if (!d)
                return -ENOMEM;
        fprintf(out, "      %s%s%s %s\n", sty(s, f->waiver_expired ? ANSI_RED : ANSI_GREY), label,
                sty(s, ANSI_RESET), esc(s, d));
        return 0;
}

/* Failures a waiver accepts (they do not count toward the exit status), and waivers that
 * matched nothing. */
static int print_waived(const Report *r, const size_t counts[], FILE *out, Style *s)
{
        const Findings *fs = r->findings;

        if (counts[FINDING_WAIVED] > 0) {
                fprintf(out, "\nWAIVED (failures accepted by a waiver)\n");
                for (size_t i = 0; i < fs->n; i++) {
                        const Finding *f = &fs->v[i];
                        if (f->status != FINDING_WAIVED)
                                continue;
                        fprintf(out, "  WAIVED  %s (%s)  %s\n", esc(s, f->rule->id),
                                severity_to_string(f->rule->severity), esc(s, f->rule->title));
                        if (f->message)
                                fprintf(out, "      %s\n", esc(s, f->message));
                        if (print_waiver(f, "waived:", out, s) < 0)
                                return -ENOMEM;
                }
        }
        if (r->stale_waivers && *r->stale_waivers) {
                fprintf(out,
                        "\n%sSTALE WAIVERS%s (they match nothing: remove them, or fix their rule, hosts "
                        "or evidence)\n",
                        sty(s, ANSI_YELLOW), sty(s, ANSI_RESET));
                for (const Waiver *const *w = r->stale_waivers; *w; w++)
                        fprintf(out, "  STALE  %s:%u: rule %s\n", esc(s, (*w)->path), (*w)->line,
                                esc(s, (*w)->rule));
        }
        return 0;
}

/* The failures of one severity. */
static int print_failures(const Report *r, Severity sev, FILE *out, Style *s)
{
        const Findings *fs = r->findings;
        char name[16];

        upper(name, severity_to_string(sev), sizeof name);
        fprintf(out, "\n%s%s%s\n", sty(s, severity_colour(sev)), name, sty(s, ANSI_RESET));
        for (size_t i = 0; i < fs->n; i++) {
                const Finding *f = &fs->v[i];
                if (f->status != FINDING_FAIL || f->rule->severity != sev)
                        continue;
                fprintf(out, "  %sFAIL%s  %s%s%s  %s%s\n", sty(s, severity_colour(f->rule->severity)),
                        sty(s, ANSI_RESET), sty(s, ANSI_BOLD), esc(s, f->rule->id), sty(s, ANSI_RESET),
                        esc(s, f->rule->title), baseline_tag(r, i));
                if (f->message)
                        fprintf(out, "      %s\n", esc(s, f->message));
                if (f->waiver && print_waiver(f, "waiver expired:", out, s) < 0)
                        return -ENOMEM;
                if (print_evidence(f, r->facts, out, s) < 0)
                        return -ENOMEM;
                print_fix(f, out, s);
                for (char **ref = f->rule->references; ref && *ref; ref++)
                        fprintf(out, "      see %s\n", esc(s, *ref));
        }
        return 0;
}

/* Errors, skipped, disabled and passed rules: one line each (passed: ids on one line). */
static void print_others(const Report *r, const size_t counts[], FILE *out, Style *s)
{
        const Findings *fs = r->findings;

        if (counts[FINDING_ERROR] > 0) {
                fprintf(out, "\n%sERRORS%s\n", sty(s, ANSI_RED), sty(s, ANSI_RESET));
                for (size_t i = 0; i < fs->n; i++)
                        if (fs->v[i].status == FINDING_ERROR)
                                fprintf(out, "  ERROR %s: %s\n", esc(s, fs->v[i].rule->id),
                                        esc(s, fs->v[i].reason));
        }
        if (counts[FINDING_SKIP] > 0) {
                fprintf(out, "\nSKIPPED (a fact they need is unknown)\n");
                for (size_t i = 0; i < fs->n; i++)
                        if (fs->v[i].status == FINDING_SKIP)
                                fprintf(out, "  SKIP  %s: %s\n", esc(s, fs->v[i].rule->id),
                                        esc(s, fs->v[i].reason));
        }
        if (!strv_isempty(r->disabled)) {
                fprintf(out, "\nDISABLED (not evaluated)\n");
                for (size_t i = 0; r->disabled[i]; i++)
                        fprintf(out, "  DISABLED  %s: by %s\n", esc(s, r->disabled[i]),
                                r->disabled_by ? esc(s, r->disabled_by[i]) : "?");
        }
        if (counts[FINDING_PASS] > 0) {
                fprintf(out, "\n%sPASSED%s\n ", sty(s, ANSI_GREEN), sty(s, ANSI_RESET));
                for (size_t i = 0; i < fs->n; i++)
                        if (fs->v[i].status == FINDING_PASS)
                                fprintf(out, " %s", esc(s, fs->v[i].rule->id));
                fputc('\n', out);
        }
}

int report_text(const Report *r, FILE *out, bool color)
{
        _cleanup_(style_done) Style s = {.on = color};
        const Findings *fs = r->findings;
        size_t counts[_FINDING_STATUS_MAX] = {}, failed_at[_SEVERITY_MAX] = {},
               n_disabled = strv_length(r->disabled), n_stale = 0;

        for (const Waiver *const *w = r->stale_waivers; w && *w; w++)
                n_stale++;
        print_header(r, out, &s);
        for (size_t i = 0; i < fs->n; i++) {
                counts[fs->v[i].status]++;
                if (fs->v[i].status == FINDING_FAIL)
                        failed_at[fs->v[i].rule->severity]++;
        }
        for (int sev = _SEVERITY_MAX - 1; sev >= 0; sev--)
                if (failed_at[sev] && print_failures(r, (Severity) sev, out, &s) < 0)
                        return -ENOMEM;
        if (print_waived(r, counts, out, &s) < 0)
                return -ENOMEM;
        print_others(r, counts, out, &s);
        print_resolved(r, out, &s);

        fprintf(out, "\n%zu failed (", counts[FINDING_FAIL]);
        for (int sev = _SEVERITY_MAX - 1; sev >= 0; sev--)
                fprintf(out, "%s%zu %s", sev == _SEVERITY_MAX - 1 ? "" : ", ", failed_at[sev],
                        severity_to_string((Severity) sev));
        fprintf(out, "), %zu passed, %zu skipped, %zu errors", counts[FINDING_PASS], counts[FINDING_SKIP],
                counts[FINDING_ERROR]);
        if (n_disabled > 0)
                fprintf(out, ", %zu disabled", n_disabled);
        if (r->baseline)
                fprintf(out, ", %zu new", r->baseline->n_new);
        if (counts[FINDING_WAIVED] > 0)
                fprintf(out, ", %zu waived", counts[FINDING_WAIVED]);
        if (n_stale > 0)
                fprintf(out, ", %zu stale waiver%s", n_stale, n_stale == 1 ? "" : "s");
        fprintf(out, "; exit status %d (--fail-on %s%s%s)\n", r->exit_status, severity_to_string(r->fail_on),
                r->fail_on_new ? ", --fail-on-new" : "", r->strict ? ", --strict" : "");
        if (s.oom)
                return -ENOMEM;
        return ferror(out) ? -EIO : 0;
}
