/* SPDX-License-Identifier: MIT */
#include <jansson.h>

#include "basic/strbuf.h"
#include "basic/strv.h"
#include "formats/json-util.h"
#include "formats/kubelet-config.h"

/* What the reader knows about the key asked, while the lines go by. */
typedef enum ValueState {
        VALUE_NONE, /* not seen */
        VALUE_PLAIN, /* a plain scalar (possibly empty so far): indented lines continue it */
        VALUE_NESTED, /* its value is a nested mapping or sequence (block, not a scalar) */
        VALUE_DONE, /* a quoted scalar: complete on its line */
} ValueState;

typedef struct Reader {
        const char *path;
        const char *key;
        char *value; /* the value's text so far */
        unsigned line; /* the key's line */
        ValueState state;
        bool current; /* the last key at column 0 is the one asked */
        bool any_key; /* a top-level key was seen */
        char **keys; /* every top-level key, for duplicates */
        char **error;
} Reader;

static void reader_done(Reader *r)
{
        free(r->value);
        strv_free(r->keys);
}

/* A quoted scalar starting at s (at the quote). Sets *end past the closing quote; -EINVAL
 * when it does not close on this line or has an escape we do not read. */
static int quoted(const char *s, const char **end, char **ret)
{
        _cleanup_(sb_free) StrBuf b = {};
        char q = *s++;

        if (sb_append(&b, "") < 0)
                return -ENOMEM;
        for (; *s; s++) {
                char c = *s;

                if (q == '\'' && c == '\'' && s[1] == '\'')
                        s++;
                else if (c == q) {
                        *end = s + 1;
                        *ret = TAKE_PTR(b.buf);
                        return 0;
                } else if (q == '"' && c == '\\') {
                        static const char from[] = "\"\\/tn", to[] = "\"\\/\t\n";
                        const char *k = s[1] ? strchr(from, s[1]) : NULL;

                        if (!k)
                                return -EINVAL;
                        c = to[k - from];
                        s++;
                }
                if (sb_append_len(&b, &c, 1) < 0)
                        return -ENOMEM;
        }
        return -EINVAL;
}

/* Nothing but spaces, or a comment after a space, from s on. */
static bool rest_is_empty(const char *s)
{
        s += strspn(s, " ");
        return *s == 0 || *s == '#';
}

/* A plain scalar: up to a " #" comment, trimmed. -EINVAL for ": " inside (go-yaml: "mapping
 * values are not allowed in this context"). */
static int plain(const char *s, char **ret)
{
        _cleanup_free_ char *v = strdup(s);
        char *c;

        if (!v)
                return -ENOMEM;
        for (c = v; (c = strchr(c, '#')); c++)
                if (c == v || c[-1] == ' ') {
                        *c = 0;
                        break;
                }
        strstrip(v);
        if (strstr(v, ": ") || endswith(v, ":"))
                return -EINVAL;
        *ret = TAKE_PTR(v);
        return 0;
}

static int fail(const Reader *r, unsigned line, const char *msg)
{
        return error_setf(r->error, -EINVAL, "%s:%u: %s", r->path, line, msg);
}

/* The value of the asked key after "key:" (s points past the colon). */
static int key_value(Reader *r, const char *s, unsigned no)
{
        const char *end;
        int k;

        s += strspn(s, " ");
        r->line = no;
        free(r->value);
        r->value = NULL;
        if (*s == '\'' || *s == '"') {
                k = quoted(s, &end, &r->value);
                if (k == -EINVAL || (k == 0 && !rest_is_empty(end)))
                        return fail(r, no,
                                "a quoted value this reader does not read (multi-line, an escape, "
                                "text after the quote)");
                r->state = VALUE_DONE;
                return k;
        }
        if (*s && strchr("&*!|>[{@`%", *s))
                return fail(r, no, "an anchor, alias, tag, block scalar or flow collection: not read");
        if ((k = plain(s, &r->value)) == -EINVAL)
                return fail(r, no, "\": \" in a plain value (not valid YAML)");
        r->state = VALUE_PLAIN;
        return k;
}

/* A line at column 0: "key: value" ("key" may be quoted). */
static int top_level_line(Reader *r, const char *s, unsigned no)
{
        _cleanup_free_ char *key = NULL;
        const char *colon;
        int k;

        if (*s == '-' || *s == '[' || *s == '{')
                return fail(r, no, "not a mapping of keys to values");
        if (*s == '\'' || *s == '"') {
                if ((k = quoted(s, &colon, &key)) == -ENOMEM)
                        return k;
                if (k < 0 || *colon != ':')
                        return fail(r, no, "a quoted key this reader does not read");
        } else {
                for (colon = s; (colon = strchr(colon, ':')); colon++)
                        if (colon[1] == 0 || colon[1] == ' ')
                                break;
                if (!colon || !(key = strndup(s, colon - s)))
                        return colon ? -ENOMEM : fail(r, no, "not a \"key: value\" line");
                strstrip(key);
        }
        if (colon[1] != 0 && colon[1] != ' ')
                return fail(r, no, "not a \"key: value\" line");
        if (strv_contains(r->keys, key))
                return fail(r, no, "a key given twice (kubelet refuses the file)");
        if (strv_extend(&r->keys, key) < 0)
                return -ENOMEM;
        r->any_key = true;
        r->current = streq(key, r->key);
        return r->current ? key_value(r, colon + 1, no) : 0;
}

/* An indented line: part of the value of the last key. For the asked key: a plain scalar
 * continues (folded with a space), else its value is a nested block. */
static int indented_line(Reader *r, const char *s, unsigned no)
{
        _cleanup_free_ char *more = NULL;
        char *joined;

        if (!r->any_key)
                return fail(r, no, "an indented line before the first key");
        if (!r->current || r->state == VALUE_NESTED)
                return 0;
        if (r->state == VALUE_DONE)
                return fail(r, no, "an indented line after a quoted value");
        s += strspn(s, " ");
        if (*s == '-' || plain(s, &more) == -EINVAL || (more && *more && strchr("&*!|>[{'\"", *more))) {
                if (r->value && *r->value)
                        return fail(r, no, "a value this reader does not read");
                r->state = VALUE_NESTED;
                return 0;
        }
        if (!more)
                return -ENOMEM;
        joined = *r->value ? strdupf("%s %s", r->value, more) : strdup(more);
        if (!joined)
                return -ENOMEM;
        free(r->value);
        r->value = joined;
        return 0;
}

/* One line (no newline; a trailing CR removed). Returns 1 at the end of the first document. */
static int yaml_line(Reader *r, char *s, unsigned no, bool *started)
{
        size_t n = strlen(s);

        if (n > 0 && s[n - 1] == '\r')
                s[--n] = 0;
        if (s[strspn(s, " ")] == 0 || s[strspn(s, " ")] == '#')
                return 0;
        if ((startswith(s, "---") && (s[3] == 0 || s[3] == ' ')) ||
                (startswith(s, "...") && (s[3] == 0 || s[3] == ' '))) {
                if (*started || s[0] == '.')
                        return 1;
                *started = true;
                return rest_is_empty(s + 3) ? 0 : fail(r, no, "content after \"---\"");
        }
        *started = true;
        if (s[0] == '\t' || (s[0] == ' ' && s[strspn(s, " ")] == '\t'))
                return fail(r, no, "a tab in the indentation (not valid YAML)");
        if (s[0] == ' ')
                return indented_line(r, s, no);
        if (s[0] == '%')
                return fail(r, no, "a YAML directive: not read");
        return top_level_line(r, s, no);
}

/* The line of the first "KEY" (quoted) in a JSON text, 1 when not found. */
static unsigned json_key_line(const char *text, const char *key)
{
        _cleanup_free_ char *q = strdupf("\"%s\"", key);
        const char *at = q ? strstr(text, q) : NULL;
        unsigned line = 1;

        for (const char *c = text; at && c < at; c++)
                line += *c == '\n';
        return line;
}

static int json_get(const char *path, const char *text, const char *key, char **ret, unsigned *ret_line,
        char **ret_error)
{
        json_error_t err;
        _cleanup_json_ json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, &err);
        json_t *v;

        if (!json_is_object(root))
                return error_setf(ret_error, -EINVAL, "%s:%d: %s", path, root ? 1 : err.line,
                        root ? "not a JSON object" : err.text);
        v = json_object_get(root, key);
        if (!v)
                return 0;
        if (!json_is_string(v) && !json_is_null(v))
                return error_setf(ret_error, -EINVAL, "%s:%u: \"%s\" is not a string", path,
                        json_key_line(text, key), key);
        if (!(*ret = strdup(json_is_null(v) ? "" : json_string_value(v))))
                return -ENOMEM;
        *ret_line = json_key_line(text, key);
        return 1;
}

/* YAML's null ("~", "null", "Null", "NULL") and the empty value: kubelet gets "" (its default). */
static bool yaml_is_null(const char *v)
{
        static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};

        for (size_t i = 0; v && i < ELEMENTSOF(nulls); i++)
                if (streq(v, nulls[i]))
                        return true;
        return !v;
}

int kubelet_config_get(const char *path, const char *data, size_t size, const char *key, char **ret,
        unsigned *ret_line, char **ret_error)
{
        _cleanup_free_ char *text = strndup(data, size);
        _cleanup_(reader_done) Reader r = {.path = path, .key = key, .error = ret_error};
        bool started = false;
        unsigned no = 0;
        char *s, *nl;
        int k = 0;

        if (!text)
                return -ENOMEM;
        if (strlen(text) != size)
                return error_setf(ret_error, -EINVAL, "%s: a NUL byte (not a text file)", path);
        s = startswith(text, "\xEF\xBB\xBF") ? text + 3 : text;
        if (s[strspn(s, " \t\r\n")] == '{')
                return json_get(path, s, key, ret, ret_line, ret_error);
        for (; s && k == 0; s = nl ? nl + 1 : NULL) {
                if ((nl = strchr(s, '\n')))
                        *nl = 0;
                k = yaml_line(&r, s, ++no, &started);
        }
        if (k < 0)
                return k;
        if (r.state == VALUE_NONE)
                return 0;
        if (r.state == VALUE_NESTED)
                return error_setf(ret_error, -EINVAL, "%s:%u: \"%s\" is not a scalar", path, r.line, key);
        *ret = r.state == VALUE_PLAIN && yaml_is_null(r.value) ? strdup("") : TAKE_PTR(r.value);
        if (!*ret)
                return -ENOMEM;
        *ret_line = r.line;
        return 1;
}
