/* SPDX-License-Identifier: MIT */
/* ns.* facts: the mount namespaces of the service manager and of dockerd. */
#include <limits.h>

#include "collect/collect.h"

/* Sets name to the target of /proc/PID/ns/mnt ("mnt:[4026531841]"). Returns 1 when known. */
static int read_ns(Facts *f, const char *name, pid_t pid)
{
        _cleanup_free_ char *path = strdupf("/proc/%ld/ns/mnt", (long) pid);
        char buf[PATH_MAX];
        ssize_t n;
        int r;

        if (!path)
                return -ENOMEM;
        n = readlink(path, buf, sizeof buf - 1);
        if (n < 0) {
                int e = errno;

                if (e == EACCES || e == EPERM)
                        r = facts_set_unknown(f, name, "%s: permission denied (run as root)", path);
                else if (e == ENOENT)
                        r = facts_set_unknown(f, name, "%s: no such process", path);
                else
                        r = facts_set_unknown(f, name, "%s: %s", path, strerror(e));
                return r < 0 ? r : 0;
        }
        buf[n] = 0;
        r = facts_set_string(f, name, buf, path);
        return r < 0 ? r : 1;
}

int collect_namespaces(Facts *f, pid_t manager_pid, pid_t dockerd_pid)
{
        int rm, rd, r;
        const Fact *m, *d;
        _cleanup_free_ char *src = NULL, *why = NULL;

        rm = read_ns(f, "ns.manager_mnt", manager_pid);
        if (rm < 0)
                return rm;
        if (dockerd_pid <= 0) {
                r = facts_set_unknown(f, "ns.dockerd_mnt", "dockerd is not running");
                if (r >= 0)
                        r = facts_set_unknown(f, "ns.dockerd_private", "dockerd is not running");
                return r;
        }
        rd = read_ns(f, "ns.dockerd_mnt", dockerd_pid);
        if (rd < 0)
                return rd;
        m = facts_get(f, "ns.manager_mnt");
        d = facts_get(f, "ns.dockerd_mnt");
        if (rm == 0 || rd == 0) {
                why = strdup(rm == 0 ? strempty(m->reason) : strempty(d->reason));
                if (!why)
                        return -ENOMEM;
                return facts_set_unknown(f, "ns.dockerd_private", "%s", why);
        }
        src = strdupf("%s vs %s", d->source, m->source);
        if (!src)
                return -ENOMEM;
        return facts_set_bool(f, "ns.dockerd_private", !streq(m->str, d->str), src);
}
