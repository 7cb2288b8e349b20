/* SPDX-License-Identifier: MIT */
/* dockerd.shims_in_unit_cgroup: containerd and its shims run inside the audited unit's
 * cgroup, so the unit's KillMode= reaches them when the unit stops (rule
 * killmode-with-live-restore). That is the case when dockerd started its own containerd:
 * the shims are containerd's children and stay in its cgroup. A containerd run by its own
 * unit (dockerd --containerd=, or dockerd finding /run/containerd/containerd.sock at start)
 * keeps them in that unit's cgroup. The containers themselves are never in the unit's
 * cgroup (cgroup-parent /docker, or docker-ID.scope): they die through their shim.
 *
 * Read from /proc: the unit's cgroup is the one its main process is in (in systemd's
 * hierarchy: name=systemd on a legacy or hybrid host, else the unified one), and every
 * containerd process (containerd, containerd-shim*, docker-containerd* of Docker 17.x) is
 * placed against it. No process to look at (dockerd not running, or --root) gives a value
 * only when dockerd is configured to use another containerd (dockerd.containerd not ""):
 * without that option dockerd decides at start (its own, or the system socket when present). */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>

#include "basic/fileio.h"
#include "collect/collect.h"

#define FACT "dockerd.shims_in_unit_cgroup"

/* The cgroup of pid in systemd's hierarchy, from PROC/PID/cgroup: "N:name=systemd:PATH" when
 * present (legacy, hybrid), else "0::PATH" (unified). -ENODATA when neither line is there. */
static int systemd_cgroup_of(const char *proc, long pid, char **ret)
{
        _cleanup_free_ char *path = strdupf("%s/%ld/cgroup", proc, pid), *text = NULL;
        const char *unified = NULL, *named = NULL;
        char *line, *save = NULL;
        int r;

        if (!path)
                return -ENOMEM;
        if ((r = read_full_file(path, &text, NULL)) < 0)
                return r;
        for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                const char *rest = strchr(line, ':');

                if (!rest)
                        continue;
                if (startswith(rest, ":name=systemd:"))
                        named = rest + strlen(":name=systemd:");
                else if (startswith(line, "0::"))
                        unified = line + 3;
        }
        if (!named && !unified)
                return -ENODATA;
        *ret = strdup(named ? named : unified);
        return *ret ? 0 : -ENOMEM;
}

/* The processes of containerd and of its shims, by their comm (15 bytes at most). */
static bool is_containerd(const char *comm)
{
        return startswith(comm, "containerd") || startswith(comm, "docker-containe");
}

static bool cgroup_at_or_below(const char *cg, const char *top)
{
        const char *rest = startswith(cg, top);

        return rest && (*rest == 0 || *rest == '/' || streq(top, "/"));
}

typedef struct ContainerdSeen {
        long pid; /* the first containerd process found in the unit's cgroup, 0: none */
        char comm[32];
        long other_pid; /* the first found elsewhere, 0: none */
        char other_comm[32];
        char *other_cg;
} ContainerdSeen;

/* The first line of PID/comm under the directory proc_fd, cut to size - 1 bytes (a comm has
 * 15 at most; what is compared and kept is shorter than that). Read for every process, so
 * without read_one_line_file()'s O_PATH reopen: under /proc there are only the kernel's
 * files, and what is not a regular file is still refused. -errno when it cannot be read. */
static int read_comm(int proc_fd, long pid, char *buf, size_t size)
{
        _cleanup_close_ int fd = -1;
        char path[32];
        ssize_t n;
        int r;

        snprintf(path, sizeof path, "%ld/comm", pid);
        fd = openat(proc_fd, path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        if ((r = fd_verify_regular(fd)) < 0)
                return r;
        n = read(fd, buf, size - 1);
        if (n < 0)
                return -errno;
        buf[n] = 0;
        buf[strcspn(buf, "\n")] = 0;
        return 0;
}

/* Looks at one /proc entry: a containerd process is recorded as inside unit_cg or not. A
 * process that exits meanwhile is skipped. */
static int look_at(const char *proc, int proc_fd, long pid, const char *unit_cg, ContainerdSeen *s)
{
        _cleanup_free_ char *cg = NULL;
        char comm[32]; /* as ContainerdSeen keeps it */
        int r;

        if (read_comm(proc_fd, pid, comm, sizeof comm) < 0 || !is_containerd(comm))
                return 0;
        if ((r = systemd_cgroup_of(proc, pid, &cg)) < 0)
                return r == -ENOMEM ? r : 0;
        if (cgroup_at_or_below(cg, unit_cg)) {
                if (s->pid == 0) {
                        s->pid = pid;
                        snprintf(s->comm, sizeof s->comm, "%s", comm);
                }
        } else if (s->other_pid == 0) {
                s->other_pid = pid;
                snprintf(s->other_comm, sizeof s->other_comm, "%s", comm);
                s->other_cg = TAKE_PTR(cg);
        }
        return 0;
}

static int scan_proc(const char *proc, const char *unit_cg, ContainerdSeen *s)
{
        _cleanup_(closedirp) DIR *d = opendir(proc);
        struct dirent *de;
        int r;

        if (!d)
                return -errno;
        while ((de = readdir(d))) {
                char *end;
                long pid = strtol(de->d_name, &end, 10);

                if (*end || pid <= 0 || !isdigit((unsigned char) de->d_name[0]))
                        continue;
                if ((r = look_at(proc, dirfd(d), pid, unit_cg, s)) < 0)
                        return r;
                if (s->pid)
                        break;
        }
        return 0;
}

/* dockerd is running as main_pid: place containerd's processes against its cgroup. */
static int from_processes(Facts *f, const char *proc, long main_pid)
{
        _cleanup_free_ char *unit_cg = NULL, *src = NULL;
        ContainerdSeen s = {};
        int r;

        r = systemd_cgroup_of(proc, main_pid, &unit_cg);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return facts_set_unknown(f, FACT, "%s/%ld/cgroup: %s", proc, main_pid,
                        r == -ENODATA ? "no systemd hierarchy" : read_strerror(r));
        r = scan_proc(proc, unit_cg, &s);
        if (r < 0) {
                free(s.other_cg);
                return r == -ENOMEM ? r : facts_set_unknown(f, FACT, "%s: %s", proc, strerror(-r));
        }
        if (s.pid)
                src = strdupf("%s/%ld/cgroup (%s, in %s)", proc, s.pid, s.comm, unit_cg);
        else if (s.other_pid)
                src = strdupf("%s/%ld/cgroup (%s, in %s, not in %s)", proc, s.other_pid, s.other_comm,
                        s.other_cg, unit_cg);
        free(s.other_cg);
        if (!s.pid && !s.other_pid)
                return facts_set_unknown(f, FACT,
                        "no containerd process in %s (dockerd pid %ld is starting?)", proc, main_pid);
        if (!src)
                return -ENOMEM;
        return facts_set_bool(f, FACT, s.pid != 0, src);
}

/* No process to look at: only a configured containerd decides. */
static int from_configuration(Facts *f, const char *why)
{
        const Fact *c = facts_get(f, "dockerd.containerd");
        _cleanup_free_ char *src = NULL;

        if (c && c->known && c->type == FACT_STRING && c->str && c->str[0]) {
                src = strdupf("dockerd uses the containerd at %s (%s)", c->str, strempty(c->source));
                if (!src)
                        return -ENOMEM;
                return facts_set_bool(f, FACT, false, src);
        }
        return facts_set_unknown(f, FACT,
                "%s: without --containerd, dockerd picks its containerd when it starts (its own, in "
                "the unit's cgroup, or /run/containerd/containerd.sock when that exists)",
                why);
}

int collect_cgroups_proc(Facts *f, const CollectOptions *o, const char *proc)
{
        const Fact *m = facts_get(f, "unit.main_pid");
        _cleanup_free_ char *why = NULL;

        if (o->root)
                return from_configuration(f, "offline (--root): no processes to look at");
        if (m && m->known && m->type == FACT_NUMBER && m->num > 0)
                return from_processes(f, proc, (long) m->num);
        if (m && m->known)
                why = strdupf("%s is not running", o->unit);
        else
                why = strdupf("the main pid of %s is not known (%s)", o->unit,
                        m ? strempty(m->reason) : "not collected");
        if (!why)
                return -ENOMEM;
        return from_configuration(f, why);
}

int collect_cgroups(Facts *f, const CollectOptions *o)
{
        return collect_cgroups_proc(f, o, "/proc");
}
