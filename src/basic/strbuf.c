/* SPDX-License-Identifier: MIT */
#include "basic/strbuf.h"

int sb_reserve(StrBuf *b, size_t extra)
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
