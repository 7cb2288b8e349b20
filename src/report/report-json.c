/* SPDX-License-Identifier: MIT */
/* The JSON report, schema "dockaudit-report/1". Fields are only ever added to this schema;
 * a change of meaning gets a new schema name. */
#include <time.h>

#include "formats/json-util.h"
#include "report/report.h"
#include "rules/facts-json.h"

char *report_hostname(void)
{
        char h[256];

        if (gethostname(h, sizeof h) < 0)
                return strdup("unknown");
        h[sizeof h - 1] = 0;
        return strdup(h);
}

json_t *finding_evidence_json(const Finding *f, const Facts *facts)
{
        _cleanup_json_ json_t *a = json_array();

        for (char **n = f->evidence; a && n && *n; n++) {
                const Fact *x = facts_get(facts, *n);
                _cleanup_json_ json_t *e = NULL;

                if (x)
                        e = fact_to_json(x);
                else
                        e = json_pack("{s:b, s:s}", "known", 0, "reason", "not collected");
                if (!e)
                        return NULL;
                json_object_del(e, "type");
                if (json_object_set_new(e, "fact", json_string_any(*n)) < 0 || json_array_append(a, e) < 0)
                        return NULL;
        }
        return TAKE_PTR(a);
}

/* json_string_any(s), or JSON null for NULL; NULL only on ENOMEM. */
static json_t *json_string_or_null(const char *s)
{
        return s ? json_string_any(s) : json_null();
}

/* {"file","line","rule","reason","owner","expires","expired"} (expires null: never). */
static json_t *waiver_json(const Waiver *w, bool expired)
{
        return json_pack("{s:o, s:I, s:o, s:o, s:o, s:o, s:b}", "file", json_string_any(w->path), "line",
                (json_int_t) w->line, "rule", json_string_any(w->rule), "reason", json_string_any(w->reason),
                "owner", json_string_any(w->owner), "expires", json_string_or_null(w->expires), "expired",
                expired);
}

static json_t *finding_json(const Finding *f, const Facts *facts)
{
        const Rule *rule = f->rule;
        _cleanup_json_ json_t *refs = json_array(), *o = NULL;

        for (char **i = rule->references; refs && i && *i; i++)
                if (json_array_append_new(refs, json_string_any(*i)) < 0)
                        return NULL;
        o = json_pack("{s:o, s:o, s:s, s:s, s:o, s:o, s:o, s:O, s:o}", "id", json_string_any(rule->id),
                "title", json_string_any(rule->title), "severity", severity_to_string(rule->severity),
                "status", finding_status_to_string(f->status), "message", json_string_or_null(f->message),
                "reason", json_string_or_null(f->reason), "evidence", finding_evidence_json(f, facts),
                "references", refs, "rule_file", json_string_any(rule->path));
        if (o && f->fix &&
                json_object_set_new(o, "fix", json_string_any(f->fix->name ? f->fix->name : "default")) < 0)
                return NULL;
        if (o && f->waiver &&
                json_object_set_new(o, "waiver", waiver_json(f->waiver, f->waiver_expired)) < 0)
                return NULL;
        return TAKE_PTR(o);
}

/* A rule disabled in a rules directory: not evaluated, with the file that disabled it. */
static json_t *disabled_json(const char *id, const char *by)
{
        _cleanup_free_ char *reason = strdupf("disabled by %s", strempty(by));

        if (!reason)
                return NULL;
        return json_pack("{s:o, s:s, s:o, s:o}", "id", json_string_any(id), "status", "disabled", "reason",
                json_string_any(reason), "disabled_by", json_string_any(strempty(by)));
}

static json_t *results_json(const Report *r, size_t counts[])
{
        _cleanup_json_ json_t *results = json_array();

        for (size_t i = 0; results && i < r->findings->n; i++) {
                counts[r->findings->v[i].status]++;
                if (json_array_append_new(results, finding_json(&r->findings->v[i], r->facts)) < 0)
                        return NULL;
        }
        for (size_t i = 0; results && r->disabled && r->disabled[i]; i++)
                if (json_array_append_new(results,
                            disabled_json(r->disabled[i], r->disabled_by ? r->disabled_by[i] : NULL)) < 0)
                        return NULL;
        return TAKE_PTR(results);
}

static json_t *strv_json(char *const *l)
{
        _cleanup_json_ json_t *a = json_array();

        for (; a && l && *l; l++)
                if (json_array_append_new(a, json_string_any(*l)) < 0)
                        return NULL;
        return TAKE_PTR(a);
}

/* "waivers": {"stale": [{"file","line","rule"}]}, and the summary's "waived" count. */
static int report_json_add_waivers(json_t *doc, const Report *r, const size_t counts[])
{
        _cleanup_json_ json_t *stale = json_array();

        for (const Waiver *const *w = r->stale_waivers; stale && w && *w; w++)
                if (json_array_append_new(stale,
                            json_pack("{s:o, s:I, s:o}", "file", json_string_any((*w)->path), "line",
                                    (json_int_t) (*w)->line, "rule", json_string_any((*w)->rule))) < 0)
                        return -ENOMEM;
        if (!stale || json_object_set_new(doc, "waivers", json_pack("{s:O}", "stale", stale)) < 0 ||
                json_object_set_new(json_object_get(doc, "summary"), "waived",
                        json_integer((json_int_t) counts[FINDING_WAIVED])) < 0)
                return -ENOMEM;
        return 0;
}

json_t *report_to_json(const Report *r)
{
        _cleanup_free_ char *host = report_hostname();
        size_t counts[_FINDING_STATUS_MAX] = {};
        json_t *results = results_json(r, counts);
        _cleanup_json_ json_t *doc = NULL;
        char when[64] = "";
        time_t now = time(NULL);
        struct tm tm;

        if (gmtime_r(&now, &tm))
                strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
        /* Every string from the host goes in through "o" (json_string_any): "s" would fail on
         * bytes that are not UTF-8, and the failure would look like ENOMEM. */
        doc = json_pack("{s:s, s:{s:s, s:s}, s:{s:o, s:s}, s:{s:o, s:s, s:o*, s:o*}, s:o*, s:o*, s:o*, "
                        "s:{s:I, s:I, s:I, s:I, s:I, s:s, s:b, s:i}}",
                "schema", REPORT_SCHEMA, "tool", "name", PACKAGE_NAME, "version", PACKAGE_VERSION, "host",
                "hostname", json_string_any(host ? host : "unknown"), "time", when, "target", "unit",
                json_string_any(r->unit), "scope", r->user ? "user" : "system", "root",
                json_string_or_null(r->root), "facts_file", json_string_or_null(r->facts_file), "facts",
                facts_to_json(r->facts), "results", results, "problems", strv_json(r->problems), "summary",
                "pass", (json_int_t) counts[FINDING_PASS], "fail", (json_int_t) counts[FINDING_FAIL], "skip",
                (json_int_t) counts[FINDING_SKIP], "error", (json_int_t) counts[FINDING_ERROR], "disabled",
                (json_int_t) strv_length(r->disabled), "fail_on", severity_to_string(r->fail_on), "strict",
                r->strict, "exit_status", r->exit_status);
        if (doc && report_json_add_waivers(doc, r, counts) < 0)
                return NULL;
        return TAKE_PTR(doc);
}

int report_json(const Report *r, FILE *out)
{
        _cleanup_json_ json_t *doc = report_to_json(r);

        if (!doc)
                return -ENOMEM;
        if (json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0 || fputc('\n', out) == EOF)
                return -EIO;
        return 0;
}
