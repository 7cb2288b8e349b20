/* SPDX-License-Identifier: MIT */
/* docker.* facts from the Engine API (src/collect/collect-docker-api.c): a missing socket, a
 * scripted daemon on a temp socket, --root. */
#include <check.h>

#include "check-run.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

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

static void serve(int lfd, int n, const char *const *answers)
{
        for (int k = 0; k < n; k++) {
                int c = accept(lfd, NULL, NULL);
                char buf[4096];
                size_t len = 0;

                if (c < 0)
                        _exit(1);
                while (len < sizeof buf - 1 && !memmem(buf, len, "\r\n\r\n", 4)) {
                        ssize_t r = read(c, buf + len, sizeof buf - 1 - len);
                        if (r <= 0)
                                break;
                        len += (size_t) r;
                }
                buf[len] = 0;
                /* Answer k only when the request line is the expected one. */
                if (strstr(buf, k == 0 ? "GET /_ping " : "GET /v1.41/info "))
                        (void) !write(c, answers[k], strlen(answers[k]));
                else
                        (void) !write(c, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", 45);
                close(c);
        }
        _exit(0);
}

START_TEST(test_scripted_daemon)
{
        static const char info_body[] =
                "{\"ID\":\"x\",\"Driver\":\"overlay2\",\"DockerRootDir\":\"/var/lib/docker\","
                "\"LiveRestoreEnabled\":true,\"ServerVersion\":\"20.10.21\","
                "\"Swarm\":{\"LocalNodeState\":\"inactive\"}}";
        _cleanup_free_ char *info = strdupf("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                            "Content-Length: %zu\r\n\r\n%s",
                strlen(info_body), info_body);
        const char *answers[] = {
                "HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Length: 2\r\n\r\nOK", info};
        char dir[] = "/tmp/check-dockerapi-XXXXXX";
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        _cleanup_facts_ Facts f = {};
        CollectOptions o = {.unit = "docker.service"};
        const Fact *x;
        int lfd, status;
        pid_t pid;

        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(sa.sun_path, sizeof sa.sun_path, "%s/docker.sock", dir);
        lfd = socket(AF_UNIX, SOCK_STREAM, 0);
        ck_assert_int_eq(bind(lfd, (struct sockaddr *) &sa, sizeof sa), 0);
        ck_assert_int_eq(listen(lfd, 4), 0);
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0)
                serve(lfd, 2, answers);
        close(lfd);
        ck_assert_int_eq(collect_docker_api(&f, &o, sa.sun_path, "test"), 0);
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
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
        unlink(sa.sun_path);
        rmdir(dir);
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
