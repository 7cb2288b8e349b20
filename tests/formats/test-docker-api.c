/* SPDX-License-Identifier: MIT */
/* The Engine API client (src/formats/docker-api.c): failures to connect, a scripted daemon on a
 * temp socket, /info parsing; a daemon that misbehaves (HTTP 500, garbage, huge or truncated
 * answers, slow drip, slow inspects). Real dockerd is exercised by the integration tests. */
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

/* DriverStatus and CgroupDriver: the example reply of moby's api/swagger.yaml (v1.41
 * SystemInfo: overlay2 on extfs), the 17.06.2-ce daemon of docker/for-linux#196 (overlay on
 * XFS ftype=0), devicemapper (no d_type line), and shapes a daemon should not send. */
START_TEST(test_docker_info_driver_status)
{
        static const char swagger[] =
                "{\"Driver\":\"overlay2\",\"DriverStatus\":[[\"Backing Filesystem\",\"extfs\"],"
                "[\"Supports d_type\",\"true\"],[\"Native Overlay "
                "Diff\",\"true\"]],\"CgroupDriver\":\"cgroupfs\","
                "\"CgroupVersion\":\"1\"}";
        static const char rhel74[] =
                "{\"ServerVersion\":\"17.06.2-ce\",\"Driver\":\"overlay\",\"DriverStatus\":"
                "[[\"Backing Filesystem\",\"xfs\"],[\"Supports d_type\",\"false\"]],"
                "\"CgroupDriver\":\"cgroupfs\"}";
        static const char dm[] =
                "{\"Driver\":\"devicemapper\",\"DriverStatus\":[[\"Pool Name\",\"docker-pool\"],"
                "[\"Backing Filesystem\",\"xfs\"],[\"Udev Sync Supported\",\"true\"]],"
                "\"CgroupDriver\":\"systemd\"}";
        static const char odd[] =
                "{\"DriverStatus\":[[\"Supports d_type\"],[\"Supports d_type\",\"yes\"],"
                "[\"Backing Filesystem\",1],[1,2],\"x\",[\"Supports d_type\",\"true\",\"x\"]],"
                "\"CgroupDriver\":7}";
        DockerInfo i = {};

        ck_assert_int_eq(docker_info_parse(swagger, sizeof swagger - 1, &i, NULL), 0);
        ck_assert(i.has_supports_d_type && i.supports_d_type);
        ck_assert_str_eq(i.backing_fs, "extfs");
        ck_assert_str_eq(i.cgroup_driver, "cgroupfs");
        docker_info_done(&i);

        ck_assert_int_eq(docker_info_parse(rhel74, sizeof rhel74 - 1, &i, NULL), 0);
        ck_assert(i.has_supports_d_type && !i.supports_d_type);
        ck_assert_str_eq(i.backing_fs, "xfs");
        ck_assert_str_eq(i.driver, "overlay");
        docker_info_done(&i);

        ck_assert_int_eq(docker_info_parse(dm, sizeof dm - 1, &i, NULL), 0);
        ck_assert(!i.has_supports_d_type);
        ck_assert_str_eq(i.backing_fs, "xfs");
        ck_assert_str_eq(i.cgroup_driver, "systemd");
        docker_info_done(&i);

        /* Pairs of another shape, a value other than true/false, a number: not read. */
        ck_assert_int_eq(docker_info_parse(odd, sizeof odd - 1, &i, NULL), 0);
        ck_assert(!i.has_supports_d_type);
        ck_assert_ptr_null(i.backing_fs);
        ck_assert_ptr_null(i.cgroup_driver);
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

/* ---- A daemon that misbehaves: every wait bounded, every failure named. ---- */

static double now_s(void)
{
        return (double) deadline_now_usec() / 1e6;
}

/* A 64-hex id from n. */
static void cid(char out[65], int n)
{
        snprintf(out, 65, "%064x", n + 1);
}

/* The list body of n containers, every one in state. */
static char *list_body(int n, const char *state)
{
        _cleanup_(sb_free) StrBuf b = {};

        ck_assert_int_ge(sb_append(&b, "["), 0);
        for (int i = 0; i < n; i++) {
                char id[65];

                cid(id, i);
                ck_assert_int_ge(sb_printf(&b, "%s{\"Id\":\"%s\",\"Names\":[\"/c%d\"],\"State\":\"%s\"}",
                                         i ? "," : "", id, i, state),
                        0);
        }
        ck_assert_int_ge(sb_append(&b, "]"), 0);
        return TAKE_PTR(b.buf);
}

static char *inspect_body(int i, const char *state)
{
        char id[65], *s = NULL;

        cid(id, i);
        ck_assert_int_ge(asprintf(&s,
                                 "{\"Id\":\"%s\",\"Name\":\"/c%d\",\"State\":{\"Status\":\"%s\",\"Pid\":%d},"
                                 "\"GraphDriver\":{\"Name\":\"overlay2\",\"Data\":{\"MergedDir\":"
                                 "\"/var/lib/docker/overlay2/l%d/merged\"}}}",
                                 id, i, state, streq(state, "running") ? 100 + i : 0, i),
                0);
        return s;
}

static void routes_free(FakeRoute *r, size_t n)
{
        for (size_t i = 0; i < n; i++)
                free(r[i].response);
}

/* ping + list of n containers in state (and the list filtered on the states to inspect,
 * which the client asks at the same time); each inspect answered (for its own container)
 * with status after delay_ms. r has room for n + 4 routes. */
static size_t routes_fill(FakeRoute *r, int n, const char *state, int status, unsigned delay_ms)
{
        _cleanup_free_ char *list = list_body(n, state);
        bool inspected = !streq(state, "exited") && !streq(state, "created");
        size_t k = 0;

        r[k++] = (FakeRoute){.request = "GET /_ping ", .response = fake_http(200, "OK")};
        r[k++] = (FakeRoute){
                .request = "GET /v1.41/containers/json?all=1 ", .response = fake_http(200, list)};
        r[k++] = (FakeRoute){.request = "GET /v1.41/containers/json?all=1&filters=%7B%22status%22%3A",
                .response = fake_http(200, inspected ? list : "[]")};
        for (int i = 0; i < n; i++) {
                _cleanup_free_ char *one = inspect_body(i, state);
                char id[65];

                cid(id, i);
                r[k] = (FakeRoute){
                        .response = fake_http(status, status == 200 ? one : "{\"message\":\"boom\"}"),
                        .delay_ms = delay_ms};
                ck_assert_int_ge(asprintf((char **) &r[k].request, "GET /v1.41/containers/%s/json ", id), 0);
                k++;
        }
        return k;
}

static void routes_free_all(FakeRoute *r, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                free(r[i].response);
                if (i >= 3)
                        free((char *) r[i].request);
        }
}

/* HTTP 500 for an inspect: the Dead container must not vanish from the list (issue 9). */
START_TEST(test_inspect_http_500)
{
        FakeRoute r[64];
        size_t n = routes_fill(r, 2, "dead", 500, 0);
        FakeDocker d;
        _cleanup_free_ char *err = NULL;
        DockerContainer *v = NULL;
        size_t nv = 0;
        char id[65];

        fake_routes_start(&d, r, n);
        ck_assert_int_eq(docker_api_containers(d.sa.sun_path, &v, &nv, &err), -EPROTO);
        fake_routes_stop(&d);
        ck_assert_ptr_null(v);
        cid(id, 0);
        ck_assert_msg(
                strstr(err, "Docker API GET /v1.41/containers/") && strstr(err, "/json: HTTP 500: boom"),
                "%s", err);
        ck_assert_msg(strstr(err, id) || strstr(err, "2/json"), "%s", err);
        routes_free_all(r, n);
}
END_TEST

/* 50 exited containers, the whole list and each inspect slow (1.5 s, under the 2 s budget):
 * neither is asked, the filtered list says there is nothing to inspect. */
START_TEST(test_exited_need_no_inspect)
{
        FakeRoute r[64];
        size_t n = routes_fill(r, 50, "exited", 200, 1500);
        FakeDocker d;
        _cleanup_free_ char *err = NULL;
        _cleanup_(docker_container_list_done) DockerContainerList l = {};
        double t0 = now_s();

        r[1].delay_ms = 1500;
        fake_routes_start(&d, r, n);
        ck_assert_int_eq(docker_api_containers(d.sa.sun_path, &l.v, &l.n, &err), 0);
        fake_routes_stop(&d);
        ck_assert_msg(now_s() - t0 < 1.0, "took %.1f s", now_s() - t0);
        ck_assert_uint_eq(l.n, 0);
        ck_assert_ptr_nonnull(l.v);
        routes_free_all(r, n);
}
END_TEST

/* A daemon that refuses the filter (an older one: HTTP 500 "Unrecognised filter value for
 * status: removing"), or answers it with garbage: the whole list, exited containers from the
 * list alone, the others inspected. One that does not answer it is not asked again. */
START_TEST(test_filter_refused)
{
        static const struct {
                int status;
                const char *body;
                unsigned delay_ms;
                int expect;
                const char *msg;
        } cases[] = {
                {500, "{\"message\":\"Unrecognised filter value for status: removing\"}", 0, 0, NULL},
                {400, "{\"message\":\"invalid filter\"}", 0, 0, NULL},
                {200, "\x01 garbage", 0, 0, NULL},
                {200, "[]", 2500, -ETIMEDOUT, "containers/json?all=1&filters="},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                FakeRoute r[64];
                size_t n = routes_fill(r, 4, "exited", 200, 0);
                FakeDocker d;
                _cleanup_free_ char *err = NULL, *list = NULL, *dead = inspect_body(1, "dead");
                _cleanup_(docker_container_list_done) DockerContainerList l = {};
                char id1[65];

                /* c1 is Dead: the whole list says so, its inspect too */
                cid(id1, 1);
                free(r[1].response);
                ck_assert_int_ge(asprintf(&list,
                                         "[{\"Id\":\"%064x\",\"Names\":[\"/c0\"],\"State\":\"exited\"},"
                                         "{\"Id\":\"%s\",\"Names\":[\"/c1\"],\"State\":\"dead\"}]",
                                         1, id1),
                        0);
                r[1].response = fake_http(200, list);
                free(r[2].response);
                r[2].response = fake_http(cases[i].status, cases[i].body);
                r[2].delay_ms = cases[i].delay_ms;
                free(r[4].response);
                r[4].response = fake_http(200, dead);
                fake_routes_start(&d, r, n);
                ck_assert_int_eq(docker_api_containers(d.sa.sun_path, &l.v, &l.n, &err), cases[i].expect);
                fake_routes_stop(&d);
                if (cases[i].expect < 0) {
                        ck_assert_msg(err && strstr(err, cases[i].msg), "case %zu: %s", i, strempty(err));
                        ck_assert_ptr_null(l.v);
                } else {
                        ck_assert_uint_eq(l.n, 2);
                        ck_assert_str_eq(l.v[0].state, "exited");
                        ck_assert_ptr_null(l.v[0].mount_dirs[0]);
                        ck_assert_str_eq(l.v[1].state, "dead");
                        ck_assert_str_eq(l.v[1].mount_dirs[0], "/var/lib/docker/overlay2/l1/merged");
                }
                routes_free_all(r, n);
        }
}
END_TEST

/* Containers asked for by id: the one with that id; 404 (removed), an id that is not hex, or
 * dockerd's answer for another container (it takes the id for a name too) name none; any
 * other failure fails the call, naming the request. */
START_TEST(test_containers_by_id)
{
        static const struct {
                int status;
                const char *body; /* NULL: the container's own inspect */
                int expect;
                size_t n;
                const char *msg;
        } cases[] = {
                {200, NULL, 0, 1, NULL},
                {404, "{\"message\":\"No such container\"}", 0, 0, NULL},
                {200, "{\"Id\":\"beef\",\"Name\":\"/other\",\"State\":{\"Status\":\"exited\"}}", 0, 0, NULL},
                {500, "{\"message\":\"boom\"}", -EPROTO, 0, "/json: HTTP 500: boom"},
                {200, "\x01 garbage", -EBADMSG, 0, "not a JSON object"},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                FakeRoute r[64];
                size_t n = routes_fill(r, 3, "exited", 200, 0);
                FakeDocker d;
                _cleanup_free_ char *err = NULL;
                _cleanup_(docker_container_list_done) DockerContainerList l = {};
                char id2[65];
                const char *ids[] = {NULL, "not/hex", "aa"}; /* "aa": no route, 404 */

                cid(id2, 2);
                ids[0] = id2;
                if (cases[i].body) {
                        free(r[5].response);
                        r[5].response = fake_http(cases[i].status, cases[i].body);
                }
                fake_routes_start(&d, r, n);
                ck_assert_int_eq(docker_api_containers_by_id_until(d.sa.sun_path, 0, ids, 3, &l, &err),
                        cases[i].expect);
                fake_routes_stop(&d);
                if (cases[i].expect < 0) {
                        ck_assert_msg(err && strstr(err, cases[i].msg) && strstr(err, id2), "case %zu: %s",
                                i, strempty(err));
                        ck_assert_ptr_null(l.v);
                } else {
                        ck_assert_uint_eq(l.n, cases[i].n);
                        ck_assert_ptr_nonnull(l.v);
                        if (l.n > 0) {
                                ck_assert_str_eq(l.v[0].id, id2);
                                ck_assert_str_eq(l.v[0].name, "c2");
                                ck_assert_str_eq(l.v[0].state, "exited");
                        }
                }
                routes_free_all(r, n);
        }
}
END_TEST

/* 12 running containers, each inspect 0.5 s: in parallel, not 12 x 0.5 s. */
START_TEST(test_running_inspected_in_parallel)
{
        FakeRoute r[64];
        size_t n = routes_fill(r, 12, "running", 200, 500);
        FakeDocker d;
        _cleanup_free_ char *err = NULL;
        _cleanup_(docker_container_list_done) DockerContainerList l = {};
        double t0 = now_s(), dt;

        for (size_t i = 3; i < n; i++) { /* chunked, as dockerd answers */
                _cleanup_free_ char *one = inspect_body((int) i - 3, "running");
                free(r[i].response);
                ck_assert_int_ge(asprintf(&r[i].response,
                                         "HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Type: "
                                         "application/json\r\nTransfer-Encoding: "
                                         "chunked\r\n\r\n%zx\r\n%s\r\n0\r\n\r\n",
                                         strlen(one), one),
                        0);
        }
        fake_routes_start(&d, r, n);
        ck_assert_int_eq(docker_api_containers(d.sa.sun_path, &l.v, &l.n, &err), 0);
        dt = now_s() - t0;
        fake_routes_stop(&d);
        ck_assert_msg(dt < 12 * 0.5 / 2, "took %.1f s", dt);
        ck_assert_uint_eq(l.n, 12);
        /* The inspect's answer replaces the list entry. */
        ck_assert_str_eq(l.v[5].state, "running");
        ck_assert_int_eq(l.v[5].pid, 105);
        ck_assert_str_eq(l.v[5].mount_dirs[0], "/var/lib/docker/overlay2/l5/merged");
        routes_free_all(r, n);
}
END_TEST

/* The list for the leak finder: running containers wait for their inspect (each 1.5 s here:
 * none asked), Dead ones are inspected at once; then the waiting ones, when asked. */
START_TEST(test_running_inspected_on_demand)
{
        FakeRoute r[64];
        size_t n = routes_fill(r, 3, "running", 200, 1500);
        FakeDocker d;
        _cleanup_free_ char *err = NULL, *list = NULL, *dead = inspect_body(1, "dead");
        _cleanup_(docker_container_list_done) DockerContainerList l = {};
        char id0[65], id1[65], id2[65];
        double t0 = now_s();

        cid(id0, 0), cid(id1, 1), cid(id2, 2);
        ck_assert_int_ge(asprintf(&list,
                                 "[{\"Id\":\"%s\",\"Names\":[\"/c0\"],\"State\":\"running\"},"
                                 "{\"Id\":\"%s\",\"Names\":[\"/c1\"],\"State\":\"dead\"},"
                                 "{\"Id\":\"%s\",\"Names\":[\"/c2\"],\"State\":\"paused\"}]",
                                 id0, id1, id2),
                0);
        free(r[2].response);
        r[2].response = fake_http(200, list);
        free(r[4].response);
        r[4].response = fake_http(200, dead);
        r[4].delay_ms = 0;
        fake_routes_start(&d, r, n);
        ck_assert_int_eq(docker_api_containers_list_until(d.sa.sun_path, 0, &l, &err), 0);
        ck_assert_msg(now_s() - t0 < 1.0, "took %.1f s", now_s() - t0);
        ck_assert_str_eq(l.query, DOCKER_API_LIST_FILTERED);
        ck_assert_uint_eq(l.n, 3);
        ck_assert(!l.v[0].inspected);
        ck_assert_str_eq(l.v[0].state, "running");
        ck_assert_str_eq(l.v[0].name, "c0");
        ck_assert_int_eq(l.v[0].pid, 0);
        ck_assert(l.v[1].inspected);
        ck_assert_str_eq(l.v[1].mount_dirs[0], "/var/lib/docker/overlay2/l1/merged");
        ck_assert(!l.v[2].inspected);
        ck_assert_int_eq(docker_api_containers_inspect_until(d.sa.sun_path, 0, &l, &err), 0);
        fake_routes_stop(&d);
        ck_assert_msg(now_s() - t0 > 1.4, "took %.1f s", now_s() - t0);
        ck_assert_uint_eq(l.n, 3);
        ck_assert(l.v[0].inspected && l.v[2].inspected);
        ck_assert_int_eq(l.v[0].pid, 100);
        ck_assert_str_eq(l.v[2].mount_dirs[0], "/var/lib/docker/overlay2/l2/merged");
        routes_free_all(r, n);
}
END_TEST

/* 50 Dead containers, each inspect 1.9 s: the deadline (3 s) ends the call, not 50 x 2 s. */
START_TEST(test_slow_inspects_deadline)
{
        FakeRoute r[64];
        size_t n = routes_fill(r, 50, "dead", 200, 1900);
        FakeDocker d;
        _cleanup_free_ char *err = NULL;
        DockerContainer *v = NULL;
        size_t nv = 0;
        double t0 = now_s(), dt;

        fake_routes_start(&d, r, n);
        ck_assert_int_eq(
                docker_api_containers_until(d.sa.sun_path, deadline_now_usec() + 3000000ULL, &v, &nv, &err),
                -ETIMEDOUT);
        dt = now_s() - t0;
        fake_routes_stop(&d);
        ck_assert_msg(dt < 4.0, "took %.1f s", dt);
        ck_assert_msg(strstr(err, "Docker API GET /v1.41/containers/"), "%s", err);
        routes_free_all(r, n);
}
END_TEST

/* Answers that are not what a daemon sends: each fails, named, within its budget. */
START_TEST(test_bad_answers)
{
        static const char *const truncated = "HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\n"
                                             "Transfer-Encoding: chunked\r\n\r\n10\r\n{\"ID\":\"x\",";
        _cleanup_free_ char *huge_body = malloc(5 * 1024 * 1024 + 1);
        struct {
                const char *what;
                FakeRoute info;
                int expect;
                const char *msg;
        } cases[] = {
                {"garbage", {.response = fake_http(200, "\x01\xff garbage")}, -EBADMSG, "not a JSON object"},
                {"http 500", {.response = fake_http(500, "{\"message\":\"x\"}")}, -EPROTO, "HTTP 500: x"},
                {"huge", {.response = NULL}, -EBADMSG, "larger than"},
                {"truncated chunked", {.response = strdup(truncated), .close = true}, -EPROTO,
                        "/v1.41/info"},
                {"slow drip", {.response = fake_http(200, "{}"), .drip_ms = 100}, -ETIMEDOUT,
                        "no answer within"},
        };

        ck_assert_ptr_nonnull(huge_body);
        memset(huge_body, ' ', 5 * 1024 * 1024);
        huge_body[5 * 1024 * 1024] = 0;
        cases[2].info.response = fake_http(200, huge_body);
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                FakeRoute r[2] = {
                        {.request = "GET /_ping ", .response = fake_http(200, "OK")}, cases[i].info};
                FakeDocker d;
                _cleanup_free_ char *err = NULL;
                _cleanup_(docker_info_done) DockerInfo info = {};
                double t0 = now_s(), dt;

                r[1].request = "GET /v1.41/info ";
                fake_routes_start(&d, r, 2);
                ck_assert_int_eq(docker_api_info(d.sa.sun_path, &info, &err), cases[i].expect);
                dt = now_s() - t0;
                fake_routes_stop(&d);
                ck_assert_msg(dt < DOCKER_API_TIMEOUT_MS / 1000.0 + 1, "%s: took %.1f s", cases[i].what, dt);
                ck_assert_msg(err && strstr(err, cases[i].msg), "%s: %s", cases[i].what, strempty(err));
                routes_free(r, 2);
        }
}
END_TEST

/* The list is read element by element as it arrives: byte by byte (a drip), braces and
 * escaped quotes inside strings, an empty list; and what is not an array of objects. */
START_TEST(test_list_reader)
{
        static const struct {
                const char *body;
                unsigned drip_ms;
                int expect;
                size_t n;
                const char *name; /* of the last container */
        } cases[] = {
                {"[{\"Id\":\"aa\",\"Names\":[\"/a}\\\"b[\"],\"State\":\"exited\",\"X\":{\"y\":[1,{}]}},"
                 " {\"Id\":\"bb\",\"Names\":[\"/two\"],\"State\":\"created\"}]\n",
                        1, 0, 2, "two"},
                {"[{\"Id\":\"aa\",\"Names\":[\"/a}\\\"b[\"],\"State\":\"exited\"}]", 0, 0, 1, "a}\"b["},
                {" [ ] ", 0, 0, 0, NULL},
                {"[{\"Id\":\"not hex\"},{\"Id\":\"cc\",\"State\":\"exited\"}]", 0, 0, 1, ""},
                {"{}", 0, -EBADMSG, 0, NULL},
                {"[1]", 0, -EBADMSG, 0, NULL},
                {"[{},]", 0, -EBADMSG, 0, NULL},
                {"[,{}]", 0, -EBADMSG, 0, NULL},
                {"[{}", 0, -EBADMSG, 0, NULL},
                {"[{}] x", 0, -EBADMSG, 0, NULL},
                {"[{\"Id\":}]", 0, -EBADMSG, 0, NULL},
                {"", 0, -EBADMSG, 0, NULL},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                FakeRoute r[2] = {{.request = "GET /_ping ", .response = fake_http(200, "OK")},
                        {.request = "GET /v1.41/containers/json?all=1 ",
                                .response = fake_http(200, cases[i].body),
                                .drip_ms = cases[i].drip_ms}};
                FakeDocker d;
                _cleanup_free_ char *err = NULL;
                _cleanup_(docker_container_list_done) DockerContainerList l = {};

                fake_routes_start(&d, r, 2);
                ck_assert_int_eq(docker_api_containers(d.sa.sun_path, &l.v, &l.n, &err), cases[i].expect);
                fake_routes_stop(&d);
                if (cases[i].expect < 0) {
                        ck_assert_msg(err && strstr(err, "Docker API GET /v1.41/containers/json?all=1: "),
                                "case %zu: %s", i, strempty(err));
                        ck_assert_ptr_null(l.v);
                } else {
                        ck_assert_uint_eq(l.n, cases[i].n);
                        if (cases[i].name)
                                ck_assert_str_eq(l.v[l.n - 1].name, cases[i].name);
                }
                routes_free(r, 2);
        }
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
        tcase_add_test(tc, test_docker_info_driver_status);
        tcase_add_test(tc, test_docker_container_is_dead);
        tcase_set_timeout(tc, 30);
        tcase_add_test(tc, test_inspect_http_500);
        tcase_add_test(tc, test_exited_need_no_inspect);
        tcase_add_test(tc, test_filter_refused);
        tcase_add_test(tc, test_containers_by_id);
        tcase_add_test(tc, test_running_inspected_in_parallel);
        tcase_add_test(tc, test_running_inspected_on_demand);
        tcase_add_test(tc, test_slow_inspects_deadline);
        tcase_add_test(tc, test_bad_answers);
        tcase_add_test(tc, test_list_reader);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
