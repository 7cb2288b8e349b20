/* SPDX-License-Identifier: MIT */
/* The JSON report, schema "dockaudit-report/1". Fields are only ever added to this schema;
 * a change of meaning gets a new schema name. */
#include "formats/json-util.h"
#include "report/fingerprint.h"
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

const char *report_audited_hostname(const Report *r)
{
        return r->host && r->host->value[HOST_HOSTNAME] ? r->host->value[HOST_HOSTNAME] : "unknown";
}

int report_fingerprint(const Report *r, size_t i, char ret[static SHA256_HEX_SIZE])
{
        return finding_fingerprint(&r->findings->v[i], r->facts, r->unit, r->user, ret);
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
        /* a skip that --strict does not count: the rule does not apply to this host */
        if (o && f->not_applicable && json_object_set_new(o, "not_applicable", json_true()) < 0)
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

/* results[i].fingerprint, and .baseline with --baseline (issue 12). */
static int finding_json_identity(const Report *r, size_t i, json_t *o)
{
        char fp[SHA256_HEX_SIZE];
        const char *mark = r->baseline ? baseline_mark_to_string(r->baseline->marks[i]) : NULL;

        if (report_fingerprint(r, i, fp) < 0 || json_object_set_new(o, "fingerprint", json_string(fp)) < 0)
                return -ENOMEM;
        if (mark && json_object_set_new(o, "baseline", json_string(mark)) < 0)
                return -ENOMEM;
        return 0;
}

static json_t *results_json(const Report *r, size_t counts[])
{
        _cleanup_json_ json_t *results = json_array();

        for (size_t i = 0; results && i < r->findings->n; i++) {
                _cleanup_json_ json_t *o = finding_json(&r->findings->v[i], r->facts);

                counts[r->findings->v[i].status]++;
                if (!o || finding_json_identity(r, i, o) < 0 || json_array_append(results, o) < 0)
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

/* "host": the audited host (r->host), every field null with its reason when unknown. */
static json_t *host_json(const Report *r)
{
        HostIdentity none = {};
        json_t *o;

        if (r->host)
                return host_identity_to_json(r->host);
        if (host_identity_fill_unknown(&none, "not collected") < 0)
                return NULL;
        o = host_identity_to_json(&none);
        host_identity_done(&none);
        return o;
}

/* The top-level "baseline" object (--baseline), or JSON null. */
static json_t *baseline_json(const Report *r)
{
        _cleanup_json_ json_t *resolved = json_array();
        const BaselineResult *b = r->baseline;

        if (!b)
                return json_null();
        for (size_t i = 0; resolved && i < b->n_resolved; i++)
                if (json_array_append_new(resolved,
                            json_pack("{s:o, s:s, s:s}", "rule", json_string_any(b->resolved[i].rule),
                                    "fingerprint", b->resolved[i].fingerprint, "status",
                                    b->resolved[i].status)) < 0)
                        return NULL;
        return json_pack("{s:o, s:b, s:I, s:I, s:O}", "file", json_string_any(b->file), "fail_on_new",
                r->fail_on_new, "new", (json_int_t) b->n_new, "resolved_count", (json_int_t) b->n_resolved,
                "resolved", resolved);
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
        size_t counts[_FINDING_STATUS_MAX] = {};
        json_t *results = results_json(r, counts);
        _cleanup_json_ json_t *doc = NULL;

        /* Every string from the host goes in through "o" (json_string_any): "s" would fail on
         * bytes that are not UTF-8, and the failure would look like ENOMEM. */
        doc = json_pack("{s:s, s:{s:s, s:s, s:o}, s:o, s:{s:o, s:s, s:o*, s:o*}, s:o*, s:o*, s:o*, s:o*, "
                        "s:{s:I, s:I, s:I, s:I, s:I, s:o, s:s, s:b, s:i}}",
                "schema", REPORT_SCHEMA, "tool", "name", PACKAGE_NAME, "version", PACKAGE_VERSION,
                "rules_digest", r->rules_digest ? json_string(r->rules_digest) : json_null(), "host",
                host_json(r), "target", "unit", json_string_any(r->unit), "scope",
                r->user ? "user" : "system", "root", json_string_or_null(r->root), "facts_file",
                json_string_or_null(r->facts_file), "facts", facts_to_json(r->facts), "results", results,
                "problems", strv_json(r->problems), "baseline", baseline_json(r), "summary", "pass",
                (json_int_t) counts[FINDING_PASS], "fail", (json_int_t) counts[FINDING_FAIL], "skip",
                (json_int_t) counts[FINDING_SKIP], "error", (json_int_t) counts[FINDING_ERROR], "disabled",
                (json_int_t) strv_length(r->disabled), "new",
                r->baseline ? json_integer((json_int_t) r->baseline->n_new) : json_null(), "fail_on",
                severity_to_string(r->fail_on), "strict", r->strict, "exit_status", r->exit_status);
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
