/* SPDX-License-Identifier: MIT */
#include "basic/path-util.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

static bool isempty(const char *s)
{
        return !s || !*s;
}

static bool is_dot(const char *c, size_t l)
{
        return l == 1 && c[0] == '.';
}

static bool is_dot_dot(const char *c, size_t l)
{
        return l == 2 && c[0] == '.' && c[1] == '.';
}

/* The next component after *p's slashes: its start in *ret and its length (0 when only slashes
 * are left); *p moves to the end of it. */
static size_t next_component(const char **p, const char **ret)
{
        const char *c = *p + strspn(*p, "/");
        size_t l = strcspn(c, "/");

        *ret = c;
        *p = c + l;
        return l;
}

bool path_is_valid(const char *p)
{
        const char *c;
        size_t l;

        if (isempty(p) || strlen(p) >= PATH_MAX)
                return false;
        while ((l = next_component(&p, &c)) > 0)
                if (l > NAME_MAX)
                        return false;
        return true;
}

bool path_is_normalized(const char *p)
{
        const char *c;
        size_t l;

        if (!path_is_valid(p) || strstr(p, "//"))
                return false;
        while ((l = next_component(&p, &c)) > 0)
                if (is_dot(c, l) || is_dot_dot(c, l))
                        return false;
        return true;
}

bool filename_is_valid(const char *p)
{
        size_t n = p ? strlen(p) : 0;

        return n > 0 && n <= NAME_MAX && !is_dot(p, n) && !is_dot_dot(p, n) && !strchr(p, '/');
}

char *path_simplify(char *path)
{
        char *f = path;
        const char *p, *c;
        bool add_slash = false;
        size_t l;

        if (isempty(path))
                return path;
        if (path[0] == '/')
                f++;
        for (p = f; (l = next_component(&p, &c)) > 0;) {
                if (is_dot(c, l))
                        continue;
                if (add_slash)
                        *f++ = '/';
                memmove(f, c, l);
                f += l;
                add_slash = true;
        }
        if (f == path)
                *f++ = '.';
        *f = 0;
        return path;
}

const char *path_basename(const char *p)
{
        const char *s = strrchr(p, '/');

        return s ? s + 1 : p;
}

char *path_resolve_lexically(const char *path)
{
        /* At most one '/' more than the input: "a" -> "/a". */
        char *ret = malloc(strlen(path) + 2), *end = ret;
        const char *c;
        size_t l;

        if (!ret)
                return NULL;
        while ((l = next_component(&path, &c)) > 0) {
                if (is_dot(c, l))
                        continue;
                if (is_dot_dot(c, l)) {
                        while (end > ret && *--end != '/')
                                ;
                        continue;
                }
                *end++ = '/';
                memcpy(end, c, l);
                end += l;
        }
        if (end == ret)
                *end++ = '/';
        *end = 0;
        return ret;
}
