/* SPDX-License-Identifier: MIT */
#include "basic/util.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>

bool endswith(const char *s, const char *suffix)
{
        size_t a = strlen(s), b = strlen(suffix);
        return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

char **strv_free(char **l)
{
        if (l)
                for (char **i = l; *i; i++)
                        free(*i);
        free(l);
        return NULL;
}

size_t strv_length(char *const *l)
{
        size_t n = 0;
        if (l)
                while (l[n])
                        n++;
        return n;
}

int strv_consume(char ***l, char *s)
{
        size_t n = strv_length(*l);
        char **t;

        if (!s)
                return -ENOMEM;
        t = realloc(*l, sizeof(char *) * (n + 2));
        if (!t) {
                free(s);
                return -ENOMEM;
        }
        t[n] = s;
        t[n + 1] = NULL;
        *l = t;
        return 0;
}

int strv_extend(char ***l, const char *s)
{
        return strv_consume(l, strdup(s));
}

bool strv_contains(char *const *l, const char *s)
{
        if (l)
                for (; *l; l++)
                        if (streq(*l, s))
                                return true;
        return false;
}

char **strv_copy(char *const *l)
{
        char **r = calloc(strv_length(l) + 1, sizeof(char *));
        size_t i = 0;

        if (!r)
                return NULL;
        for (; l && l[i]; i++) {
                r[i] = strdup(l[i]);
                if (!r[i])
                        return strv_free(r);
        }
        return r;
}

char *strv_join(char *const *l, const char *sep)
{
        StrBuf b = {};

        for (size_t i = 0; l && l[i]; i++)
                if ((i > 0 && sb_append(&b, sep) < 0) || sb_append(&b, l[i]) < 0) {
                        sb_free(&b);
                        return NULL;
                }
        return sb_steal(&b);
}

static int sb_reserve(StrBuf *b, size_t extra)
{
        size_t need, cap;
        char *t;

        if (extra > SIZE_MAX - b->len - 1)
                return -ENOMEM;
        need = b->len + extra + 1;
        if (need <= b->cap)
                return 0;
        cap = b->cap ? b->cap : 64;
        while (cap < need)
                cap = cap > SIZE_MAX / 2 ? need : cap * 2;
        t = realloc(b->buf, cap);
        if (!t)
                return -ENOMEM;
        b->buf = t;
        b->cap = cap;
        return 0;
}

int sb_append_len(StrBuf *b, const char *s, size_t n)
{
        int r = sb_reserve(b, n);
        if (r < 0)
                return r;
        memcpy(b->buf + b->len, s, n);
        b->len += n;
        b->buf[b->len] = 0;
        return 0;
}

int sb_append(StrBuf *b, const char *s)
{
        return sb_append_len(b, s, strlen(s));
}

int sb_putc(StrBuf *b, char c)
{
        return sb_append_len(b, &c, 1);
}

int sb_printf(StrBuf *b, const char *fmt, ...)
{
        va_list ap;
        int n, r;

        va_start(ap, fmt);
        n = vsnprintf(NULL, 0, fmt, ap);
        va_end(ap);
        if (n < 0)
                return -EINVAL;
        r = sb_reserve(b, (size_t) n);
        if (r < 0)
                return r;
        va_start(ap, fmt);
        vsnprintf(b->buf + b->len, (size_t) n + 1, fmt, ap);
        va_end(ap);
        b->len += (size_t) n;
        return 0;
}

char *sb_steal(StrBuf *b)
{
        char *s = b->buf;

        if (!s)
                s = strdup("");
        b->buf = NULL;
        b->len = b->cap = 0;
        return s;
}

void sb_free(StrBuf *b)
{
        free(b->buf);
        b->buf = NULL;
        b->len = b->cap = 0;
}

char *strdupf(const char *fmt, ...)
{
        va_list ap;
        char *s;
        int n;

        va_start(ap, fmt);
        n = vasprintf(&s, fmt, ap);
        va_end(ap);
        return n < 0 ? NULL : s;
}

int read_full_file(const char *path, char **ret, size_t *ret_size)
{
        _cleanup_close_ int fd = -1;
        _cleanup_sb_ StrBuf b = {};
        char chunk[65536];
        struct stat st;

        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return -errno;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (S_ISDIR(st.st_mode))
                return -EISDIR;
        for (;;) {
                ssize_t k = read(fd, chunk, sizeof chunk);
                int r;

                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (k == 0)
                        break;
                if (b.len + (size_t) k > READ_FULL_MAX)
                        return -EFBIG;
                r = sb_append_len(&b, chunk, (size_t) k);
                if (r < 0)
                        return r;
        }
        if (ret_size)
                *ret_size = b.len;
        *ret = sb_steal(&b);
        return *ret ? 0 : -ENOMEM;
}

int read_one_line_file(const char *path, char **ret)
{
        char *s;
        size_t n;
        int r = read_full_file(path, &s, &n);

        if (r < 0)
                return r;
        s[strcspn(s, "\n")] = 0;
        *ret = s;
        return 0;
}

int error_setf(char **ret_error, int err, const char *fmt, ...)
{
        va_list ap;
        char *s;

        if (!ret_error)
                return err;
        va_start(ap, fmt);
        if (vasprintf(&s, fmt, ap) < 0)
                s = NULL;
        va_end(ap);
        free(*ret_error);
        *ret_error = s;
        return err;
}

char *strstrip(char *s)
{
        size_t n;

        s += strspn(s, " \t\r\n");
        n = strlen(s);
        while (n > 0 && strchr(" \t\r\n", s[n - 1]))
                n--;
        s[n] = 0;
        return s;
}

bool utf8_is_valid_n(const char *str, size_t n)
{
        const unsigned char *s = (const unsigned char *) str;
        size_t i = 0;

        while (i < n) {
                unsigned c = s[i], len, cp;

                if (c < 0x80) {
                        i++;
                        continue;
                }
                if ((c & 0xE0) == 0xC0)
                        len = 2, cp = c & 0x1F;
                else if ((c & 0xF0) == 0xE0)
                        len = 3, cp = c & 0x0F;
                else if ((c & 0xF8) == 0xF0)
                        len = 4, cp = c & 0x07;
                else
                        return false;
                if (i + len > n)
                        return false;
                for (unsigned k = 1; k < len; k++) {
                        if ((s[i + k] & 0xC0) != 0x80)
                                return false;
                        cp = (cp << 6) | (s[i + k] & 0x3F);
                }
                /* Reject overlong forms, surrogates and values past U+10FFFF. */
                if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
                        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
                        return false;
                i += len;
        }
        return true;
}

int safe_atou64(const char *s, unsigned long long *ret)
{
        char *end;
        unsigned long long v;

        if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
                return -EINVAL;
        errno = 0;
        v = strtoull(s, &end, 10);
        if (errno == ERANGE)
                return -ERANGE;
        if (*end)
                return -EINVAL;
        *ret = v;
        return 0;
}

int safe_atoi64(const char *s, long long *ret)
{
        char *end;
        long long v;

        if (!s || !*s || *s == ' ')
                return -EINVAL;
        errno = 0;
        v = strtoll(s, &end, 10);
        if (errno == ERANGE)
                return -ERANGE;
        if (*end)
                return -EINVAL;
        *ret = v;
        return 0;
}

int unhexchar(char c)
{
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -EINVAL;
}
