/* SPDX-License-Identifier: MIT */
/* A scripted Docker Engine on a unix socket in a temp dir, for the API client and the collector
 * tests: a child process answers GET /_ping, then GET /v1.41/info with FAKE_DOCKER_INFO_BODY. */
#pragma once

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "test-util.h"

/* The daemon's /info; the tests check that these values come back. */
#define FAKE_DOCKER_INFO_BODY                                                          \
        "{\"ID\":\"x\",\"Driver\":\"overlay2\",\"DockerRootDir\":\"/var/lib/docker\"," \
        "\"LiveRestoreEnabled\":true,\"ServerVersion\":\"20.10.21\","                  \
        "\"Swarm\":{\"LocalNodeState\":\"inactive\"}}"

typedef struct FakeDocker {
        char dir[64];
        struct sockaddr_un sa; /* sa.sun_path: the socket to connect to */
        pid_t pid;
} FakeDocker;

/* The child: answer k is sent only when request k has the expected request line, so a client
 * asking for the wrong path gets a 404 and the test fails on what it reads. */
static inline void fake_docker_serve(int lfd, int n, const char *const *answers)
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
                if (strstr(buf, k == 0 ? "GET /_ping " : "GET /v1.41/info "))
                        (void) !write(c, answers[k], strlen(answers[k]));
                else
                        (void) !write(c, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", 45);
                close(c);
        }
        _exit(0);
}

/* Listens on DIR/docker.sock and forks the daemon for one ping and one /info. */
static inline void fake_docker_start(FakeDocker *d)
{
        char info[512];
        const char *answers[] = {
                "HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Length: 2\r\n\r\nOK", info};
        int lfd, n;

        n = snprintf(info, sizeof info,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                strlen(FAKE_DOCKER_INFO_BODY), FAKE_DOCKER_INFO_BODY);
        ck_assert(n > 0 && (size_t) n < sizeof info);
        tmpdir_make(d->dir, sizeof d->dir, "dockerapi");
        d->sa = (struct sockaddr_un){.sun_family = AF_UNIX};
        snprintf(d->sa.sun_path, sizeof d->sa.sun_path, "%s/docker.sock", d->dir);
        lfd = socket(AF_UNIX, SOCK_STREAM, 0);
        ck_assert_int_ge(lfd, 0);
        ck_assert_int_eq(bind(lfd, (struct sockaddr *) &d->sa, sizeof d->sa), 0);
        ck_assert_int_eq(listen(lfd, 4), 0);
        d->pid = fork();
        ck_assert_int_ge(d->pid, 0);
        if (d->pid == 0)
                fake_docker_serve(lfd, 2, answers);
        close(lfd);
}

/* Waits for the daemon (it must have served both requests and exited 0) and removes its dir. */
static inline void fake_docker_stop(FakeDocker *d)
{
        int status;

        ck_assert_int_eq(waitpid(d->pid, &status, 0), d->pid);
        ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        ck_assert_int_eq(rm_rf(d->dir), 0);
}

/* A daemon answering from a route table, for the failure cases: many connections at once
 * (one process each), keep-alive (many requests per connection), and per route a delay
 * before the answer, a slow drip (one byte every drip_ms) and closing after the answer
 * (for truncated answers). */
typedef struct FakeRoute {
        const char *request; /* prefix of the request line: "GET /v1.41/containers/json" */
        char *response; /* the whole HTTP answer, sent as is (fake_http() builds one) */
        unsigned delay_ms;
        unsigned drip_ms;
        bool close; /* close the connection after answering */
} FakeRoute;

/* "HTTP/1.1 STATUS X" with Content-Length, Api-Version 1.41 and body (malloc'd). */
static inline char *fake_http(int status, const char *body)
{
        char *s = NULL;

        ck_assert_int_ge(asprintf(&s,
                                 "HTTP/1.1 %d X\r\nApi-Version: 1.41\r\nContent-Type: application/json\r\n"
                                 "Content-Length: %zu\r\n\r\n%s",
                                 status, strlen(body), body),
                0);
        return s;
}

static inline void fake_sleep_ms(unsigned ms)
{
        struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long) (ms % 1000) * 1000000L};

        while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
                ;
}

/* One connection: requests until EOF. */
static inline void fake_routes_conn(int c, const FakeRoute *routes, size_t n)
{
        for (;;) {
                char buf[8192];
                size_t len = 0;
                const FakeRoute *rt = NULL;
                const char *out = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";

                while (len < sizeof buf - 1 && !memmem(buf, len, "\r\n\r\n", 4)) {
                        ssize_t r = read(c, buf + len, sizeof buf - 1 - len);
                        if (r <= 0)
                                _exit(0);
                        len += (size_t) r;
                }
                buf[len] = 0;
                for (size_t i = 0; i < n && !rt; i++)
                        if (strncmp(buf, routes[i].request, strlen(routes[i].request)) == 0)
                                rt = &routes[i];
                if (rt) {
                        out = rt->response;
                        fake_sleep_ms(rt->delay_ms);
                }
                for (size_t i = 0, l = strlen(out); rt && rt->drip_ms && i < l; i++) {
                        if (write(c, out + i, 1) != 1)
                                _exit(0);
                        fake_sleep_ms(rt->drip_ms);
                }
                if ((!rt || !rt->drip_ms) && write(c, out, strlen(out)) < 0)
                        _exit(0);
                if (rt && rt->close)
                        _exit(0);
        }
}

/* Listens on DIR/docker.sock; the daemon (a process group) serves until fake_routes_stop(). */
static inline void fake_routes_start(FakeDocker *d, const FakeRoute *routes, size_t n)
{
        int lfd;

        tmpdir_make(d->dir, sizeof d->dir, "dockerapi");
        d->sa = (struct sockaddr_un){.sun_family = AF_UNIX};
        snprintf(d->sa.sun_path, sizeof d->sa.sun_path, "%s/docker.sock", d->dir);
        lfd = socket(AF_UNIX, SOCK_STREAM, 0);
        ck_assert_int_ge(lfd, 0);
        ck_assert_int_eq(bind(lfd, (struct sockaddr *) &d->sa, sizeof d->sa), 0);
        ck_assert_int_eq(listen(lfd, 64), 0);
        d->pid = fork();
        ck_assert_int_ge(d->pid, 0);
        if (d->pid == 0) {
                (void) setpgid(0, 0);
                signal(SIGCHLD, SIG_IGN); /* no zombies from the connections */
                for (;;) {
                        int c = accept(lfd, NULL, NULL);

                        if (c < 0)
                                _exit(1);
                        if (fork() == 0) {
                                close(lfd);
                                fake_routes_conn(c, routes, n);
                        }
                        close(c);
                }
        }
        (void) setpgid(d->pid, d->pid);
        close(lfd);
}

/* Kills the daemon and its connections, removes its dir. */
static inline void fake_routes_stop(FakeDocker *d)
{
        (void) kill(-d->pid, SIGKILL);
        ck_assert_int_eq(waitpid(d->pid, NULL, 0), d->pid);
        ck_assert_int_eq(rm_rf(d->dir), 0);
}
