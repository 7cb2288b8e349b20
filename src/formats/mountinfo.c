/* SPDX-License-Identifier: MIT */
#include "formats/mountinfo.h"

void mount_entry_done(MountEntry *e)
{
        free(e->root);
        free(e->mount_point);
        free(e->options);
        free(e->fstype);
        free(e->source);
        free(e->super_options);
        *e = (MountEntry){};
}

void mount_table_done(MountTable *t)
{
        for (size_t i = 0; i < t->n; i++)
                mount_entry_done(&t->v[i]);
        free(t->v);
        *t = (MountTable){};
}

static bool is_octal(char c)
{
        return c >= '0' && c <= '7';
}

char *mountinfo_unescape(const char *s, size_t n)
{
        char *out = malloc(n + 1), *p = out;

        if (!out)
                return NULL;
        for (size_t i = 0; i < n; i++) {
                if (s[i] == '\\' && i + 3 < n && is_octal(s[i + 1]) && is_octal(s[i + 2]) &&
                        is_octal(s[i + 3])) {
                        int v = (s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0');

                        /* \000 would cut the string short; values above 0377 are not bytes. */
                        if (v > 0 && v < 256) {
                                *p++ = (char) v;
                                i += 3;
                                continue;
                        }
                }
                *p++ = s[i];
        }
        *p = 0;
        return out;
}

typedef struct Field {
        const char *s;
        size_t n;
} Field;

/* The next space-separated field; false at the end of the line. */
static bool next_field(const char **p, const char *end, Field *f)
{
        const char *q;

        if (*p >= end)
                return false;
        q = memchr(*p, ' ', (size_t) (end - *p));
        if (!q)
                q = end;
        f->s = *p;
        f->n = (size_t) (q - *p);
        *p = q < end ? q + 1 : end;
        return true;
}

static bool field_eq(const Field *f, const char *s)
{
        return f->n == strlen(s) && memcmp(f->s, s, f->n) == 0;
}

/* A decimal number that fills the field (at most 9 digits: ids and peer groups are ints). */
static bool field_uint(const Field *f, size_t off, unsigned *ret)
{
        unsigned v = 0;

        if (f->n <= off || f->n - off > 9)
                return false;
        for (size_t i = off; i < f->n; i++) {
                if (f->s[i] < '0' || f->s[i] > '9')
                        return false;
                v = v * 10 + (unsigned) (f->s[i] - '0');
        }
        *ret = v;
        return true;
}

int mountinfo_parse_line(const char *line, size_t len, MountEntry *ret, char **ret_error)
{
        const char *p = line, *end = line + len;
        Field f[6], opt, fs[3];
        _cleanup_(mount_entry_done) MountEntry e = {};
        unsigned id, parent;
        const char *colon;

        for (size_t i = 0; i < ELEMENTSOF(f); i++)
                if (!next_field(&p, end, &f[i]))
                        return error_setf(ret_error, -EBADMSG, "missing fields (%zu of at least 10)", i);
        colon = memchr(f[2].s, ':', f[2].n);
        if (!field_uint(&f[0], 0, &id) || !field_uint(&f[1], 0, &parent) || !colon)
                return error_setf(ret_error, -EBADMSG, "bad mount id, parent id or major:minor");
        {
                Field maj = {f[2].s, (size_t) (colon - f[2].s)};
                Field min = {colon + 1, f[2].n - maj.n - 1};

                if (!field_uint(&maj, 0, &e.major) || !field_uint(&min, 0, &e.minor))
                        return error_setf(ret_error, -EBADMSG, "bad major:minor");
        }
        e.mount_id = (int) id;
        e.parent_id = (int) parent;

        /* Optional fields up to the lone "-". */
        for (;;) {
                if (!next_field(&p, end, &opt))
                        return error_setf(ret_error, -EBADMSG, "no \"-\" separator");
                if (field_eq(&opt, "-"))
                        break;
                if (opt.n > 7 && memcmp(opt.s, "shared:", 7) == 0)
                        (void) field_uint(&opt, 7, &e.shared);
                else if (opt.n > 7 && memcmp(opt.s, "master:", 7) == 0)
                        (void) field_uint(&opt, 7, &e.master);
        }
        for (size_t i = 0; i < ELEMENTSOF(fs); i++)
                if (!next_field(&p, end, &fs[i]))
                        return error_setf(ret_error, -EBADMSG, "missing fields after \"-\"");
        /* Super options are the rest of the line (they never contain a space, but be lenient). */
        fs[2].n = (size_t) (end - fs[2].s);

        if (f[3].n == 0 || f[4].n == 0 || fs[0].n == 0)
                return error_setf(ret_error, -EBADMSG, "empty root, mount point or filesystem type");
        if (!(e.root = mountinfo_unescape(f[3].s, f[3].n)) ||
                !(e.mount_point = mountinfo_unescape(f[4].s, f[4].n)) ||
                !(e.options = strndup(f[5].s, f[5].n)) ||
                !(e.fstype = mountinfo_unescape(fs[0].s, fs[0].n)) ||
                !(e.source = mountinfo_unescape(fs[1].s, fs[1].n)) ||
                !(e.super_options = strndup(fs[2].s, fs[2].n)))
                return -ENOMEM;
        *ret = TAKE_STRUCT(e);
        return 0;
}

bool path_is_under(const char *path, const char *dir)
{
        size_t n = strlen(dir);

        while (n > 1 && dir[n - 1] == '/')
                n--;
        if (n == 1 && dir[0] == '/')
                return path[0] == '/';
        return strncmp(path, dir, n) == 0 && (path[n] == 0 || path[n] == '/');
}

/* Cheap pre-filter on the raw line: the mount point (5th field) must start with under as
 * the kernel would print it. Only used when under has nothing the kernel escapes. */
static bool raw_mount_point_has_prefix(const char *line, size_t len, const char *under, size_t ulen)
{
        const char *p = line, *end = line + len;
        Field f;

        for (int i = 0; i < 5; i++)
                if (!next_field(&p, end, &f))
                        return true; /* let the real parser report it */
        return f.n >= ulen && memcmp(f.s, under, ulen) == 0;
}

int mountinfo_parse(const char *text, size_t size, const char *path, const char *under, MountTable *ret,
        char **ret_error)
{
        _cleanup_(mount_table_done) MountTable t = {};
        const char *p = text, *end = text + size;
        bool prefilter = under && !under[strcspn(under, " \t\n\\")];
        size_t ulen = under ? strlen(under) : 0;
        unsigned line = 0;
        int r;

        while (p < end) {
                const char *nl = memchr(p, '\n', (size_t) (end - p));
                size_t len = nl ? (size_t) (nl - p) : (size_t) (end - p);
                _cleanup_free_ char *err = NULL;
                _cleanup_(mount_entry_done) MountEntry e = {};

                line++;
                if (len == 0 || (prefilter && !raw_mount_point_has_prefix(p, len, under, ulen))) {
                        p += len + 1;
                        continue;
                }
                r = mountinfo_parse_line(p, len, &e, &err);
                if (r == -EBADMSG)
                        return error_setf(ret_error, r, "%s:%u: %s", path ? path : "mountinfo", line, err);
                if (r < 0)
                        return r;
                p += len + 1;
                if (under && !path_is_under(e.mount_point, under))
                        continue;
                if (t.n == t.cap) {
                        size_t cap = t.cap ? t.cap * 2 : 16;
                        MountEntry *v = realloc(t.v, cap * sizeof *v);

                        if (!v)
                                return -ENOMEM;
                        t.v = v;
                        t.cap = cap;
                }
                t.v[t.n++] = TAKE_STRUCT(e);
        }
        *ret = TAKE_STRUCT(t);
        return 0;
}

int mountinfo_read(const char *path, const char *under, MountTable *ret, char **ret_error)
{
        _cleanup_free_ char *text = NULL;
        size_t size;
        int r;

        r = read_full_file(path, &text, &size);
        if (r < 0)
                return error_setf(ret_error, r, "%s: %s", path, strerror(-r));
        return mountinfo_parse(text, size, path, under, ret, ret_error);
}
