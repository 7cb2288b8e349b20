/* SPDX-License-Identifier: MIT */
/* The fleet summary's aggregation: the rules of all reports ranked by the number of hosts they
 * fail on, the hosts x rules matrix and each host's state. */
#include <ctype.h>

#include "basic/alloc-util.h"
#include "basic/string-util.h"
#include "basic/strv.h"
#include "basic/time-util.h"
#include "report/summary.h"

static const char *const host_states[_HOST_STATE_MAX] = {
        [HOST_CLEAN] = "clean",
        [HOST_FAILING] = "failing",
        [HOST_OLD] = "old",
        [HOST_INCOMPLETE] = "incomplete",
        [HOST_MISSING] = "missing",
};

const char *host_state_to_string(HostState s)
{
        return s < _HOST_STATE_MAX ? host_states[s] : "unknown";
}

/* The worst first: a missing or incomplete report says nothing about the host; an old one
 * says what used to be. */
HostState summary_host_state(const SummaryHost *h)
{
        if (h->missing)
                return HOST_MISSING;
        if (h->incomplete)
                return HOST_INCOMPLETE;
        if (h->old)
                return HOST_OLD;
        return h->failing ? HOST_FAILING : HOST_CLEAN;
}

const char *summary_cell_status(const json_t *cell)
{
        return cell ? summary_str(cell, "status") : "absent";
}

static Severity cell_severity(const json_t *cell)
{
        int r = severity_from_string(strempty(summary_str(cell, "severity")));

        return r < 0 ? SEVERITY_INFO : (Severity) r;
}

static SummaryRule *rule_find(const Summary *s, const char *id)
{
        for (size_t i = 0; i < s->n_rules; i++)
                if (streq(s->rules[i].id, id))
                        return &s->rules[i];
        return NULL;
}

/* Every rule of every report, once. */
static int summary_collect_rules(Summary *s)
{
        for (size_t i = 0; i < s->n_hosts; i++) {
                json_t *results = json_object_get(s->hosts[i].doc, "results"), *e;
                size_t k;

                json_array_foreach(results, k, e)
                {
                        const char *id = summary_str(e, "id");
                        SummaryRule *r = rule_find(s, id);

                        if (!r) {
                                if (!greedy_realloc((void **) &s->rules, s->n_rules + 1, sizeof *s->rules))
                                        return -ENOMEM;
                                r = &s->rules[s->n_rules++];
                                *r = (SummaryRule){.id = id, .severity = cell_severity(e)};
                        }
                        if (!r->title)
                                r->title = summary_str(e, "title");
                        if (streq(summary_str(e, "status"), "fail"))
                                r->n_fail++;
                        else if (streq(summary_str(e, "status"), "waived"))
                                r->n_waived++;
                }
        }
        return 0;
}

static int rule_rank(const void *x, const void *y)
{
        const SummaryRule *a = x, *b = y;

        if (a->n_fail != b->n_fail)
                return a->n_fail > b->n_fail ? -1 : 1;
        if (a->severity != b->severity)
                return a->severity > b->severity ? -1 : 1;
        if (a->n_waived != b->n_waived)
                return a->n_waived > b->n_waived ? -1 : 1;
        return strcmp(a->id, b->id);
}

static int host_cmp(const void *x, const void *y)
{
        return strcmp(((const SummaryHost *) x)->name, ((const SummaryHost *) y)->name);
}

/* The cells, counts and failing state of a host with a report. */
static int host_count(const Summary *s, SummaryHost *h)
{
        json_t *e;
        size_t k;

        h->cells = calloc(s->n_rules ? s->n_rules : 1, sizeof *h->cells);
        if (!h->cells)
                return -ENOMEM;
        json_array_foreach(json_object_get(h->doc, "results"), k, e)
        {
                const char *st = summary_str(e, "status");
                SummaryRule *r = rule_find(s, summary_str(e, "id"));

                h->cells[r - s->rules] = e;
                if (streq(st, "fail")) {
                        h->n_fail[cell_severity(e)]++;
                        if (cell_severity(e) >= s->fail_on)
                                h->failing = true;
                } else if (streq(st, "waived"))
                        h->n_waived++;
                else if (streq(st, "pass"))
                        h->n_pass++;
                else if (streq(st, "skip"))
                        h->n_skip++;
                else if (streq(st, "error"))
                        h->n_error++;
        }
        h->n_stale = json_array_size(json_object_get(json_object_get(h->doc, "waivers"), "stale"));
        return 0;
}

/* Why the host is not simply clean or failing, then the report's own problems. */
static int host_problems(const Summary *s, SummaryHost *h)
{
        char when[32], age[32], max[32];
        json_t *e;
        size_t k;
        int r = 0;

        if (h->missing)
                return strv_consume(&h->problems, strdup("no report"));
        h->incomplete = h->exit_status == 2 || h->exit_status < 0 || h->exit_status > 2;
        if (h->incomplete)
                r = strv_consume(&h->problems,
                        strdupf("incomplete: the audit could not finish (exit status %d)", h->exit_status));
        h->old = s->now > h->time && (uint64_t) (s->now - h->time) > s->max_age;
        if (r >= 0 && h->old) {
                format_rfc3339(h->time, when);
                summary_format_age((uint64_t) (s->now - h->time), age);
                summary_format_age(s->max_age, max);
                r = strv_consume(
                        &h->problems, strdupf("old: the report is from %s%s, %s ago (--max-age %s)", when,
                                              h->time_from_file ? " (file time)" : "", age, max));
        }
        json_array_foreach(json_object_get(h->doc, "problems"), k, e)
        {
                if (r >= 0)
                        r = strv_extend(&h->problems, json_string_value(e));
        }
        return r;
}

int summary_finish(Summary *s)
{
        int r;

        if (s->n_hosts > 1)
                qsort(s->hosts, s->n_hosts, sizeof *s->hosts, host_cmp);
        r = summary_collect_rules(s);
        if (r < 0)
                return r;
        if (s->n_rules > 1)
                qsort(s->rules, s->n_rules, sizeof *s->rules, rule_rank);
        for (size_t i = 0; i < s->n_hosts; i++) {
                SummaryHost *h = &s->hosts[i];

                r = h->missing ? 0 : host_count(s, h);
                if (r >= 0)
                        r = host_problems(s, h);
                if (r < 0)
                        return r;
                s->n_state[summary_host_state(h)]++;
        }
        return 0;
}

int summary_exit_status(const Summary *s)
{
        if (s->n_state[HOST_MISSING] + s->n_state[HOST_INCOMPLETE] + s->n_state[HOST_OLD] > 0)
                return 2;
        return s->n_state[HOST_FAILING] > 0 ? 1 : 0;
}

void summary_format_age(uint64_t sec, char buf[static 32])
{
        if (sec >= 86400)
                snprintf(buf, 32, "%llud %lluh", (unsigned long long) (sec / 86400),
                        (unsigned long long) (sec % 86400 / 3600));
        else if (sec >= 3600)
                snprintf(buf, 32, "%lluh %llum", (unsigned long long) (sec / 3600),
                        (unsigned long long) (sec % 3600 / 60));
        else if (sec >= 60)
                snprintf(buf, 32, "%llum", (unsigned long long) (sec / 60));
        else
                snprintf(buf, 32, "%llus", (unsigned long long) sec);
}

int summary_parse_time(const char *s, time_t *ret)
{
        int64_t t;
        int r = parse_rfc3339(s, &t);

        if (r < 0)
                return r;
        *ret = (time_t) t;
        return 0;
}

int summary_parse_duration(const char *s, uint64_t *ret)
{
        static const struct {
                char unit;
                uint64_t sec;
        } units[] = {{'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}, {'w', 7 * 86400}};
        unsigned long long n = 0;
        const char *p = s;

        if (!isdigit((unsigned char) *p))
                return -EINVAL;
        for (; isdigit((unsigned char) *p); p++) {
                if (n > UINT32_MAX)
                        return -ERANGE;
                n = n * 10 + (unsigned long long) (*p - '0');
        }
        if (!*p) {
                *ret = n;
                return 0;
        }
        for (size_t i = 0; i < ELEMENTSOF(units); i++)
                if (*p == units[i].unit && !p[1]) {
                        *ret = n * units[i].sec;
                        return 0;
                }
        return -EINVAL;
}
