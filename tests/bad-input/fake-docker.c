/* SPDX-License-Identifier: MIT */
/* A misbehaving peer on a unix socket, for the bad-input suite (tests/bad-input/run-cases.sh):
 * a small Docker Engine API (/_ping, /info, /containers/json, /containers/ID/json) that can
 * be told to answer one endpoint badly, and the few ways a D-Bus peer can fail.
 *
 *   fake-docker --socket PATH [--fault ENDPOINT:KIND]... [--containers N] [--state STATE]
 *               [--lifetime SECONDS]
 *
 * ENDPOINT: ping, info, list, filtered (the list asked with filters=; a list fault applies to
 *           it too unless it has its own), inspect or any (every connection, before reading a
 *           request). The filtered list has the containers only when --state is one the
 *           filter names (as dockerd, the filter is not parsed: running, paused, restarting,
 *           removing or dead).
 * KIND:     garbage (binary junk, then close), huge (a 200 MiB body), drip (a valid answer,
 *           one byte every 200 ms), http500, badjson, chunked (truncated chunked encoding),
 *           silent (read, never answer, keep the connection), close (close at once), ok (no
 *           fault: to spare the filtered list a list fault),
 *           slow (answer correctly after 2 s), dbus-mute (D-Bus: accept the EXTERNAL auth,
 *           then never answer a call).
 * The server is ready when PATH exists; it runs until killed (by pid) or for --lifetime
 * seconds (default 300), so that nothing outlives a failed test run. One thread per
 * connection: killing the process ends them all. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define MAX_FAULTS 8

typedef enum Endpoint { EP_ANY, EP_PING, EP_INFO, EP_LIST, EP_INSPECT, EP_FILTERED, EP_OTHER } Endpoint;

typedef struct Fault {
        Endpoint endpoint;
        char kind[16];
} Fault;

typedef struct Config {
        Fault faults[MAX_FAULTS];
        int n_faults;
        int n_containers;
        const char *state;
} Config;

static Config cfg = {.n_containers = 0, .state = "dead"};

static const char *fault_for(Endpoint e)
{
        for (int i = 0; i < cfg.n_faults; i++)
                if (cfg.faults[i].endpoint == e)
                        return cfg.faults[i].kind;
        return e == EP_FILTERED ? fault_for(EP_LIST) : NULL;
}

static void sleep_ms(long ms)
{
        struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};

        while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
                ;
}

static bool write_all(int fd, const char *p, size_t n)
{
        while (n > 0) {
                ssize_t k = send(fd, p, n, MSG_NOSIGNAL);

                if (k < 0 && errno == EINTR)
                        continue;
                if (k <= 0)
                        return false;
                p += k;
                n -= (size_t) k;
        }
        return true;
}

/* Keeps the connection open and unanswered until the peer closes it. */
static void stay_silent(int fd)
{
        char buf[4096];

        while (recv(fd, buf, sizeof buf, 0) > 0)
                ;
}

static void send_garbage(int fd)
{
        char junk[4096];
        unsigned x = 2463534242u;

        for (size_t i = 0; i < sizeof junk; i++) {
                x ^= x << 13, x ^= x >> 17, x ^= x << 5;
                junk[i] = (char) (x & 0xff);
        }
        (void) write_all(fd, junk, sizeof junk);
}

/* Reads one request head (up to the blank line) into buf. */
static bool read_head(int fd, char *buf, size_t size)
{
        size_t n = 0;

        while (n + 1 < size) {
                ssize_t k = recv(fd, buf + n, size - 1 - n, 0);

                if (k <= 0)
                        return false;
                n += (size_t) k;
                buf[n] = 0;
                if (strstr(buf, "\r\n\r\n"))
                        return true;
        }
        return false;
}

static Endpoint endpoint_of(const char *path)
{
        const char *q = strchr(path, '?');
        size_t n = q ? (size_t) (q - path) : strlen(path);

        if (n >= 6 && strncmp(path + n - 6, "/_ping", 6) == 0)
                return EP_PING;
        if (n >= 5 && strncmp(path + n - 5, "/info", 5) == 0)
                return EP_INFO;
        if (n >= 16 && strncmp(path + n - 16, "/containers/json", 16) == 0)
                return q && strstr(q, "filters=") ? EP_FILTERED : EP_LIST;
        if (strstr(path, "/containers/") && n >= 5 && strncmp(path + n - 5, "/json", 5) == 0)
                return EP_INSPECT;
        return EP_OTHER;
}

static char *container_id(int i)
{
        static const char hex[] = "0123456789abcdef";
        char *id = malloc(65);

        if (!id)
                return NULL;
        for (int k = 0; k < 64; k++)
                id[k] = hex[(i * 7 + k * 13 + (k == 0 ? 10 : 0)) % 16];
        snprintf(id + 56, 9, "%08x", (unsigned) i);
        return id;
}

/* Whether --state is one of the states the client's filter names. */
static bool state_inspected(void)
{
        return strcmp(cfg.state, "exited") != 0 && strcmp(cfg.state, "created") != 0;
}

/* The body a healthy daemon would send for endpoint e (malloc'ed). */
static char *good_body(Endpoint e, const char *path)
{
        char *b = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&b, &size);

        if (!f)
                return NULL;
        switch (e) {
        case EP_PING:
                fputs("OK", f);
                break;
        case EP_INFO:
                fputs("{\"ID\":\"FAKE\",\"Containers\":0,\"Driver\":\"overlay2\",\"DockerRootDir\":"
                      "\"/var/lib/docker\",\"LiveRestoreEnabled\":false,\"ServerVersion\":\"20.10.24\","
                      "\"Swarm\":{\"LocalNodeState\":\"inactive\"}}",
                        f);
                break;
        case EP_LIST:
        case EP_FILTERED:
                fputc('[', f);
                for (int i = 0; i < cfg.n_containers && (e == EP_LIST || state_inspected()); i++) {
                        char *id = container_id(i);

                        fprintf(f,
                                "%s{\"Id\":\"%s\",\"Names\":[\"/"
                                "fake%d\"],\"State\":\"%s\",\"Status\":\"%s\"}",
                                i ? "," : "", id ? id : "", i, cfg.state, cfg.state);
                        free(id);
                }
                fputc(']', f);
                break;
        case EP_INSPECT: {
                const char *p = strstr(path, "/containers/") + strlen("/containers/");
                int n = (int) strcspn(p, "/");

                /* container_id() ends in the list index, in hex: the same name as the list */
                fprintf(f,
                        "{\"Id\":\"%.*s\",\"Name\":\"/fake%ld\",\"State\":{\"Status\":\"%s\",\"Pid\":0,"
                        "\"Dead\":%s},\"GraphDriver\":{\"Name\":\"overlay2\",\"Data\":{\"MergedDir\":"
                        "\"/var/lib/docker/overlay2/%.*s/merged\"}}}",
                        n, p, n == 64 ? strtol(p + 56, NULL, 16) : -1L, cfg.state,
                        strcmp(cfg.state, "dead") == 0 ? "true" : "false", n, p);
                break;
        }
        default:
                fputs("{\"message\":\"page not found\"}", f);
                break;
        }
        fclose(f);
        return b;
}

static bool send_response(int fd, int status, const char *body, bool drip)
{
        char head[512];
        int n = snprintf(head, sizeof head,
                "HTTP/1.1 %d %s\r\nApi-Version: 1.41\r\nContent-Type: application/json\r\n"
                "Server: Docker/20.10.24 (linux)\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
                status,
                status == 200   ? "OK"
                : status == 404 ? "Not Found"
                                : "Internal Server Error",
                strlen(body));

        if (!drip)
                return write_all(fd, head, (size_t) n) && write_all(fd, body, strlen(body));
        for (int i = 0; i < n; i++, sleep_ms(200))
                if (!write_all(fd, head + i, 1))
                        return false;
        for (const char *p = body; *p; p++, sleep_ms(200))
                if (!write_all(fd, p, 1))
                        return false;
        return true;
}

/* 200 MiB of a JSON string: a body far over any sane limit. */
static void send_huge(int fd)
{
        static char chunk[65536];
        const size_t total = 200u << 20;
        char head[256];
        int n = snprintf(head, sizeof head,
                "HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Type: application/json\r\n"
                "Content-Length: %zu\r\nConnection: close\r\n\r\n{\"x\":\"",
                total + 8);

        memset(chunk, 'a', sizeof chunk);
        if (!write_all(fd, head, (size_t) n))
                return;
        for (size_t sent = 0; sent < total; sent += sizeof chunk)
                if (!write_all(fd, chunk, sizeof chunk))
                        return;
        (void) write_all(fd, "\"}", 2);
}

static void send_chunked_truncated(int fd)
{
        static const char r[] = "HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Type: application/json\r\n"
                                "Transfer-Encoding: chunked\r\n\r\n"
                                "3e8\r\n{\"ID\":\"FAKE\",\"LiveRestoreEnabled\":fa";

        (void) write_all(fd, r, sizeof r - 1);
}

/* D-Bus: accept any AUTH, agree to fds, then read and never answer. */
static void dbus_mute(int fd)
{
        char buf[4096];
        size_t n = 0;

        for (;;) {
                ssize_t k = recv(fd, buf + n, sizeof buf - 1 - n, 0);
                char *eol;

                if (k <= 0)
                        return;
                n += (size_t) k;
                buf[n] = 0;
                while ((eol = strstr(buf, "\r\n"))) {
                        const char *line = buf[0] == 0 ? buf + 1 : buf;

                        *eol = 0;
                        if (strncmp(line, "AUTH", 4) == 0)
                                (void) write_all(fd, "OK 0123456789abcdef0123456789abcdef\r\n", 37);
                        else if (strncmp(line, "NEGOTIATE_UNIX_FD", 17) == 0)
                                (void) write_all(fd, "AGREE_UNIX_FD\r\n", 15);
                        else if (strncmp(line, "BEGIN", 5) == 0) {
                                stay_silent(fd);
                                return;
                        }
                        n -= (size_t) (eol + 2 - buf);
                        memmove(buf, eol + 2, n + 1);
                }
                if (n >= sizeof buf - 1)
                        return;
        }
}

/* Misbehaves as kind says; false when kind is not a fault of its own (slow: go on). */
static bool misbehave(int fd, const char *kind)
{
        if (strcmp(kind, "garbage") == 0)
                send_garbage(fd);
        else if (strcmp(kind, "silent") == 0)
                stay_silent(fd);
        else if (strcmp(kind, "close") == 0)
                ;
        else if (strcmp(kind, "huge") == 0)
                send_huge(fd);
        else if (strcmp(kind, "chunked") == 0)
                send_chunked_truncated(fd);
        else if (strcmp(kind, "dbus-mute") == 0)
                dbus_mute(fd);
        else if (strcmp(kind, "http500") == 0)
                (void) send_response(fd, 500, "{\"message\":\"fake: internal error\"}", false);
        else if (strcmp(kind, "badjson") == 0)
                (void) send_response(fd, 200, "{\"ID\": [1, 2,", false);
        else
                return false;
        return true;
}

static void serve_one(int fd)
{
        char head[8192], method[16], path[4096];
        const char *kind = fault_for(EP_ANY);
        Endpoint e;
        char *body;

        if (kind && misbehave(fd, kind))
                return;
        if (!read_head(fd, head, sizeof head) || sscanf(head, "%15s %4095s", method, path) != 2)
                return;
        e = endpoint_of(path);
        kind = fault_for(e);
        if (kind && misbehave(fd, kind))
                return;
        if (kind && strcmp(kind, "slow") == 0)
                sleep_ms(2000);
        body = good_body(e, path);
        if (body)
                (void) send_response(fd, e == EP_OTHER ? 404 : 200, body, kind && strcmp(kind, "drip") == 0);
        free(body);
}

static void *serve(void *arg)
{
        int fd = (int) (long) arg;

        serve_one(fd);
        close(fd);
        return NULL;
}

static Endpoint parse_endpoint(const char *s, size_t n)
{
        static const char *const names[] = {"any", "ping", "info", "list", "inspect", "filtered"};

        for (int i = 0; i < 6; i++)
                if (strlen(names[i]) == n && strncmp(s, names[i], n) == 0)
                        return (Endpoint) i;
        return EP_OTHER;
}

static int usage(void)
{
        fprintf(stderr, "usage: fake-docker --socket PATH [--fault ENDPOINT:KIND]... [--containers N] "
                        "[--state STATE] [--lifetime SECONDS]\n");
        return 2;
}

int main(int argc, char **argv)
{
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        const char *sock = NULL;
        unsigned lifetime = 300;
        int lfd;

        for (int i = 1; i + 1 < argc; i += 2) {
                const char *v = argv[i + 1];

                if (strcmp(argv[i], "--socket") == 0)
                        sock = v;
                else if (strcmp(argv[i], "--containers") == 0)
                        cfg.n_containers = atoi(v);
                else if (strcmp(argv[i], "--state") == 0)
                        cfg.state = v;
                else if (strcmp(argv[i], "--lifetime") == 0)
                        lifetime = (unsigned) atoi(v);
                else if (strcmp(argv[i], "--fault") == 0 && strchr(v, ':') && cfg.n_faults < MAX_FAULTS) {
                        Fault *f = &cfg.faults[cfg.n_faults++];
                        const char *colon = strchr(v, ':');

                        f->endpoint = parse_endpoint(v, (size_t) (colon - v));
                        snprintf(f->kind, sizeof f->kind, "%s", colon + 1);
                        if (f->endpoint == EP_OTHER)
                                return usage();
                } else
                        return usage();
        }
        if (!sock || strlen(sock) >= sizeof sa.sun_path || argc % 2 == 0)
                return usage();
        strcpy(sa.sun_path, sock);
        signal(SIGPIPE, SIG_IGN);
        alarm(lifetime);
        lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (lfd < 0 || bind(lfd, (struct sockaddr *) &sa, sizeof sa) < 0 || listen(lfd, 64) < 0) {
                perror(sock);
                return 1;
        }
        for (;;) {
                int fd = accept(lfd, NULL, NULL);
                pthread_t t;

                if (fd < 0) {
                        if (errno == EINTR)
                                continue;
                        perror("accept");
                        return 1;
                }
                if (pthread_create(&t, NULL, serve, (void *) (long) fd) != 0)
                        close(fd);
                else
                        pthread_detach(t);
        }
}
