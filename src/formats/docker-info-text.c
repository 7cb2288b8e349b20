/* SPDX-License-Identifier: MIT */
#include "formats/docker-info-text.h"

#include "basic/error-util.h"
#include "basic/string-util.h"
#include "basic/strv.h"

typedef struct InfoLine {
        size_t indent;
        const char *key, *value; /* inside the text: not NUL-terminated */
        size_t key_len, value_len;
} InfoLine;

/* "  Key: value" -> indent 2, "Key", "value" (trailing spaces dropped); false without ": ". */
static bool info_line_split(const char *line, size_t len, InfoLine *ret)
{
        size_t indent = 0;
        const char *colon;

        while (indent < len && line[indent] == ' ')
                indent++;
        colon = memchr(line + indent, ':', len - indent);
        if (!colon || colon == line + indent)
                return false;
        ret->indent = indent;
        ret->key = line + indent;
        ret->key_len = colon - ret->key;
        ret->value = colon + 1;
        ret->value_len = len - (ret->value - line);
        while (ret->value_len > 0 && *ret->value == ' ')
                ret->value++, ret->value_len--;
        while (ret->value_len > 0 &&
                (ret->value[ret->value_len - 1] == ' ' || ret->value[ret->value_len - 1] == '\r'))
                ret->value_len--;
        return true;
}

/* The text is not NUL-terminated: every look stays within its length. */
static bool has_prefix_n(const char *p, size_t len, const char *prefix)
{
        size_t n = strlen(prefix);

        return len >= n && memcmp(p, prefix, n) == 0;
}

/* Bytes before the first of c in p[0..len), or len. */
static size_t span_to(const char *p, size_t len, char c)
{
        const char *q = memchr(p, c, len);

        return q ? (size_t) (q - p) : len;
}

static bool key_is(const InfoLine *l, const char *key)
{
        return l->key_len == strlen(key) && strncmp(l->key, key, l->key_len) == 0;
}

/* Sets *field to the value unless already set (the first one counts). */
static int take(char **field, const InfoLine *l)
{
        if (*field)
                return 0;
        *field = strndup(l->value, l->value_len);
        return *field ? 0 : -ENOMEM;
}

static int info_key(DockerInfo *i, const InfoLine *l, bool *seen_live)
{
        if (key_is(l, "Server Version"))
                return take(&i->server_version, l);
        if (key_is(l, "Storage Driver"))
                return take(&i->driver, l);
        if (key_is(l, "Docker Root Dir"))
                return take(&i->root_dir, l);
        if (key_is(l, "Swarm"))
                return take(&i->swarm_state, l);
        if (key_is(l, "Cgroup Driver"))
                return take(&i->cgroup_driver, l);
        if (key_is(l, "Live Restore Enabled") && !*seen_live) {
                *seen_live = true;
                if (l->value_len == 4 && strncmp(l->value, "true", 4) == 0)
                        i->has_live_restore = i->live_restore = true;
                else if (l->value_len == 5 && strncmp(l->value, "false", 5) == 0)
                        i->has_live_restore = true;
        }
        return 0;
}

/* A line of the storage driver's status (indented under "Storage Driver"), as /info's
 * DriverStatus has them. */
static int storage_key(DockerInfo *i, const InfoLine *l)
{
        if (key_is(l, "Backing Filesystem"))
                return take(&i->backing_fs, l);
        if (key_is(l, "Supports d_type") && !i->has_supports_d_type) {
                i->has_supports_d_type = true;
                i->supports_d_type = l->value_len == 4 && strncmp(l->value, "true", 4) == 0;
        }
        return 0;
}

/* The indentation of the "Server Version" line; false when there is none. */
static bool server_indent(const char *text, size_t size, size_t *ret)
{
        for (size_t pos = 0; pos < size;) {
                const char *line = text + pos, *nl = memchr(line, '\n', size - pos);
                size_t len = nl ? (size_t) (nl - line) : size - pos;
                InfoLine l;

                pos += len + (nl ? 1 : 0);
                if (info_line_split(line, len, &l) && key_is(&l, "Server Version")) {
                        *ret = l.indent;
                        return true;
                }
        }
        return false;
}

/* NUL bytes and invalid UTF-8 refused, with what. */
static int text_check(const char *text, size_t size, const char *what, char **ret_error)
{
        if (memchr(text, 0, size))
                return error_setf(ret_error, -EBADMSG, "a NUL byte in %s's output", what);
        if (!utf8_is_valid_n(text, size))
                return error_setf(ret_error, -EBADMSG, "%s's output is not UTF-8", what);
        return 0;
}

int docker_info_text_parse(
        const char *text, size_t size, DockerInfo *ret, bool *ret_server, char **ret_error)
{
        _cleanup_(docker_info_done) DockerInfo i = {};
        bool seen_live = false, in_storage = false;
        size_t indent;
        int r;

        *ret_server = false;
        if ((r = text_check(text, size, "docker info", ret_error)) < 0)
                return r;
        if (!server_indent(text, size, &indent)) {
                *ret = TAKE_STRUCT(i);
                return 0;
        }
        for (size_t pos = 0; pos < size;) {
                const char *line = text + pos, *nl = memchr(line, '\n', size - pos);
                size_t len = nl ? (size_t) (nl - line) : size - pos;
                InfoLine l;

                pos += len + (nl ? 1 : 0);
                if (!info_line_split(line, len, &l) || l.indent < indent)
                        continue;
                if (l.indent == indent) {
                        in_storage = key_is(&l, "Storage Driver");
                        r = info_key(&i, &l, &seen_live);
                } else
                        r = in_storage ? storage_key(&i, &l) : 0;
                if (r < 0)
                        return r;
        }
        *ret_server = true;
        *ret = TAKE_STRUCT(i);
        return 0;
}

int docker_version_text_api(const char *text, size_t size, char **ret, char **ret_error)
{
        bool server = false;
        int r;

        *ret = NULL;
        if ((r = text_check(text, size, "docker version", ret_error)) < 0)
                return r;
        for (size_t pos = 0; pos < size;) {
                const char *line = text + pos, *nl = memchr(line, '\n', size - pos);
                size_t len = nl ? (size_t) (nl - line) : size - pos, n;
                InfoLine l;

                pos += len + (nl ? 1 : 0);
                if (!info_line_split(line, len, &l))
                        continue;
                if (l.indent == 0)
                        server = key_is(&l, "Server");
                else if (server && key_is(&l, "API version") && l.value_len > 0) {
                        n = span_to(l.value, l.value_len, ' ');
                        *ret = strndup(l.value, n);
                        return *ret ? 0 : -ENOMEM;
                }
        }
        return 0;
}

/* The byte offset of character col in line (len bytes), or len when the line is shorter. */
static size_t char_offset(const char *line, size_t len, size_t col)
{
        size_t i = 0;

        for (size_t c = 0; i < len && c < col; c++)
                do
                        i++;
                while (i < len && ((unsigned char) line[i] & 0xC0) == 0x80);
        return i;
}

/* The character column where name starts in the header line; false when absent. */
static bool header_column(const char *line, size_t len, const char *name, size_t *ret)
{
        const char *p = memmem(line, len, name, strlen(name));
        size_t col = 0;

        if (!p)
                return false;
        for (const char *q = line; q < p; q++)
                col += ((unsigned char) *q & 0xC0) != 0x80;
        *ret = col;
        return true;
}

/* One row: its STATUS and NAMES cells by the header's columns. */
static int ps_row(
        const char *line, size_t len, size_t status_col, size_t names_col, long long *running, char ***dead)
{
        size_t s = char_offset(line, len, status_col), e = char_offset(line, len, names_col);
        size_t id_len = span_to(line, len, ' ');
        const char *status = line + s;

        if (s >= len || e >= len || e <= s)
                return -EBADMSG;
        if (has_prefix_n(status, e - s, "Up") || has_prefix_n(status, e - s, "Restarting"))
                (*running)++;
        else if (has_prefix_n(status, e - s, "Dead") &&
                 strv_consume(dead, strdupf("%.*s %.*s", (int) id_len, line, (int) (len - e), line + e)) < 0)
                return -ENOMEM;
        return 0;
}

int docker_ps_text_parse(
        const char *text, size_t size, long long *ret_running, char ***ret_dead, char **ret_error)
{
        _cleanup_strv_free_ char **dead = calloc(1, sizeof(char *));
        size_t status_col = 0, names_col = 0;
        long long running = 0;
        unsigned lineno = 0;
        int r;

        if (!dead)
                return -ENOMEM;
        if ((r = text_check(text, size, "docker ps", ret_error)) < 0)
                return r;
        for (size_t pos = 0; pos < size;) {
                const char *line = text + pos, *nl = memchr(line, '\n', size - pos);
                size_t len = nl ? (size_t) (nl - line) : size - pos;

                pos += len + (nl ? 1 : 0);
                if (len == 0)
                        continue;
                if (++lineno == 1) {
                        if (!has_prefix_n(line, len, "CONTAINER ID") ||
                                !header_column(line, len, "STATUS", &status_col) ||
                                !header_column(line, len, "NAMES", &names_col))
                                return error_setf(ret_error, -EBADMSG,
                                        "docker ps: no CONTAINER ID ... STATUS ... NAMES header");
                        continue;
                }
                r = ps_row(line, len, status_col, names_col, &running, &dead);
                if (r == -EBADMSG)
                        return error_setf(
                                ret_error, r, "docker ps: line %u is shorter than its columns", lineno);
                if (r < 0)
                        return r;
        }
        if (lineno == 0)
                return error_setf(ret_error, -EBADMSG, "docker ps: empty output");
        *ret_running = running;
        *ret_dead = TAKE_PTR(dead);
        return 0;
}
