/* SPDX-License-Identifier: MIT */
#include "leaks/leaks.h"

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

static int read_holder(const char *proc, pid_t pid, LeakHolder *h)
{
        char path[128];
        _cleanup_free_ char *cg = NULL;
        int r;

        h->pid = pid;
        (void) snprintf(path, sizeof path, "%s/%ld/comm", proc, (long) pid);
        r = read_one_line_file(path, &h->comm);
        if (r == -ENOMEM)
                return r;
        if (r < 0 && !(h->comm = strdup("?")))
                return -ENOMEM;
        (void) snprintf(path, sizeof path, "%s/%ld/cgroup", proc, (long) pid);
        r = read_full_file(path, &cg, NULL);
        if (r == -ENOMEM)
                return r;
        return r < 0 ? 0 : cgroup_text_to_unit(cg, &h->unit);
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

static const DockerContainer *match_container(
        const LeakOptions *o, const char *kind, const char *key, const char *mount_point)
{
        for (size_t i = 0; i < o->n_containers; i++)
                for (char **d = o->containers[i].mount_dirs; d && *d; d++)
                        if (streq(*d, mount_point))
                                return &o->containers[i];
        if (key && (streq(kind, "shm") || streq(kind, "container-mount") || streq(kind, "rootfs")))
                for (size_t i = 0; i < o->n_containers; i++)
                        if (streq(o->containers[i].id, key))
                                return &o->containers[i];
        return NULL;
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

static bool is_container_ns(const LeakOptions *o, const char *proc, const MountNamespace *ns)
{
        for (size_t i = 0; i < o->n_containers; i++) {
                dev_t dev;
                ino_t ino;

                if (o->containers[i].pid <= 0 || o->containers[i].pid > INT32_MAX)
                        continue;
                if (mntns_of_pid(proc, (pid_t) o->containers[i].pid, &dev, &ino) >= 0 && dev == ns->dev &&
                        ino == ns->ino)
                        return true;
        }
        return false;
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
        if (c && (!(l->container_id = strdup(c->id)) || !(l->container_name = strdup(c->name)) ||
                         !(l->container_state = strdup(c->state))))
                return -ENOMEM;
        return 0;
}

/* Appends ns with its processes as holders. On failure what was added is freed with rep. */
static int add_namespace(LeakReport *rep, const char *proc, const MountNamespace *ns)
{
        LeakNamespace *v = realloc(rep->namespaces, (rep->n_namespaces + 1) * sizeof *v), *ln;
        int r;

        if (!v)
                return -ENOMEM;
        rep->namespaces = v;
        ln = &v[rep->n_namespaces++];
        *ln = (LeakNamespace){.dev = ns->dev, .ino = ns->ino};
        ln->holders = calloc(ns->n_pids, sizeof *ln->holders);
        if (!ln->holders)
                return -ENOMEM;
        for (size_t k = 0; k < ns->n_pids; k++) {
                r = read_holder(proc, ns->pids[k], &ln->holders[k]);
                ln->n_holders = k + 1;
                if (r < 0)
                        return r;
        }
        return 0;
}

/* The leaks of one scanned namespace (none in the reference namespace or a container's). */
static int find_in_namespace(const LeakOptions *o, const char *proc, const MountNamespace *ref,
        const MountNamespace *ns, LeakReport *rep, size_t *cap)
{
        bool any = false;
        int r;

        if (ns == ref || !ns->read || ns->mounts.n == 0 || is_container_ns(o, proc, ns))
                return 0;
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
        return any ? add_namespace(rep, proc, ns) : 0;
}

/* The reference namespace (dockerd's, or ours) and every namespace with its mounts under
 * root_dir; the counts of the scan go into rep. Returns the reference in *ret_ref. */
static int scan_namespaces(const LeakOptions *o, const char *proc, LeakReport *rep, MntnsScan *scan,
        const MountNamespace **ret_ref, char **ret_error)
{
        pid_t ref_pid = o->dockerd_pid > 0 ? o->dockerd_pid : getpid();
        const MountNamespace *ref = NULL;
        int r;

        r = mntns_of_pid(proc, ref_pid, &rep->ref_dev, &rep->ref_ino);
        if (r < 0)
                return error_setf(ret_error, r, "%s/%ld/ns/mnt: %s", proc, (long) ref_pid, strerror(-r));
        r = mntns_scan(proc, o->root_dir, true, scan);
        if (r < 0)
                return error_setf(ret_error, r, "scanning %s: %s", proc, strerror(-r));
        rep->n_processes = scan->n_processes;
        rep->n_inaccessible = scan->n_inaccessible;
        rep->n_scanned_namespaces = scan->n;
        if (!(rep->root_dir = strdup(o->root_dir)))
                return -ENOMEM;
        ref = mntns_scan_find(scan, rep->ref_dev, rep->ref_ino);
        if (!ref || !ref->read)
                return error_setf(ret_error, ref ? ref->read_error : -ESRCH,
                        "cannot read the mount table of dockerd's namespace mnt:[%lu]",
                        (unsigned long) rep->ref_ino);
        *ret_ref = ref;
        return 0;
}

int leaks_find(const LeakOptions *o, LeakReport *ret, char **ret_error)
{
        const char *proc = o->proc ? o->proc : "/proc";
        _cleanup_(mntns_scan_done) MntnsScan scan = {};
        _cleanup_(leak_report_done) LeakReport rep = {};
        const MountNamespace *ref = NULL;
        size_t cap = 0;
        int r;

        if (!o->root_dir || o->root_dir[0] != '/' || streq(o->root_dir, "/"))
                return error_setf(ret_error, -EINVAL,
                        "Docker root dir \"%s\" is not an absolute path below /", strempty(o->root_dir));
        r = scan_namespaces(o, proc, &rep, &scan, &ref, ret_error);
        if (r < 0)
                return r;
        for (size_t i = 0; i < scan.n; i++) {
                r = find_in_namespace(o, proc, ref, &scan.v[i], &rep, &cap);
                if (r < 0)
                        return r;
        }
        if (rep.n_leaks > 0)
                qsort(rep.leaks, rep.n_leaks, sizeof *rep.leaks, leak_cmp);
        *ret = rep;
        rep = (LeakReport){};
        return 0;
}

size_t leak_report_count_in(const LeakReport *rep, size_t nsi)
{
        size_t n = 0;

        for (size_t i = 0; i < rep->n_leaks; i++)
                n += rep->leaks[i].ns == nsi;
        return n;
}
