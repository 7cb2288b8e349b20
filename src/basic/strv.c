/* SPDX-License-Identifier: MIT */
#include "basic/strv.h"

#include "basic/alloc-util.h"
#include "basic/strbuf.h"

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

int strv_consume_at(char ***l, size_t *n, char *s)
{
        char **t;

        if (!s)
                return -ENOMEM;
        t = greedy_realloc((void **) l, *n + 2, sizeof(char *));
        if (!t) {
                free(s);
                return -ENOMEM;
        }
        t[*n] = s;
        t[++*n] = NULL;
        *l = t;
        return 0;
}

int strv_consume(char ***l, char *s)
{
        size_t n = strv_length(*l);

        return strv_consume_at(l, &n, s);
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
