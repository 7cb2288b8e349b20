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

START_TEST(test_offline)
{
        _cleanup_facts_ Facts f = {};
        CollectOptions o = {.unit = "docker.service", .root = "/srv/image"};

        ck_assert_int_eq(collect_docker_api(&f, &o, NULL, NULL), 0);
        ck_assert(!get(&f, "docker.running")->known);
        ck_assert(!get(&f, "docker.live_restore")->known);
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("collect_docker_api");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_socket_missing);
        tcase_add_test(tc, test_scripted_daemon);
        tcase_add_test(tc, test_offline);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
