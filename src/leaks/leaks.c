/* SPDX-License-Identifier: MIT */
#include "leaks/leaks.h"

#include "leaks/leaks-dockerd.h"
#include "leaks/proc-read.h"

void leak_report_done(LeakReport *r)
{
        for (size_t i = 0; i < r->n_leaks; i++) {
                free(r->leaks[i].mount_point);
                free(r->leaks[i].fstype);
                free(r->leaks[i].key);
                free(r->leaks[i].container_id);
                free(r->leaks[i].container_name);
                free(r->leaks[i].container_state);
        }
        free(r->leaks);
        for (size_t i = 0; i < r->n_namespaces; i++) {
                for (size_t k = 0; k < r->namespaces[i].n_holders; k++) {
                        free(r->namespaces[i].holders[k].comm);
                        free(r->namespaces[i].holders[k].unit);
                }
                free(r->namespaces[i].holders);
        }
        free(r->namespaces);
        for (size_t i = 0; i < r->n_skipped; i++)
                free(r->skipped[i].reason);
        free(r->skipped);
        strv_free(r->problems);
        free(r->reference);
        free(r->root_dir);
        *r = (LeakReport){};
}

/* Splits rel ("a/b/c") into at most n components; returns how many there were (may be > n). */
static size_t split_path(const char *rel, const char **c, size_t *len, size_t n)
{
        size_t k = 0;

        while (*rel) {
                size_t l = strcspn(rel, "/");

                if (l > 0) {
                        if (k < n) {
                                c[k] = rel;
                                len[k] = l;
                        }
                        k++;
                }
                rel += l;
                if (*rel == '/')
                        rel++;
        }
        return k;
}

static bool comp_eq(const char *c, size_t len, const char *s)
{
        return strlen(s) == len && memcmp(c, s, len) == 0;
}

const char *leak_classify(const char *root, const char *mount_point, char **ret_key)
{
        /* The per-driver layouts of moby's daemon/graphdriver and the containerd snapshotter
         * store: DRIVER/ID/merged, DRIVER/mnt/ID, containers/ID/mounts/NAME, ... */
        static const char *const merged_drivers[] = {"overlay", "overlay2", "fuse-overlayfs"};
        static const char *const mnt_drivers[] = {"devicemapper", "aufs"};
        const char *rel, *c[5];
        size_t len[5], n, r = strlen(root);
        const char *kind = NULL;
        size_t key = 0;

        while (r > 1 && root[r - 1] == '/')
                r--;
        if (strncmp(mount_point, root, r) != 0 || mount_point[r] != '/')
                return NULL;
        rel = mount_point + r + 1;
        n = split_path(rel, c, len, ELEMENTSOF(c));
        for (size_t i = 0; i < n && i < ELEMENTSOF(c); i++)
                if (comp_eq(c[i], len[i], "..") || comp_eq(c[i], len[i], "."))
                        return NULL;

        if (n == 3 && comp_eq(c[2], len[2], "merged")) {
                for (size_t i = 0; i < ELEMENTSOF(merged_drivers); i++)
                        if (comp_eq(c[0], len[0], merged_drivers[i]))
                                kind = "rootfs", key = 1;
        } else if (n == 3 && comp_eq(c[1], len[1], "mnt")) {
                for (size_t i = 0; i < ELEMENTSOF(mnt_drivers); i++)
                        if (comp_eq(c[0], len[0], mnt_drivers[i]))
                                kind = "rootfs", key = 2;
        } else if (n == 3 && comp_eq(c[0], len[0], "btrfs") && comp_eq(c[1], len[1], "subvolumes"))
                kind = "rootfs", key = 2;
        else if (n == 3 && comp_eq(c[0], len[0], "zfs") && comp_eq(c[1], len[1], "graph"))
                kind = "rootfs", key = 2;
        else if (n == 3 && comp_eq(c[0], len[0], "rootfs")) /* containerd image store */
                kind = "rootfs", key = 2;
        else if (n == 4 && comp_eq(c[0], len[0], "containers") && comp_eq(c[2], len[2], "mounts"))
                kind = comp_eq(c[3], len[3], "shm") ? "shm" : "container-mount", key = 1;
        else if (n == 3 && comp_eq(c[0], len[0], "volumes") && comp_eq(c[2], len[2], "_data"))
                kind = "volume", key = 1;
        if (!kind)
                return NULL;
        if (ret_key) {
                *ret_key = strndup(c[key], len[key]);
                if (!*ret_key)
                        return NULL;
        }
        return kind;
}

int cgroup_text_to_unit(const char *text, char **ret)
{
        static const char *const suffixes[] = {".service", ".scope", ".socket", ".mount", ".swap"};
        const char *best = NULL, *p = text;

        /* cgroup v2 "0::/path" or v1 "N:name=systemd:/path"; v2 wins when both are there. */
        while (*p) {
                size_t l = strcspn(p, "\n");
                const char *path = NULL;

                if (l > 3 && strncmp(p, "0::", 3) == 0)
                        path = p + 3;
                else {
                        const char *c = memchr(p, ':', l);

                        if (c && (size_t) (c - p) + 14 <= l && strncmp(c + 1, "name=systemd:", 13) == 0 &&
                                !best)
                                path = c + 14;
                }
                if (path) {
                        size_t plen = (size_t) (p + l - path);
                        const char *found = NULL;
                        size_t flen = 0;

                        for (const char *q = path; q < path + plen;) {
                                size_t cl = strcspn(q, "/\n");

                                for (size_t s = 0; s < ELEMENTSOF(suffixes); s++) {
                                        size_t sl = strlen(suffixes[s]);

                                        if (cl > sl && memcmp(q + cl - sl, suffixes[s], sl) == 0) {
                                                found = q;
                                                flen = cl;
                                        }
                                }
                                q += cl;
                                if (*q == '/')
                                        q++;
                        }
                        if (found) {
                                char *u = strndup(found, flen);

                                if (!u)
                                        return -ENOMEM;
                                free((char *) best);
                                best = u;
                                if (strncmp(p, "0::", 3) == 0)
                                        break;
                        }
                }
                p += l;
                if (*p == '\n')
                        p++;
        }
        *ret = (char *) best;
        return 0;
}

/* Fills h from its comm and cgroup files as proc_read_files() read them: "?" for a comm
 * that could not be read (the process exited, or the read took too long), no unit then. */
static int set_holder(LeakHolder *h, const ProcFile *comm, const ProcFile *cgroup)
{
        h->comm = comm->r >= 0 ? strndup(comm->data, strcspn(comm->data, "\n")) : strdup("?");
        if (!h->comm)
                return -ENOMEM;
        return cgroup->r >= 0 ? cgroup_text_to_unit(cgroup->data, &h->unit) : 0;
}

/* The comm and unit of every holder, read by one child within the budget of each file (a
 * cgroup read waits for the cgroup lock). */
static int read_holders(const LeakOptions *o, const char *proc, LeakReport *rep)
{
        _cleanup_strv_free_ char **paths = NULL;
        _cleanup_free_ ProcFile *files = NULL;
        size_t n = 0, j = 0;
        int r;

        for (size_t i = 0; i < rep->n_namespaces; i++)
                n += rep->namespaces[i].n_holders;
        paths = calloc(2 * n + 1, sizeof(char *));
        files = calloc(2 * n + 1, sizeof(ProcFile));
        if (!paths || !files)
                return -ENOMEM;
        for (size_t i = 0; i < rep->n_namespaces; i++)
                for (size_t k = 0; k < rep->namespaces[i].n_holders; k++) {
                        long pid = (long) rep->namespaces[i].holders[k].pid;

                        if (!(paths[j++] = strdupf("%s/%ld/comm", proc, pid)) ||
                                !(paths[j++] = strdupf("%s/%ld/cgroup", proc, pid)))
                                return -ENOMEM;
                }
        r = proc_read_files((const char *const *) paths, 2 * n, o->read_timeout_ms, files);
        j = 0;
        for (size_t i = 0; r >= 0 && i < rep->n_namespaces; i++)
                for (size_t k = 0; r >= 0 && k < rep->namespaces[i].n_holders; k++, j += 2)
                        r = set_holder(&rep->namespaces[i].holders[k], &files[j], &files[j + 1]);
        proc_files_done(files, 2 * n);
        return r;
}

/* The mount of the reference namespace at path (the topmost one), or NULL. */
static const MountEntry *ref_mount(const MountTable *t, const char *path)
{
        for (size_t i = t->n; i > 0; i--)
                if (streq(t->v[i - 1].mount_point, path))
                        return &t->v[i - 1];
        return NULL;
}

/* A copy that receives dockerd's unmounts through propagation goes away with the original:
 * not a leak. */
static bool follows_reference(const MountTable *ref, const MountEntry *e)
{
        const MountEntry *re = ref_mount(ref, e->mount_point);

        return re && re->shared && (e->shared == re->shared || e->master == re->shared);
}

/* Whether a leak of this kind names its container by id in its key. */
static bool key_names_container(const char *kind, const char *key)
{
        return key && (streq(kind, "shm") || streq(kind, "container-mount") || streq(kind, "rootfs"));
}

static const DockerContainer *match_by_id(
        const DockerContainer *c, size_t n, const char *kind, const char *key)
{
        for (size_t i = 0; key_names_container(kind, key) && i < n; i++)
                if (streq(c[i].id, key))
                        return &c[i];
        return NULL;
}

static const DockerContainer *match_container(
        const LeakOptions *o, const char *kind, const char *key, const char *mount_point)
{
        for (size_t i = 0; i < o->n_containers; i++)
                for (char **d = o->containers[i].mount_dirs; d && *d; d++)
                        if (streq(*d, mount_point))
                                return &o->containers[i];
        return match_by_id(o->containers, o->n_containers, kind, key);
}

static int leak_set_container(Leak *l, const DockerContainer *c)
{
        if (!(l->container_id = strdup(c->id)) || !(l->container_name = strdup(c->name)) ||
                !(l->container_state = strdup(c->state)))
                return -ENOMEM;
        return 0;
}

static int leak_cmp(const void *a, const void *b)
{
        const Leak *x = a, *y = b;
        int c;

        if (!x->container_id != !y->container_id)
                return x->container_id ? -1 : 1;
        if (x->container_id && (c = strcmp(x->container_name, y->container_name)) != 0)
                return c;
        if (x->container_id && (c = strcmp(x->container_id, y->container_id)) != 0)
                return c;
        if (!x->container_id && (c = strcmp(x->key, y->key)) != 0)
                return c;
        if (x->ns != y->ns)
                return x->ns < y->ns ? -1 : 1;
        return strcmp(x->mount_point, y->mount_point);
}

/* Marks the namespaces of the running containers (their init's): one stat() per container. */
static bool *container_namespaces(const LeakOptions *o, const char *proc, const MntnsScan *scan)
{
        bool *v = calloc(scan->n + 1, sizeof(bool));

        for (size_t i = 0; v && i < o->n_containers; i++) {
                const MountNamespace *ns;
                dev_t dev;
                ino_t ino;

                if (o->containers[i].pid <= 0 || o->containers[i].pid > INT32_MAX ||
                        mntns_of_pid(proc, (pid_t) o->containers[i].pid, &dev, &ino) < 0)
                        continue;
                ns = mntns_scan_find(scan, dev, ino);
                if (ns)
                        v[ns - scan->v] = true;
        }
        return v;
}

/* Appends a leak; takes key (freed on failure too). */
static int add_leak(LeakReport *rep, size_t *cap, const LeakOptions *o, const MountEntry *e,
        const char *kind, char *key, size_t ns)
{
        const DockerContainer *c = match_container(o, kind, key, e->mount_point);
        Leak *l;

        if (rep->n_leaks == *cap) {
                size_t nc = *cap ? *cap * 2 : 64;
                Leak *v = realloc(rep->leaks, nc * sizeof *v);

                if (!v) {
                        free(key);
                        return -ENOMEM;
                }
                rep->leaks = v;
                *cap = nc;
        }
        l = &rep->leaks[rep->n_leaks++];
        *l = (Leak){.kind = kind, .key = key, .ns = ns};
        if (!(l->mount_point = strdup(e->mount_point)) || !(l->fstype = strdup(e->fstype)))
                return -ENOMEM;
        return c ? leak_set_container(l, c) : 0;
}

/* Appends ns with its processes as holders (their names are read later, all at once). On
 * failure what was added is freed with rep. */
static int add_namespace(LeakReport *rep, const MountNamespace *ns)
{
        LeakNamespace *v = realloc(rep->namespaces, (rep->n_namespaces + 1) * sizeof *v), *ln;

        if (!v)
                return -ENOMEM;
        rep->namespaces = v;
        ln = &v[rep->n_namespaces++];
        *ln = (LeakNamespace){.dev = ns->dev, .ino = ns->ino};
        ln->holders = calloc(ns->n_pids, sizeof *ln->holders);
        if (!ln->holders)
                return -ENOMEM;
        for (size_t k = 0; k < ns->n_pids; k++)
                ln->holders[k].pid = ns->pids[k];
        ln->n_holders = ns->n_pids;
        return 0;
}

/* The dockerds of the scan: dockerd[i] is a dockerd pid in namespace i (0: none), owner[i] one
 * that has files under the root open. */
typedef struct DockerdScan {
        pid_t *dockerd, *owner;
        size_t n_owners; /* namespaces with an owner */
        size_t n_unknown; /* processes whose executable could not be read */
} DockerdScan;

static void dockerd_scan_done(DockerdScan *d)
{
        free(d->dockerd);
        free(d->owner);
}

/* Looks for dockerds among the processes of the namespaces with only[i] set (all when only
 * is NULL). */
static int dockerd_scan(
        const char *proc, const MntnsScan *scan, const char *root_dir, const bool *only, DockerdScan *d)
{
        d->dockerd = calloc(scan->n + 1, sizeof(pid_t));
        d->owner = calloc(scan->n + 1, sizeof(pid_t));
        if (!d->dockerd || !d->owner)
                return -ENOMEM;
        for (size_t i = 0; i < scan->n; i++)
                for (size_t k = 0; (!only || only[i]) && k < scan->v[i].n_pids; k++) {
                        pid_t pid = scan->v[i].pids[k];
                        int r = leaks_pid_is_dockerd(proc, pid);

                        if (r == -ENOMEM)
                                return r;
                        d->n_unknown += r < 0;
                        if (r <= 0)
                                continue;
                        if (!d->dockerd[i])
                                d->dockerd[i] = pid;
                        if (!d->owner[i] && leaks_pid_holds_under(proc, pid, root_dir)) {
                                d->owner[i] = pid;
                                d->n_owners++;
                        }
                }
        return 0;
}

/* Why dockerd's namespace cannot be told without --dockerd-pid in *ret, or NULL (then no
 * dockerd of this root is running: our own namespace is the reference). */
static int dockerd_unknown_why(const MntnsScan *scan, const DockerdScan *d, const char *root_dir, char **ret)
{
        *ret = NULL;
        if (d->n_owners == 1)
                return 0;
        if (d->n_owners > 1)
                *ret = strdupf("%zu mount namespaces hold a dockerd with files under %s open", d->n_owners,
                        root_dir);
        else {
                for (size_t i = 0; !*ret && i < scan->n; i++)
                        if (d->dockerd[i] && (!scan->v[i].read || scan->v[i].mounts.n > 0) &&
                                !(*ret = strdupf(
                                          "no dockerd has files under %s open, but dockerd (pid %ld) in "
                                          "mnt:[%lu] has mounts there or could not be read",
                                          root_dir, (long) d->dockerd[i], (unsigned long) scan->v[i].ino)))
                                return -ENOMEM;
                if (!*ret && d->n_unknown + (geteuid() != 0 ? scan->n_inaccessible : 0) > 0)
                        *ret = strdupf("%zu processes could not be checked for dockerd (run as root)",
                                d->n_unknown + (geteuid() != 0 ? scan->n_inaccessible : 0));
                else if (!*ret)
                        return 0;
        }
        return *ret ? 0 : -ENOMEM;
}

/* Chooses the reference namespace: dockerd's (the pid given, or the one dockerd with files
 * under the root open), else our own; says how in rep->reference and, when dockerd's is not
 * known for certain, why in rep->problems. */
static int choose_reference(const LeakOptions *o, const char *proc, const MntnsScan *scan,
        const DockerdScan *d, LeakReport *rep, char **ret_error)
{
        _cleanup_free_ char *why = NULL;
        pid_t pid = o->dockerd_pid;
        int r;

        for (size_t i = 0; pid <= 0 && d->n_owners == 1 && i < scan->n; i++)
                if (d->owner[i])
                        pid = d->owner[i];
        if (pid <= 0 && (r = dockerd_unknown_why(scan, d, o->root_dir, &why)) < 0)
                return r;
        r = mntns_of_pid(proc, pid > 0 ? pid : getpid(), &rep->ref_dev, &rep->ref_ino);
        if (r < 0)
                return error_setf(ret_error, r, "%s/%ld/ns/mnt: %s", proc, (long) (pid > 0 ? pid : getpid()),
                        strerror(-r));
        rep->dockerd_known = !why;
        rep->dockerd_pid = pid > 0 ? pid : 0;
        if (o->dockerd_pid > 0)
                rep->reference = strdupf(
                        "dockerd's namespace mnt:[%lu] (pid %ld)", (unsigned long) rep->ref_ino, (long) pid);
        else if (pid > 0)
                rep->reference = strdupf("dockerd's namespace mnt:[%lu] (pid %ld, with files under %s open)",
                        (unsigned long) rep->ref_ino, (long) pid, o->root_dir);
        else if (!why)
                rep->reference = strdupf("no dockerd has files under %s open: our own namespace mnt:[%lu]",
                        o->root_dir, (unsigned long) rep->ref_ino);
        else
                rep->reference = strdupf("our own namespace mnt:[%lu] (dockerd's is not known)",
                        (unsigned long) rep->ref_ino);
        if (!rep->reference)
                return -ENOMEM;
        if (why &&
                strv_consume(&rep->problems,
                        strdupf("dockerd's mount namespace is not known: %s; pass --dockerd-pid", why)) < 0)
                return -ENOMEM;
        return 0;
}

/* Records that ns was not judged (its mounts are not reported as leaks), and why. */
static int add_skip(LeakReport *rep, const MountNamespace *ns, pid_t pid, char *reason)
{
        _cleanup_free_ char *why = reason;
        LeakSkip *v;

        if (!why)
                return -ENOMEM;
        v = realloc(rep->skipped, (rep->n_skipped + 1) * sizeof *v);
        if (!v)
                return -ENOMEM;
        rep->skipped = v;
        if (strv_consume(&rep->problems, strdupf("mnt:[%lu] (pid %ld) not judged: %s",
                                                 (unsigned long) ns->ino, (long) pid, why)) < 0)
                return -ENOMEM;
        v[rep->n_skipped++] =
                (LeakSkip){.dev = ns->dev, .ino = ns->ino, .pid = pid, .reason = TAKE_PTR(why)};
        return 0;
}

/* A namespace not read: skipped with the reason, unless all its processes are gone. */
static int skip_unread(const LeakOptions *o, const char *proc, const MountNamespace *ns, LeakReport *rep)
{
        unsigned ms = o->read_timeout_ms ? o->read_timeout_ms : PROC_READ_TIMEOUT_MS;

        if (ns->read_error == -ESRCH || ns->read_error == -ENOENT)
                return 0;
        if (ns->read_error == -ETIME)
                return add_skip(rep, ns, ns->read_pid,
                        strdupf("reading %s/%ld/mountinfo took longer than %u ms", proc, (long) ns->read_pid,
                                ms));
        return add_skip(rep, ns, ns->read_pid,
                strdupf("%s/%ld/mountinfo: %s", proc, (long) ns->read_pid, strerror(-ns->read_error)));
}

/* The mounts of ns under the root that are not in step with the reference. */
static size_t count_candidates(const LeakOptions *o, const MountNamespace *ref, const MountNamespace *ns)
{
        size_t n = 0;

        for (size_t k = 0; k < ns->mounts.n; k++)
                n += leak_classify(o->root_dir, ns->mounts.v[k].mount_point, NULL) &&
                     !follows_reference(&ref->mounts, &ns->mounts.v[k]);
        return n;
}

/* The leaks of one scanned namespace (none in the reference namespace, a container's or a
 * dockerd's). */
static int find_in_namespace(const LeakOptions *o, const char *proc, const MountNamespace *ref,
        const MountNamespace *ns, bool container, pid_t dockerd, LeakReport *rep, size_t *cap)
{
        bool any = false;
        size_t n;
        int r;

        if (ns == ref || container)
                return 0;
        if (!ns->read)
                return skip_unread(o, proc, ns, rep);
        if (dockerd) {
                n = count_candidates(o, ref, ns);
                return n == 0 ? 0
                              : add_skip(rep, ns, dockerd,
                                        strdupf("dockerd (pid %ld) runs in it: a dockerd's namespace is "
                                                "never taken for a holder (%zu mount%s under %s)",
                                                (long) dockerd, n, n == 1 ? "" : "s", o->root_dir));
        }
        for (size_t k = 0; k < ns->mounts.n; k++) {
                const MountEntry *e = &ns->mounts.v[k];
                _cleanup_free_ char *key = NULL;
                const char *kind = leak_classify(o->root_dir, e->mount_point, &key);

                if (!kind || follows_reference(&ref->mounts, e))
                        continue;
                r = add_leak(rep, cap, o, e, kind, TAKE_PTR(key), rep->n_namespaces);
                if (r < 0)
                        return r;
                any = true;
        }
        return any ? add_namespace(rep, ns) : 0;
}

/* The namespaces whose mount tables need not be read: the containers' own (never holders),
 * when dockerd's is known from its pid (and is not one of them). NULL: read them all. */
static bool *namespaces_to_skip(
        const LeakOptions *o, const char *proc, const MntnsScan *scan, const bool *containers)
{
        const MountNamespace *own = NULL;
        bool *skip;
        dev_t dev;
        ino_t ino;

        if (o->dockerd_pid <= 0)
                return NULL;
        if (mntns_of_pid(proc, o->dockerd_pid, &dev, &ino) >= 0)
                own = mntns_scan_find(scan, dev, ino);
        skip = calloc(scan->n + 1, sizeof(bool));
        for (size_t i = 0; skip && i < scan->n; i++)
                skip[i] = containers[i] && &scan->v[i] != own;
        return skip;
}

/* The namespaces whose processes are to be checked for a dockerd once dockerd's namespace is
 * known from its pid: only where a dockerd would change the verdict (find_in_namespace()),
 * those with mounts that would be leaks. */
static bool *namespaces_to_check(
        const LeakOptions *o, const MntnsScan *scan, const MountNamespace *ref, const bool *containers)
{
        bool *only = calloc(scan->n + 1, sizeof(bool));

        for (size_t i = 0; only && i < scan->n; i++)
                only[i] = &scan->v[i] != ref && !containers[i] && scan->v[i].read &&
                          count_candidates(o, ref, &scan->v[i]) > 0;
        return only;
}

/* Whether the containers can change the report: some namespace but the reference has
 * mounts that could be leaks, or could not be read (a container's is not judged either way). */
static bool containers_matter(const LeakOptions *o, const MntnsScan *scan, const MountNamespace *ref)
{
        for (size_t i = 0; i < scan->n; i++) {
                const MountNamespace *ns = &scan->v[i];

                if (ns == ref)
                        continue;
                if (ns->read ? count_candidates(o, ref, ns) > 0
                             : ns->read_error != -ESRCH && ns->read_error != -ENOENT)
                        return true;
        }
        return false;
}

/* Every namespace with its mounts under root_dir (but the containers' when they are known
 * already, see namespaces_to_skip()), the namespaces of the running containers (completed
 * through o->resolve_containers when they matter), the dockerds among the processes (all of
 * them when dockerd's pid is not given, else only where they matter), and the reference
 * namespace (dockerd's, or ours); the counts of the scan go into rep. */
static int scan_namespaces(LeakOptions *o, const char *proc, LeakReport *rep, MntnsScan *scan,
        DockerdScan *d, bool **ret_containers, const MountNamespace **ret_ref, char **ret_error)
{
        _cleanup_free_ bool *containers = NULL, *skip = NULL, *only = NULL;
        const MountNamespace *ref = NULL;
        int r;

        if (o->scan) {
                *scan = *o->scan;
                *o->scan = (MntnsScan){};
                r = 0;
        } else
                r = mntns_scan(proc, NULL, false, 0, scan);
        if (r >= 0 && !o->resolve_containers) {
                containers = container_namespaces(o, proc, scan);
                skip = containers ? namespaces_to_skip(o, proc, scan, containers) : NULL;
                if (!containers || (!skip && o->dockerd_pid > 0))
                        return -ENOMEM;
        }
        if (r >= 0)
                r = mntns_scan_read(proc, o->root_dir, o->read_timeout_ms, skip, scan);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return error_setf(ret_error, r, "scanning %s: %s", proc, strerror(-r));
        rep->n_processes = scan->n_processes;
        rep->n_inaccessible = scan->n_inaccessible;
        rep->n_scanned_namespaces = scan->n;
        if (!(rep->root_dir = strdup(o->root_dir)) || !(rep->problems = calloc(1, sizeof(char *))))
                return -ENOMEM;
        if (o->dockerd_pid <= 0 && (r = dockerd_scan(proc, scan, o->root_dir, NULL, d)) < 0)
                return r;
        r = choose_reference(o, proc, scan, d, rep, ret_error);
        if (r < 0)
                return r;
        ref = mntns_scan_find(scan, rep->ref_dev, rep->ref_ino);
        if (!ref || !ref->read)
                return error_setf(ret_error, ref ? ref->read_error : -ESRCH,
                        "cannot read the mount table of dockerd's namespace mnt:[%lu]%s",
                        (unsigned long) rep->ref_ino, ref && ref->read_error == -ETIME ? ": timed out" : "");
        if (o->resolve_containers) {
                if (containers_matter(o, scan, ref) &&
                        (r = o->resolve_containers(
                                 o->userdata, &o->containers, &o->n_containers, ret_error)) < 0)
                        return r;
                o->resolve_containers = NULL;
                containers = container_namespaces(o, proc, scan);
                if (!containers)
                        return -ENOMEM;
        }
        if (o->dockerd_pid > 0 && (!(only = namespaces_to_check(o, scan, ref, containers)) ||
                                          (r = dockerd_scan(proc, scan, o->root_dir, only, d)) < 0))
                return only ? r : -ENOMEM;
        /* As root, a process we cannot look at belongs to a context above ours (the init of an
         * outer container): its namespace cannot be entered either. Not as root: run as root. */
        if (scan->n_inaccessible > 0 && geteuid() != 0 &&
                strv_consume(
                        &rep->problems, strdupf("%zu processes not readable (run as root): their namespaces "
                                                "were not scanned",
                                                scan->n_inaccessible)) < 0)
                return -ENOMEM;
        *ret_containers = TAKE_PTR(containers);
        *ret_ref = ref;
        return 0;
}

int leaks_find(const LeakOptions *options, LeakReport *ret, char **ret_error)
{
        LeakOptions opts = *options, *o = &opts; /* the containers, once resolved */
        const char *proc = o->proc ? o->proc : "/proc";
        _cleanup_(mntns_scan_done) MntnsScan scan = {};
        _cleanup_(dockerd_scan_done) DockerdScan d = {};
        _cleanup_(leak_report_done) LeakReport rep = {};
        _cleanup_free_ bool *containers = NULL;
        const MountNamespace *ref = NULL;
        size_t cap = 0;
        int r;

        if (!o->root_dir || o->root_dir[0] != '/' || streq(o->root_dir, "/"))
                return error_setf(ret_error, -EINVAL,
                        "Docker root dir \"%s\" is not an absolute path below /", strempty(o->root_dir));
        r = scan_namespaces(o, proc, &rep, &scan, &d, &containers, &ref, ret_error);
        if (r < 0)
                return r;
        for (size_t i = 0; i < scan.n; i++) {
                r = find_in_namespace(o, proc, ref, &scan.v[i], containers[i], d.dockerd[i], &rep, &cap);
                if (r < 0)
                        return r;
        }
        r = read_holders(o, proc, &rep);
        if (r < 0)
                return r;
        if (rep.n_leaks > 0)
                qsort(rep.leaks, rep.n_leaks, sizeof *rep.leaks, leak_cmp);
        *ret = rep;
        rep = (LeakReport){};
        return 0;
}

bool leak_report_complete(const LeakReport *rep)
{
        return !rep->problems || !rep->problems[0];
}

size_t leak_report_count_in(const LeakReport *rep, size_t nsi)
{
        size_t n = 0;

        for (size_t i = 0; i < rep->n_leaks; i++)
                n += rep->leaks[i].ns == nsi;
        return n;
}

int leak_report_unmatched_ids(const LeakReport *rep, char ***ret)
{
        _cleanup_strv_free_ char **ids = calloc(1, sizeof(char *));
        size_t n = 0;

        if (!ids)
                return -ENOMEM;
        for (size_t i = 0; i < rep->n_leaks; i++) {
                const Leak *l = &rep->leaks[i];

                if (!l->container_id && key_names_container(l->kind, l->key) &&
                        !strv_contains(ids, l->key) && strv_consume_at(&ids, &n, strdup(l->key)) < 0)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(ids);
        return 0;
}

int leak_report_attribute(LeakReport *rep, const DockerContainer *c, size_t n)
{
        int r;

        for (size_t i = 0; i < rep->n_leaks; i++) {
                Leak *l = &rep->leaks[i];
                const DockerContainer *m = l->container_id ? NULL : match_by_id(c, n, l->kind, l->key);

                if (m && (r = leak_set_container(l, m)) < 0)
                        return r;
        }
        if (rep->n_leaks > 0)
                qsort(rep->leaks, rep->n_leaks, sizeof *rep->leaks, leak_cmp);
        return 0;
}
