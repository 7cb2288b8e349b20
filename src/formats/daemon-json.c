/* SPDX-License-Identifier: MIT */
#include "formats/daemon-json.h"

void daemon_json_done(DaemonJson *d)
{
        free(d->path);
        json_decref(d->root);
        free(d->text);
        *d = (DaemonJson){};
}

static bool is_json_space(char c)
{
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static const char *json_type_name(const json_t *v)
{
        switch (json_typeof(v)) {
        case JSON_OBJECT:
                return "an object";
        case JSON_ARRAY:
                return "an array";
        case JSON_STRING:
                return "a string";
        case JSON_INTEGER:
        case JSON_REAL:
                return "a number";
        case JSON_TRUE:
        case JSON_FALSE:
                return "a boolean";
        case JSON_NULL:
                return "null";
        }
        return "a value";
}

/* jansson stops at a NUL byte as at the end of input; dockerd's decoder rejects it. Returns 0
 * or -EINVAL with "PATH:LINE:COL" of the first NUL (columns counted after skip). */
static int check_nul(const char *path, const char *data, size_t size, size_t skip, char **ret_error)
{
        const char *nul = memchr(data, 0, size);
        unsigned nl = 1, nc = 1;

        if (!nul)
                return 0;
        for (const char *p = data + skip; p < nul; p++)
                if (*p == '\n')
                        nl++, nc = 1;
                else
                        nc++;
        return error_setf(ret_error, -EINVAL, "%s:%u:%u: NUL byte in the file", path, nl, nc);
}

int daemon_json_parse(const char *path, const char *data, size_t size, DaemonJson *ret, char **ret_error)
{
        _cleanup_(daemon_json_done) DaemonJson d = {};
        json_error_t err;
        size_t skip = 0, i;
        unsigned line = 1, col = 1;
        int r;

        if (size >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
                skip = 3;
        d.path = strdup(path);
        /* A full copy, not strndup(): the text may hold NUL bytes and key lookups scan size bytes. */
        d.text = malloc(size + 1);
        if (!d.path || !d.text)
                return -ENOMEM;
        memcpy(d.text, data, size);
        d.text[size] = 0;
        d.size = size;
        for (i = skip; i < size && is_json_space(data[i]); i++)
                if (data[i] == '\n') {
                        line++;
                        col = 1;
                } else
                        col++;
        if (i == size) {
                /* dockerd trims whitespace and treats an empty file as an empty configuration. */
                d.root = json_object();
                if (!d.root)
                        return -ENOMEM;
                *ret = TAKE_STRUCT(d);
                return 0;
        }
        if ((r = check_nul(path, data, size, skip, ret_error)) < 0)
                return r;
        /* JSON_DECODE_ANY: a scalar gets our message, placed where it starts. The byte order
         * mark is invisible in editors, so columns are counted after it. */
        d.root = json_loadb(data + skip, size - skip, JSON_DECODE_ANY, &err);
        if (!d.root)
                return error_setf(ret_error, -EINVAL, "%s:%d:%d: %s", path, err.line,
                        err.column < 1 ? 1 : err.column, err.text);
        if (!json_is_object(d.root))
                return error_setf(ret_error, -EINVAL,
                        "%s:%u:%u: the configuration must be a JSON object, not %s", path, line, col,
                        json_type_name(d.root));
        *ret = TAKE_STRUCT(d);
        return 0;
}

int daemon_json_load(const char *path, DaemonJson *ret, char **ret_error)
{
        _cleanup_free_ char *data = NULL;
        size_t size;
        int r;

        r = read_full_file(path, &data, &size);
        if (r == -ENOENT || r == -ENOMEM)
                return r;
        if (r < 0)
                return error_setf(ret_error, r, "%s: %s", path, strerror(-r));
        return daemon_json_parse(path, data, size, ret, ret_error);
}

int daemon_json_keys(const DaemonJson *d, char ***ret)
{
        _cleanup_strv_free_ char **l = calloc(1, sizeof(char *));
        const char *key;
        json_t *v;

        if (!l)
                return -ENOMEM;
        json_object_foreach(d->root, key, v) if (strv_extend(&l, key) < 0) return -ENOMEM;
        *ret = TAKE_PTR(l);
        return 0;
}

/* End of the JSON string starting at s[i] == '"' (index of the closing quote), or n. */
static size_t string_end(const char *s, size_t i, size_t n)
{
        for (i++; i < n; i++) {
                if (s[i] == '\\')
                        i++;
                else if (s[i] == '"')
                        return i;
        }
        return n;
}

static bool key_equals(const char *s, size_t len, const char *key)
{
        json_t *k;
        bool eq;

        /* Cheap path: no escapes. */
        if (!memchr(s, '\\', len))
                return len - 2 == strlen(key) && memcmp(s + 1, key, len - 2) == 0;
        k = json_loadb(s, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
        eq = json_is_string(k) && json_string_length(k) == strlen(key) && streq(json_string_value(k), key);
        json_decref(k);
        return eq;
}

unsigned daemon_json_key_line(const DaemonJson *d, const char *key)
{
        const char *s = d->text;
        size_t n = d->size;
        unsigned line = 1, found = 0;
        int depth = 0;
        bool expect_key = false;

        if (!s)
                return 0;
        for (size_t i = 0; i < n; i++) {
                char c = s[i];

                if (c == '\n')
                        line++;
                else if (c == '"') {
                        size_t e = string_end(s, i, n);

                        if (depth == 1 && expect_key && e < n && key_equals(s + i, e - i + 1, key))
                                found = line;
                        for (size_t j = i; j < e && j < n;
                                j++) /* strings cannot hold raw newlines, but be safe */
                                if (s[j] == '\n')
                                        line++;
                        expect_key = false;
                        i = e;
                } else if (c == '{' || c == '[') {
                        depth++;
                        expect_key = c == '{' && depth == 1;
                } else if (c == '}' || c == ']')
                        depth--;
                else if (c == ',')
                        expect_key = depth == 1;
                else if (!is_json_space(c))
                        expect_key = false;
        }
        return found;
}

int daemon_json_get_bool(const DaemonJson *d, const char *key, bool *ret, char **ret_error)
{
        json_t *v = json_object_get(d->root, key);

        if (!v)
                return 0;
        if (!json_is_boolean(v))
                return error_setf(ret_error, -EINVAL, "%s:%u: \"%s\" must be true or false, not %s", d->path,
                        daemon_json_key_line(d, key), key, json_type_name(v));
        *ret = json_is_true(v);
        return 1;
}
