/* SPDX-License-Identifier: MIT */
/* kernel.* facts: the release from /proc (uname(2) as fallback), what it says about the
 * mount leak, and the fs.may_detach_mounts sysctl of RHEL/CentOS 7.4+. */
#include <sys/utsname.h>

#include "collect.h"
#include "kernel-release.h"

#define OSRELEASE "/proc/sys/kernel/osrelease"
#define MAY_DETACH "/proc/sys/fs/may_detach_mounts"

static const char *const derived[] = {
        "kernel.version", "kernel.rhel_build", "kernel.el", "kernel.leaks_mounts"};

static bool want(const Facts *f, const char *name, bool force)
{
        return force || !facts_get(f, name);
}

static int derive(Facts *f, bool force)
{
        const Fact *rel = facts_get(f, "kernel.release");
        _cleanup_free_ char *release = NULL, *source = NULL, *why = NULL;
        KernelRelease k = {};
        int r;

        if (!rel || !rel->known) {
                why = strdup(rel ? strempty(rel->reason) : "not collected");
                if (!why)
                        return -ENOMEM;
                for (size_t i = 0; i < ELEMENTSOF(derived); i++)
                        if (want(f, derived[i], force) &&
                                (r = facts_set_unknown(
                                         f, derived[i], "kernel.release is unknown: %s", why)) < 0)
                                return r;
                return 0;
        }
        /* Copies: setting facts may move the array rel points into. */
        release = strdup(rel->str);
        source = rel->source ? strdup(rel->source) : NULL;
        if (!release || (rel->source && !source))
                return -ENOMEM;

        r = kernel_release_parse(release, &k);
        if (r == -EINVAL) {
                for (size_t i = 0; i < ELEMENTSOF(derived); i++)
                        if (want(f, derived[i], force) &&
                                (r = facts_set_unknown(f, derived[i],
                                         "cannot parse kernel release \"%s\" (no leading X.Y version)",
                                         release)) < 0)
                                return r;
                return 0;
        }
        if (r < 0)
                return r;

        if (want(f, "kernel.version", force) &&
                (r = facts_set_version(f, "kernel.version", k.version, source)) < 0)
                goto finish;
        if (want(f, "kernel.rhel_build", force)) {
                r = k.rhel_build ? facts_set_version(f, "kernel.rhel_build", k.rhel_build, source)
                                 : facts_set_unknown(f, "kernel.rhel_build",
                                           "not a RHEL kernel (no .elN dist tag in \"%s\")", release);
                if (r < 0)
                        goto finish;
        }
        /* Known and empty for other kernels, so that kernel.el == "el7" is plainly false. */
        if (want(f, "kernel.el", force) &&
                (r = facts_set_string(f, "kernel.el", strempty(k.el), source)) < 0)
                goto finish;
        if (want(f, "kernel.leaks_mounts", force) &&
                (r = facts_set_bool(f, "kernel.leaks_mounts", k.leaks_mounts, source)) < 0)
                goto finish;
        r = 0;
finish:
        kernel_release_done(&k);
        return r;
}

int kernel_derive_facts(Facts *f)
{
        return derive(f, false);
}

static int collect_release(Facts *f)
{
        _cleanup_free_ char *rel = NULL;
        struct utsname u;
        int r;

        r = read_one_line_file(OSRELEASE, &rel);
        if (r == -ENOMEM)
                return r;
        if (r >= 0 && *strstrip(rel))
                return facts_set_string(f, "kernel.release", strstrip(rel), OSRELEASE);
        if (uname(&u) < 0)
                return facts_set_unknown(f, "kernel.release", "%s: %s; uname(2): %s", OSRELEASE,
                        r < 0 ? strerror(-r) : "empty", strerror(errno));
        return facts_set_string(f, "kernel.release", u.release, "uname(2)");
}

static int collect_may_detach(Facts *f)
{
        _cleanup_free_ char *s = NULL;
        long long v;
        int r;

        r = read_one_line_file(MAY_DETACH, &s);
        if (r == -ENOENT)
                return facts_set_unknown(
                        f, "kernel.may_detach_mounts", "%s: not present on this kernel", MAY_DETACH);
        if (r == -EACCES || r == -EPERM)
                return facts_set_unknown(f, "kernel.may_detach_mounts", "%s: permission denied", MAY_DETACH);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return facts_set_unknown(f, "kernel.may_detach_mounts", "%s: %s", MAY_DETACH, strerror(-r));
        if (safe_atoi64(strstrip(s), &v) < 0)
                return facts_set_unknown(
                        f, "kernel.may_detach_mounts", "%s: not a number: \"%s\"", MAY_DETACH, s);
        return facts_set_number(f, "kernel.may_detach_mounts", v, MAY_DETACH);
}

int collect_kernel(Facts *f, const CollectOptions *o)
{
        int r;

        if (o && o->root) {
                r = facts_set_unknown(
                        f, "kernel.release", "offline: installed kernels are listed by a later version");
                if (r < 0)
                        return r;
                r = facts_set_unknown(f, "kernel.may_detach_mounts",
                        "offline: sysctl values are only known on the running host");
        } else {
                r = collect_release(f);
                if (r < 0)
                        return r;
                r = collect_may_detach(f);
        }
        if (r < 0)
                return r;
        return derive(f, true);
}
