/* SPDX-License-Identifier: MIT */
#include "formats/dpkg-status.h"

#include <strings.h>

#include "basic/string-util.h"

char *dpkg_version_upstream(const char *version)
{
        const char *colon = strchr(version, ':'), *start = colon ? colon + 1 : version;
        const char *dash = strrchr(start, '-');

        return strndup(start, dash ? (size_t) (dash - start) : strlen(start));
}

/* The value of "Field:" in the paragraph p[0..n) (the first line starting with it), trimmed,
 * as the span *ret_value, *ret_len; false when absent. Continuation lines are not needed for
 * these fields. */
static bool field_span(const char *p, size_t n, const char *name, const char **ret_value, size_t *ret_len)
{
        size_t len = strlen(name);

        for (size_t i = 0; i < n;) {
                const char *eol = memchr(p + i, '\n', n - i);
                size_t end = eol ? (size_t) (eol - p) : n;

                if (end - i > len && strncasecmp(p + i, name, len) == 0 && p[i + len] == ':') {
                        size_t a = i + len + 1, b = end;

                        while (a < b && (p[a] == ' ' || p[a] == '\t'))
                                a++;
                        while (b > a && (p[b - 1] == ' ' || p[b - 1] == '\t' || p[b - 1] == '\r'))
                                b--;
                        *ret_value = p + a;
                        *ret_len = b - a;
                        return true;
                }
                i = end + 1;
        }
        return false;
}

/* field_span() as a string (up to a NUL in the value); NULL when absent or out of memory (*oom). */
static char *field(const char *p, size_t n, const char *name, bool *oom)
{
        const char *v;
        size_t len;
        char *s;

        if (!field_span(p, n, name, &v, &len))
                return NULL;
        if (!(s = strndup(v, len)))
                *oom = true;
        return s;
}

/* Whether the paragraph's Package: is package (compared as the string field() would give). */
static bool paragraph_is(const char *p, size_t n, const char *package)
{
        const char *v;
        size_t len;

        if (!field_span(p, n, "Package", &v, &len))
                return false;
        len = strnlen(v, len);
        return len == strlen(package) && memcmp(v, package, len) == 0;
}

/* Where the paragraph starting at i ends: at the '\n' of an empty line (or of the last byte),
 * else at size. */
static size_t paragraph_end(const char *text, size_t size, size_t i)
{
        for (;;) {
                const char *nl = memchr(text + i, '\n', size - i);
                size_t e;

                if (!nl)
                        return size;
                e = (size_t) (nl - text);
                if (e + 1 >= size || text[e + 1] == '\n')
                        return e;
                i = e + 1;
        }
}

int dpkg_status_version(const char *text, size_t size, const char *package, char **ret_version)
{
        /* Only the paragraph of package is copied out: the database of a Debian host has a
         * thousand paragraphs, and the caller asks for several packages. */
        for (size_t i = 0, end; i < size; i = end + 2) {
                bool oom = false;
                _cleanup_free_ char *status = NULL, *version = NULL;

                end = paragraph_end(text, size, i);
                if (!paragraph_is(text + i, end - i, package))
                        continue;
                status = field(text + i, end - i, "Status", &oom);
                version = field(text + i, end - i, "Version", &oom);
                if (oom)
                        return -ENOMEM;
                if (status && streq(status, "install ok installed") && version) {
                        *ret_version = dpkg_version_upstream(version);
                        return *ret_version ? 1 : -ENOMEM;
                }
        }
        return 0;
}
