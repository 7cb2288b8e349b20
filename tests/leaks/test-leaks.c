/* SPDX-License-Identifier: MIT */
/* leaks.c's pure parts: which paths under Docker's root are container mounts, the systemd
 * unit of a /proc/PID/cgroup text, and the container inspect parser of docker-api.c. The
 * namespace scan and the release run against a real dockerd in tests/integration/test-leaks.sh. */
#include <check.h>

#include "check-run.h"

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

static Suite *suite(void)
{
        Suite *s = suite_create("leaks");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_classify);
        tcase_add_test(tc, test_cgroup_unit);
        tcase_add_test(tc, test_container_parse);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
