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

/* The value of "Field:" in the paragraph p[0..n) (a line starting with it), trimmed; NULL when
 * absent or out of memory (*oom). Continuation lines are not needed for these fields. */
static char *field(const char *p, size_t n, const char *name, bool *oom)
{
        size_t len = strlen(name);

        for (size_t i = 0; i < n;) {
                const char *eol = memchr(p + i, '\n', n - i);
                size_t end = eol ? (size_t) (eol - p) : n;

                if (end - i > len && strncasecmp(p + i, name, len) == 0 && p[i + len] == ':') {
                        size_t a = i + len + 1, b = end;
                        char *v;

                        while (a < b && (p[a] == ' ' || p[a] == '\t'))
                                a++;
                        while (b > a && (p[b - 1] == ' ' || p[b - 1] == '\t' || p[b - 1] == '\r'))
                                b--;
                        if (!(v = strndup(p + a, b - a)))
                                *oom = true;
                        return v;
                }
                i = end + 1;
        }
        return NULL;
}

int dpkg_status_version(const char *text, size_t size, const char *package, char **ret_version)
{
        size_t i = 0;

        while (i < size) {
                /* A paragraph ends at an empty line. */
                size_t end = i;
                while (end < size && !(text[end] == '\n' && (end + 1 >= size || text[end + 1] == '\n')))
                        end++;
                bool oom = false;
                _cleanup_free_ char *pkg = field(text + i, end - i, "Package", &oom),
                                    *status = field(text + i, end - i, "Status", &oom),
                                    *version = field(text + i, end - i, "Version", &oom);

                if (oom)
                        return -ENOMEM;
                if (pkg && streq(pkg, package) && status && streq(status, "install ok installed") &&
                        version) {
                        *ret_version = dpkg_version_upstream(version);
                        return *ret_version ? 1 : -ENOMEM;
                }
                i = end + 2;
        }
        return 0;
}
