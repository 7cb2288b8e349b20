/* SPDX-License-Identifier: MIT */
#include "formats/docker-http.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "basic/util.h"

/* A connect() refused for a full backlog (EAGAIN on a unix socket) is tried again after this. */
#define CONNECT_RETRY_USEC 10000ULL
/* Reads per step, so that one fast answer does not starve the others of a poll() loop. */
#define READS_PER_STEP 16

DockerHttpPool *docker_http_pool_new(const char *socket_path)
{
        DockerHttpPool *p = calloc(1, sizeof *p);

        if (p)
                p->socket_path = socket_path;
        return p;
}

void docker_http_pool_free(DockerHttpPool *p)
{
        if (!p)
                return;
        for (size_t i = 0; i < p->n_idle; i++)
                close(p->idle[i]);
        free(p);
}

/* An idle connection that the daemon has not closed (nor written to) meanwhile, or -1. */
static int pool_take(DockerHttpPool *p)
{
        while (p->n_idle > 0) {
                struct pollfd pfd = {.fd = p->idle[--p->n_idle], .events = POLLIN};

                if (poll(&pfd, 1, 0) == 0)
                        return pfd.fd;
                close(pfd.fd);
        }
        return -1;
}

static void pool_put(DockerHttpPool *p, int fd)
{
        if (p->n_idle < ELEMENTSOF(p->idle))
                p->idle[p->n_idle++] = fd;
        else
                close(fd);
}

static DockerHttpResult transfer_failed(DockerHttpTransfer *t, int error, const char *why)
{
        t->error = error;
        t->why = why;
        return t->result = DOCKER_HTTP_FAILED;
}

static DockerHttpResult transfer_connect_failed(DockerHttpTransfer *t, int os_errno)
{
        t->os_errno = os_errno;
        return t->result = DOCKER_HTTP_CONNECT_FAILED;
}

static DockerHttpResult transfer_send(DockerHttpPool *p, DockerHttpTransfer *t, uint64_t now);

/* A new connection: connected (then the request is sent), in progress, to be tried again
 * (full backlog), or failed. */
static DockerHttpResult transfer_connect(DockerHttpPool *p, DockerHttpTransfer *t, uint64_t now)
{
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        size_t len = strlen(p->socket_path);

        t->phase = DOCKER_HTTP_CONNECTING;
        t->retry_usec = 0;
        if (len >= sizeof sa.sun_path)
                return transfer_connect_failed(t, ENAMETOOLONG);
        memcpy(sa.sun_path, p->socket_path, len);
        if (t->fd < 0 && (t->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) < 0)
                return transfer_connect_failed(t, errno);
        if (connect(t->fd, (struct sockaddr *) &sa,
                    (socklen_t) (offsetof(struct sockaddr_un, sun_path) + len + 1)) == 0)
                return transfer_send(p, t, now);
        if (errno == EINPROGRESS)
                return t->result;
        if (errno == EAGAIN || errno == EINTR) {
                t->retry_usec = now + CONNECT_RETRY_USEC;
                return t->result;
        }
        return transfer_connect_failed(t, errno);
}

/* The kept-alive connection t was given is gone (closed by the daemon after its last
 * answer): once, the request goes out again on a new one. */
static DockerHttpResult transfer_reconnect(DockerHttpPool *p, DockerHttpTransfer *t, uint64_t now)
{
        close(t->fd);
        t->fd = -1;
        t->reused = false;
        t->retried = true;
        t->written = 0;
        http_response_reset(&t->resp);
        return transfer_connect(p, t, now);
}

static DockerHttpResult transfer_send(DockerHttpPool *p, DockerHttpTransfer *t, uint64_t now)
{
        t->phase = DOCKER_HTTP_SENDING;
        while (t->written < t->request_len) {
                ssize_t k = send(t->fd, t->request + t->written, t->request_len - t->written,
                        MSG_NOSIGNAL | MSG_DONTWAIT);

                if (k < 0 && errno == EINTR)
                        continue;
                if (k < 0 && errno == EAGAIN)
                        return t->result;
                if (k < 0 && t->reused && !t->retried)
                        return transfer_reconnect(p, t, now);
                if (k < 0)
                        return transfer_failed(t, -errno, "connection lost while sending the request");
                t->written += (size_t) k;
        }
        t->phase = DOCKER_HTTP_RECEIVING;
        return t->result;
}

static DockerHttpResult transfer_recv(DockerHttpPool *p, DockerHttpTransfer *t, uint64_t now)
{
        char buf[32768];

        for (int i = 0; i < READS_PER_STEP; i++) {
                ssize_t k = recv(t->fd, buf, sizeof buf, MSG_DONTWAIT), used;
                int r;

                if (k < 0 && errno == EINTR)
                        continue;
                if (k < 0 && errno == EAGAIN)
                        return t->result;
                if (k <= 0 && !t->got_bytes && t->reused && !t->retried)
                        return transfer_reconnect(p, t, now);
                if (k < 0) {
                        t->leftover = true;
                        return transfer_failed(t, -errno, "connection lost while reading the answer");
                }
                if (k == 0) {
                        t->leftover = true; /* closed: not for another request */
                        r = http_response_eof(&t->resp);
                        if (r < 0)
                                return transfer_failed(t, r, t->resp.why);
                        return t->result = DOCKER_HTTP_DONE;
                }
                t->got_bytes = true;
                used = http_response_feed(&t->resp, buf, (size_t) k);
                if (used < 0)
                        return transfer_failed(t, (int) used, t->resp.why);
                if (t->resp.done) {
                        /* Bytes after the answer, never asked for: the connection is not
                         * trusted with another request. */
                        t->leftover = used < k;
                        return t->result = DOCKER_HTTP_DONE;
                }
        }
        return t->result;
}

/* The request line's path: printable, no space. */
static bool path_is_valid(const char *path)
{
        if (path[0] != '/')
                return false;
        for (const char *c = path; *c; c++)
                if ((unsigned char) *c <= ' ' || *c == 0x7f)
                        return false;
        return true;
}

int docker_http_start(DockerHttpPool *p, DockerHttpTransfer *t, const char *method, const char *path,
        uint64_t now_usec, uint64_t expiry_usec)
{
        HttpResponse settings = t->resp;

        *t = (DockerHttpTransfer){.resp = settings, .fd = -1, .expiry_usec = expiry_usec};
        t->resp.api_version = NULL;
        http_response_reset(&t->resp);
        if (!path_is_valid(path))
                return -EINVAL;
        /* Host is required by HTTP/1.1 (and Go's server refuses a request without it). */
        t->request = strdupf("%s %s HTTP/1.1\r\nHost: docker\r\nUser-Agent: dockaudit/%s\r\n\r\n", method,
                path, PACKAGE_VERSION);
        if (!t->request)
                return -ENOMEM;
        t->request_len = strlen(t->request);
        t->fd = pool_take(p);
        t->reused = t->fd >= 0;
        if (t->reused)
                (void) transfer_send(p, t, now_usec);
        else
                (void) transfer_connect(p, t, now_usec);
        return 0;
}

void docker_http_pollfd(const DockerHttpTransfer *t, uint64_t now_usec, struct pollfd *ret, int *timeout_ms)
{
        uint64_t until = t->expiry_usec, wait;

        *ret = (struct pollfd){.fd = -1};
        if (t->result != DOCKER_HTTP_RUNNING) {
                *timeout_ms = 0;
                return;
        }
        if (t->phase == DOCKER_HTTP_CONNECTING && t->retry_usec)
                until = t->retry_usec < until ? t->retry_usec : until;
        else
                *ret = (struct pollfd){
                        .fd = t->fd, .events = t->phase == DOCKER_HTTP_RECEIVING ? POLLIN : POLLOUT};
        wait = until > now_usec ? (until - now_usec + 999) / 1000 : 0;
        *timeout_ms = wait > INT_MAX ? INT_MAX : (int) wait;
}

DockerHttpResult docker_http_step(DockerHttpPool *p, DockerHttpTransfer *t, short revents, uint64_t now_usec)
{
        int err = 0;
        socklen_t len = sizeof err;

        if (t->result != DOCKER_HTTP_RUNNING)
                return t->result;
        switch (t->phase) {
        case DOCKER_HTTP_CONNECTING:
                if (t->retry_usec && now_usec >= t->retry_usec) {
                        close(t->fd);
                        t->fd = -1;
                        (void) transfer_connect(p, t, now_usec);
                } else if (!t->retry_usec && revents) {
                        if (getsockopt(t->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
                                err = errno;
                        if (err)
                                (void) transfer_connect_failed(t, err);
                        else
                                (void) transfer_send(p, t, now_usec);
                }
                break;
        case DOCKER_HTTP_SENDING:
                if (revents)
                        (void) transfer_send(p, t, now_usec);
                break;
        case DOCKER_HTTP_RECEIVING:
                if (revents)
                        (void) transfer_recv(p, t, now_usec);
                break;
        }
        if (t->result == DOCKER_HTTP_RUNNING && now_usec >= t->expiry_usec)
                t->result = DOCKER_HTTP_TIMEDOUT;
        return t->result;
}

void docker_http_end(DockerHttpPool *p, DockerHttpTransfer *t)
{
        if (t->fd >= 0) {
                if (t->result == DOCKER_HTTP_DONE && !t->leftover && http_response_reusable(&t->resp))
                        pool_put(p, t->fd);
                else
                        close(t->fd);
        }
        t->fd = -1;
        free(t->request);
        t->request = NULL;
}
