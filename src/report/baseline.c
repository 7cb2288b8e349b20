/* SPDX-License-Identifier: MIT */
#include "report/baseline.h"

#include "basic/fileio.h"
#include "formats/json-util.h"
#include "report/fingerprint.h"
#include "report/report.h"

void baseline_done(Baseline *b)
{
        for (size_t i = 0; i < b->n; i++) {
                free(b->v[i].rule);
                free(b->v[i].fingerprint);
        }
        free(b->v);
        free(b->file);
        *b = (Baseline){};
}

static bool fingerprint_valid(const char *s)
{
        return strlen(s) == SHA256_HEX_SIZE - 1 && strspn(s, "0123456789abcdef") == SHA256_HEX_SIZE - 1;
}

static int baseline_add(Baseline *b, const char *rule, const char *fingerprint)
{
        BaselineEntry *t = realloc(b->v, (b->n + 1) * sizeof(BaselineEntry));

        if (!t)
                return -ENOMEM;
        b->v = t;
        t[b->n] = (BaselineEntry){.rule = strdup(rule), .fingerprint = strdup(fingerprint)};
        b->n++;
        return t[b->n - 1].rule && t[b->n - 1].fingerprint ? 0 : -ENOMEM;
}

/* One element of "results": a failing one goes into b. */
static int baseline_result(Baseline *b, const char *path, size_t i, json_t *res, char **ret_error)
{
        json_t *id = json_object_get(res, "id"), *status = json_object_get(res, "status"),
               *fp = json_object_get(res, "fingerprint");

        if (!json_is_object(res))
                return error_setf(ret_error, -EINVAL, "%s: results[%zu] is %s, not an object", path, i,
                        json_kind(res));
        if (!json_is_string(id) || !json_is_string(status))
                return error_setf(
                        ret_error, -EINVAL, "%s: results[%zu] needs \"id\" and \"status\" strings", path, i);
        if (!streq(json_string_value(status), "fail") && !streq(json_string_value(status), "waived"))
                return 0;
        if (!json_is_string(fp) || !fingerprint_valid(json_string_value(fp)))
                return error_setf(ret_error, -EINVAL,
                        "%s: results[%zu] (%s) has no \"fingerprint\" of 64 hex digits "
                        "(a report of an older dockaudit? audit again to make a baseline)",
                        path, i, json_string_value(id));
        return baseline_add(b, json_string_value(id), json_string_value(fp));
}

/* The checks of a parsed document. */
static int baseline_from_json(Baseline *b, const char *path, json_t *root, char **ret_error)
{
        json_t *schema = json_object_get(root, "schema"), *results = json_object_get(root, "results"),
               *problems = json_object_get(root, "problems"), *res;
        size_t i;
        int r;

        if (!json_is_string(schema) || !streq(json_string_value(schema), REPORT_SCHEMA))
                return error_setf(ret_error, -EINVAL,
                        "%s: not a dockaudit JSON report (\"schema\" must be \"" REPORT_SCHEMA "\")", path);
        if (!json_is_array(results))
                return error_setf(ret_error, -EINVAL, "%s: \"results\" must be an array", path);
        /* The error document of an audit that could not run: every finding would look new. */
        if (json_array_size(results) == 0 && json_is_array(problems) && json_array_size(problems) > 0)
                return error_setf(ret_error, -EINVAL,
                        "%s: the audit it reports could not run (no results; problems: %s)", path,
                        json_is_string(json_array_get(problems, 0))
                                ? json_string_value(json_array_get(problems, 0))
                                : "?");
        json_array_foreach(results, i, res)
        {
                r = baseline_result(b, path, i, res, ret_error);
                if (r < 0)
                        return r;
        }
        return 0;
}

int baseline_parse(const char *path, const char *text, size_t size, Baseline *ret, char **ret_error)
{
        _cleanup_(baseline_done) Baseline b = {};
        _cleanup_json_ json_t *root = NULL;
        json_error_t err;
        int r;

        root = json_loadb(text, size, JSON_REJECT_DUPLICATES, &err);
        /* Numbers are not compared, only read past: a value a tool rewrote in floating point
         * (jq 1.6 prints INT64_MAX as 9223372036854776000) does not make the file bad. */
        if (!root && strstr(err.text, "too big integer"))
                root = json_loadb(text, size, JSON_REJECT_DUPLICATES | JSON_DECODE_INT_AS_REAL, &err);
        if (!root)
                return error_setf(ret_error, -EINVAL, "%s:%d:%d: %s", path, err.line, err.column, err.text);
        b.file = strdup(path);
        if (!b.file)
                return -ENOMEM;
        r = baseline_from_json(&b, path, root, ret_error);
        if (r < 0)
                return r;
        *ret = TAKE_STRUCT(b);
        return 0;
}

int baseline_load(const char *path, Baseline *ret, char **ret_error)
{
        _cleanup_free_ char *text = NULL;
        size_t size;
        int r;

        /* read_full_file(), not json_load_file(): a FIFO or device given as OLD must not block. */
        r = read_full_file(path, &text, &size);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return error_setf(ret_error, r, "%s: %s", path, read_strerror(r));
        return baseline_parse(path, text, size, ret, ret_error);
}

const char *baseline_mark_to_string(BaselineMark m)
{
        return m == BASELINE_NEW ? "new" : m == BASELINE_UNCHANGED ? "unchanged" : NULL;
}

void baseline_result_done(BaselineResult *b)
{
        free(b->marks);
        free(b->resolved);
        *b = (BaselineResult){};
}

static bool baseline_has(const Baseline *old, const char *fingerprint)
{
        for (size_t i = 0; i < old->n; i++)
                if (streq(old->v[i].fingerprint, fingerprint))
                        return true;
        return false;
}

/* What the rule id does now, for a resolved entry. */
static const char *status_now(const Findings *fs, const char *id)
{
        for (size_t i = 0; i < fs->n; i++)
                if (streq(fs->v[i].rule->id, id))
                        return finding_status_to_string(fs->v[i].status);
        return "absent";
}

/* The resolved entries: OLD's failing fingerprints that are not in now (n of them). */
static int baseline_resolve(
        const Baseline *old, const Findings *fs, char (*now)[SHA256_HEX_SIZE], size_t n, BaselineResult *res)
{
        res->resolved = calloc(old->n + 1, sizeof(BaselineResolved));
        if (!res->resolved)
                return -ENOMEM;
        for (size_t i = 0; i < old->n; i++) {
                bool found = false;

                for (size_t j = 0; j < n && !found; j++)
                        found = streq(now[j], old->v[i].fingerprint);
                if (!found)
                        res->resolved[res->n_resolved++] = (BaselineResolved){
                                .rule = old->v[i].rule,
                                .fingerprint = old->v[i].fingerprint,
                                .status = status_now(fs, old->v[i].rule),
                        };
        }
        return 0;
}

int baseline_compare(const Baseline *old, const Findings *fs, const Facts *facts, const char *unit,
        bool user, BaselineResult *ret)
{
        _cleanup_(baseline_result_done) BaselineResult res = {.file = old->file};
        _cleanup_free_ char(*now)[SHA256_HEX_SIZE] = calloc(fs->n + 1, SHA256_HEX_SIZE);
        size_t n_now = 0;
        int r;

        res.marks = calloc(fs->n + 1, sizeof(BaselineMark));
        if (!res.marks || !now)
                return -ENOMEM;
        for (size_t i = 0; i < fs->n; i++) {
                if (fs->v[i].status != FINDING_FAIL)
                        continue;
                r = finding_fingerprint(&fs->v[i], facts, unit, user, now[n_now]);
                if (r < 0)
                        return r;
                res.marks[i] = baseline_has(old, now[n_now]) ? BASELINE_UNCHANGED : BASELINE_NEW;
                res.n_new += res.marks[i] == BASELINE_NEW;
                n_now++;
        }
        r = baseline_resolve(old, fs, now, n_now, &res);
        if (r < 0)
                return r;
        *ret = TAKE_STRUCT(res);
        return 0;
}

size_t baseline_count_new(const BaselineResult *b, const Findings *fs, Severity min)
{
        size_t n = 0;

        for (size_t i = 0; b && b->marks && i < fs->n; i++)
                n += b->marks[i] == BASELINE_NEW && fs->v[i].status == FINDING_FAIL &&
                     fs->v[i].rule->severity >= min;
        return n;
}
