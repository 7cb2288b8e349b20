/* SPDX-License-Identifier: MIT */
#include "rules/facts-json.h"

#include <limits.h>

#include "formats/json-util.h"
#include "rules/fact-catalog.h"

json_t *json_string_any(const char *s)
{
        _cleanup_free_ char *e = utf8_escape_invalid(s);

        return e ? json_string(e) : NULL;
}

/* Whether a string of x (value, list item, source, reason) is not UTF-8: then all of them
 * are written escaped, and the fact says so ("escaped": true). */
static bool fact_needs_escape(const Fact *x)
{
        const char *const strs[] = {x->str, x->source, x->reason};

        for (size_t i = 0; i < ELEMENTSOF(strs); i++)
                if (strs[i] && !utf8_is_valid(strs[i]))
                        return true;
        for (char **i = x->list; i && *i; i++)
                if (!utf8_is_valid(*i))
                        return true;
        return false;
}

/* A JSON string of s, escaped (utf8_escape_bytes) or not; NULL only on ENOMEM. */
static json_t *fact_string(const char *s, bool escaped)
{
        _cleanup_free_ char *e = escaped ? utf8_escape_bytes(s) : NULL;

        if (escaped && !e)
                return NULL;
        return json_string(escaped ? e : s);
}

static json_t *fact_value_json(const Fact *x, bool escaped)
{
        _cleanup_json_ json_t *v = NULL;

        switch (x->type) {
        case FACT_STRING:
        case FACT_VERSION:
                return fact_string(strempty(x->str), escaped);
        case FACT_NUMBER:
                return json_integer(x->num);
        case FACT_BOOL:
                return json_boolean(x->b);
        case FACT_LIST:
                v = json_array();
                for (char **i = x->list; v && i && *i; i++)
                        if (json_array_append_new(v, fact_string(*i, escaped)) < 0)
                                return NULL;
                return TAKE_PTR(v);
        default:
                return json_null();
        }
}

json_t *fact_to_json(const Fact *x)
{
        _cleanup_json_ json_t *o = json_object();
        bool escaped = fact_needs_escape(x);

        if (!o || json_object_set_new(o, "type", json_string(fact_type_to_string(x->type))) < 0 ||
                json_object_set_new(o, "known", json_boolean(x->known)) < 0)
                return NULL;
        if (escaped && json_object_set_new(o, "escaped", json_true()) < 0)
                return NULL;
        if (!x->known)
                return json_object_set_new(o, "reason", fact_string(strempty(x->reason), escaped)) < 0
                               ? NULL
                               : TAKE_PTR(o);
        if (json_object_set_new(o, "value", fact_value_json(x, escaped)) < 0 ||
                json_object_set_new(o, "source", x->source ? fact_string(x->source, escaped) : json_null()) <
                        0)
                return NULL;
        return TAKE_PTR(o);
}

json_t *facts_to_json(const Facts *f)
{
        _cleanup_json_ json_t *o = json_object();

        for (size_t i = 0; o && i < f->n; i++) {
                _cleanup_free_ char *name = utf8_escape_invalid(f->v[i].name);

                if (!name || json_object_set_new(o, name, fact_to_json(&f->v[i])) < 0)
                        return NULL;
        }
        return TAKE_PTR(o);
}

/* The string j (NULL when j is not a string), unescaped when the fact is "escaped". */
static int fact_string_from_json(json_t *j, bool escaped, char **ret)
{
        *ret = NULL;
        if (!json_is_string(j))
                return 0;
        if (escaped)
                return utf8_unescape_invalid(json_string_value(j), ret);
        *ret = strdup(json_string_value(j));
        return *ret ? 0 : -ENOMEM;
}

static int fact_bad_escape(const char *path, const char *name, int r, char **ret_error)
{
        if (r == -ENOMEM)
                return r;
        return error_setf(ret_error, -EINVAL,
                "%s: fact %s: \"escaped\" but a string is not escaped "
                "as \\\\ and \\xNN",
                path, name);
}

/* The list items of v (an array of strings), unescaped when the fact is "escaped". */
static int fact_list_from_json(
        const char *path, const char *name, json_t *v, bool escaped, char ***ret, char **ret_error)
{
        _cleanup_strv_free_ char **l = calloc(1, sizeof(char *));
        size_t i;
        json_t *e;
        int r;

        if (!l)
                return -ENOMEM;
        json_array_foreach(v, i, e)
        {
                char *item;

                if (!json_is_string(e))
                        return error_setf(ret_error, -EINVAL, "%s: fact %s: list item %zu is not a string",
                                path, name, i);
                r = fact_string_from_json(e, escaped, &item);
                if (r < 0)
                        return fact_bad_escape(path, name, r, ret_error);
                if (strv_consume(&l, item) < 0)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(l);
        return 0;
}

/* A number read as a real (see facts_json_load()): whole numbers only, clamped to the range of
 * a fact (9223372036854776000 is infinity, INT64_MAX). 1 (not a number) otherwise. */
static int number_from_real(Facts *f, const char *name, double d, const char *source)
{
        if (d >= 9223372036854775807.0)
                return facts_set_number(f, name, LLONG_MAX, source);
        if (d <= -9223372036854775808.0)
                return facts_set_number(f, name, LLONG_MIN, source);
        if (d != d || d != (double) (long long) d)
                return 1; /* NaN or a fraction */
        return facts_set_number(f, name, (long long) d, source);
}

/* Sets the known fact name of type from value v; 1 when v does not match the type. */
static int fact_value_from_json(Facts *f, const char *path, const char *name, int type, json_t *v,
        bool escaped, const char *source, char **ret_error)
{
        _cleanup_strv_free_ char **l = NULL;
        _cleanup_free_ char *str = NULL;
        int r;

        switch (type) {
        case FACT_STRING:
        case FACT_VERSION:
                if (!json_is_string(v))
                        return 1;
                r = fact_string_from_json(v, escaped, &str);
                if (r < 0)
                        return fact_bad_escape(path, name, r, ret_error);
                return type == FACT_STRING ? facts_set_string(f, name, str, source)
                                           : facts_set_version(f, name, str, source);
        case FACT_NUMBER:
                if (json_is_real(v))
                        return number_from_real(f, name, json_real_value(v), source);
                if (!json_is_integer(v))
                        return 1;
                return facts_set_number(f, name, (long long) json_integer_value(v), source);
        case FACT_BOOL:
                if (!json_is_boolean(v))
                        return 1;
                return facts_set_bool(f, name, json_is_true(v), source);
        case FACT_LIST:
                if (!json_is_array(v))
                        return 1;
                r = fact_list_from_json(path, name, v, escaped, &l, ret_error);
                if (r < 0)
                        return r;
                return facts_set_list(f, name, l, source);
        }
        return 1;
}

static int fact_from_json(Facts *f, const char *path, const char *name, json_t *o, char **ret_error)
{
        const FactDef *def = fact_catalog_lookup(name);
        json_t *jt = json_object_get(o, "type"), *jk = json_object_get(o, "known");
        bool escaped = json_is_true(json_object_get(o, "escaped"));
        _cleanup_free_ char *source = NULL, *reason = NULL;
        int type, r;

        if (!json_is_object(o) || !json_is_string(jt) || !json_is_boolean(jk))
                return error_setf(
                        ret_error, -EINVAL, "%s: fact %s: needs \"type\" and \"known\"", path, name);
        type = fact_type_from_string(json_string_value(jt));
        if (type < 0)
                return error_setf(ret_error, -EINVAL, "%s: fact %s: unknown type \"%s\"", path, name,
                        json_string_value(jt));
        if (def && (int) def->type != type)
                return error_setf(ret_error, -EINVAL, "%s: fact %s: type is %s, expected %s", path, name,
                        fact_type_to_string(type), fact_type_to_string(def->type));
        if (!json_is_true(jk)) {
                r = fact_string_from_json(json_object_get(o, "reason"), escaped, &reason);
                if (r < 0)
                        return fact_bad_escape(path, name, r, ret_error);
                return facts_set_unknown(f, name, "%s", reason ? reason : "unknown");
        }
        r = fact_string_from_json(json_object_get(o, "source"), escaped, &source);
        if (r < 0)
                return fact_bad_escape(path, name, r, ret_error);
        r = fact_value_from_json(
                f, path, name, type, json_object_get(o, "value"), escaped, source, ret_error);
        if (r <= 0)
                return r;
        return error_setf(ret_error, -EINVAL, "%s: fact %s: value does not match type %s", path, name,
                fact_type_to_string(type));
}

json_t *host_identity_to_json(const HostIdentity *h)
{
        _cleanup_json_ json_t *o = json_object(), *reasons = json_object();

        if (!o || !reasons)
                return NULL;
        for (int i = 0; i < _HOST_FIELD_MAX; i++) {
                const char *name = host_field_to_string(i);

                if (json_object_set_new(o, name, h->value[i] ? json_string_any(h->value[i]) : json_null()) <
                        0)
                        return NULL;
                if (!h->value[i] && json_object_set_new(reasons, name,
                                            json_string_any(h->reason[i] ? h->reason[i] : "unknown")) < 0)
                        return NULL;
        }
        if (json_object_set(o, "reasons", reasons) < 0)
                return NULL;
        return TAKE_PTR(o);
}

int host_identity_from_json(json_t *o, const char *path, HostIdentity *ret, char **ret_error)
{
        _cleanup_(host_identity_done) HostIdentity h = {};
        json_t *reasons = json_object_get(o, "reasons");

        if (!json_is_object(o))
                return error_setf(ret_error, -EINVAL, "%s: \"host\" must be an object", path);
        if (reasons && !json_is_object(reasons))
                return error_setf(ret_error, -EINVAL, "%s: \"host\": \"reasons\" must be an object", path);
        for (int i = 0; i < _HOST_FIELD_MAX; i++) {
                const char *name = host_field_to_string(i);
                json_t *v = json_object_get(o, name), *why = json_object_get(reasons, name);
                int r;

                if (v && !json_is_string(v) && !json_is_null(v))
                        return error_setf(ret_error, -EINVAL,
                                "%s: \"host\": \"%s\" must be a string or null", path, name);
                if (why && !json_is_string(why))
                        return error_setf(ret_error, -EINVAL,
                                "%s: \"host\": \"reasons\": \"%s\" must be a string", path, name);
                if (json_is_string(v))
                        r = host_identity_set(&h, i, json_string_value(v));
                else
                        r = host_identity_set_unknown(
                                &h, i, "%s", why ? json_string_value(why) : "not in the facts file");
                if (r < 0)
                        return r;
        }
        *ret = TAKE_STRUCT(h);
        return 0;
}

/* The "host" object of root into *ret_host (when not NULL). */
static int facts_host_from_json(json_t *root, const char *path, HostIdentity *ret_host, char **ret_error)
{
        json_t *host = json_object_get(root, "host");
        int r;

        if (!ret_host)
                return 0;
        if (host)
                return host_identity_from_json(host, path, ret_host, ret_error);
        *ret_host = (HostIdentity){};
        r = host_identity_fill_unknown(
                ret_host, "the facts file names no host (written by an older dockaudit)");
        if (r < 0)
                host_identity_done(ret_host);
        return r;
}

int facts_load_json_file(const char *path, Facts *ret, char **ret_error)
{
        return facts_load_json_file_host(path, ret, NULL, ret_error);
}

int facts_load_json_file_host(const char *path, Facts *ret, HostIdentity *ret_host, char **ret_error)
{
        _cleanup_facts_ Facts f = {};
        _cleanup_free_ char *text = NULL;
        size_t size;
        json_error_t err;
        _cleanup_json_ json_t *root = NULL;
        json_t *facts, *schema, *v;
        const char *name;
        int r;

        /* basic/fileio.h, not json_load_file(): a FIFO or device given as FILE must not block. */
        r = read_full_file(path, &text, &size);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return error_setf(ret_error, r, "%s: %s", path, read_strerror(r));
        root = json_loadb(text, size, JSON_REJECT_DUPLICATES, &err);
        /* A file that went through a tool computing in doubles (jq 1.6) carries infinity
         * (INT64_MAX) as 9223372036854776000, which jansson refuses as an integer. */
        if (!root && strstr(err.text, "too big integer"))
                root = json_loadb(text, size, JSON_REJECT_DUPLICATES | JSON_DECODE_INT_AS_REAL, &err);
        if (!root)
                return error_setf(ret_error, -EINVAL, "%s:%d:%d: %s", path, err.line, err.column, err.text);
        schema = json_object_get(root, "schema");
        facts = json_object_get(root, "facts");
        if (!json_is_string(schema) || (!streq(json_string_value(schema), "dockaudit-facts/1") &&
                                               !streq(json_string_value(schema), "dockaudit-report/1")))
                return error_setf(ret_error, -EINVAL,
                        "%s: not a dockaudit facts file (\"schema\" must be dockaudit-facts/1 or "
                        "dockaudit-report/1)",
                        path);
        if (!json_is_object(facts))
                return error_setf(ret_error, -EINVAL, "%s: \"facts\" must be an object", path);
        json_object_foreach(facts, name, v)
        {
                r = fact_from_json(&f, path, name, v, ret_error);
                if (r < 0)
                        return r;
        }
        r = facts_host_from_json(root, path, ret_host, ret_error);
        if (r < 0)
                return r;
        *ret = TAKE_STRUCT(f);
        return 0;
}
