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
                if (json_object_set_new(e, "fact", json_string(*n)) < 0 || json_array_append(a, e) < 0)
                        return NULL;
        }
        return TAKE_PTR(a);
}

static json_t *finding_json(const Finding *f, const Facts *facts)
{
        const Rule *rule = f->rule;
        json_t *refs = json_array(), *o;

        for (char **i = rule->references; refs && i && *i; i++)
                json_array_append_new(refs, json_string(*i));
        o = json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s?, s:o*, s:o*, s:s}", "id", rule->id, "title",
                rule->title, "severity", severity_to_string(rule->severity), "status",
                finding_status_to_string(f->status), "message", f->message, "reason", f->reason, "evidence",
                finding_evidence_json(f, facts), "references", refs, "rule_file", rule->path);
        if (o && f->fix)
                json_object_set_new(o, "fix", json_string(f->fix->name ? f->fix->name : "default"));
        return o;
}

json_t *report_to_json(const Report *r)
{
        _cleanup_free_ char *host = report_hostname();
        size_t counts[_FINDING_STATUS_MAX] = {};
        json_t *results = json_array(), *problems = json_array();
        char when[64] = "";
        time_t now = time(NULL);
        struct tm tm;

        if (gmtime_r(&now, &tm))
                strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
        for (size_t i = 0; results && i < r->findings->n; i++) {
                counts[r->findings->v[i].status]++;
                json_array_append_new(results, finding_json(&r->findings->v[i], r->facts));
        }
        for (char **p = r->problems; problems && p && *p; p++)
                json_array_append_new(problems, json_string(*p));

        return json_pack("{s:s, s:{s:s, s:s}, s:{s:s, s:s}, s:{s:s, s:s, s:s?, s:s?}, s:o*, s:o*, s:o*, "
                         "s:{s:I, s:I, s:I, s:I, s:s, s:i}}",
                "schema", REPORT_SCHEMA, "tool", "name", PACKAGE_NAME, "version", PACKAGE_VERSION, "host",
                "hostname", host ? host : "unknown", "time", when, "target", "unit", r->unit, "scope",
                r->user ? "user" : "system", "root", r->root, "facts_file", r->facts_file, "facts",
                facts_to_json(r->facts), "results", results, "problems", problems, "summary", "pass",
                (json_int_t) counts[FINDING_PASS], "fail", (json_int_t) counts[FINDING_FAIL], "skip",
                (json_int_t) counts[FINDING_SKIP], "error", (json_int_t) counts[FINDING_ERROR], "fail_on",
                severity_to_string(r->fail_on), "exit_status", r->exit_status);
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
