/* SPDX-License-Identifier: MIT */
/* The fleet summary for people: hosts, the failing rules ranked by host count, waivers,
 * problems, then the hosts x rules matrix. Every string from a report goes through
 * utf8_escape_non_printable(): a host name with an ESC in it must not reach the terminal. */
#include "basic/string-util.h"
#include "basic/strv.h"
#include "basic/time-util.h"
#include "report/summary.h"

/* Escaped copies of the strings printed, freed with the summary's printing. */
typedef struct Held {
        char **v;
        bool oom;
} Held;

static void held_done(Held *h)
{
        strv_free(h->v);
}

static const char *esc(Held *h, const char *s)
{
        char *e;

        if (!s)
                return "";
        e = utf8_escape_non_printable(s);
        if (!e || strv_consume(&h->v, e) < 0) {
                h->oom = true;
                return "?";
        }
        return e;
}

static int name_width(const Summary *s, Held *held)
{
        size_t w = 4;

        for (size_t i = 0; i < s->n_hosts; i++) {
                size_t n = strlen(esc(held, s->hosts[i].name));
                if (n > w)
                        w = n;
        }
        return (int) (w > 40 ? 40 : w);
}

static void text_hosts(const Summary *s, FILE *out, Held *held)
{
        int w = name_width(s, held);
        char when[32];

        fprintf(out, "\nHosts:\n  %-*s %-10s %-20s %6s %5s  %s\n", w, "HOST", "STATE",
                "FAIL high/med/low/info", "WAIVED", "STALE", "REPORT TIME");
        for (size_t i = 0; i < s->n_hosts; i++) {
                const SummaryHost *h = &s->hosts[i];

                if (h->missing) {
                        fprintf(out, "  %-*s %-10s\n", w, esc(held, h->name), "missing");
                        continue;
                }
                format_rfc3339(h->time, when);
                fprintf(out, "  %-*s %-10s %4zu/%zu/%zu/%-10zu %6zu %5zu  %s%s\n", w, esc(held, h->name),
                        host_state_to_string(summary_host_state(h)), h->n_fail[SEVERITY_HIGH],
                        h->n_fail[SEVERITY_MEDIUM], h->n_fail[SEVERITY_LOW], h->n_fail[SEVERITY_INFO],
                        h->n_waived, h->n_stale, when, h->time_from_file ? " (file time)" : "");
        }
}

/* The hosts whose cell for rule k has the status. */
static void text_hosts_with(const Summary *s, size_t k, const char *status, FILE *out, Held *held)
{
        bool first = true;

        for (size_t i = 0; i < s->n_hosts; i++)
                if (!s->hosts[i].missing && streq(summary_cell_status(s->hosts[i].cells[k]), status)) {
                        fprintf(out, "%s%s", first ? "" : ", ", esc(held, s->hosts[i].name));
                        first = false;
                }
}

static void text_rules(const Summary *s, FILE *out, Held *held)
{
        fputs("\nFailing rules (by number of hosts):\n", out);
        if (s->n_rules == 0 || s->rules[0].n_fail == 0)
                fputs("  none\n", out);
        for (size_t k = 0; k < s->n_rules && s->rules[k].n_fail > 0; k++) {
                const SummaryRule *r = &s->rules[k];

                fprintf(out, "  %3zu host%s  %-6s  %s: %s\n      ", r->n_fail, r->n_fail == 1 ? " " : "s",
                        severity_to_string(r->severity), esc(held, r->id), esc(held, r->title));
                text_hosts_with(s, k, "fail", out, held);
                fputc('\n', out);
        }
}

static void text_waivers(const Summary *s, FILE *out, Held *held)
{
        size_t n = 0;

        fputs("\nWaived findings and stale waivers:\n", out);
        for (size_t i = 0; i < s->n_hosts; i++) {
                const SummaryHost *h = &s->hosts[i];
                json_t *e;
                size_t k;

                for (k = 0; !h->missing && k < s->n_rules; k++) {
                        const json_t *w = json_object_get(h->cells[k], "waiver");

                        if (w && streq(summary_cell_status(h->cells[k]), "fail")) {
                                n++;
                                fprintf(out, "  %s: %s fails: its waiver %s:%lld expired on %s ('%s')\n",
                                        esc(held, h->name), esc(held, s->rules[k].id),
                                        esc(held, summary_str(w, "file")),
                                        (long long) json_integer_value(json_object_get(w, "line")),
                                        esc(held, summary_str(w, "expires")),
                                        esc(held, summary_str(w, "reason")));
                        }
                        if (!streq(summary_cell_status(h->cells[k]), "waived"))
                                continue;
                        n++;
                        fprintf(out, "  %s: %s waived: '%s' (owner '%s', expires %s)\n", esc(held, h->name),
                                esc(held, s->rules[k].id), esc(held, summary_str(w, "reason")),
                                esc(held, summary_str(w, "owner")), esc(held, summary_str(w, "expires")));
                }
                json_array_foreach(json_object_get(json_object_get(h->doc, "waivers"), "stale"), k, e)
                {
                        n++;
                        fprintf(out, "  %s: stale waiver %s:%lld (rule %s) matches nothing\n",
                                esc(held, h->name), esc(held, summary_str(e, "file")),
                                (long long) json_integer_value(json_object_get(e, "line")),
                                esc(held, summary_str(e, "rule")));
                }
        }
        if (n == 0)
                fputs("  none\n", out);
}

static void text_problems(const Summary *s, FILE *out, Held *held)
{
        fputs("\nProblems:\n", out);
        if (s->n_state[HOST_MISSING] + s->n_state[HOST_OLD] + s->n_state[HOST_INCOMPLETE] == 0)
                fputs("  none\n", out);
        for (size_t i = 0; i < s->n_hosts; i++)
                for (char **p = s->hosts[i].problems; p && *p; p++)
                        fprintf(out, "  %s: %s\n", esc(held, s->hosts[i].name), esc(held, *p));
}

/* One character a cell: F fail, W waived, . pass, s skip, E error, - disabled or absent. */
static char cell_char(const json_t *cell)
{
        const char *st = summary_cell_status(cell);

        return streq(st, "fail")     ? 'F'
               : streq(st, "waived") ? 'W'
               : streq(st, "pass")   ? '.'
               : streq(st, "skip")   ? 's'
               : streq(st, "error")  ? 'E'
                                     : '-';
}

static void text_matrix(const Summary *s, FILE *out, Held *held)
{
        fputs("\nMatrix (rules failing or waived on some host; F fail, W waived, . pass, s skip, E error,\n"
              "- disabled or not in the report, ? no report):\n",
                out);
        for (size_t i = 0; i < s->n_hosts; i++)
                fprintf(out, "  %3zu %s\n", i + 1, esc(held, s->hosts[i].name));
        for (size_t k = 0; k < s->n_rules; k++) {
                if (s->rules[k].n_fail + s->rules[k].n_waived == 0)
                        continue;
                fprintf(out, "  %-44s", esc(held, s->rules[k].id));
                for (size_t i = 0; i < s->n_hosts; i++)
                        fprintf(out, " %c", s->hosts[i].missing ? '?' : cell_char(s->hosts[i].cells[k]));
                fputc('\n', out);
        }
}

int summary_text(const Summary *s, FILE *out)
{
        _cleanup_(held_done) Held held = {};
        char now[32], max[32];

        format_rfc3339(s->now, now);
        summary_format_age(s->max_age, max);
        fprintf(out,
                "dockaudit fleet summary: %zu host%s: %zu clean, %zu failing, %zu old, %zu incomplete, %zu "
                "missing\n(fail-on %s, max-age %s, at %s)\n",
                s->n_hosts, s->n_hosts == 1 ? "" : "s", s->n_state[HOST_CLEAN], s->n_state[HOST_FAILING],
                s->n_state[HOST_OLD], s->n_state[HOST_INCOMPLETE], s->n_state[HOST_MISSING],
                severity_to_string(s->fail_on), max, now);
        text_hosts(s, out, &held);
        text_rules(s, out, &held);
        text_waivers(s, out, &held);
        text_problems(s, out, &held);
        text_matrix(s, out, &held);
        if (held.oom)
                return -ENOMEM;
        return ferror(out) ? -EIO : 0;
}
