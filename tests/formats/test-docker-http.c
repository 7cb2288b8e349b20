/* SPDX-License-Identifier: MIT */
/* The unix-socket HTTP transport (src/formats/docker-http.c) against a scripted peer that
 * counts its connections: the request as sent, connections kept alive and reused, one
 * closed by the peer meanwhile replaced, Connection: close honoured, failures to connect,
 * a peer that closes at once or never answers. The Engine API calls on top are
 * test-docker-api's. */
#include <check.h>

#include "check-run.h"
#include "test-util.h"

#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "formats/docker-http.h"

typedef enum Mode {
        KEEP, /* answer every request, keep the connection */
        CLOSE_AFTER, /* answer, then close without saying so */
        SAY_CLOSE, /* answer with Connection: close, then close */
        HANG_UP, /* close each connection without answering */
} Mode;

typedef struct Peer {
        char dir[64];
        char path[108];
        pid_t pid;
} Peer;

static const char expected_request[] =
        "GET /v1.41/info HTTP/1.1\r\nHost: docker\r\nUser-Agent: dockaudit/" PACKAGE_VERSION "\r\n\r\n";

/* The peer: serves n requests (or, HANG_UP, n connections), then exits with the number of
 * connections it accepted (a wrong request: 100). */
static void peer_serve(int lfd, Mode mode, int n)
{
        int accepted = 0, served = 0;

        while (served < n) {
                int c = accept(lfd, NULL, NULL);

                if (c < 0)
                        _exit(101);
                accepted++;
                if (mode == HANG_UP) {
                        close(c);
                        served++;
                        continue;
                }
                for (;;) {
                        char buf[4096];
                        size_t len = 0;
                        const char *answer = mode == SAY_CLOSE
                                                     ? "HTTP/1.1 200 OK\r\nConnection: "
                                                       "close\r\nContent-Length: 2\r\n\r\nok"
                                                     : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

                        while (len < sizeof buf - 1 && !memmem(buf, len, "\r\n\r\n", 4)) {
                                ssize_t r = read(c, buf + len, sizeof buf - 1 - len);

                                if (r <= 0)
                                        break;
                                len += (size_t) r;
                        }
                        if (len == 0)
                                break; /* the client closed it */
                        if (len != strlen(expected_request) || memcmp(buf, expected_request, len) != 0)
                                _exit(100);
                        (void) !write(c, answer, strlen(answer));
                        if (++served == n || mode != KEEP)
                                break;
                }
                close(c);
        }
        _exit(accepted);
}

static void peer_start(Peer *p, Mode mode, int n)
{
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        int lfd;

        tmpdir_make(p->dir, sizeof p->dir, "dockerhttp");
        snprintf(p->path, sizeof p->path, "%s/docker.sock", p->dir);
        snprintf(sa.sun_path, sizeof sa.sun_path, "%s", p->path);
        lfd = socket(AF_UNIX, SOCK_STREAM, 0);
        ck_assert_int_ge(lfd, 0);
        ck_assert_int_eq(bind(lfd, (struct sockaddr *) &sa, sizeof sa), 0);
        ck_assert_int_eq(listen(lfd, 8), 0);
        p->pid = fork();
        ck_assert_int_ge(p->pid, 0);
        if (p->pid == 0)
                peer_serve(lfd, mode, n);
        close(lfd);
}

/* The number of connections the peer accepted. */
static int peer_stop(Peer *p)
{
        int status;

        ck_assert_int_eq(waitpid(p->pid, &status, 0), p->pid);
        ck_assert(WIFEXITED(status));
        ck_assert_int_eq(rm_rf(p->dir), 0);
        return WEXITSTATUS(status);
}

static uint64_t now_usec(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * 1000000ULL + (uint64_t) ts.tv_nsec / 1000ULL;
}

/* One GET /v1.41/info on pool, run to its end within ms; the transfer stays in t (ended). */
static DockerHttpResult fetch(DockerHttpPool *pool, DockerHttpTransfer *t, unsigned ms)
{
        uint64_t now = now_usec();
        DockerHttpResult res;

        *t = (DockerHttpTransfer){};
        ck_assert_int_eq(docker_http_start(pool, t, "GET", "/v1.41/info", now, now + ms * 1000ULL), 0);
        do {
                struct pollfd pfd;
                int wait;

                docker_http_pollfd(t, now_usec(), &pfd, &wait);
                ck_assert_int_ge(poll(&pfd, pfd.fd >= 0, wait), 0);
                res = docker_http_step(pool, t, pfd.fd >= 0 ? pfd.revents : 0, now_usec());
        } while (res == DOCKER_HTTP_RUNNING);
        docker_http_end(pool, t);
        return res;
}

static void fetch_ok(DockerHttpPool *pool)
{
        DockerHttpTransfer t;

        ck_assert_int_eq(fetch(pool, &t, 2000), DOCKER_HTTP_DONE);
        ck_assert_int_eq(t.resp.status, 200);
        ck_assert(t.resp.done);
        http_response_done(&t.resp);
}

/* Three requests, one connection: the request is exactly what was meant. */
START_TEST(test_keep_alive)
{
        Peer p;
        DockerHttpPool *pool;

        peer_start(&p, KEEP, 3);
        ck_assert_ptr_nonnull(pool = docker_http_pool_new(p.path));
        for (int i = 0; i < 3; i++)
                fetch_ok(pool);
        docker_http_pool_free(pool);
        ck_assert_int_eq(peer_stop(&p), 1);
}
END_TEST

/* The peer closes each connection after its answer without saying so: every request still
 * gets its answer, on a new connection (found closed while idle, or lost on sending). */
START_TEST(test_peer_closed_idle)
{
        Peer p;
        DockerHttpPool *pool;

        peer_start(&p, CLOSE_AFTER, 4);
        ck_assert_ptr_nonnull(pool = docker_http_pool_new(p.path));
        for (int i = 0; i < 4; i++)
                fetch_ok(pool);
        docker_http_pool_free(pool);
        ck_assert_int_eq(peer_stop(&p), 4);
}
END_TEST

/* Connection: close: never pooled. */
START_TEST(test_connection_close)
{
        Peer p;
        DockerHttpPool *pool;

        peer_start(&p, SAY_CLOSE, 2);
        ck_assert_ptr_nonnull(pool = docker_http_pool_new(p.path));
        fetch_ok(pool);
        ck_assert_uint_eq(pool->n_idle, 0);
        fetch_ok(pool);
        docker_http_pool_free(pool);
        ck_assert_int_eq(peer_stop(&p), 2);
}
END_TEST

/* A new connection closed before any answer is a failure, not tried again. */
START_TEST(test_hang_up)
{
        Peer p;
        DockerHttpPool *pool;
        DockerHttpTransfer t;

        peer_start(&p, HANG_UP, 1);
        ck_assert_ptr_nonnull(pool = docker_http_pool_new(p.path));
        ck_assert_int_eq(fetch(pool, &t, 2000), DOCKER_HTTP_FAILED);
        ck_assert(t.error == -EBADMSG || t.error == -ECONNRESET || t.error == -EPIPE);
        ck_assert_ptr_nonnull(t.why);
        http_response_done(&t.resp);
        docker_http_pool_free(pool);
        ck_assert_int_eq(peer_stop(&p), 1);
}
END_TEST

/* No socket, a socket nobody listens on, a path too long: connect()'s errno. */
START_TEST(test_connect_failures)
{
        char dir[64], path[108], long_path[300];
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        DockerHttpPool *pool;
        DockerHttpTransfer t;
        int fd;

        tmpdir_make(dir, sizeof dir, "dockerhttp");
        snprintf(path, sizeof path, "%s/docker.sock", dir);
        ck_assert_ptr_nonnull(pool = docker_http_pool_new(path));
        ck_assert_int_eq(fetch(pool, &t, 2000), DOCKER_HTTP_CONNECT_FAILED);
        ck_assert_int_eq(t.os_errno, ENOENT);
        snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
        fd = socket(AF_UNIX, SOCK_STREAM, 0);
        ck_assert_int_eq(bind(fd, (struct sockaddr *) &sa, sizeof sa), 0);
        ck_assert_int_eq(fetch(pool, &t, 2000), DOCKER_HTTP_CONNECT_FAILED);
        ck_assert_int_eq(t.os_errno, ECONNREFUSED);
        close(fd);
        docker_http_pool_free(pool);
        memset(long_path, 'x', sizeof long_path - 1);
        long_path[0] = '/';
        long_path[sizeof long_path - 1] = 0;
        ck_assert_ptr_nonnull(pool = docker_http_pool_new(long_path));
        ck_assert_int_eq(fetch(pool, &t, 2000), DOCKER_HTTP_CONNECT_FAILED);
        ck_assert_int_eq(t.os_errno, ENAMETOOLONG);
        docker_http_pool_free(pool);
        ck_assert_int_eq(rm_rf(dir), 0);
}
END_TEST

/* A peer that accepts and never answers: the expiry ends the transfer, on time. */
START_TEST(test_timeout)
{
        char dir[64], path[108];
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        DockerHttpPool *pool;
        DockerHttpTransfer t;
        uint64_t t0;
        int fd;

        tmpdir_make(dir, sizeof dir, "dockerhttp");
        snprintf(path, sizeof path, "%s/docker.sock", dir);
        snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
        fd = socket(AF_UNIX, SOCK_STREAM, 0);
        ck_assert_int_eq(bind(fd, (struct sockaddr *) &sa, sizeof sa), 0);
        ck_assert_int_eq(listen(fd, 8), 0); /* the kernel accepts; nobody reads */
        ck_assert_ptr_nonnull(pool = docker_http_pool_new(path));
        t0 = now_usec();
        ck_assert_int_eq(fetch(pool, &t, 300), DOCKER_HTTP_TIMEDOUT);
        ck_assert_msg(now_usec() - t0 >= 300000 && now_usec() - t0 < 800000, "%llu us",
                (unsigned long long) (now_usec() - t0));
        docker_http_pool_free(pool);
        close(fd);
        ck_assert_int_eq(rm_rf(dir), 0);
}
END_TEST

/* Paths that would break the request line are refused before anything is sent. */
START_TEST(test_bad_path)
{
        DockerHttpPool *pool = docker_http_pool_new("/nonexistent/docker.sock");
        DockerHttpTransfer t = {};
        static const char *const bad[] = {"", "info", "/a b", "/a\r\nX: y", "/a\x7f", "/\t"};

        ck_assert_ptr_nonnull(pool);
        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                ck_assert_int_eq(docker_http_start(pool, &t, "GET", bad[i], 0, 1), -EINVAL);
        docker_http_pool_free(pool);
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("docker_http");
        TCase *tc = tcase_create("core");

        tcase_set_timeout(tc, 30);
        tcase_add_test(tc, test_keep_alive);
        tcase_add_test(tc, test_peer_closed_idle);
        tcase_add_test(tc, test_connection_close);
        tcase_add_test(tc, test_hang_up);
        tcase_add_test(tc, test_connect_failures);
        tcase_add_test(tc, test_timeout);
        tcase_add_test(tc, test_bad_path);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        signal(SIGPIPE, SIG_IGN); /* the peer writes to a client that may be gone */
        return check_run(suite());
}
