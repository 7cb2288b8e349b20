/* SPDX-License-Identifier: MIT */
#include "leaks/mntns-scan.h"

#include <dirent.h>
#include <sys/stat.h>

#include "leaks/proc-read.h"

void mntns_scan_done(MntnsScan *s)
{
        for (size_t i = 0; i < s->n; i++) {
                free(s->v[i].pids);
                mount_table_done(&s->v[i].mounts);
                free(s->v[i].text);
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

/* The outcome r of reading member k's mountinfo, or -ESRCH when that pid is no longer in ns
 * (the read worked or not): it exited while it was read (a dying task's mountinfo fails with
 * EINVAL), or its pid was reused by a process in another namespace. A read that timed out
 * stays -ETIME: the member's namespace was not waited for. */
static int member_outcome(const char *proc, const MountNamespace *ns, size_t k, int r)
{
        dev_t dev;
        ino_t ino;

        if (r == -ETIME)
                return r;
        if (mntns_of_pid(proc, ns->pids[k], &dev, &ino) < 0 || dev != ns->dev || ino != ns->ino)
                return -ESRCH;
        return r;
}

/* Parses the mountinfo text of ns (read from path) into its table, keeping the mounts under
 * under. Returns -ENOMEM only; a failure is in ns->read_error. */
static int take_text(const char *under, MountNamespace *ns, const char *path, const char *text, size_t size)
{
        int r = mountinfo_parse(text, size, path, under, &ns->mounts, NULL);

        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                mount_table_done(&ns->mounts);
                ns->read_error = r;
                return 0;
        }
        ns->read = true;
        ns->read_error = 0;
        return 0;
}

/* Takes what member k of ns gave when its mountinfo f was read from path: the table (or, when
 * fetching, the text). Returns -ENOMEM only; failures are in ns->read_error. */
static int take_mountinfo(const char *proc, const char *under, bool fetch, MountNamespace *ns, size_t k,
        const char *path, ProcFile *f)
{
        int r = member_outcome(proc, ns, k, f->r);

        ns->read_pid = ns->pids[k];
        if (r < 0) {
                ns->read_error = r;
                return 0;
        }
        if (!fetch)
                return take_text(under, ns, path, f->data, f->size);
        ns->text = TAKE_PTR(f->data);
        ns->text_size = f->size;
        return 0;
}

/* Whether member k of ns is still to be tried: not read yet, and no read timed out (another
 * member would wait on the same lock). */
static bool want_member(const MountNamespace *ns, size_t k)
{
        return !ns->read && !ns->text && ns->read_error != -ETIME && k < ns->n_pids;
}

/* One round: member k of every namespace still unread (and not to skip), all read by one
 * child. */
static int read_round(const char *proc, const char *under, bool fetch, unsigned timeout_ms, MntnsScan *s,
        const bool *skip, size_t k, bool *ret_any)
{
        _cleanup_free_ size_t *idx = calloc(s->n + 1, sizeof(size_t));
        _cleanup_strv_free_ char **pv = NULL;
        _cleanup_free_ ProcFile *files = NULL;
        size_t m = 0;
        int r = 0;

        if (!idx)
                return -ENOMEM;
        for (size_t i = 0; i < s->n; i++)
                if (!(skip && skip[i]) && want_member(&s->v[i], k))
                        idx[m++] = i;
        *ret_any = m > 0;
        if (m == 0)
                return 0;
        pv = calloc(m + 1, sizeof(char *));
        files = calloc(m, sizeof(ProcFile));
        if (!pv || !files)
                return -ENOMEM;
        for (size_t j = 0; j < m; j++)
                if (!(pv[j] = strdupf("%s/%ld/mountinfo", proc, (long) s->v[idx[j]].pids[k])))
                        return -ENOMEM;
        r = proc_read_files((const char *const *) pv, m, timeout_ms, files);
        for (size_t j = 0; r >= 0 && j < m; j++)
                r = take_mountinfo(proc, under, fetch, &s->v[idx[j]], k, pv[j], &files[j]);
        proc_files_done(files, m);
        return r;
}

/* Every round of reads, member 0 of each namespace first, then the next member of those that
 * gave no table. */
static int read_rounds(
        const char *proc, const char *under, bool fetch, unsigned timeout_ms, const bool *skip, MntnsScan *s)
{
        for (size_t k = 0;; k++) {
                bool any;
                int r = read_round(proc, under, fetch, timeout_ms, s, skip, k, &any);

                if (r < 0 || !any)
                        return r;
        }
}

/* The texts of mntns_scan_fetch() parsed (skipped ones dropped, left unread with -ESRCH). */
static int take_fetched(const char *proc, const char *under, const bool *skip, MntnsScan *s)
{
        for (size_t i = 0; i < s->n; i++) {
                MountNamespace *ns = &s->v[i];
                _cleanup_free_ char *text = TAKE_PTR(ns->text), *path = NULL;
                int r;

                if (!text)
                        continue;
                if (skip && skip[i]) {
                        ns->read_error = -ESRCH;
                        continue;
                }
                if (!(path = strdupf("%s/%ld/mountinfo", proc, (long) ns->read_pid)))
                        return -ENOMEM;
                if ((r = take_text(under, ns, path, text, ns->text_size)) < 0)
                        return r;
        }
        return 0;
}

int mntns_scan_read(const char *proc, const char *under, unsigned timeout_ms, const bool *skip, MntnsScan *s)
{
        if (s->fetched)
                return take_fetched(proc, under, skip, s);
        return read_rounds(proc, under, false, timeout_ms, skip, s);
}

int mntns_scan_fetch(const char *proc, unsigned timeout_ms, MntnsScan *s)
{
        int r = read_rounds(proc, NULL, true, timeout_ms, NULL, s);

        if (r >= 0)
                s->fetched = true;
        return r;
}

int mntns_scan(const char *proc, const char *under, bool read_mounts, unsigned timeout_ms, MntnsScan *ret)
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

        for (size_t i = 0; i < s.n; i++)
                s.v[i].read_error = -ESRCH; /* until a member's table is read */
        if (read_mounts && (r = mntns_scan_read(proc, under, timeout_ms, NULL, &s)) < 0) {
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
