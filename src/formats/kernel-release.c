/* SPDX-License-Identifier: MIT */
#include "formats/kernel-release.h"

#include <ctype.h>

#include "basic/vercmp.h"

void kernel_release_done(KernelRelease *k)
{
        free(k->version);
        free(k->rhel_build);
        free(k->el);
        free(k->dist_tag);
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

/* The Red Hat kernel line of each EL major: its kernels (and their rebuilds: CentOS, Scientific,
 * Oracle's RHCK, Rocky, Alma) are "BASE-N...elX". Other vendors' kernels packaged for EL carry the
 * same dist tag on another mainline version (ELRepo kernel-lt/kernel-ml "4.4.1-1.el7.elrepo",
 * the CentOS Virt SIG's 4.9 kernels): the tag alone does not make a Red Hat kernel. */
static const struct {
        const char *el, *base;
} rhel_lines[] = {
        {"el5", "2.6.18"},
        {"el6", "2.6.32"},
        {"el7", "3.10.0"},
        {"el8", "4.18.0"},
        {"el9", "5.14.0"},
        {"el10", "6.12.0"},
};

static bool is_rhel_line(const char *version, const char *el)
{
        for (size_t i = 0; i < ELEMENTSOF(rhel_lines); i++)
                if (streq(rhel_lines[i].el, el))
                        return streq(rhel_lines[i].base, version);
        return false;
}

/* "rt56" of RHEL's kernel-rt ("3.10.0-693.17.1.rt56.636.el7"): its build is the part before it. */
static bool is_rt_component(const char *c, size_t len)
{
        return len > 2 && c[0] == 'r' && c[1] == 't' && span_digits(c + 2) == len - 2;
}

/* s points after '-': digit components (the build, "rtNN.M" of kernel-rt skipped), then the el
 * tag. Sets k->dist_tag and the build when the tag is found. */
static int parse_dist(const char *s, KernelRelease *k, char **ret_build)
{
        const char *p = s, *build_end = NULL;

        for (;;) {
                size_t len = strcspn(p, "."), el;

                if (len == 0)
                        return 0;
                if (span_digits(p) == len || (p != s && !build_end && is_rt_component(p, len))) {
                        if (!build_end && span_digits(p) != len)
                                build_end = p - 1;
                        if (p[len] != '.')
                                return 0;
                        p += len + 1;
                        continue;
                }
                el = el_tag_length(p, len);
                if (el == 0 || p == s)
                        return 0;
                if (!build_end)
                        build_end = p - 1;
                *ret_build = strndup(s, (size_t) (build_end - s));
                k->dist_tag = strndup(p, el);
                return *ret_build && k->dist_tag ? 0 : -ENOMEM;
        }
}

int kernel_release_parse(const char *release, KernelRelease *ret)
{
        _cleanup_(kernel_release_done) KernelRelease k = {};
        _cleanup_free_ char *build = NULL;
        size_t n = mainline_length(release);
        int r;

        if (n == 0)
                return -EINVAL;
        k.version = strndup(release, n);
        if (!k.version)
                return -ENOMEM;
        if (release[n] == '-' && (r = parse_dist(release + n + 1, &k, &build)) < 0)
                return r;
        if (k.dist_tag && is_rhel_line(k.version, k.dist_tag)) {
                k.rhel_build = TAKE_PTR(build);
                k.el = strdup(k.dist_tag);
                if (!k.el)
                        return -ENOMEM;
        }
        /* Only the RHEL 7 line has the 3.18 fix backported (7.4, build 693, behind
         * fs.may_detach_mounts); every other kernel has it from its mainline version. */
        if (k.el && streq(k.el, "el7"))
                k.leaks_mounts = rpmvercmp(k.rhel_build, KERNEL_RHEL7_FIXED_BUILD) < 0;
        else
                k.leaks_mounts = rpmvercmp(k.version, KERNEL_MAINLINE_FIXED) < 0;
        *ret = k;
        k = (KernelRelease){};
        return 0;
}
