/* SPDX-License-Identifier: MIT */
/* leaks.c's pure parts: which paths under Docker's root are container mounts, the systemd
 * unit of a /proc/PID/cgroup text, and the container inspect parser of docker-api.c; then
 * leaks_find() over a made-up /proc (regular files stand in for ns/mnt: their inode names the
 * namespace, a hard link puts two pids in one) and what leaks-release.c refuses before it
 * touches anything. The real scan and release run against a real dockerd in
 * tests/integration/test-leaks.sh. */
#include <check.h>
#include <ftw.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>

#include "check-run.h"

#include "leaks/leaks-dockerd.h"
#include "leaks/leaks-release.h"
#include "leaks/leaks-text.h"
#include "leaks/leaks.h"
#include "leaks/mntns-scan.h"
#include "leaks/proc-read.h"

START_TEST(test_classify)
{
        static const struct {
                const char *path, *kind, *key;
        } t[] = {
                {"/var/lib/docker/overlay2/abc123/merged", "rootfs", "abc123"},
                {"/var/lib/docker/overlay/abc123/merged", "rootfs", "abc123"},
                {"/var/lib/docker/fuse-overlayfs/abc/merged", "rootfs", "abc"},
                {"/var/lib/docker/devicemapper/mnt/f00d", "rootfs", "f00d"},
                {"/var/lib/docker/aufs/mnt/f00d", "rootfs", "f00d"},
                {"/var/lib/docker/btrfs/subvolumes/f00d", "rootfs", "f00d"},
                {"/var/lib/docker/zfs/graph/f00d", "rootfs", "f00d"},
                {"/var/lib/docker/rootfs/overlayfs/c0ffee", "rootfs", "c0ffee"},
                {"/var/lib/docker/containers/c0ffee/mounts/shm", "shm", "c0ffee"},
                {"/var/lib/docker/containers/c0ffee/mounts/secrets", "container-mount", "c0ffee"},
                {"/var/lib/docker/volumes/my vol/_data", "volume", "my vol"},
                {"/var/lib/docker//overlay2/abc/merged/", "rootfs", "abc"},
                {"/var/lib/docker", NULL, NULL},
                {"/var/lib/docker/overlay2", NULL, NULL},
                {"/var/lib/docker/overlay2/abc/diff", NULL, NULL},
                {"/var/lib/docker/overlay2/abc/merged/proc", NULL, NULL},
                {"/var/lib/docker/overlay2/../merged", NULL, NULL},
                {"/var/lib/docker/plugins/x/rootfs", NULL, NULL},
                {"/var/lib/dockerx/overlay2/abc/merged", NULL, NULL},
                {"/var/lib/docker/containers/c0ffee/hostname", NULL, NULL},
        };

        for (size_t i = 0; i < ELEMENTSOF(t); i++) {
                char *key = NULL;
                const char *kind = leak_classify("/var/lib/docker/", t[i].path, &key);

                ck_assert_msg(streq_ptr(kind, t[i].kind), "%s: %s", t[i].path, strempty(kind));
                ck_assert_msg(streq_ptr(key, t[i].key), "%s: key %s", t[i].path, strempty(key));
                free(key);
        }
}
END_TEST

START_TEST(test_cgroup_unit)
{
        static const struct {
                const char *text, *unit;
        } t[] = {
                {"0::/system.slice/docker.service\n", "docker.service"},
                {"0::/user.slice/user-1000.slice/user@1000.service/app.slice/foo.service\n", "foo.service"},
                {"0::/user.slice/user-1000.slice/session-3.scope\n", "session-3.scope"},
                {"0::/system.slice/containerd.service/subgroup\n", "containerd.service"},
                {"0::/\n", NULL},
                {"0::/init.scope", "init.scope"},
                /* cgroup v1 */
                {"12:pids:/system.slice/x.service\n1:name=systemd:/system.slice/cron.service\n",
                        "cron.service"},
                /* hybrid: v2's line wins */
                {"1:name=systemd:/system.slice/a.service\n0::/system.slice/b.service\n", "b.service"},
                {"", NULL},
                {"garbage", NULL},
        };

        for (size_t i = 0; i < ELEMENTSOF(t); i++) {
                char *u = NULL;

                ck_assert_int_eq(cgroup_text_to_unit(t[i].text, &u), 0);
                ck_assert_msg(streq_ptr(u, t[i].unit), "%s: %s", t[i].text, strempty(u));
                free(u);
        }
}
END_TEST

START_TEST(test_container_parse)
{
        /* The fields of GET /containers/ID/json (Engine API 1.41) that the leak finder reads. */
        const char *j =
                "{\"Id\":\"4fa6e0f0c6786287e131c3852c58a2e01cc697a68231826813597e4994f1d6e2\","
                "\"Name\":\"/"
                "web\",\"State\":{\"Status\":\"dead\",\"Running\":false,\"Pid\":0,\"Dead\":true},"
                "\"GraphDriver\":{\"Name\":\"overlay2\",\"Data\":{"
                "\"LowerDir\":\"/var/lib/docker/overlay2/aa-init/diff:/var/lib/docker/overlay2/bb/diff\","
                "\"MergedDir\":\"/var/lib/docker/overlay2/aa/merged\","
                "\"UpperDir\":\"/var/lib/docker/overlay2/aa/diff\","
                "\"WorkDir\":\"/var/lib/docker/overlay2/aa/work\"}}}";
        DockerContainer c = {};
        char *err = NULL;

        ck_assert_int_eq(docker_container_parse(j, strlen(j), &c, &err), 0);
        ck_assert_str_eq(c.id, "4fa6e0f0c6786287e131c3852c58a2e01cc697a68231826813597e4994f1d6e2");
        ck_assert_str_eq(c.name, "web");
        ck_assert_str_eq(c.state, "dead");
        ck_assert_int_eq(c.pid, 0);
        ck_assert_str_eq(c.graph_driver, "overlay2");
        ck_assert_uint_eq(strv_length(c.mount_dirs), 1);
        ck_assert_str_eq(c.mount_dirs[0], "/var/lib/docker/overlay2/aa/merged");
        docker_container_done(&c);

        j = "{\"Id\":\"ab\",\"State\":{\"Status\":\"running\",\"Pid\":1234},\"GraphDriver\":{\"Name\":"
            "\"zfs\","
            "\"Data\":{\"Mountpoint\":\"/var/lib/docker/zfs/graph/ab\",\"Dataset\":\"pool/ab\"}}}";
        ck_assert_int_eq(docker_container_parse(j, strlen(j), &c, &err), 0);
        ck_assert_str_eq(c.name, "");
        ck_assert_int_eq(c.pid, 1234);
        ck_assert_str_eq(c.mount_dirs[0], "/var/lib/docker/zfs/graph/ab");
        docker_container_done(&c);

        ck_assert_int_eq(docker_container_parse("[1]", 3, &c, &err), -EBADMSG);
        free(err);
        err = NULL;
        ck_assert_int_eq(docker_container_parse("{\"Name\":\"/x\"}", 13, &c, &err), -EBADMSG);
        ck_assert_ptr_nonnull(strstr(err, "no Id"));
        free(err);
}
END_TEST

static void write_file(const char *dir, const char *name, const char *text)
{
        _cleanup_free_ char *path = strdupf("%s/%s", dir, name);
        FILE *f = path ? fopen(path, "we") : NULL;

        ck_assert_ptr_nonnull(f);
        ck_assert_int_ge(fputs(text, f), 0);
        ck_assert_int_eq(fclose(f), 0);
}

/* proc/PID with ns/mnt (a new file, or a hard link to NS_OF's), mountinfo, comm, cgroup. */
static void fake_pid(
        const char *proc, int pid, int ns_of, const char *mountinfo, const char *comm, const char *cgroup)
{
        _cleanup_free_ char *dir = strdupf("%s/%d", proc, pid), *ns = strdupf("%s/%d/ns", proc, pid);
        _cleanup_free_ char *mnt = strdupf("%s/mnt", ns), *other = strdupf("%s/%d/ns/mnt", proc, ns_of);

        ck_assert_int_eq(mkdir(dir, 0755), 0);
        ck_assert_int_eq(mkdir(ns, 0755), 0);
        if (ns_of)
                ck_assert_int_eq(link(other, mnt), 0);
        else
                write_file(ns, "mnt", "");
        write_file(dir, "mountinfo", mountinfo);
        write_file(dir, "comm", comm);
        write_file(dir, "cgroup", cgroup);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
        return remove(path);
}

static void rm_tree(const char *dir)
{
        ck_assert_int_eq(nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS), 0);
}

#define MI_ROOT "1 0 8:1 / / rw - ext4 /dev/sda1 rw\n"

START_TEST(test_find)
{
        char proc[] = "/tmp/dockaudit-test-leaks.XXXXXX";
        char *mount_dirs[] = {(char *) "/var/lib/docker/overlay2/abc/merged", NULL};
        DockerContainer web = {.id = (char *) "c0ffee",
                .name = (char *) "web",
                .state = (char *) "dead",
                .mount_dirs = mount_dirs};
        _cleanup_(leak_report_done) LeakReport rep = {};
        _cleanup_(leak_release_done) LeakRelease rel = {};
        _cleanup_free_ char *err = NULL;

        ck_assert_ptr_nonnull(mkdtemp(proc));
        /* dockerd: both layers shared */
        fake_pid(proc, 100, 0,
                MI_ROOT "2 1 0:50 / /var/lib/docker/overlay2/abc/merged rw shared:5 - overlay overlay rw\n"
                        "3 1 0:51 / /var/lib/docker/overlay2/def/merged rw shared:6 - overlay overlay rw\n",
                "dockerd\n", "0::/system.slice/docker.service\n");
        /* a private namespace with copies of a rootfs, an shm and a volume: the leaks */
        fake_pid(proc, 200, 0,
                MI_ROOT "11 1 0:50 / /var/lib/docker/overlay2/abc/merged rw - overlay overlay rw\n"
                        "12 1 0:52 / /var/lib/docker/containers/c0ffee/mounts/shm rw - tmpfs shm rw\n"
                        "13 1 0:53 / /var/lib/docker/volumes/data/_data rw - ext4 /dev/sdb rw\n"
                        "14 1 0:54 / /var/lib/docker/tmp rw - tmpfs tmpfs rw\n",
                "sleep\n", "0::/user.slice/user-0.slice/session-1.scope\n");
        fake_pid(proc, 201, 200, "", "bash\n", "0::/\n");
        /* a slave of dockerd's peer group: unmounted with it, not a leak */
        fake_pid(proc, 300, 0,
                MI_ROOT "21 1 0:51 / /var/lib/docker/overlay2/def/merged rw master:6 - overlay overlay rw\n",
                "unshare\n", "0::/system.slice/other.service\n");

        ck_assert_int_eq(leaks_find(&(LeakOptions){.proc = proc,
                                            .root_dir = "/var/lib/docker",
                                            .dockerd_pid = 100,
                                            .containers = &web,
                                            .n_containers = 1},
                                 &rep, &err),
                0);
        ck_assert_str_eq(rep.root_dir, "/var/lib/docker");
        ck_assert_uint_eq(rep.n_processes, 4);
        ck_assert_uint_eq(rep.n_scanned_namespaces, 3);
        ck_assert_uint_eq(rep.n_inaccessible, 0);
        /* the container's leaks first (by mount point), then the unmatched volume */
        ck_assert_uint_eq(rep.n_leaks, 3);
        ck_assert_str_eq(rep.leaks[0].mount_point, "/var/lib/docker/containers/c0ffee/mounts/shm");
        ck_assert_str_eq(rep.leaks[0].kind, "shm");
        ck_assert_str_eq(rep.leaks[0].container_name, "web");
        ck_assert_str_eq(rep.leaks[1].mount_point, "/var/lib/docker/overlay2/abc/merged");
        ck_assert_str_eq(rep.leaks[1].kind, "rootfs");
        ck_assert_str_eq(rep.leaks[1].container_state, "dead");
        ck_assert_str_eq(rep.leaks[1].fstype, "overlay");
        ck_assert_str_eq(rep.leaks[2].kind, "volume");
        ck_assert_str_eq(rep.leaks[2].key, "data");
        ck_assert_ptr_null(rep.leaks[2].container_id);
        /* one namespace, held by both of its processes */
        ck_assert_uint_eq(rep.n_namespaces, 1);
        ck_assert_uint_eq(leak_report_count_in(&rep, 0), 3);
        ck_assert_uint_eq(rep.namespaces[0].n_holders, 2);
        ck_assert_int_eq(rep.namespaces[0].holders[0].pid, 200);
        ck_assert_str_eq(rep.namespaces[0].holders[0].comm, "sleep");
        ck_assert_str_eq(rep.namespaces[0].holders[0].unit, "session-1.scope");
        ck_assert_str_eq(rep.namespaces[0].holders[1].comm, "bash");
        ck_assert_ptr_null(rep.namespaces[0].holders[1].unit);

        /* Once every holder is gone the namespace cannot be entered: each mount point is
         * reported as failed, with why (and nothing is forked). */
        for (int pid = 200; pid <= 201; pid++) {
                _cleanup_free_ char *mnt = strdupf("%s/%d/ns/mnt", proc, pid);

                ck_assert_int_eq(unlink(mnt), 0);
        }
        ck_assert_int_eq(leaks_release_namespace(&rep, proc, 0, &rel), 0);
        ck_assert_uint_eq(rel.n, 3);
        ck_assert_int_eq(rel.r, -ENOENT);
        for (size_t i = 0; i < rel.n; i++)
                ck_assert_ptr_nonnull(strstr(leak_release_error(&rel, i), "/201/ns/mnt"));

        /* dockerd's namespace must be readable */
        ck_assert_int_eq(
                leaks_find(&(LeakOptions){.proc = proc, .root_dir = "/var/lib/docker", .dockerd_pid = 999},
                        &(LeakReport){}, &err),
                -ENOENT);
        ck_assert_ptr_nonnull(strstr(err, "/999/ns/mnt"));
        rm_tree(proc);
}
END_TEST

/* The leaks of containers not given to leaks_find() (exited, or removed): their ids, then
 * attributed to what the daemon says of them, the report the same as had they been given
 * (from the whole list: no mount_dirs) in the first place. */
START_TEST(test_attribute_by_id)
{
        char proc[] = "/tmp/dockaudit-test-leaks.XXXXXX";
        char *dirs[] = {(char *) "/var/lib/docker/overlay2/lay/merged", NULL}, *none[] = {NULL};
        /* the inspect of an exited container still names its (unmounted) rootfs */
        DockerContainer inspected = {
                .id = (char *) "e1", .name = (char *) "old", .state = (char *) "exited", .mount_dirs = dirs};
        DockerContainer listed = {
                .id = (char *) "e1", .name = (char *) "old", .state = (char *) "exited", .mount_dirs = none};
        _cleanup_(leak_report_done) LeakReport a = {}, b = {};
        _cleanup_strv_free_ char **ids = NULL, **after = NULL;
        _cleanup_free_ char *err = NULL;

        ck_assert_ptr_nonnull(mkdtemp(proc));
        fake_pid(proc, 100, 0, MI_ROOT, "dockerd\n", "0::/system.slice/docker.service\n");
        fake_pid(proc, 200, 0,
                MI_ROOT "11 1 0:50 / /var/lib/docker/overlay2/lay/merged rw - overlay overlay rw\n"
                        "12 1 0:52 / /var/lib/docker/containers/e1/mounts/shm rw - tmpfs shm rw\n"
                        "13 1 0:53 / /var/lib/docker/containers/zz/mounts/shm rw - tmpfs shm rw\n"
                        "14 1 0:54 / /var/lib/docker/volumes/data/_data rw - ext4 /dev/sdb rw\n"
                        "15 1 0:55 / /var/lib/docker/containers/e1/mounts/secrets rw - tmpfs tmpfs rw\n",
                "sleep\n", "0::/\n");
        ck_assert_int_eq(
                leaks_find(&(LeakOptions){.proc = proc, .root_dir = "/var/lib/docker", .dockerd_pid = 100},
                        &a, &err),
                0);
        ck_assert_uint_eq(a.n_leaks, 5);
        ck_assert_int_eq(leak_report_unmatched_ids(&a, &ids), 0);
        ck_assert_uint_eq(strv_length(ids), 3); /* e1 once; the volume names no container */
        ck_assert_str_eq(ids[0], "e1");
        ck_assert_str_eq(ids[1], "lay");
        ck_assert_str_eq(ids[2], "zz");
        ck_assert_int_eq(leak_report_attribute(&a, &inspected, 1), 0);
        ck_assert_int_eq(leaks_find(&(LeakOptions){.proc = proc,
                                            .root_dir = "/var/lib/docker",
                                            .dockerd_pid = 100,
                                            .containers = &listed,
                                            .n_containers = 1},
                                 &b, &err),
                0);
        ck_assert_uint_eq(a.n_leaks, b.n_leaks);
        for (size_t i = 0; i < a.n_leaks; i++) {
                ck_assert_str_eq(a.leaks[i].mount_point, b.leaks[i].mount_point);
                ck_assert_str_eq(strempty(a.leaks[i].container_id), strempty(b.leaks[i].container_id));
                ck_assert_str_eq(strempty(a.leaks[i].container_name), strempty(b.leaks[i].container_name));
                ck_assert_str_eq(strempty(a.leaks[i].container_state), strempty(b.leaks[i].container_state));
        }
        ck_assert_str_eq(a.leaks[0].mount_point, "/var/lib/docker/containers/e1/mounts/secrets");
        ck_assert_str_eq(a.leaks[0].container_name, "old");
        ck_assert_str_eq(a.leaks[1].kind, "shm");
        ck_assert_str_eq(a.leaks[1].container_state, "exited");
        ck_assert_ptr_null(a.leaks[2].container_id); /* the layer id is no container's */
        ck_assert_int_eq(leak_report_unmatched_ids(&a, &after), 0);
        ck_assert_uint_eq(strv_length(after), 2);
        rm_tree(proc);
}
END_TEST

START_TEST(test_release_refuses)
{
        DockerContainer running = {.id = (char *) "ab", .name = (char *) "web", .state = (char *) "running"};
        char *outside[] = {(char *) "/var/lib/docker/overlay2/abc/merged", (char *) "/etc", NULL};
        int results[2] = {};
        char *err = NULL;

        /* a running container is not removed, and the API is not even asked */
        ck_assert(!docker_container_is_dead(&running));
        ck_assert_int_eq(leaks_remove_dead("/nonexistent.sock", &running, &err), -EBUSY);
        ck_assert_ptr_nonnull(strstr(err, "not removed"));
        free(err);
        err = NULL;
        /* nothing outside Docker's root is ever detached */
        ck_assert_int_eq(leaks_release(&(LeakReport){.root_dir = (char *) "/var/lib/docker",
                                               .dockerd_known = true,
                                               .ref_ino = 1},
                                 NULL, getpid(), 0, 0, outside, results, &err),
                -EPERM);
        ck_assert_ptr_nonnull(strstr(err, "/etc is not below /var/lib/docker"));
        free(err);
}
END_TEST

/* A fake dockerd: exe names dockerd, and (when root is not NULL) fd/3 is a file under root. */
static void fake_dockerd(const char *proc, int pid, const char *exe, const char *root)
{
        _cleanup_free_ char *link = strdupf("%s/%d/exe", proc, pid), *fd = strdupf("%s/%d/fd", proc, pid);
        _cleanup_free_ char *fd3 = strdupf("%s/3", fd), *db = root ? strdupf("%s/local-kv.db", root) : NULL;

        ck_assert_int_eq(symlink(exe, link), 0);
        ck_assert_int_eq(mkdir(fd, 0755), 0);
        if (root) {
                write_file(root, "local-kv.db", "");
                ck_assert_int_eq(symlink(db, fd3), 0);
        }
}

/* The mountinfo text of a namespace with the given mounts (MI_ROOT first), each line
 * "ID 1 0:ID / ROOT/PATH rw FIELDS - overlay overlay rw". */
static char *mi(const char *root, const char *a, const char *fa, const char *b, const char *fb)
{
        return strdupf(MI_ROOT "2 1 0:50 / %s/%s rw %s- overlay overlay rw\n"
                               "3 1 0:51 / %s/%s rw %s- overlay overlay rw\n",
                root, a, fa, root, b, fb);
}

typedef struct FakeHost {
        char proc[64], dir[64];
        char root[128];
} FakeHost;

static void fake_host_init(FakeHost *h)
{
        strcpy(h->proc, "/tmp/dockaudit-test-leaks.XXXXXX");
        strcpy(h->dir, "/tmp/dockaudit-test-root.XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(h->proc));
        ck_assert_ptr_nonnull(mkdtemp(h->dir));
        (void) snprintf(h->root, sizeof h->root, "%s/docker", h->dir);
        ck_assert_int_eq(mkdir(h->root, 0755), 0);
}

static void fake_host_done(FakeHost *h)
{
        rm_tree(h->proc);
        rm_tree(h->dir);
}

/* Observed: without --dockerd-pid, our own namespace was the reference and dockerd's was
 * taken for a holder of every running container's rootfs. Now the dockerd that has files
 * under the root open is found, its namespace is the reference and never a holder; another
 * dockerd's namespace is not judged either, and says so. */
START_TEST(test_dockerd_found_without_pid)
{
        _cleanup_(leak_report_done) LeakReport rep = {};
        _cleanup_(leak_release_done) LeakRelease rel = {};
        _cleanup_free_ char *err = NULL, *d = NULL, *holder = NULL, *other = NULL;
        FakeHost h;

        fake_host_init(&h);
        d = mi(h.root, "overlay2/a/merged", "shared:5 ", "overlay2/b/merged", "shared:6 ");
        holder = mi(h.root, "overlay2/a/merged", "", "overlay2/b/merged", "master:6 ");
        other = mi(h.root, "overlay2/c/merged", "", "overlay2/d/merged", "");
        fake_pid(h.proc, getpid(), 0, MI_ROOT, "test-leaks\n", "0::/\n"); /* us: no container mounts */
        fake_pid(h.proc, 100, 0, d, "dockerd\n", "0::/system.slice/docker.service\n");
        fake_dockerd(h.proc, 100, "/usr/bin/dockerd", h.root);
        fake_pid(h.proc, 200, 0, holder, "sleep\n", "0::/\n");
        fake_pid(h.proc, 300, 0, other, "dockerd\n", "0::/\n");
        fake_dockerd(h.proc, 300, "/usr/local/bin/dockerd (deleted)", NULL);

        ck_assert_int_eq(leaks_find(&(LeakOptions){.proc = h.proc, .root_dir = h.root}, &rep, &err), 0);
        ck_assert(rep.dockerd_known);
        ck_assert_int_eq(rep.dockerd_pid, 100);
        ck_assert_ptr_nonnull(strstr(rep.reference, "pid 100, with files under"));
        /* only the holder's private copy of a; b follows dockerd's (master:6) */
        ck_assert_uint_eq(rep.n_leaks, 1);
        ck_assert_uint_eq(rep.n_namespaces, 1);
        ck_assert_int_eq(rep.namespaces[0].holders[0].pid, 200);
        ck_assert(endswith(rep.leaks[0].mount_point, "/overlay2/a/merged"));
        /* the other dockerd's namespace: not judged, with the reason, so not complete */
        ck_assert_uint_eq(rep.n_skipped, 1);
        ck_assert_int_eq(rep.skipped[0].pid, 300);
        ck_assert_ptr_nonnull(strstr(rep.skipped[0].reason, "dockerd (pid 300) runs in it"));
        ck_assert(!leak_report_complete(&rep));
        ck_assert_ptr_nonnull(strstr(rep.problems[0], "not judged"));
        fake_host_done(&h);
}
END_TEST

/* A dockerd that has no file under the root open, with mounts there: which namespace is
 * dockerd's is not certain. Its mounts are not reported as leaks (it says so) and the release
 * is refused before anything is entered. */
START_TEST(test_dockerd_unknown)
{
        _cleanup_(leak_report_done) LeakReport rep = {};
        _cleanup_(leak_release_done) LeakRelease rel = {};
        _cleanup_free_ char *err = NULL, *d = NULL, *holder = NULL;
        FakeHost h;

        fake_host_init(&h);
        d = mi(h.root, "overlay2/a/merged", "shared:5 ", "overlay2/b/merged", "shared:6 ");
        holder = mi(h.root, "overlay2/a/merged", "", "overlay2/b/merged", "");
        fake_pid(h.proc, getpid(), 0, MI_ROOT, "test-leaks\n", "0::/\n");
        fake_pid(h.proc, 100, 0, d, "dockerd\n", "0::/\n");
        fake_dockerd(h.proc, 100, "/usr/bin/dockerd", NULL);
        fake_pid(h.proc, 200, 0, holder, "sleep\n", "0::/\n");

        ck_assert_int_eq(leaks_find(&(LeakOptions){.proc = h.proc, .root_dir = h.root}, &rep, &err), 0);
        ck_assert(!rep.dockerd_known);
        ck_assert_int_eq(rep.dockerd_pid, 0);
        ck_assert_ptr_nonnull(strstr(rep.problems[0], "dockerd's mount namespace is not known"));
        ck_assert_ptr_nonnull(strstr(rep.problems[0], "--dockerd-pid"));
        ck_assert_uint_eq(rep.n_skipped, 1);
        ck_assert_int_eq(rep.skipped[0].pid, 100);
        /* the holder's copies are reported; dockerd's mounts are not */
        ck_assert_uint_eq(rep.n_leaks, 2);
        ck_assert_int_eq(rep.namespaces[0].holders[0].pid, 200);
        ck_assert_int_eq(leaks_release_namespace(&rep, h.proc, 0, &rel), 0);
        ck_assert_int_eq(rel.r, -EPERM);
        ck_assert_ptr_nonnull(strstr(leak_release_error(&rel, 0), "not known"));
        fake_host_done(&h);
}
END_TEST

/* No dockerd at all (the benchmark's case): our own namespace is the reference, for certain. */
START_TEST(test_no_dockerd)
{
        _cleanup_(leak_report_done) LeakReport rep = {};
        _cleanup_free_ char *err = NULL, *us = NULL, *holder = NULL;
        FakeHost h;

        fake_host_init(&h);
        us = mi(h.root, "overlay2/a/merged", "shared:5 ", "overlay2/b/merged", "shared:6 ");
        holder = mi(h.root, "overlay2/a/merged", "", "overlay2/b/merged", "master:6 ");
        fake_pid(h.proc, getpid(), 0, us, "test-leaks\n", "0::/\n");
        fake_pid(h.proc, 200, 0, holder, "sleep\n", "0::/\n");
        ck_assert_int_eq(leaks_find(&(LeakOptions){.proc = h.proc, .root_dir = h.root}, &rep, &err), 0);
        ck_assert(rep.dockerd_known);
        ck_assert(leak_report_complete(&rep));
        ck_assert_ptr_nonnull(strstr(rep.reference, "our own namespace"));
        ck_assert_uint_eq(rep.n_leaks, 1);
        fake_host_done(&h);
}
END_TEST

static long long elapsed_ms(const struct timespec *t0)
{
        struct timespec t1;

        ck_assert_int_eq(clock_gettime(CLOCK_MONOTONIC, &t1), 0);
        return (t1.tv_sec - t0->tv_sec) * 1000LL + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

/* A read that never ends (a FIFO with no writer stands in for the mountinfo of a namespace
 * whose lock a process in uninterruptible sleep holds): abandoned after its budget, and the
 * files after it are still read. */
START_TEST(test_proc_read_deadline)
{
        char dir[] = "/tmp/dockaudit-test-procread.XXXXXX";
        _cleanup_free_ char *a = NULL, *fifo = NULL, *c = NULL;
        ProcFile f[4];
        struct timespec t0;

        ck_assert_ptr_nonnull(mkdtemp(dir));
        a = strdupf("%s/a", dir), fifo = strdupf("%s/fifo", dir), c = strdupf("%s/c", dir);
        write_file(dir, "a", "first\n");
        write_file(dir, "c", "third\n");
        ck_assert_int_eq(mkfifo(fifo, 0600), 0);
        ck_assert_int_eq(clock_gettime(CLOCK_MONOTONIC, &t0), 0);
        ck_assert_int_eq(proc_read_files((const char *[]){a, fifo, c, "/nonexistent/x"}, 4, 300, f), 0);
        ck_assert_int_lt(elapsed_ms(&t0), 2000);
        ck_assert_int_eq(f[0].r, 0);
        ck_assert_str_eq(f[0].data, "first\n");
        ck_assert_int_eq(f[1].r, -ETIME);
        ck_assert_ptr_null(f[1].data);
        ck_assert_int_eq(f[2].r, 0);
        ck_assert_str_eq(f[2].data, "third\n");
        ck_assert_int_eq(f[3].r, -ENOENT);
        proc_files_done(f, 4);
        rm_tree(dir);
}
END_TEST

/* The same through leaks_find(): the namespace whose mountinfo does not answer is skipped
 * with the reason, the others are judged, and the report is not complete. */
START_TEST(test_find_read_timeout)
{
        _cleanup_(leak_report_done) LeakReport rep = {};
        _cleanup_free_ char *err = NULL, *d = NULL, *holder = NULL, *fifo = NULL;
        struct timespec t0;
        FakeHost h;

        fake_host_init(&h);
        d = mi(h.root, "overlay2/a/merged", "shared:5 ", "overlay2/b/merged", "shared:6 ");
        holder = mi(h.root, "overlay2/a/merged", "", "overlay2/b/merged", "master:6 ");
        fake_pid(h.proc, 100, 0, d, "dockerd\n", "0::/\n");
        fake_pid(h.proc, 200, 0, "", "stuck\n", "0::/\n");
        fake_pid(h.proc, 300, 0, holder, "sleep\n", "0::/\n");
        fifo = strdupf("%s/200/mountinfo", h.proc);
        ck_assert_int_eq(unlink(fifo), 0);
        ck_assert_int_eq(mkfifo(fifo, 0600), 0);
        ck_assert_int_eq(clock_gettime(CLOCK_MONOTONIC, &t0), 0);
        ck_assert_int_eq(leaks_find(&(LeakOptions){.proc = h.proc,
                                            .root_dir = h.root,
                                            .dockerd_pid = 100,
                                            .read_timeout_ms = 300},
                                 &rep, &err),
                0);
        ck_assert_int_lt(elapsed_ms(&t0), 2000);
        ck_assert_uint_eq(rep.n_leaks, 1);
        ck_assert_int_eq(rep.namespaces[0].holders[0].pid, 300);
        ck_assert_uint_eq(rep.n_skipped, 1);
        ck_assert_int_eq(rep.skipped[0].pid, 200);
        ck_assert_ptr_nonnull(strstr(rep.skipped[0].reason, "/200/mountinfo took longer than 300 ms"));
        ck_assert(!leak_report_complete(&rep));
        fake_host_done(&h);
}
END_TEST

/* With dockerd's pid given, a running container's own namespace is never read (its
 * mountinfo here would block: no wait, no problem), and a dockerd among the holders' processes
 * is still found where it matters: its namespace is not judged. */
START_TEST(test_find_skips_containers)
{
        _cleanup_(leak_report_done) LeakReport rep = {};
        _cleanup_free_ char *err = NULL, *d = NULL, *holder = NULL, *dind = NULL, *fifo = NULL;
        DockerContainer c = {
                .id = (char *) "c1", .name = (char *) "web", .state = (char *) "running", .pid = 400};
        struct timespec t0;
        FakeHost h;

        fake_host_init(&h);
        d = mi(h.root, "overlay2/a/merged", "shared:5 ", "overlay2/b/merged", "shared:6 ");
        holder = mi(h.root, "overlay2/a/merged", "", "overlay2/b/merged", "master:6 ");
        dind = mi(h.root, "overlay2/c/merged", "", "overlay2/d/merged", "");
        fake_pid(h.proc, 100, 0, d, "dockerd\n", "0::/\n");
        fake_pid(h.proc, 200, 0, holder, "sleep\n", "0::/\n");
        fake_pid(h.proc, 300, 0, dind, "dockerd\n", "0::/\n");
        fake_dockerd(h.proc, 300, "/usr/bin/dockerd", NULL);
        fake_pid(h.proc, 400, 0, "", "nginx\n", "0::/\n");
        fake_pid(h.proc, 401, 400, "", "nginx\n", "0::/\n");
        fifo = strdupf("%s/400/mountinfo", h.proc);
        ck_assert_int_eq(unlink(fifo), 0);
        ck_assert_int_eq(mkfifo(fifo, 0600), 0);
        ck_assert_int_eq(clock_gettime(CLOCK_MONOTONIC, &t0), 0);
        ck_assert_int_eq(leaks_find(&(LeakOptions){.proc = h.proc,
                                            .root_dir = h.root,
                                            .dockerd_pid = 100,
                                            .read_timeout_ms = 1500,
                                            .containers = &c,
                                            .n_containers = 1},
                                 &rep, &err),
                0);
        ck_assert_int_lt(elapsed_ms(&t0), 1000);
        ck_assert_uint_eq(rep.n_scanned_namespaces, 4);
        ck_assert_uint_eq(rep.n_leaks, 1);
        ck_assert_int_eq(rep.namespaces[0].holders[0].pid, 200);
        ck_assert_uint_eq(rep.n_skipped, 1);
        ck_assert_int_eq(rep.skipped[0].pid, 300);
        ck_assert_ptr_nonnull(strstr(rep.skipped[0].reason, "dockerd (pid 300) runs in it"));
        ck_assert_uint_eq(strv_length(rep.problems), 1);
        fake_host_done(&h);
}
END_TEST

typedef struct Resolve {
        unsigned calls;
        const DockerContainer *c;
} Resolve;

static int resolve(void *userdata, const DockerContainer **ret, size_t *ret_n, char **ret_error)
{
        Resolve *x = userdata;

        x->calls++;
        *ret = x->c;
        *ret_n = 1;
        return 0;
}

/* Containers completed on demand: not asked for when no namespace could hold a leak; asked
 * for once when one could, and then used as if given (the container's namespace is none). */
START_TEST(test_resolve_containers)
{
        _cleanup_(leak_report_done) LeakReport a = {}, b = {};
        _cleanup_free_ char *err = NULL, *d = NULL, *bind = NULL;
        DockerContainer c = {
                .id = (char *) "c1", .name = (char *) "web", .state = (char *) "running", .pid = 400};
        Resolve x = {.c = &c};
        FakeHost h;

        fake_host_init(&h);
        d = mi(h.root, "overlay2/a/merged", "shared:5 ", "overlay2/b/merged", "shared:6 ");
        fake_pid(h.proc, 100, 0, d, "dockerd\n", "0::/\n");
        fake_pid(h.proc, 400, 0, MI_ROOT, "nginx\n", "0::/\n");
        ck_assert_int_eq(leaks_find(&(LeakOptions){.proc = h.proc,
                                            .root_dir = h.root,
                                            .dockerd_pid = 100,
                                            .resolve_containers = resolve,
                                            .userdata = &x},
                                 &a, &err),
                0);
        ck_assert_uint_eq(x.calls, 0);
        ck_assert_uint_eq(a.n_leaks, 0);
        ck_assert(leak_report_complete(&a));
        fake_host_done(&h);

        /* the container bind-mounts Docker's root (a private copy): only its pid says it is
         * the container's, not a holder */
        fake_host_init(&h);
        free(d);
        d = mi(h.root, "overlay2/a/merged", "shared:5 ", "overlay2/b/merged", "shared:6 ");
        bind = mi(h.root, "overlay2/a/merged", "", "overlay2/b/merged", "");
        fake_pid(h.proc, 100, 0, d, "dockerd\n", "0::/\n");
        fake_pid(h.proc, 400, 0, bind, "cadvisor\n", "0::/\n");
        ck_assert_int_eq(leaks_find(&(LeakOptions){.proc = h.proc,
                                            .root_dir = h.root,
                                            .dockerd_pid = 100,
                                            .resolve_containers = resolve,
                                            .userdata = &x},
                                 &b, &err),
                0);
        ck_assert_uint_eq(x.calls, 1);
        ck_assert_uint_eq(b.n_leaks, 0);
        ck_assert(leak_report_complete(&b));
        fake_host_done(&h);
}
END_TEST

/* What leaks_release() checks before it enters a namespace or detaches anything. */
START_TEST(test_release_guard)
{
        char *inside[] = {(char *) "/var/lib/docker/overlay2/abc/merged", NULL};
        char *root[] = {(char *) "/var/lib/docker", NULL};
        char *dotdot[] = {(char *) "/var/lib/docker/../../etc", NULL};
        char proc[] = "/tmp/dockaudit-test-guard.XXXXXX";
        LeakReport rep = {
                .root_dir = (char *) "/var/lib/docker", .dockerd_known = true, .ref_dev = 7, .ref_ino = 42};
        int results[1] = {1};
        char *err = NULL;

        ck_assert_ptr_nonnull(mkdtemp(proc));
        fake_pid(proc, 100, 0, MI_ROOT, "dockerd\n", "0::/\n");
        fake_dockerd(proc, 100, "/usr/bin/dockerd", NULL);
        fake_pid(proc, 200, 0, MI_ROOT, "sleep\n", "0::/\n");

        /* dockerd's namespace is never entered */
        ck_assert_int_eq(leaks_release(&rep, proc, 200, 7, 42, inside, results, &err), -EPERM);
        ck_assert_ptr_nonnull(strstr(err, "mnt:[42] is dockerd's namespace"));
        free(err);
        err = NULL;
        /* nor any namespace through a dockerd */
        ck_assert_int_eq(leaks_release(&rep, proc, 100, 7, 43, inside, results, &err), -EPERM);
        ck_assert_ptr_nonnull(strstr(err, "pid 100 runs dockerd"));
        free(err);
        err = NULL;
        /* nor anything when dockerd's namespace is not known */
        rep.dockerd_known = false;
        ck_assert_int_eq(leaks_release(&rep, proc, 200, 7, 43, inside, results, &err), -EPERM);
        ck_assert_ptr_nonnull(strstr(err, "--dockerd-pid"));
        free(err);
        err = NULL;
        rep.dockerd_known = true;
        /* Docker's root itself, and a path that leaves it */
        ck_assert_int_eq(leaks_release(&rep, proc, 200, 7, 43, root, results, &err), -EPERM);
        free(err);
        err = NULL;
        ck_assert_int_eq(leaks_release(&rep, proc, 200, 7, 43, dotdot, results, &err), -EPERM);
        free(err);
        err = NULL;
        ck_assert_int_eq(results[0], 1); /* nothing was tried */
        rm_tree(proc);
}
END_TEST

START_TEST(test_escape)
{
        static const struct {
                const char *in, *text, *json;
        } t[] = {
                {"sleep", "sleep", "sleep"},
                {"\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07", "\x1b]0;pwned\x07"},
                {"caf\xc3\xa9", "caf\xc3\xa9", "caf\xc3\xa9"},
                {"a\xff"
                 "b",
                        "a\\xff"
                        "b",
                        "a\\xff"
                        "b"},
                {"csi\xc2\x9b", "csi\\xc2\\x9b", "csi\xc2\x9b"},
                {"over\xc0\xaflong", "over\\xc0\\xaflong", "over\\xc0\\xaflong"},
                {"cut\xe2\x82", "cut\\xe2\\x82", "cut\\xe2\\x82"},
                {"tab\tdel\x7f", "tab\\x09del\\x7f", "tab\tdel\x7f"},
                {"back\\slash", "back\\slash", "back\\slash"},
        };

        for (size_t i = 0; i < ELEMENTSOF(t); i++) {
                _cleanup_free_ char *a = leaks_escape(t[i].in, true), *b = leaks_escape(t[i].in, false);

                ck_assert_msg(streq(a, t[i].text), "%zu: text %s", i, a);
                ck_assert_msg(streq(b, t[i].json), "%zu: json %s", i, b);
        }
        ck_assert_ptr_null(leaks_escape(NULL, true));
}
END_TEST

/* pid's mountinfo made unreadable (a directory: the read fails), and, when gone, its ns/mnt
 * removed as well: the process exited while it was read (a dying task's mountinfo fails with
 * EINVAL), between the listing of the namespaces and the read. */
static void break_member(const char *proc, int pid, bool gone)
{
        _cleanup_free_ char *mi = strdupf("%s/%d/mountinfo", proc, pid),
                            *mnt = strdupf("%s/%d/ns/mnt", proc, pid);

        ck_assert_int_eq(unlink(mi), 0);
        ck_assert_int_eq(mkdir(mi, 0755), 0);
        if (gone)
                ck_assert_int_eq(unlink(mnt), 0);
}

/* Observed once in CI: a container stopped while the scan read its namespace, and the failed
 * read of the exiting process was reported as a namespace not judged (the audit
 * incomplete). A member that left its namespace does not count, whether its read worked or
 * not; a member still there whose read fails is still a failure. Both through a live read
 * and through texts fetched ahead (mntns_scan_fetch(), parsed later under the root, and
 * never read again). */
START_TEST(test_scan_member_gone)
{
        FakeHost h;
        _cleanup_free_ char *text = NULL, *other = NULL;

        fake_host_init(&h);
        text = mi(h.root, "overlay2/a/merged", "", "containers/b/mounts/shm", "");
        other = strdupf(MI_ROOT "2 1 0:60 / /elsewhere rw - tmpfs tmpfs rw\n");
        ck_assert_ptr_nonnull(text);
        ck_assert_ptr_nonnull(other);
        for (int fetch = 0; fetch < 2; fetch++) {
                _cleanup_(mntns_scan_done) MntnsScan s = {};
                const MountNamespace *ns;
                bool skip[8] = {};

                fake_pid(h.proc, 100, 0, text, "a\n", "0::/\n");
                fake_pid(h.proc, 200, 0, text, "b\n", "0::/\n");
                fake_pid(h.proc, 300, 0, text, "c\n", "0::/\n");
                fake_pid(h.proc, 400, 0, text, "d\n", "0::/\n");
                fake_pid(h.proc, 401, 400, text, "d2\n", "0::/\n");
                fake_pid(h.proc, 500, 0, text, "e\n", "0::/\n");
                ck_assert_int_eq(mntns_scan(h.proc, NULL, false, 0, &s), 0);
                ck_assert_uint_eq(s.n, 5);
                break_member(h.proc, 200, true);
                break_member(h.proc, 300, false);
                break_member(h.proc, 400, true); /* its namespace still has 401 */
                if (fetch) {
                        _cleanup_free_ char *mi500 = strdupf("%s/500/mountinfo", h.proc);

                        ck_assert_int_eq(mntns_scan_fetch(h.proc, 0, &s), 0);
                        ck_assert(s.fetched);
                        /* read once: what changes afterwards is not seen */
                        write_file(h.proc, "100/mountinfo", other);
                        ck_assert_int_eq(unlink(mi500), 0);
                        skip[mntns_scan_find_pid(&s, 500) - s.v] = true;
                } else
                        skip[mntns_scan_find_pid(&s, 500) - s.v] = true;
                ck_assert_int_eq(mntns_scan_read(h.proc, h.root, 0, skip, &s), 0);

                ns = mntns_scan_find_pid(&s, 100);
                ck_assert(ns->read);
                ck_assert_uint_eq(ns->mounts.n, 2); /* the two under the root, not /elsewhere */
                ns = mntns_scan_find_pid(&s, 200);
                ck_assert(!ns->read);
                ck_assert_int_eq(ns->read_error, -ESRCH);
                ns = mntns_scan_find_pid(&s, 300);
                ck_assert(!ns->read);
                ck_assert_int_lt(ns->read_error, 0);
                ck_assert_int_ne(ns->read_error, -ESRCH);
                ck_assert_int_eq(ns->read_pid, 300);
                ns = mntns_scan_find_pid(&s, 401);
                ck_assert(ns->read);
                ck_assert_int_eq(ns->read_pid, 401);
                ns = mntns_scan_find_pid(&s, 500);
                ck_assert(!ns->read);
                ck_assert_int_eq(ns->read_error, -ESRCH);
                ck_assert_ptr_null(ns->text);

                rm_tree(h.proc);
                ck_assert_int_eq(mkdir(h.proc, 0755), 0);
        }
        fake_host_done(&h);
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("leaks");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_classify);
        tcase_add_test(tc, test_cgroup_unit);
        tcase_add_test(tc, test_container_parse);
        tcase_add_test(tc, test_find);
        tcase_add_test(tc, test_attribute_by_id);
        tcase_add_test(tc, test_release_refuses);
        tcase_add_test(tc, test_dockerd_found_without_pid);
        tcase_add_test(tc, test_dockerd_unknown);
        tcase_add_test(tc, test_no_dockerd);
        tcase_add_test(tc, test_proc_read_deadline);
        tcase_add_test(tc, test_find_read_timeout);
        tcase_add_test(tc, test_scan_member_gone);
        tcase_add_test(tc, test_find_skips_containers);
        tcase_add_test(tc, test_resolve_containers);
        tcase_add_test(tc, test_release_guard);
        tcase_add_test(tc, test_escape);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
