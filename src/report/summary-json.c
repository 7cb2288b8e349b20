/* SPDX-License-Identifier: MIT */
/* The fleet summary as JSON, schema "dockaudit-summary/1" (fields are only ever added):
 *   {"schema", "tool": {"name","version"}, "time", "fail_on", "max_age_seconds",
 *    "summary": {"hosts","clean","failing","old","incomplete","missing","exit_status"},
 *    "hosts": [{"name","state","file","machine_id","rules_digest","time","time_source",
 *               "age_seconds","exit_status","failing": {"high","medium","low","info"},
 *               "waived","stale","pass","skip","error","failing_rules": [ID...],
 *               "waivers": [{"rule","reason","owner","expires"}],
 *               "stale_waivers": [{"file","line","rule"}], "problems": [...]}],
 *    "rules": [{"id","title","severity","hosts_failing","hosts_waived",
 *               "hosts": {"NAME": STATUS...}}]}   (ranked; STATUS as in the reports, or "absent")
 * A missing host has only "name", "state" and "problems". Strings from reports go in through
 * json_string_any(). */
#include "basic/string-util.h"
#include "basic/time-util.h"
#include "formats/json-util.h"
#include "report/summary.h"
#include "rules/facts-json.h"

static json_t *str_or_null(const char *s)
{
        return s ? json_string_any(s) : json_null();
}

static json_t *strv_to_json(char *const *l)
{
        _cleanup_json_ json_t *a = json_array();

        for (; a && l && *l; l++)
                if (json_array_append_new(a, json_string_any(*l)) < 0)
                        return NULL;
        return TAKE_PTR(a);
}

/* failing_rules and waivers of a host. */
static int host_rules_json(const Summary *s, const SummaryHost *h, json_t *o)
{
        _cleanup_json_ json_t *failing = json_array(), *waivers = json_array();

        if (!failing || !waivers)
                return -ENOMEM;
        for (size_t k = 0; k < s->n_rules; k++) {
                const char *st = summary_cell_status(h->cells[k]);
                const json_t *w = json_object_get(h->cells[k], "waiver");

                if (streq(st, "fail") && json_array_append_new(failing, json_string_any(s->rules[k].id)) < 0)
                        return -ENOMEM;
                if (streq(st, "waived") &&
                        json_array_append_new(waivers,
                                json_pack("{s:o, s:o, s:o, s:o}", "rule", json_string_any(s->rules[k].id),
                                        "reason", str_or_null(summary_str(w, "reason")), "owner",
                                        str_or_null(summary_str(w, "owner")), "expires",
                                        str_or_null(summary_str(w, "expires")))) < 0)
                        return -ENOMEM;
        }
        if (json_object_set(o, "failing_rules", failing) < 0 || json_object_set(o, "waivers", waivers) < 0)
                return -ENOMEM;
        return 0;
}

static json_t *host_json(const Summary *s, const SummaryHost *h)
{
        _cleanup_json_ json_t *o = NULL;
        json_t *stale;
        char when[32];

        if (h->missing)
                return json_pack("{s:o, s:s, s:o}", "name", json_string_any(h->name), "state", "missing",
                        "problems", strv_to_json(h->problems));
        format_rfc3339(h->time, when);
        stale = json_object_get(json_object_get(h->doc, "waivers"), "stale");
        o = json_pack("{s:o, s:s, s:o, s:o, s:o, s:s, s:s, s:I, s:i, s:{s:I, s:I, s:I, s:I}, s:I, s:I, s:I, "
                      "s:I, s:I, s:o, s:o}",
                "name", json_string_any(h->name), "state", host_state_to_string(summary_host_state(h)),
                "file", json_string_any(h->file), "machine_id", str_or_null(h->machine_id), "rules_digest",
                str_or_null(h->rules_digest), "time", when, "time_source",
                h->time_from_file ? "file" : "report", "age_seconds",
                (json_int_t) (s->now > h->time ? s->now - h->time : 0), "exit_status", h->exit_status,
                "failing", "high", (json_int_t) h->n_fail[SEVERITY_HIGH], "medium",
                (json_int_t) h->n_fail[SEVERITY_MEDIUM], "low", (json_int_t) h->n_fail[SEVERITY_LOW], "info",
                (json_int_t) h->n_fail[SEVERITY_INFO], "waived", (json_int_t) h->n_waived, "stale",
                (json_int_t) h->n_stale, "pass", (json_int_t) h->n_pass, "skip", (json_int_t) h->n_skip,
                "error", (json_int_t) h->n_error, "stale_waivers", stale ? json_incref(stale) : json_array(),
                "problems", strv_to_json(h->problems));
        if (!o || host_rules_json(s, h, o) < 0)
                return NULL;
        return TAKE_PTR(o);
}

static json_t *rule_json(const Summary *s, size_t k)
{
        const SummaryRule *r = &s->rules[k];
        _cleanup_json_ json_t *hosts = json_object();

        for (size_t i = 0; hosts && i < s->n_hosts; i++) {
                const SummaryHost *h = &s->hosts[i];
                _cleanup_free_ char *name = NULL;

                if (h->missing)
                        continue;
                /* Keys are strings too: a name that is not UTF-8 is escaped as json_string_any() does. */
                name = utf8_is_valid(h->name) ? strdup(h->name) : utf8_escape_invalid(h->name);
                if (!name ||
                        json_object_set_new(hosts, name, json_string(summary_cell_status(h->cells[k]))) < 0)
                        return NULL;
        }
        return json_pack("{s:o, s:o, s:s, s:I, s:I, s:O}", "id", json_string_any(r->id), "title",
                str_or_null(r->title), "severity", severity_to_string(r->severity), "hosts_failing",
                (json_int_t) r->n_fail, "hosts_waived", (json_int_t) r->n_waived, "hosts", hosts);
}

json_t *summary_to_json(const Summary *s)
{
        _cleanup_json_ json_t *hosts = json_array(), *rules = json_array();
        char now[32];

        for (size_t i = 0; hosts && i < s->n_hosts; i++)
                if (json_array_append_new(hosts, host_json(s, &s->hosts[i])) < 0)
                        return NULL;
        for (size_t k = 0; rules && k < s->n_rules; k++)
                if (json_array_append_new(rules, rule_json(s, k)) < 0)
                        return NULL;
        if (!hosts || !rules)
                return NULL;
        format_rfc3339(s->now, now);
        return json_pack(
                "{s:s, s:{s:s, s:s}, s:s, s:s, s:I, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:i}, s:O, s:O}",
                "schema", SUMMARY_SCHEMA, "tool", "name", PACKAGE_NAME, "version", PACKAGE_VERSION, "time",
                now, "fail_on", severity_to_string(s->fail_on), "max_age_seconds", (json_int_t) s->max_age,
                "summary", "hosts", (json_int_t) s->n_hosts, "clean", (json_int_t) s->n_state[HOST_CLEAN],
                "failing", (json_int_t) s->n_state[HOST_FAILING], "old", (json_int_t) s->n_state[HOST_OLD],
                "incomplete", (json_int_t) s->n_state[HOST_INCOMPLETE], "missing",
                (json_int_t) s->n_state[HOST_MISSING], "exit_status", summary_exit_status(s), "hosts", hosts,
                "rules", rules);
}

int summary_json(const Summary *s, FILE *out)
{
        _cleanup_json_ json_t *doc = summary_to_json(s);

        if (!doc)
                return -ENOMEM;
        if (json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0 || fputc('\n', out) == EOF)
                return -EIO;
        return 0;
}
