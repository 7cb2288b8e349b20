/* SPDX-License-Identifier: MIT */
/* The docker CLI's text (src/formats/docker-info-text.c) as sos reports keep it: docker info
 * in the layout of Docker 1.x (server keys at the start of the line) and of 17.x and later
 * (indented under "Server:", after "Client:"; the 20.10 text is tests/fixtures/sos's), docker
 * version's server API version, docker ps -a's columns. */
#include <check.h>

#include "check-run.h"

#include "basic/strv.h"
#include "formats/docker-info-text.h"

/* Docker 1.13 on RHEL 7 (the layout: sub-keys one space in). */
static const char info_113[] = "Containers: 3\n"
                               " Running: 1\n"
                               " Paused: 0\n"
                               " Stopped: 2\n"
                               "Images: 4\n"
                               "Server Version: 1.13.1\n"
                               "Storage Driver: devicemapper\n"
                               " Pool Name: docker-253:0-10499681-pool\n"
                               " Data loop file: /var/lib/docker/devicemapper/devicemapper/data\n"
                               "Logging Driver: journald\n"
                               "Swarm: inactive\n"
                               "Kernel Version: 3.10.0-1160.el7.x86_64\n"
                               "Docker Root Dir: /var/lib/docker\n"
                               "Live Restore Enabled: true\n";

static const char info_2010[] = "Client:\n"
                                " Context:    default\n"
                                " Debug Mode: false\n"
                                "\n"
                                "Server:\n"
                                " Containers: 1\n"
                                "  Running: 1\n"
                                " Server Version: 20.10.24+dfsg1\n"
                                " Storage Driver: overlay2\n"
                                "  Backing Filesystem: extfs\n"
                                " Swarm: inactive\n"
                                " Docker Root Dir: /var/lib/docker\n"
                                " Debug Mode: false\n"
                                " Live Restore Enabled: false\n"
                                "\n"
                                "WARNING: No swap limit support\n";

START_TEST(test_info_layouts)
{
        struct {
                const char *text, *version, *driver;
                bool live;
        } cases[] = {{info_113, "1.13.1", "devicemapper", true},
                {info_2010, "20.10.24+dfsg1", "overlay2", false}};

        for (size_t k = 0; k < ELEMENTSOF(cases); k++) {
                _cleanup_(docker_info_done) DockerInfo i = {};
                _cleanup_free_ char *err = NULL;
                bool server;

                ck_assert_int_eq(
                        docker_info_text_parse(cases[k].text, strlen(cases[k].text), &i, &server, &err), 0);
                ck_assert(server);
                ck_assert_str_eq(i.server_version, cases[k].version);
                ck_assert_str_eq(i.driver, cases[k].driver);
                ck_assert_str_eq(i.root_dir, "/var/lib/docker");
                ck_assert_str_eq(i.swarm_state, "inactive");
                ck_assert(i.has_live_restore);
                ck_assert(i.live_restore == cases[k].live);
                ck_assert_ptr_null(i.api_version);
        }
}
END_TEST

/* A nested key of the same name is not the server's; the first of each counts. */
START_TEST(test_info_nested)
{
        static const char text[] = "Server:\n"
                                   " Plugins:\n"
                                   "  Storage Driver: bogus\n"
                                   " Server Version: 24.0.7\n"
                                   " Storage Driver: overlay2\n"
                                   " Storage Driver: second\n"
                                   " Live Restore Enabled: maybe\n";
        _cleanup_(docker_info_done) DockerInfo i = {};
        _cleanup_free_ char *err = NULL;
        bool server;

        ck_assert_int_eq(docker_info_text_parse(text, strlen(text), &i, &server, &err), 0);
        ck_assert_str_eq(i.driver, "overlay2");
        ck_assert(!i.has_live_restore);
        ck_assert_ptr_null(i.root_dir);
}
END_TEST

START_TEST(test_info_no_server)
{
        static const char text[] =
                "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker "
                "daemon running?\n";
        _cleanup_(docker_info_done) DockerInfo i = {};
        _cleanup_free_ char *err = NULL;
        bool server = true;

        ck_assert_int_eq(docker_info_text_parse(text, strlen(text), &i, &server, &err), 0);
        ck_assert(!server);
        ck_assert_ptr_null(i.server_version);
        ck_assert_int_eq(docker_info_text_parse("", 0, &i, &server, &err), 0);
        ck_assert(!server);
}
END_TEST

START_TEST(test_info_bad)
{
        static const char nul[] = "Server Version: 1\0x\n", latin1[] = "Server Version: caf\xe9\n";
        DockerInfo i = {};
        char *err = NULL;
        bool server;

        ck_assert_int_eq(docker_info_text_parse(nul, sizeof nul - 1, &i, &server, &err), -EBADMSG);
        ck_assert_ptr_nonnull(strstr(err, "NUL"));
        free(err);
        err = NULL;
        ck_assert_int_eq(docker_info_text_parse(latin1, strlen(latin1), &i, &server, &err), -EBADMSG);
        ck_assert_ptr_nonnull(strstr(err, "UTF-8"));
        free(err);
}
END_TEST

START_TEST(test_version_api)
{
        static const char v2010[] = "Client:\n Version:           20.10.24\n API version:       1.41\n\n"
                                    "Server:\n Engine:\n  Version:          20.10.24\n"
                                    "  API version:      1.41 (minimum version 1.12)\n";
        static const char v113[] =
                "Client:\n Version:         1.13.1\n API version:     1.26\n\n"
                "Server:\n Version:         1.13.1\n API version:     1.26 (minimum version 1.12)\n";
        static const char nosrv[] = "Client:\n API version:  1.41\nCannot connect to the Docker daemon\n";
        char *api = NULL, *err = NULL;

        ck_assert_int_eq(docker_version_text_api(v2010, strlen(v2010), &api, &err), 0);
        ck_assert_str_eq(api, "1.41");
        free(api);
        ck_assert_int_eq(docker_version_text_api(v113, strlen(v113), &api, &err), 0);
        ck_assert_str_eq(api, "1.26");
        free(api);
        ck_assert_int_eq(docker_version_text_api(nosrv, strlen(nosrv), &api, &err), 0);
        ck_assert_ptr_null(api);
}
END_TEST

START_TEST(test_ps)
{
        /* "…" (3 bytes, one column) in COMMAND: tabwriter counts characters. */
        static const char text[] = "CONTAINER ID   IMAGE     COMMAND                  CREATED        STATUS "
                                   "                    PORTS     NAMES\n"
                                   "8bc40715a2a7   busybox   \"sleep 600\"              1 second ago   Up 1 "
                                   "second                          workload\n"
                                   "1f2e3d4c5b6a   nginx     \"/docker-entrypoint.…\"   2 days ago     Dead "
                                   "                                web\n"
                                   "0a0b0c0d0e0f   busybox   \"true\"                   2 days ago     "
                                   "Exited (0) 2 days ago                done\n"
                                   "aaaaaaaaaaaa   busybox   \"sleep 1d\"               3 hours ago    Up 3 "
                                   "hours (Paused)                  paused\n";
        _cleanup_strv_free_ char **dead = NULL;
        _cleanup_free_ char *err = NULL;
        long long running = -1;

        ck_assert_int_eq(docker_ps_text_parse(text, strlen(text), &running, &dead, &err), 0);
        ck_assert_int_eq(running, 2);
        ck_assert_str_eq(dead[0], "1f2e3d4c5b6a web");
        ck_assert_ptr_null(dead[1]);
}
END_TEST

START_TEST(test_ps_bad)
{
        static const char noheader[] = "8bc40715a2a7   busybox   \"sleep 600\"\n";
        static const char shortrow[] = "CONTAINER ID   IMAGE   STATUS   NAMES\nabc\n";
        char **dead = NULL, *err = NULL;
        long long running;

        ck_assert_int_eq(docker_ps_text_parse(noheader, strlen(noheader), &running, &dead, &err), -EBADMSG);
        free(err);
        err = NULL;
        ck_assert_int_eq(docker_ps_text_parse(shortrow, strlen(shortrow), &running, &dead, &err), -EBADMSG);
        ck_assert_str_eq(err, "docker ps: line 2 is shorter than its columns");
        free(err);
        err = NULL;
        ck_assert_int_eq(docker_ps_text_parse("", 0, &running, &dead, &err), -EBADMSG);
        free(err);
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("docker-info-text");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_info_layouts);
        tcase_add_test(tc, test_info_nested);
        tcase_add_test(tc, test_info_no_server);
        tcase_add_test(tc, test_info_bad);
        tcase_add_test(tc, test_version_api);
        tcase_add_test(tc, test_ps);
        tcase_add_test(tc, test_ps_bad);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
