/* SPDX-License-Identifier: MIT */
/* docker.* facts from the Engine API (src/collect/collect-docker-api.c): a missing socket, a
 * scripted daemon on a temp socket, --root. */
#include <check.h>

#include "check-run.h"
#include "test-docker-server.h"

#include "collect/collect.h"
#include "formats/docker-api.h"

static const Fact *get(const Facts *f, const char *name)
{
        const Fact *x = facts_get(f, name);

        ck_assert_msg(x, "%s not set", name);
        return x;
}

START_TEST(test_socket_missing)
{
        char dir[] = "/tmp/check-dockerapi-XXXXXX";
        _cleanup_free_ char *sock = NULL, *err = NULL;
        _cleanup_facts_ Facts f = {};
        CollectOptions o = {.unit = "docker.service"};
        DockerInfo i = {};
        const Fact *x;

        ck_assert_ptr_nonnull(mkdtemp(dir));
        sock = strdupf("%s/docker.sock", dir);
        ck_assert_int_eq(docker_api_info(sock, &i, &err), -ENOENT);
        ck_assert_int_eq(collect_docker_api(&f, &o, sock, "test"), 0);
        x = get(&f, "docker.running");
        ck_assert(x->known && !x->b);
        x = get(&f, "docker.live_restore");
        ck_assert(!x->known);
        ck_assert_str_eq(x->reason, err);
        x = get(&f, "docker.socket");
        ck_assert(x->known && streq(x->str, sock));
        rmdir(dir);
}
END_TEST

START_TEST(test_scripted_daemon)
{
        FakeDocker d;
        _cleanup_facts_ Facts f = {};
        CollectOptions o = {.unit = "docker.service"};
        const Fact *x;

        fake_docker_start(&d);
        ck_assert_int_eq(collect_docker_api(&f, &o, d.sa.sun_path, "test"), 0);
        fake_docker_stop(&d);
        x = get(&f, "docker.running");
        ck_assert_msg(x->known && x->b, "%s", strempty(get(&f, "docker.live_restore")->reason));
        x = get(&f, "docker.api_version");
        ck_assert(x->known && streq(x->str, "1.41"));
        x = get(&f, "docker.live_restore");
        ck_assert(x->known && x->b);
        ck_assert_str_eq(x->source, "docker-api:/v1.41/info LiveRestoreEnabled");
        x = get(&f, "docker.server_version");
        ck_assert(x->known && streq(x->str, "20.10.21"));
        x = get(&f, "docker.storage_driver");
        ck_assert(x->known && streq(x->str, "overlay2"));
        x = get(&f, "docker.root_dir");
        ck_assert(x->known && streq(x->str, "/var/lib/docker"));
        x = get(&f, "docker.swarm_state");
        ck_assert(x->known && streq(x->str, "inactive"));
}
END_TEST

/* The /info of this machine's dockerd 20.10.24 with overlay2 on an ext4 data root (the fields
 * read here, as tests/integration/test-storage.sh saw them), then a 17.06 daemon without d_type
 * and a vfs daemon. */
static void info_facts_of(const char *body, Facts *f)
{
        FakeRoute r[2] = {{.request = "GET /_ping ", .response = fake_http(200, "OK")},
                {.request = "GET /v1.41/info ", .response = fake_http(200, body)}};
        CollectOptions o = {.unit = "docker.service"};
        FakeDocker d;

        fake_routes_start(&d, r, 2);
        ck_assert_int_eq(collect_docker_api(f, &o, d.sa.sun_path, "test"), 0);
        fake_routes_stop(&d);
        free(r[0].response);
        free(r[1].response);
}

START_TEST(test_storage_and_cgroup_facts)
{
        _cleanup_facts_ Facts f = {}, g = {}, h = {};
        const Fact *x;

        info_facts_of("{\"Driver\":\"overlay2\",\"DriverStatus\":[[\"Backing Filesystem\",\"extfs\"],"
                      "[\"Supports d_type\",\"true\"],[\"Native Overlay "
                      "Diff\",\"true\"],[\"userxattr\",\"false\"]],"
                      "\"CgroupDriver\":\"cgroupfs\",\"CgroupVersion\":\"1\",\"ServerVersion\":\"20.10.24+"
                      "dfsg1\"}",
                &f);
        x = get(&f, "docker.supports_d_type");
        ck_assert(x->known && x->b);
        ck_assert_str_eq(x->source, "docker-api:/v1.41/info DriverStatus \"Supports d_type\"");
        x = get(&f, "docker.backing_fs");
        ck_assert(x->known && streq(x->str, "extfs"));
        x = get(&f, "docker.cgroup_driver");
        ck_assert(x->known && streq(x->str, "cgroupfs") &&
                  streq(x->source, "docker-api:/v1.41/info CgroupDriver"));

        info_facts_of("{\"Driver\":\"overlay\",\"DriverStatus\":[[\"Backing Filesystem\",\"xfs\"],"
                      "[\"Supports d_type\",\"false\"]],\"CgroupDriver\":\"systemd\"}",
                &g);
        x = get(&g, "docker.supports_d_type");
        ck_assert(x->known && !x->b);

        info_facts_of("{\"Driver\":\"vfs\",\"DriverStatus\":[]}", &h);
        x = get(&h, "docker.supports_d_type");
        ck_assert_msg(!x->known && strstr(x->reason, "storage driver 'vfs'"), "%s", strempty(x->reason));
        ck_assert(!get(&h, "docker.backing_fs")->known);
        ck_assert(!get(&h, "docker.cgroup_driver")->known);
}
END_TEST

START_TEST(test_offline)
{
        _cleanup_facts_ Facts f = {};
        CollectOptions o = {.unit = "docker.service", .root = "/srv/image"};

        ck_assert_int_eq(collect_docker_api(&f, &o, NULL, NULL), 0);
        ck_assert(!get(&f, "docker.running")->known);
        ck_assert(!get(&f, "docker.live_restore")->known);
        ck_assert(!get(&f, "docker.supports_d_type")->known);
        ck_assert(!get(&f, "docker.cgroup_driver")->known);
}
END_TEST

/* The problems the collector added (audit.problems), joined by "|". */
static char *problems(const Facts *f)
{
        const Fact *x = facts_get(f, "audit.problems");
        _cleanup_(sb_free) StrBuf b = {};

        ck_assert_int_ge(sb_append(&b, ""), 0);
        for (char **p = x && x->known ? x->list : NULL; p && *p; p++)
                ck_assert_int_ge(sb_printf(&b, "%s|", *p), 0);
        return TAKE_PTR(b.buf);
}

/* A daemon slower than the run's deadline: unknown with "timed out after N s", a problem;
 * a daemon answering HTTP 500: unknown (not "not running"), a problem naming the request. */
START_TEST(test_deadline_and_http_error)
{
        FakeRoute r[2] = {{.request = "GET /_ping ", .response = fake_http(200, "OK")},
                {.request = "GET /v1.41/info ",
                        .response = fake_http(200, FAKE_DOCKER_INFO_BODY),
                        .delay_ms = 1500}};
        FakeDocker d;
        _cleanup_facts_ Facts f = {}, g = {};
        _cleanup_free_ char *p = NULL, *q = NULL;
        CollectOptions o = {.unit = "docker.service",
                .timeout_usec = 1000000ULL,
                .deadline_usec = deadline_now_usec() + 1000000ULL};
        const Fact *x;

        fake_routes_start(&d, r, 2);
        ck_assert_int_eq(collect_docker_api(&f, &o, d.sa.sun_path, "test"), 0);
        fake_routes_stop(&d);
        ck_assert_msg(deadline_now_usec() < o.deadline_usec + 500000ULL, "not bounded by the deadline");
        x = get(&f, "docker.running");
        ck_assert(!x->known);
        ck_assert_msg(startswith(x->reason, "timed out after 1 s (--timeout): "), "%s", x->reason);
        ck_assert(!get(&f, "docker.live_restore")->known);
        p = problems(&f);
        ck_assert_msg(strstr(p, "timed out after 1 s") && strstr(p, "/v1.41/info"), "%s", p);

        free(r[1].response);
        r[1] = (FakeRoute){
                .request = "GET /v1.41/info ", .response = fake_http(500, "{\"message\":\"oops\"}")};
        o.deadline_usec = 0;
        fake_routes_start(&d, r, 2);
        ck_assert_int_eq(collect_docker_api(&g, &o, d.sa.sun_path, "test"), 0);
        fake_routes_stop(&d);
        ck_assert(!get(&g, "docker.running")->known);
        q = problems(&g);
        ck_assert_msg(streq(q, "Docker API GET /v1.41/info: HTTP 500: oops|"), "%s", q);
        free(r[0].response);
        free(r[1].response);
}
END_TEST

/* collect_all()'s way: both answers asked ahead in threads, on the socket DOCKER_HOST names,
 * then taken by collect_docker_api() and collect_docker_containers(). */
START_TEST(test_prefetch)
{
        static const char *const list = "[{\"Id\":\"aa\",\"Names\":[\"/one\"],\"State\":\"exited\"},"
                                        "{\"Id\":\"bb\",\"Names\":[\"/two\"],\"State\":\"dead\"}]";
        static const char *const bb = "{\"Id\":\"bb\",\"Name\":\"/two\",\"State\":{\"Status\":\"dead\"}}";
        FakeRoute r[4] = {{.request = "GET /_ping ", .response = fake_http(200, "OK")},
                {.request = "GET /v1.41/info ",
                        .response = fake_http(200, FAKE_DOCKER_INFO_BODY),
                        .delay_ms = 200},
                {.request = "GET /v1.41/containers/json?all=1 ", .response = fake_http(200, list)},
                {.request = "GET /v1.41/containers/bb/json ", .response = fake_http(200, bb)}};
        FakeDocker d;
        _cleanup_facts_ Facts f = {};
        _cleanup_free_ char *host = NULL, *err = NULL;
        _cleanup_(docker_container_list_done) DockerContainerList l = {};
        CollectOptions o = {.unit = "docker.service", .deadline_usec = deadline_now_usec() + 5000000ULL};
        DockerApiPrefetch *p = NULL;

        fake_routes_start(&d, r, 4);
        host = strdupf("unix://%s", d.sa.sun_path);
        setenv("DOCKER_HOST", host, 1);
        ck_assert_int_eq(docker_api_prefetch_start(&o, &p), 0);
        ck_assert_ptr_nonnull(p);
        o.api_prefetch = p;
        ck_assert_int_eq(collect_docker_api(&f, &o, NULL, NULL), 0);
        ck_assert_int_eq(collect_docker_containers(&o, d.sa.sun_path, &l, &err), 0);
        docker_api_prefetch_free(p);
        fake_routes_stop(&d);
        unsetenv("DOCKER_HOST");
        ck_assert(get(&f, "docker.live_restore")->known && get(&f, "docker.live_restore")->b);
        ck_assert_str_eq(get(&f, "docker.socket")->source, "DOCKER_HOST");
        ck_assert_uint_eq(l.n, 2);
        ck_assert_str_eq(l.v[0].name, "one");
        ck_assert_str_eq(l.v[1].state, "dead");
        /* this daemon knows no filter (404): the whole list, and its source says so */
        ck_assert_str_eq(l.query, DOCKER_API_LIST_ALL);
        for (size_t i = 0; i < ELEMENTSOF(r); i++)
                free(r[i].response);
}
END_TEST

/* Dead containers whose inspects answer after 1.9 s, a run of --timeout 1: the container
 * list fails at the deadline, saying so (collect_all() makes it a problem). */
START_TEST(test_containers_deadline)
{
        static const char *const list = "[{\"Id\":\"aa\",\"Names\":[\"/one\"],\"State\":\"dead\"},"
                                        "{\"Id\":\"bb\",\"Names\":[\"/two\"],\"State\":\"dead\"}]";
        FakeRoute r[3] = {{.request = "GET /_ping ", .response = fake_http(200, "OK")},
                {.request = "GET /v1.41/containers/json?all=1 ", .response = fake_http(200, list)},
                {.request = "GET /v1.41/containers/", .response = fake_http(200, "{}"), .delay_ms = 1900}};
        FakeDocker d;
        _cleanup_free_ char *err = NULL;
        _cleanup_(docker_container_list_done) DockerContainerList l = {};
        CollectOptions o = {.unit = "docker.service",
                .timeout_usec = 1000000ULL,
                .deadline_usec = deadline_now_usec() + 1000000ULL};

        fake_routes_start(&d, r, 3);
        ck_assert_int_eq(collect_docker_containers(&o, d.sa.sun_path, &l, &err), -ETIMEDOUT);
        fake_routes_stop(&d);
        ck_assert_msg(deadline_now_usec() < o.deadline_usec + 500000ULL, "not bounded by the deadline");
        ck_assert_msg(startswith(err, "timed out after 1 s (--timeout): Docker API GET /v1.41/containers/"),
                "%s", err);
        for (size_t i = 0; i < ELEMENTSOF(r); i++)
                free(r[i].response);
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("collect_docker_api");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_socket_missing);
        tcase_add_test(tc, test_scripted_daemon);
        tcase_add_test(tc, test_offline);
        tcase_add_test(tc, test_storage_and_cgroup_facts);
        tcase_set_timeout(tc, 20);
        tcase_add_test(tc, test_deadline_and_http_error);
        tcase_add_test(tc, test_prefetch);
        tcase_add_test(tc, test_containers_deadline);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
