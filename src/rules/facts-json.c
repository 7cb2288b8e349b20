/* SPDX-License-Identifier: MIT */
#include "rules/facts-json.h"

#include "formats/json-util.h"
#include "rules/fact-catalog.h"

json_t *fact_to_json(const Fact *x)
{
        json_t *o = json_object(), *v = NULL;

        if (!o)
                return NULL;
        json_object_set_new(o, "type", json_string(fact_type_to_string(x->type)));
        json_object_set_new(o, "known", json_boolean(x->known));
        if (!x->known) {
                json_object_set_new(o, "reason", json_string(strempty(x->reason)));
                return o;
        }
        switch (x->type) {
        case FACT_STRING:
        case FACT_VERSION:
                v = json_string(strempty(x->str));
                break;
        case FACT_NUMBER:
                v = json_integer(x->num);
                break;
        case FACT_BOOL:
                v = json_boolean(x->b);
                break;
        case FACT_LIST:
                v = json_array();
                for (char **i = x->list; i && *i; i++)
                        json_array_append_new(v, json_string(*i));
                break;
        default:
                break;
        }
        json_object_set_new(o, "value", v ? v : json_null());
        json_object_set_new(o, "source", x->source ? json_string(x->source) : json_null());
        return o;
}

json_t *facts_to_json(const Facts *f)
{
        json_t *o = json_object();

        for (size_t i = 0; o && i < f->n; i++) {
                json_t *v = fact_to_json(&f->v[i]);
                if (!v || json_object_set_new(o, f->v[i].name, v) < 0) {
                        json_decref(o);
                        return NULL;
                }
        }
        return o;
}

static int fact_from_json(Facts *f, const char *path, const char *name, json_t *o, char **ret_error)
{
        const FactDef *def = fact_catalog_lookup(name);
        json_t *jt = json_object_get(o, "type"), *jk = json_object_get(o, "known");
        json_t *v = json_object_get(o, "value"), *js = json_object_get(o, "source");
        const char *source = json_is_string(js) ? json_string_value(js) : NULL;
        _cleanup_strv_free_ char **l = NULL;
        int type;

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
                json_t *jr = json_object_get(o, "reason");
                return facts_set_unknown(
                        f, name, "%s", json_is_string(jr) ? json_string_value(jr) : "unknown");
        }
        switch (type) {
        case FACT_STRING:
        case FACT_VERSION:
                if (!json_is_string(v))
                        break;
                return type == FACT_STRING ? facts_set_string(f, name, json_string_value(v), source)
                                           : facts_set_version(f, name, json_string_value(v), source);
        case FACT_NUMBER:
                if (!json_is_integer(v))
                        break;
                return facts_set_number(f, name, (long long) json_integer_value(v), source);
        case FACT_BOOL:
                if (!json_is_boolean(v))
                        break;
                return facts_set_bool(f, name, json_is_true(v), source);
        case FACT_LIST: {
                size_t i;
                json_t *e;

                if (!json_is_array(v))
                        break;
                l = calloc(1, sizeof(char *));
                if (!l)
                        return -ENOMEM;
                json_array_foreach(v, i, e)
                {
                        if (!json_is_string(e))
                                return error_setf(ret_error, -EINVAL,
                                        "%s: fact %s: list item %zu is not a string", path, name, i);
                        if (strv_extend(&l, json_string_value(e)) < 0)
                                return -ENOMEM;
                }
                return facts_set_list(f, name, l, source);
        }
        }
        return error_setf(ret_error, -EINVAL, "%s: fact %s: value does not match type %s", path, name,
                fact_type_to_string(type));
}

int facts_load_json_file(const char *path, Facts *ret, char **ret_error)
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
        *ret = TAKE_STRUCT(f);
        return 0;
}
