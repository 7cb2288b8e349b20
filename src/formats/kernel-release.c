/* SPDX-License-Identifier: MIT */
#include "formats/kernel-release.h"

#include <ctype.h>

#include "basic/vercmp.h"

void kernel_release_done(KernelRelease *k)
{
        free(k->version);
        free(k->rhel_build);
        free(k->el);
        *k = (KernelRelease){};
}

static size_t span_digits(const char *s)
{
        size_t n = 0;

        while (isdigit((unsigned char) s[n]))
                n++;
        return n;
}

/* Length of the leading "X.Y[.Z]", 0 if there is none. */
static size_t mainline_length(const char *s)
{
        size_t n = span_digits(s), d;

        if (n == 0 || s[n] != '.')
                return 0;
        d = span_digits(s + n + 1);
        if (d == 0)
                return 0;
        n += 1 + d;
        if (s[n] == '.' && (d = span_digits(s + n + 1)) > 0)
                n += 1 + d;
        return n;
}

/* "el7" or "el7_4" as a whole component of length len: returns the length of "elN", else 0. */
static size_t el_tag_length(const char *c, size_t len)
{
        size_t n, m;

        if (len < 3 || c[0] != 'e' || c[1] != 'l')
                return 0;
        n = 2 + span_digits(c + 2);
        if (n == 2)
                return 0;
        if (n == len)
                return n;
        if (c[n] != '_')
                return 0;
        m = span_digits(c + n + 1);
        return m > 0 && n + 1 + m == len ? n : 0;
}

static int parse_rhel(const char *s, KernelRelease *k)
{
        const char *p = s;

        /* s points after '-': digits components, then the el tag. */
        for (;;) {
                size_t len = strcspn(p, "."), el;

                if (len == 0)
                        return 0;
                if (span_digits(p) == len) {
                        if (p[len] != '.')
                                return 0;
                        p += len + 1;
                        continue;
                }
                el = el_tag_length(p, len);
                if (el == 0 || p == s)
                        return 0;
                k->rhel_build = strndup(s, (size_t) (p - s - 1));
                k->el = strndup(p, el);
                if (!k->rhel_build || !k->el)
                        return -ENOMEM;
                return 0;
        }
}

int kernel_release_parse(const char *release, KernelRelease *ret)
{
        KernelRelease k = {};
        size_t n = mainline_length(release);
        int r;

        if (n == 0)
                return -EINVAL;
        k.version = strndup(release, n);
        if (!k.version)
                return -ENOMEM;
        if (release[n] == '-') {
                r = parse_rhel(release + n + 1, &k);
                if (r < 0) {
                        kernel_release_done(&k);
                        return r;
                }
        }
        if (k.el && streq(k.el, "el7"))
                k.leaks_mounts = rpmvercmp(k.rhel_build, KERNEL_RHEL7_FIXED_BUILD) < 0;
        else
                k.leaks_mounts = rpmvercmp(k.version, KERNEL_MAINLINE_FIXED) < 0;
        *ret = k;
        return 0;
}
