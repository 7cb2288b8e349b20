/* SPDX-License-Identifier: MIT */
#include "leaks/mntns-scan.h"

#include <dirent.h>
#include <sys/stat.h>

void mntns_scan_done(MntnsScan *s)
{
        for (size_t i = 0; i < s->n; i++) {
                free(s->v[i].pids);
                mount_table_done(&s->v[i].mounts);
        }
        free(s->v);
        *s = (MntnsScan){};
}

typedef struct Member {
        dev_t dev;
        ino_t ino;
        pid_t pid;
} Member;

static int member_cmp(const void *a, const void *b)
{
        const Member *x = a, *y = b;

        if (x->dev != y->dev)
                return x->dev < y->dev ? -1 : 1;
        if (x->ino != y->ino)
                return x->ino < y->ino ? -1 : 1;
        return x->pid < y->pid ? -1 : x->pid > y->pid;
}

int mntns_of_pid(const char *proc, pid_t pid, dev_t *ret_dev, ino_t *ret_ino)
{
        char path[128];
        struct stat st;

        if ((size_t) snprintf(path, sizeof path, "%s/%ld/ns/mnt", proc, (long) pid) >= sizeof path)
                return -ENAMETOOLONG;
        if (stat(path, &st) < 0)
                return -errno;
        *ret_dev = st.st_dev;
        *ret_ino = st.st_ino;
        return 0;
}

static bool parse_pid(const char *s, pid_t *ret)
{
        long v = 0;

        if (!*s)
                return false;
        for (; *s; s++) {
                if (*s < '0' || *s > '9' || v > 100000000)
                        return false;
                v = v * 10 + (*s - '0');
        }
        *ret = (pid_t) v;
        return v > 0;
}

static void closedirp(DIR **d)
{
        if (*d)
                closedir(*d);
}

/* Reads ns's mount table through its first member still alive. */
static int read_namespace(const char *proc, const char *under, MountNamespace *ns)
{
        int r = -ESRCH;

        for (size_t i = 0; i < ns->n_pids; i++) {
                char path[128];
                dev_t dev;
                ino_t ino;

                (void) snprintf(path, sizeof path, "%s/%ld/mountinfo", proc, (long) ns->pids[i]);
                r = mountinfo_read(path, under, &ns->mounts, NULL);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        continue;
                /* The pid may have been reused by a process in another namespace meanwhile. */
                if (mntns_of_pid(proc, ns->pids[i], &dev, &ino) < 0 || dev != ns->dev || ino != ns->ino) {
                        mount_table_done(&ns->mounts);
                        r = -ESRCH;
                        continue;
                }
                ns->read = true;
                return 0;
        }
        ns->read_error = r;
        return 0;
}

int mntns_scan(const char *proc, const char *under, bool read_mounts, MntnsScan *ret)
{
        _cleanup_(closedirp) DIR *d = opendir(proc);
        _cleanup_free_ Member *m = NULL;
        size_t n = 0, cap = 0;
        MntnsScan s = {};
        struct dirent *de;
        int r;

        if (!d)
                return -errno;
        while ((de = readdir(d))) {
                Member x;

                if (!parse_pid(de->d_name, &x.pid))
                        continue;
                s.n_processes++;
                r = mntns_of_pid(proc, x.pid, &x.dev, &x.ino);
                if (r == -ENOENT || r == -ESRCH)
                        continue; /* exited meanwhile */
                if (r < 0) {
                        s.n_inaccessible++;
                        continue;
                }
                if (n == cap) {
                        size_t c = cap ? cap * 2 : 256;
                        Member *v = realloc(m, c * sizeof *v);

                        if (!v)
                                return -ENOMEM;
                        m = v;
                        cap = c;
                }
                m[n++] = x;
        }
        if (n > 0)
                qsort(m, n, sizeof *m, member_cmp);

        for (size_t i = 0; i < n;) {
                size_t j = i;
                MountNamespace *ns;

                while (j < n && m[j].dev == m[i].dev && m[j].ino == m[i].ino)
                        j++;
                if (s.n % 64 == 0) {
                        MountNamespace *v = realloc(s.v, (s.n + 64) * sizeof *v);

                        if (!v) {
                                mntns_scan_done(&s);
                                return -ENOMEM;
                        }
                        s.v = v;
                }
                ns = &s.v[s.n++];
                *ns = (MountNamespace){.dev = m[i].dev, .ino = m[i].ino};
                ns->pids = malloc((j - i) * sizeof(pid_t));
                if (!ns->pids) {
                        mntns_scan_done(&s);
                        return -ENOMEM;
                }
                for (size_t k = i; k < j; k++)
                        ns->pids[ns->n_pids++] = m[k].pid;
                i = j;
        }

        if (read_mounts)
                for (size_t i = 0; i < s.n; i++)
                        if ((r = read_namespace(proc, under, &s.v[i])) < 0) {
                                mntns_scan_done(&s);
                                return r;
                        }
        *ret = s;
        return 0;
}

const MountNamespace *mntns_scan_find(const MntnsScan *s, dev_t dev, ino_t ino)
{
        size_t lo = 0, hi = s->n;

        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                const MountNamespace *ns = &s->v[mid];

                if (ns->dev == dev && ns->ino == ino)
                        return ns;
                if (ns->dev < dev || (ns->dev == dev && ns->ino < ino))
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return NULL;
}

const MountNamespace *mntns_scan_find_pid(const MntnsScan *s, pid_t pid)
{
        for (size_t i = 0; i < s->n; i++)
                for (size_t k = 0; k < s->v[i].n_pids; k++)
                        if (s->v[i].pids[k] == pid)
                                return &s->v[i];
        return NULL;
}
