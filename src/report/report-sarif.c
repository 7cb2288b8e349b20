/* SPDX-License-Identifier: MIT */
/* SARIF 2.1.0 (OASIS, errata 01): one run; the rules as reportingDescriptors, each failed (or
 * waived) rule as a result. Built from the JSON report, so it carries what that carries
 * (fingerprints, waivers, baseline states) under the same names.
 *
 * Locations follow what code scanning (GitHub) needs to show a result: a physicalLocation
 * with a relative URI and region.startLine. The URI is the path of the file that set the
 * evidence, relative to the base "ROOT" (file:///), so that the same file on two hosts is the
 * same artifact. Evidence that comes from no file (D-Bus, the Docker API, /proc) goes into
 * logicalLocations; a result whose evidence names no file at all is placed on the unit's
 * fragment file, else on the rule file, at line 1. The other evidence goes into
 * relatedLocations. Passed rules are not results; skipped, failed-to-evaluate and disabled
 * rules, the audit's problems and stale waivers are notifications of the invocation. */
#include <limits.h>

#include "formats/json-util.h"
#include "report/report.h"
#include "rules/facts-json.h"

#define SARIF_SCHEMA_URI \
        "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
#define SARIF_URI_BASE "ROOT"
#define SARIF_FINGERPRINT_KEY "dockauditFingerprint/v1"

void sarif_source_done(SarifSource *s)
{
        free(s->path);
        free(s->name);
        free(s->fqname);
        *s = (SarifSource){};
}

static int sarif_source_logical(SarifSource *s, const char *fqname, const char *name, const char *kind)
{
        s->kind = SARIF_SOURCE_LOGICAL;
        s->logical_kind = kind;
        s->fqname = strdup(fqname);
        s->name = strdup(name);
        return s->fqname && s->name ? 0 : -ENOMEM;
}

/* The first absolute path in s: at its start, or after a space or "(". */
static const char *find_path(const char *s)
{
        for (const char *p = s; *p; p++)
                if (*p == '/' && (p == s || p[-1] == ' ' || p[-1] == '('))
                        return p;
        return NULL;
}

/* The path starting at p up to a space, ",", ")" or ";", and the ":LINE" after it. */
static int sarif_source_file(SarifSource *s, const char *p)
{
        size_t n = strcspn(p, " ,);");
        const char *colon = memrchr(p, ':', n);
        unsigned long line = 0;

        if (colon && colon + 1 < p + n && strspn(colon + 1, "0123456789") == (size_t) (p + n - colon - 1)) {
                errno = 0;
                line = strtoul(colon + 1, NULL, 10);
                if (errno == 0 && line > 0 && line <= INT_MAX)
                        n = colon - p;
                else
                        line = 0;
        }
        s->kind = SARIF_SOURCE_FILE;
        s->line = (unsigned) line;
        s->path = strndup(p, n);
        return s->path ? 0 : -ENOMEM;
}

int sarif_source_parse(const char *source, SarifSource *ret)
{
        const char *p;

        *ret = (SarifSource){};
        if (!source)
                return 0;
        if ((p = startswith(source, "dbus:"))) {
                const char *dot = strrchr(p, '.');
                return sarif_source_logical(ret, p, dot ? dot + 1 : p, "property");
        }
        if ((p = startswith(source, "docker-api:")))
                return sarif_source_logical(ret, source, p, "resource");
        p = find_path(source);
        if (!p)
                return 0;
        if (p == source && (startswith(source, "/proc/") || startswith(source, "/sys/")))
                return sarif_source_logical(ret, source, source, "resource");
        return sarif_source_file(ret, p);
}

char *sarif_uri_from_path(const char *path)
{
        _cleanup_sb_ StrBuf b = {};

        path += strspn(path, "/");
        for (const unsigned char *c = (const unsigned char *) path; *c; c++) {
                bool plain = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                             (*c >= '0' && *c <= '9') || strchr("-._~/", *c);
                if ((plain ? sb_putc(&b, (char) *c) : sb_printf(&b, "%%%02X", *c)) < 0)
                        return NULL;
        }
        return sb_steal(&b);
}

/* ------------------------------------------------------------------ locations */

/* {"artifactLocation": {"uri", "uriBaseId"}, "region": {"startLine"}}; line 0 is line 1: code
 * scanning needs a line, and a source without one means the whole file. */
static json_t *physical_location(const char *path, unsigned line)
{
        _cleanup_free_ char *uri = sarif_uri_from_path(path);

        if (!uri)
                return NULL;
        return json_pack("{s:{s:s, s:s}, s:{s:i}}", "artifactLocation", "uri", uri, "uriBaseId",
                SARIF_URI_BASE, "region", "startLine", line > 0 ? (int) line : 1);
}

static json_t *logical_location(const char *name, const char *fqname, const char *kind)
{
        return json_pack("{s:s, s:s, s:s}", "name", name, "fullyQualifiedName", fqname, "kind", kind);
}

/* A location for one parsed source, with a message; NULL source kind NONE gives JSON null. */
static json_t *source_location(const SarifSource *s, const char *message)
{
        json_t *o = NULL;

        if (s->kind == SARIF_SOURCE_FILE)
                o = json_pack("{s:o}", "physicalLocation", physical_location(s->path, s->line));
        else if (s->kind == SARIF_SOURCE_LOGICAL)
                o = json_pack("{s:[o]}", "logicalLocations",
                        logical_location(s->name, s->fqname, s->logical_kind));
        else
                return json_null();
        if (o && message && json_object_set_new(o, "message", json_pack("{s:s}", "text", message)) < 0)
                json_decref(TAKE_PTR(o));
        return o;
}

/* "fact = value" for an evidence entry of the JSON report. */
static char *evidence_text(const json_t *e)
{
        const char *fact = json_string_value(json_object_get(e, "fact"));
        const json_t *v = json_object_get(e, "value");
        _cleanup_free_ char *value = NULL;

        if (json_is_string(v))
                value = strdup(json_string_value(v));
        else if (v)
                value = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
        else
                value = strdup("unknown");
        if (!value)
                return NULL;
        return strdupf("%s = %s", fact ? fact : "?", value);
}

/* Where the result is shown when no evidence names a file: the unit's fragment, else the rule
 * file (resolved: the rules directory may have been given relative). */
static int fallback_file(const json_t *doc, const json_t *res, SarifSource *ret)
{
        const json_t *frag = json_object_get(json_object_get(doc, "facts"), "unit.fragment_path");
        const char *path = json_is_true(json_object_get(frag, "known"))
                                   ? json_string_value(json_object_get(frag, "value"))
                                   : NULL;
        _cleanup_free_ char *real = NULL;

        *ret = (SarifSource){.kind = SARIF_SOURCE_FILE};
        if (!path || path[0] != '/') {
                path = json_string_value(json_object_get(res, "rule_file"));
                real = path ? realpath(path, NULL) : NULL;
                if (real)
                        path = real;
        }
        ret->path = strdup(path && path[0] == '/' ? path : "/etc/dockaudit");
        return ret->path ? 0 : -ENOMEM;
}

typedef struct ResultLocations {
        json_t *primary; /* the one location of "locations" */
        json_t *related; /* "relatedLocations" */
} ResultLocations;

static void result_locations_done(ResultLocations *l)
{
        json_decref(l->primary);
        json_decref(l->related);
}

/* The first evidence with a file source becomes the primary location (with the unit as its
 * logical location); every other evidence with a source is a related location. */
static int result_locations(const json_t *doc, const json_t *res, ResultLocations *ret)
{
        const json_t *evidence = json_object_get(res, "evidence");
        const char *unit = json_string_value(json_object_get(json_object_get(doc, "target"), "unit"));
        _cleanup_(result_locations_done) ResultLocations l = {.related = json_array()};
        size_t i;
        json_t *e;

        if (!l.related)
                return -ENOMEM;
        json_array_foreach(evidence, i, e)
        {
                _cleanup_(sarif_source_done) SarifSource s = {};
                _cleanup_free_ char *text = evidence_text(e);
                json_t *loc;

                if (!text || sarif_source_parse(json_string_value(json_object_get(e, "source")), &s) < 0)
                        return -ENOMEM;
                if (s.kind == SARIF_SOURCE_NONE)
                        continue;
                if (!(loc = source_location(&s, text)))
                        return -ENOMEM;
                if (!l.primary && s.kind == SARIF_SOURCE_FILE)
                        l.primary = loc;
                else if (json_object_set_new(
                                 loc, "id", json_integer((json_int_t) json_array_size(l.related))) < 0 ||
                         json_array_append_new(l.related, loc) < 0)
                        return -ENOMEM;
        }
        if (!l.primary) {
                _cleanup_(sarif_source_done) SarifSource s = {};
                if (fallback_file(doc, res, &s) < 0 || !(l.primary = source_location(&s, NULL)))
                        return -ENOMEM;
        }
        if (unit && json_object_set_new(l.primary, "logicalLocations",
                            json_pack("[o]", logical_location(unit, unit, "module"))) < 0)
                return -ENOMEM;
        *ret = TAKE_STRUCT(l);
        return 0;
}

/* ------------------------------------------------------------------ rules */

static const char *sarif_level(const char *severity)
{
        if (streq_ptr(severity, "high"))
                return "error";
        if (streq_ptr(severity, "medium"))
                return "warning";
        return "note";
}

/* "mountflags-slave-with-live-restore" -> "MountflagsSlaveWithLiveRestore" */
static char *rule_name(const char *id)
{
        _cleanup_sb_ StrBuf b = {};
        bool up = true;

        for (const char *c = id; *c; c++) {
                if (*c == '-') {
                        up = true;
                        continue;
                }
                if (sb_putc(&b, up && *c >= 'a' && *c <= 'z' ? (char) (*c - 'a' + 'A') : *c) < 0)
                        return NULL;
                up = false;
        }
        return sb_steal(&b);
}

/* The rationale, then the references: plain text and Markdown. */
static int rule_help(const Rule *rule, char **ret_text, char **ret_markdown)
{
        _cleanup_sb_ StrBuf t = {}, m = {};

        if (sb_append(&t, strempty(rule->rationale)) < 0 || sb_append(&m, strempty(rule->rationale)) < 0)
                return -ENOMEM;
        if (rule->references && *rule->references &&
                (sb_append(&t, "\n\nReferences:") < 0 || sb_append(&m, "\n\nReferences:\n") < 0))
                return -ENOMEM;
        for (char **r = rule->references; r && *r; r++)
                if (sb_printf(&t, "\n  %s", *r) < 0 || sb_printf(&m, "\n- <%s>", *r) < 0)
                        return -ENOMEM;
        *ret_text = sb_steal(&t);
        *ret_markdown = sb_steal(&m);
        return *ret_text && *ret_markdown ? 0 : -ENOMEM;
}

/* The tags of a rule: the fact groups it reads ("unit", "dockerd", "kernel"). */
static json_t *rule_tags(const Finding *f)
{
        _cleanup_json_ json_t *tags = json_array();

        for (char **n = f->evidence; tags && n && *n; n++) {
                _cleanup_free_ char *group = strndup(*n, strcspn(*n, "."));
                bool seen = false;
                size_t i;
                json_t *t;

                if (!group)
                        return NULL;
                json_array_foreach(tags, i, t) seen = seen || streq(json_string_value(t), group);
                if (!seen && json_array_append_new(tags, json_string_any(group)) < 0)
                        return NULL;
        }
        return TAKE_PTR(tags);
}

static json_t *rule_descriptor(const Finding *f)
{
        const Rule *rule = f->rule;
        _cleanup_free_ char *name = rule_name(rule->id), *text = NULL, *markdown = NULL;
        _cleanup_json_ json_t *d = NULL;

        if (!name || rule_help(rule, &text, &markdown) < 0)
                return NULL;
        d = json_pack("{s:o, s:o, s:{s:o}, s:{s:o}, s:{s:o, s:o}, s:{s:s}, s:{s:o, s:s}}", "id",
                json_string_any(rule->id), "name", json_string_any(name), "shortDescription", "text",
                json_string_any(rule->title), "fullDescription", "text",
                json_string_any(strempty(rule->rationale)), "help", "text", json_string_any(text),
                "markdown", json_string_any(markdown), "defaultConfiguration", "level",
                sarif_level(severity_to_string(rule->severity)), "properties", "tags", rule_tags(f),
                "severity", severity_to_string(rule->severity));
        if (d && rule->references && rule->references[0] &&
                json_object_set_new(d, "helpUri", json_string_any(rule->references[0])) < 0)
                return NULL;
        return TAKE_PTR(d);
}

static json_t *rules_json(const Findings *fs)
{
        _cleanup_json_ json_t *a = json_array();

        for (size_t i = 0; a && i < fs->n; i++)
                if (json_array_append_new(a, rule_descriptor(&fs->v[i])) < 0)
                        return NULL;
        return TAKE_PTR(a);
}

/* The index of rule id among the descriptors, or -1. */
static long rule_index(const Findings *fs, const char *id)
{
        for (size_t i = 0; id && i < fs->n; i++)
                if (streq(fs->v[i].rule->id, id))
                        return (long) i;
        return -1;
}

/* ------------------------------------------------------------------ results */

/* A deep copy of v (JSON null when v is NULL): the report stays untouched. */
static json_t *copy_or_null(const json_t *v)
{
        return v ? json_deep_copy(v) : json_null();
}

/* A waiver that accepts the failure (F2's "waiver" object): an external suppression, placed
 * on the waiver file's line. */
static json_t *suppression_json(const json_t *waiver)
{
        const char *reason = json_string_value(json_object_get(waiver, "reason"));
        const char *file = json_string_value(json_object_get(waiver, "file"));
        json_int_t line = json_integer_value(json_object_get(waiver, "line"));
        _cleanup_json_ json_t *s = json_pack("{s:s, s:s, s:o}", "kind", "external", "status", "accepted",
                "properties", waiver ? json_deep_copy(waiver) : json_object());

        if (s && reason && json_object_set_new(s, "justification", json_string(reason)) < 0)
                return NULL;
        if (s && file && file[0] == '/' &&
                json_object_set_new(s, "location",
                        json_pack("{s:o}", "physicalLocation",
                                physical_location(
                                        file, line > 0 && line <= INT_MAX ? (unsigned) line : 0))) < 0)
                return NULL;
        return TAKE_PTR(s);
}

/* The optional parts of a result: rule index, fingerprint, baseline state, suppression. */
static int result_extras(json_t *o, const json_t *res, const Findings *fs)
{
        const char *id = json_string_value(json_object_get(res, "id"));
        const char *fp = json_string_value(json_object_get(res, "fingerprint"));
        const char *baseline = json_string_value(json_object_get(res, "baseline"));
        const json_t *waiver = json_object_get(res, "waiver");
        long index = rule_index(fs, id);

        if (index >= 0 && json_object_set_new(o, "ruleIndex", json_integer(index)) < 0)
                return -ENOMEM;
        if (fp && json_object_set_new(
                          o, "partialFingerprints", json_pack("{s:s}", SARIF_FINGERPRINT_KEY, fp)) < 0)
                return -ENOMEM;
        if (baseline && (streq(baseline, "new") || streq(baseline, "unchanged")) &&
                json_object_set_new(o, "baselineState", json_string(baseline)) < 0)
                return -ENOMEM;
        if (streq_ptr(json_string_value(json_object_get(res, "status")), "waived") &&
                json_object_set_new(o, "suppressions", json_pack("[o]", suppression_json(waiver))) < 0)
                return -ENOMEM;
        if (waiver &&
                json_object_set_new(json_object_get(o, "properties"), "waiver", json_deep_copy(waiver)) < 0)
                return -ENOMEM;
        return 0;
}

static json_t *result_json(const json_t *doc, const json_t *res, const Findings *fs)
{
        const char *id = json_string_value(json_object_get(res, "id"));
        const char *severity = json_string_value(json_object_get(res, "severity"));
        const char *status = json_string_value(json_object_get(res, "status"));
        const char *msg = json_string_value(json_object_get(res, "message"));
        _cleanup_(result_locations_done) ResultLocations l = {};
        _cleanup_json_ json_t *o = NULL;

        if (!msg)
                msg = json_string_value(json_object_get(res, "title"));
        if (result_locations(doc, res, &l) < 0)
                return NULL;
        o = json_pack("{s:s, s:s, s:{s:s}, s:[O], s:{s:s, s:s}}", "ruleId", strempty(id), "level",
                sarif_level(severity), "message", "text", msg ? msg : strempty(id), "locations", l.primary,
                "properties", "severity", strempty(severity), "status", strempty(status));
        if (!o || result_extras(o, res, fs) < 0)
                return NULL;
        if (json_array_size(l.related) > 0 && json_object_set(o, "relatedLocations", l.related) < 0)
                return NULL;
        return TAKE_PTR(o);
}

static json_t *results_json(const json_t *doc, const Findings *fs)
{
        _cleanup_json_ json_t *a = json_array();
        size_t i;
        json_t *res;

        json_array_foreach(json_object_get(doc, "results"), i, res)
        {
                const char *status = json_string_value(json_object_get(res, "status"));
                if (!a)
                        return NULL;
                if ((streq_ptr(status, "fail") || streq_ptr(status, "waived")) &&
                        json_array_append_new(a, result_json(doc, res, fs)) < 0)
                        return NULL;
        }
        return TAKE_PTR(a);
}

/* ------------------------------------------------------------------ invocation */

/* Appends a notification; location (may be NULL) is taken. */
static int notify(
        json_t *a, const char *level, const char *text, const char *rule, long index, json_t *location)
{
        _cleanup_json_ json_t *loc = location;
        _cleanup_json_ json_t *n = json_pack("{s:s, s:{s:s}}", "level", level, "message", "text", text);

        if (!n)
                return -ENOMEM;
        if (rule && json_object_set_new(n, "associatedRule",
                            index >= 0 ? json_pack("{s:s, s:i}", "id", rule, "index", (int) index)
                                       : json_pack("{s:s}", "id", rule)) < 0)
                return -ENOMEM;
        if (loc && json_object_set_new(n, "locations", json_pack("[O]", loc)) < 0)
                return -ENOMEM;
        return json_array_append_new(a, TAKE_PTR(n)) < 0 ? -ENOMEM : 0;
}

/* Rules that were not judged: skipped (an unknown fact), in error, disabled. */
static int notify_rules(json_t *a, const json_t *doc, const Findings *fs)
{
        size_t i;
        json_t *res;

        json_array_foreach(json_object_get(doc, "results"), i, res)
        {
                const char *id = json_string_value(json_object_get(res, "id"));
                const char *status = json_string_value(json_object_get(res, "status"));
                const char *reason = json_string_value(json_object_get(res, "reason"));
                const char *level = streq_ptr(status, "error") ? "error" : "note";
                _cleanup_free_ char *text = NULL;

                if (!id || !(streq_ptr(status, "skip") || streq_ptr(status, "error") ||
                                   streq_ptr(status, "disabled")))
                        continue;
                text = strdupf("rule %s %s: %s", id,
                        streq(status, "skip")    ? "skipped"
                        : streq(status, "error") ? "could not be evaluated"
                                                 : "disabled",
                        strempty(reason));
                if (!text || notify(a, level, text, id, rule_index(fs, id), NULL) < 0)
                        return -ENOMEM;
        }
        return 0;
}

/* Waivers that match nothing (F2's "waivers": {"stale": [{"file","line","rule"}]}). */
static int notify_stale_waivers(json_t *a, const json_t *doc)
{
        size_t i;
        json_t *w;

        json_array_foreach(json_object_get(json_object_get(doc, "waivers"), "stale"), i, w)
        {
                const char *file = json_string_value(json_object_get(w, "file"));
                const char *rule = json_string_value(json_object_get(w, "rule"));
                json_int_t line = json_integer_value(json_object_get(w, "line"));
                _cleanup_free_ char *text =
                        strdupf("stale waiver %s:%lld for rule %s: it matches no failure", strempty(file),
                                (long long) line, strempty(rule));
                json_t *loc = file && file[0] == '/'
                                      ? json_pack("{s:o}", "physicalLocation",
                                                physical_location(file,
                                                        line > 0 && line <= INT_MAX ? (unsigned) line : 0))
                                      : NULL;

                if (!text || notify(a, "warning", text, NULL, -1, loc) < 0)
                        return -ENOMEM;
        }
        return 0;
}

static json_t *invocation_json(const json_t *doc, const Findings *fs)
{
        const json_t *summary = json_object_get(doc, "summary");
        json_int_t exit_status = json_integer_value(json_object_get(summary, "exit_status"));
        _cleanup_json_ json_t *notes = json_array();
        size_t i;
        json_t *p;

        if (!notes)
                return NULL;
        json_array_foreach(json_object_get(doc, "problems"), i,
                p) if (notify(notes, "error", strempty(json_string_value(p)), NULL, -1, NULL) <
                       0) return NULL;
        if (notify_rules(notes, doc, fs) < 0 || notify_stale_waivers(notes, doc) < 0)
                return NULL;
        return json_pack("{s:b, s:I, s:s, s:O}", "executionSuccessful", exit_status != 2, "exitCode",
                exit_status, "exitCodeDescription",
                exit_status == 0   ? "compliant"
                : exit_status == 1 ? "findings at or above --fail-on"
                                   : "could not audit",
                "toolExecutionNotifications", notes);
}

/* ------------------------------------------------------------------ the log */

static json_t *driver_json(const json_t *doc, const Findings *fs)
{
        const json_t *tool = json_object_get(doc, "tool");
        const char *name = json_string_value(json_object_get(tool, "name"));
        const char *version = json_string_value(json_object_get(tool, "version"));

        return json_pack("{s:s, s:s, s:s, s:o}", "name", name ? name : PACKAGE_NAME, "version",
                version ? version : PACKAGE_VERSION, "informationUri",
                PACKAGE_URL[0] ? PACKAGE_URL : "man:dockaudit(8)", "rules", rules_json(fs));
}

/* "dockaudit/HOST/SCOPE/UNIT/": the category of the run, so that the reports of many hosts
 * (and of a host's system and user docker) do not close each other's alerts. */
static char *automation_id(const json_t *doc)
{
        const json_t *target = json_object_get(doc, "target");

        return strdupf("dockaudit/%s/%s/%s/",
                strempty(json_string_value(json_object_get(json_object_get(doc, "host"), "hostname"))),
                strempty(json_string_value(json_object_get(target, "scope"))),
                strempty(json_string_value(json_object_get(target, "unit"))));
}

json_t *sarif_from_report_json(const json_t *doc, const Findings *findings)
{
        _cleanup_free_ char *category = automation_id(doc);
        json_t *run;

        if (!category)
                return NULL;
        run = json_pack("{s:{s:o}, s:{s:s}, s:{s:{s:s}}, s:[o], s:o, s:{s:o, s:o, s:o}}", "tool", "driver",
                driver_json(doc, findings), "automationDetails", "id", category, "originalUriBaseIds",
                SARIF_URI_BASE, "uri", "file:///", "invocations", invocation_json(doc, findings), "results",
                results_json(doc, findings), "properties", "host",
                copy_or_null(json_object_get(doc, "host")), "target",
                copy_or_null(json_object_get(doc, "target")), "summary",
                copy_or_null(json_object_get(doc, "summary")));
        return json_pack("{s:s, s:s, s:[o]}", "$schema", SARIF_SCHEMA_URI, "version", "2.1.0", "runs", run);
}

int report_sarif(const Report *r, FILE *out)
{
        _cleanup_json_ json_t *doc = report_to_json(r),
                              *log = doc ? sarif_from_report_json(doc, r->findings) : NULL;

        if (!log)
                return -ENOMEM;
        if (json_dumpf(log, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0 || fputc('\n', out) == EOF)
                return -EIO;
        return 0;
}
