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

#include "check-run.h"

#include "leaks/leaks-release.h"
#include "leaks/leaks.h"

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
        ck_assert_int_eq(
                leaks_release(NULL, getpid(), 0, 0, "/var/lib/docker", outside, results, &err), -EPERM);
        ck_assert_ptr_nonnull(strstr(err, "/etc is not below /var/lib/docker"));
        free(err);
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
        tcase_add_test(tc, test_release_refuses);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
