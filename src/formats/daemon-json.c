/* SPDX-License-Identifier: MIT */
#include "formats/daemon-json.h"

#include "basic/fileio.h"
#include "formats/json-util.h"

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

/* Line and column (1-based) of data[pos], counting from data[skip]. */
static void position_of(const char *data, size_t skip, size_t pos, unsigned *ret_line, unsigned *ret_col)
{
        unsigned nl = 1, nc = 1;

        for (size_t i = skip; i < pos; i++)
                if (data[i] == '\n')
                        nl++, nc = 1;
                else
                        nc++;
        *ret_line = nl;
        *ret_col = nc;
}

/* jansson stops at a NUL byte as at the end of input; Go's decoder rejects one inside the value
 * it reads (one after it is never read). Returns 0 or -EINVAL with "PATH:LINE:COL" of the first
 * NUL in data[skip..end). */
static int check_nul(const char *path, const char *data, size_t skip, size_t end, char **ret_error)
{
        const char *nul = memchr(data + skip, 0, end - skip);
        unsigned nl, nc;

        if (!nul)
                return 0;
        position_of(data, skip, nul - data, &nl, &nc);
        return error_setf(ret_error, -EINVAL, "%s:%u:%u: NUL byte in the file", path, nl, nc);
}

/* Length of the valid UTF-8 sequence at s (RFC 3629: no overlong forms, no surrogates, at most
 * U+10FFFF), 0 when it is not one. */
static size_t utf8_seq_len(const unsigned char *s, size_t n)
{
        size_t len;
        unsigned lo = 0x80, hi = 0xbf;

        if (s[0] < 0x80)
                return 1;
        if (s[0] >= 0xc2 && s[0] <= 0xdf)
                len = 2;
        else if (s[0] >= 0xe0 && s[0] <= 0xef) {
                len = 3;
                lo = s[0] == 0xe0 ? 0xa0 : 0x80;
                hi = s[0] == 0xed ? 0x9f : 0xbf;
        } else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
                len = 4;
                lo = s[0] == 0xf0 ? 0x90 : 0x80;
                hi = s[0] == 0xf4 ? 0x8f : 0xbf;
        } else
                return 0;
        if (n < len || s[1] < lo || s[1] > hi)
                return 0;
        for (size_t i = 2; i < len; i++)
                if (s[i] < 0x80 || s[i] > 0xbf)
                        return 0;
        return len;
}

/* Go's decoder reads each byte of invalid UTF-8 as U+FFFD (in a string it stays, elsewhere it is
 * a syntax error either way); jansson refuses the file. Returns a copy with that replacement, or
 * NULL (out of memory). */
static char *utf8_replace_invalid(const char *data, size_t size, size_t *ret_size)
{
        _cleanup_free_ char *out = malloc(size * 3 + 1);
        size_t o = 0;

        if (!out)
                return NULL;
        for (size_t i = 0; i < size;) {
                size_t len = utf8_seq_len((const unsigned char *) data + i, size - i);

                if (len == 0) {
                        memcpy(out + o, "\xef\xbf\xbd", 3);
                        o += 3;
                        i++;
                        continue;
                }
                memcpy(out + o, data + i, len);
                o += len;
                i += len;
        }
        out[o] = 0;
        *ret_size = o;
        return TAKE_PTR(out);
}

/* Decodes the one value that starts at data[skip]. Sets d->root (an object; null reads as {}),
 * or returns -EINVAL with a message. */
static int decode_value(
        const char *path, const char *data, size_t size, size_t skip, DaemonJson *d, char **ret_error)
{
        _cleanup_free_ char *fixed = NULL;
        const char *text = data;
        size_t text_size = size;
        json_error_t err;
        unsigned line, col;
        int r;

        if (!utf8_is_valid_n(data, size)) {
                fixed = utf8_replace_invalid(data, size, &text_size);
                if (!fixed)
                        return -ENOMEM;
                text = fixed;
        }
        /* JSON_DECODE_ANY: a scalar gets our message, placed where it starts. JSON_DISABLE_EOF_CHECK:
         * Go's json.Decoder reads one value and leaves the rest unread. The byte order mark is
         * invisible in editors, so columns are counted after it. */
        d->root = json_loadb(text + skip, text_size - skip,
                JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK | JSON_ALLOW_NUL, &err);
        if (!d->root) {
                size_t end = skip + (size_t) err.position + 1;

                if ((r = check_nul(path, text, skip, end < text_size ? end : text_size, ret_error)) < 0)
                        return r;
                return error_setf(ret_error, -EINVAL, "%s:%d:%d: %s", path, err.line,
                        err.column < 1 ? 1 : err.column, err.text);
        }
        if ((r = check_nul(path, text, skip, skip + (size_t) err.position, ret_error)) < 0)
                return r;
        if (json_is_null(d->root)) {
                /* Decoding null into dockerd's map and struct leaves them empty: no error. */
                json_decref(d->root);
                d->root = json_object();
                return d->root ? 0 : -ENOMEM;
        }
        if (!json_is_object(d->root)) {
                size_t start = skip;

                while (start < size && is_json_space(data[start]))
                        start++;
                position_of(data, skip, start, &line, &col);
                return error_setf(ret_error, -EINVAL,
                        "%s:%u:%u: the configuration must be a JSON object, not %s", path, line, col,
                        json_kind(d->root));
        }
        return 0;
}

int daemon_json_parse(const char *path, const char *data, size_t size, DaemonJson *ret, char **ret_error)
{
        _cleanup_(daemon_json_done) DaemonJson d = {};
        size_t skip = 0, i;
        int r;

        if (size >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
                skip = 3;
                d.bom = true;
        }
        d.path = strdup(path);
        /* A full copy, not strndup(): the text may hold NUL bytes and key lookups scan size bytes. */
        d.text = malloc(size + 1);
        if (!d.path || !d.text)
                return -ENOMEM;
        memcpy(d.text, data, size);
        d.text[size] = 0;
        d.size = size;
        for (i = skip; i < size && is_json_space(data[i]); i++)
                ;
        if (i == size) {
                /* dockerd 23+ trims whitespace and reads an empty file as an empty configuration. */
                d.empty = true;
                d.root = json_object();
                if (!d.root)
                        return -ENOMEM;
                *ret = TAKE_STRUCT(d);
                return 0;
        }
        if ((r = decode_value(path, data, size, skip, &d, ret_error)) < 0)
                return r;
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
                return error_setf(ret_error, r, "%s: %s", path, read_strerror(r));
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
                } else if (c == '}' || c == ']') {
                        if (--depth <= 0)
                                break; /* the end of the value dockerd reads: the rest is never read */
                } else if (c == ',')
                        expect_key = depth == 1;
                else if (!is_json_space(c))
                        expect_key = false;
        }
        return found;
}

/* Skips JSON whitespace from s[i], counting newlines into *line. */
static size_t skip_space(const char *s, size_t i, size_t n, unsigned *line)
{
        for (; i < n && is_json_space(s[i]); i++)
                if (s[i] == '\n')
                        (*line)++;
        return i;
}

/* The JSON text s[i..i+len) decoded (NULL: it does not decode on its own), and in *ret_len the
 * bytes it took. */
static json_t *decode_at(const char *s, size_t n, size_t i, size_t *ret_len)
{
        json_error_t err;
        json_t *v =
                json_loadb(s + i, n - i, JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK | JSON_ALLOW_NUL, &err);

        *ret_len = v ? (size_t) err.position : 0;
        return v;
}

int daemon_json_foreach_member(const DaemonJson *d, daemon_json_member_cb cb, void *userdata)
{
        const char *s = d->text;
        size_t n = d->size, i = d->bom ? 3 : 0, len;
        unsigned line = 1;
        int r;

        i = skip_space(s, i, n, &line);
        if (d->empty || i >= n || s[i] != '{')
                return 0; /* {} or null */
        i = skip_space(s, i + 1, n, &line);
        while (i < n && s[i] == '"') {
                _cleanup_json_ json_t *key = decode_at(s, n, i, &len), *value = NULL;
                unsigned key_line = line;

                if (!json_is_string(key))
                        return -EINVAL;
                i = skip_space(s, i + len, n, &line);
                if (i >= n || s[i] != ':')
                        return -EINVAL;
                i = skip_space(s, i + 1, n, &line);
                value = decode_at(s, n, i, &len);
                if (!value)
                        return -EINVAL;
                for (size_t j = i; j < i + len; j++)
                        if (s[j] == '\n')
                                line++;
                if ((r = cb(json_string_value(key), value, key_line, userdata)) != 0)
                        return r;
                i = skip_space(s, i + len, n, &line);
                if (i < n && s[i] == ',')
                        i = skip_space(s, i + 1, n, &line);
        }
        return 0;
}

int daemon_json_get_bool(const DaemonJson *d, const char *key, bool *ret, char **ret_error)
{
        json_t *v = json_object_get(d->root, key);

        if (!v)
                return 0;
        if (!json_is_boolean(v))
                return error_setf(ret_error, -EINVAL, "%s:%u: \"%s\" must be true or false, not %s", d->path,
                        daemon_json_key_line(d, key), key, json_kind(v));
        *ret = json_is_true(v);
        return 1;
}
