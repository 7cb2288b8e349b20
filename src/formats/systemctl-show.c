/* SPDX-License-Identifier: MIT */
#include "formats/systemctl-show.h"

#include "basic/alloc-util.h"
#include "basic/error-util.h"
#include "basic/string-util.h"

static void show_block_done(ShowBlock *b)
{
        for (size_t i = 0; i < b->n; i++) {
                free(b->v[i].key);
                free(b->v[i].value);
        }
        free(b->v);
        *b = (ShowBlock){};
}

void systemctl_show_done(SystemctlShow *s)
{
        for (size_t i = 0; i < s->n; i++)
                show_block_done(&s->v[i]);
        free(s->v);
        *s = (SystemctlShow){};
}

/* Appends an empty block. */
static int block_new(SystemctlShow *s)
{
        if (!greedy_realloc((void **) &s->v, s->n + 1, sizeof *s->v))
                return -ENOMEM;
        s->v[s->n++] = (ShowBlock){};
        return 0;
}

static int block_add(ShowBlock *b, const char *line, size_t len, unsigned lineno, char **ret_error)
{
        const char *eq = memchr(line, '=', len);
        ShowProperty *v;

        if (!eq || eq == line)
                return error_setf(ret_error, -EBADMSG, "line %u: not Key=Value", lineno);
        if (!greedy_realloc((void **) &b->v, b->n + 1, sizeof *b->v))
                return -ENOMEM;
        v = b->v;
        v[b->n] = (ShowProperty){.key = strndup(line, eq - line),
                .value = strndup(eq + 1, len - (eq + 1 - line)),
                .line = lineno};
        if (!v[b->n].key || !v[b->n].value) {
                free(v[b->n].key);
                free(v[b->n].value);
                return -ENOMEM;
        }
        b->n++;
        return 0;
}

int systemctl_show_parse(const char *text, size_t size, SystemctlShow *ret, char **ret_error)
{
        _cleanup_(systemctl_show_done) SystemctlShow s = {};
        bool in_block = false;
        unsigned lineno = 0;
        int r;

        if (memchr(text, 0, size))
                return error_setf(ret_error, -EBADMSG, "a NUL byte in the output");
        for (size_t pos = 0; pos < size;) {
                const char *line = text + pos, *nl = memchr(line, '\n', size - pos);
                size_t len = nl ? (size_t) (nl - line) : size - pos;

                pos += len + (nl ? 1 : 0);
                lineno++;
                if (len > 0 && line[len - 1] == '\r')
                        len--;
                if (len == 0) {
                        in_block = false;
                        continue;
                }
                if (!in_block && (r = block_new(&s)) < 0)
                        return r;
                in_block = true;
                if ((r = block_add(&s.v[s.n - 1], line, len, lineno, ret_error)) < 0)
                        return r;
        }
        *ret = TAKE_STRUCT(s);
        return 0;
}

const ShowProperty *show_block_get(const ShowBlock *b, const char *key)
{
        for (size_t i = 0; i < b->n; i++)
                if (streq(b->v[i].key, key))
                        return &b->v[i];
        return NULL;
}

const ShowProperty *show_block_next(const ShowBlock *b, const ShowProperty *p)
{
        for (size_t i = (size_t) (p - b->v) + 1; i < b->n; i++)
                if (streq(b->v[i].key, p->key))
                        return &b->v[i];
        return NULL;
}

/* Names= is space-separated. */
static bool names_list(const char *names, const char *unit)
{
        size_t n = strlen(unit);

        for (const char *p = names; *p;) {
                size_t len = strcspn(p, " ");

                if (len == n && strncmp(p, unit, n) == 0)
                        return true;
                p += len;
                p += strspn(p, " ");
        }
        return false;
}

const ShowBlock *systemctl_show_find(const SystemctlShow *s, const char *unit)
{
        for (size_t i = 0; i < s->n; i++) {
                const ShowProperty *id = show_block_get(&s->v[i], "Id");
                if (id && streq(id->value, unit))
                        return &s->v[i];
        }
        for (size_t i = 0; i < s->n; i++) {
                const ShowProperty *names = show_block_get(&s->v[i], "Names");
                if (names && names_list(names->value, unit))
                        return &s->v[i];
        }
        return NULL;
}
