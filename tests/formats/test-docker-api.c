/* SPDX-License-Identifier: MIT */
/* The Engine API client (src/formats/docker-api.c): failures to connect, a scripted daemon on a
 * temp socket, /info parsing. Real dockerd is exercised by the integration tests. */
#include <check.h>

#include "check-run.h"
#include "test-docker-server.h"

#include <sys/socket.h>
#include <sys/un.h>

#include "formats/docker-api.h"

START_TEST(test_docker_api_socket_missing)
{
        char dir[] = "/tmp/check-dockerapi-XXXXXX";
        _cleanup_free_ char *sock = NULL, *err = NULL, *expect = NULL;
        DockerInfo i = {};

        ck_assert_ptr_nonnull(mkdtemp(dir));
        sock = strdupf("%s/docker.sock", dir);
        ck_assert_int_eq(docker_api_info(sock, &i, &err), -ENOENT);
        expect = strdupf("%s: no such socket", sock);
        ck_assert_str_eq(err, expect);
        rmdir(dir);
}
END_TEST

START_TEST(test_docker_api_refused)
{
        char dir[] = "/tmp/check-dockerapi-XXXXXX";
        _cleanup_free_ char *err = NULL;
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        DockerInfo i = {};
        int fd;

        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(sa.sun_path, sizeof sa.sun_path, "%s/docker.sock", dir);
        fd = socket(AF_UNIX, SOCK_STREAM, 0);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(bind(fd, (struct sockaddr *) &sa, sizeof sa), 0);
        /* Bound but not listening: what a dead daemon's stale socket looks like. */
        ck_assert_int_eq(docker_api_info(sa.sun_path, &i, &err), -ECONNREFUSED);
        ck_assert_ptr_nonnull(strstr(err, "connection refused on "));
        close(fd);
        unlink(sa.sun_path);
        rmdir(dir);
}
END_TEST

START_TEST(test_docker_api_scripted_daemon)
{
        FakeDocker d;
        _cleanup_(docker_info_done) DockerInfo i = {};
        _cleanup_free_ char *err = NULL;

        fake_docker_start(&d);
        ck_assert_int_eq(docker_api_info(d.sa.sun_path, &i, &err), 0);
        fake_docker_stop(&d);
        ck_assert_str_eq(i.api_version, "1.41");
        ck_assert_str_eq(i.info_path, "/v1.41/info");
        ck_assert(i.has_live_restore && i.live_restore);
        ck_assert_str_eq(i.server_version, "20.10.21");
        ck_assert_str_eq(i.driver, "overlay2");
        ck_assert_str_eq(i.root_dir, "/var/lib/docker");
        ck_assert_str_eq(i.swarm_state, "inactive");
}
END_TEST

START_TEST(test_docker_info_parse)
{
        DockerInfo i = {};
        _cleanup_free_ char *err = NULL;

        /* Before API 1.25 there is no LiveRestoreEnabled. */
        static const char old[] = "{\"ServerVersion\":\"1.12.6\",\"Driver\":\"devicemapper\"}";
        static const char odd[] = "{\"LiveRestoreEnabled\":\"yes\",\"Swarm\":[]}";

        ck_assert_int_eq(docker_info_parse(old, sizeof old - 1, &i, NULL), 0);
        ck_assert(!i.has_live_restore);
        ck_assert_str_eq(i.server_version, "1.12.6");
        ck_assert_ptr_null(i.swarm_state);
        docker_info_done(&i);
        ck_assert_int_eq(docker_info_parse("[]", 2, &i, &err), -EBADMSG);
        ck_assert_int_eq(docker_info_parse(odd, sizeof odd - 1, &i, NULL), 0);
        ck_assert(!i.has_live_restore);
        docker_info_done(&i);
}
END_TEST

START_TEST(test_docker_container_is_dead)
{
        DockerContainer c = {.state = (char *) "dead"};

        ck_assert(docker_container_is_dead(&c));
        c.state = (char *) "removing";
        ck_assert(!docker_container_is_dead(&c));
        c.state = (char *) "Dead"; /* State.Status is lower case: this is not it */
        ck_assert(!docker_container_is_dead(&c));
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("docker_api");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_docker_api_socket_missing);
        tcase_add_test(tc, test_docker_api_refused);
        tcase_add_test(tc, test_docker_api_scripted_daemon);
        tcase_add_test(tc, test_docker_info_parse);
        tcase_add_test(tc, test_docker_container_is_dead);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
