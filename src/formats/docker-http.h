/* SPDX-License-Identifier: MIT */
/* Plain HTTP/1.1 requests on the Docker daemon's unix socket, non-blocking, for a poll()
 * loop of the caller's (docker-api.c runs several at once): connect (AF_UNIX only: no TCP,
 * no TLS, no proxy, no redirect, no authentication), send "METHOD PATH HTTP/1.1" with Host
 * and User-Agent, read the answer through an HttpResponse (http-response.h).
 *
 * Connections whose answer allows it (http_response_reusable()) go back to a pool and
 * carry the next request. A kept-alive connection that the daemon closed meanwhile (the
 * request went out, nothing came back, or it could not be sent) is replaced by a new one
 * once: a GET or a DELETE asked twice does no harm. */
#pragma once

#include <poll.h>
#include <stdint.h>

#include "formats/http-response.h"

/* Idle connections kept per pool. */
#define DOCKER_HTTP_IDLE_MAX 8

/* The idle connections to one socket; one thread at a time uses a pool. */
typedef struct DockerHttpPool {
        const char *socket_path; /* borrowed */
        int idle[DOCKER_HTTP_IDLE_MAX];
        size_t n_idle;
} DockerHttpPool;

/* A new pool (no connection yet) for socket_path, which must outlive it; NULL on ENOMEM. */
DockerHttpPool *docker_http_pool_new(const char *socket_path);
/* Closes the idle connections and frees the pool; NULL is fine. */
void docker_http_pool_free(DockerHttpPool *p);

typedef enum DockerHttpResult {
        DOCKER_HTTP_RUNNING,
        DOCKER_HTTP_DONE, /* a complete answer is in resp (any status) */
        DOCKER_HTTP_TIMEDOUT, /* not complete by the expiry */
        DOCKER_HTTP_CONNECT_FAILED, /* connect() failed with os_errno */
        DOCKER_HTTP_FAILED, /* error (negative errno) and why: broken connection, bad answer,
                             * a callback's error (-EFBIG: body over resp.max_body) */
} DockerHttpResult;

typedef struct DockerHttpTransfer {
        /* The caller sets resp's settings (head, max_body, callbacks) before
         * docker_http_start(); its results are the answer. */
        HttpResponse resp;
        DockerHttpResult result;
        int os_errno; /* DOCKER_HTTP_CONNECT_FAILED */
        int error; /* DOCKER_HTTP_FAILED */
        const char *why; /* DOCKER_HTTP_FAILED: static text */

        /* The transfer's own state. */
        int fd; /* -1 when none */
        enum { DOCKER_HTTP_CONNECTING, DOCKER_HTTP_SENDING, DOCKER_HTTP_RECEIVING } phase;
        bool reused, retried, got_bytes, leftover;
        uint64_t expiry_usec, retry_usec;
        char *request;
        size_t request_len, written;
} DockerHttpTransfer;

/* Starts method path on a pooled or new connection, at now_usec; the transfer ends at
 * expiry_usec (both CLOCK_MONOTONIC). t is reset first (fd -1, resp's settings kept), so
 * docker_http_end() is safe on it whatever this returns. 0, or -ENOMEM / -EINVAL (a path
 * with white space or control characters); a failure to connect is a result
 * (DOCKER_HTTP_CONNECT_FAILED), not an error. */
int docker_http_start(DockerHttpPool *p, DockerHttpTransfer *t, const char *method, const char *path,
        uint64_t now_usec, uint64_t expiry_usec);
/* What t waits for: its pollfd (fd -1 when it waits for nothing but time) and the longest
 * wait in ms before docker_http_step() must be called again. */
void docker_http_pollfd(const DockerHttpTransfer *t, uint64_t now_usec, struct pollfd *ret, int *timeout_ms);
/* Makes progress with the revents poll() gave t's pollfd (0 when none). Returns the
 * result: DOCKER_HTTP_RUNNING until the transfer ends. */
DockerHttpResult docker_http_step(
        DockerHttpPool *p, DockerHttpTransfer *t, short revents, uint64_t now_usec);
/* Ends t, finished or not: its connection goes back to the pool when the answer allows it,
 * else it is closed. resp's results stay until http_response_done(&t->resp). */
void docker_http_end(DockerHttpPool *p, DockerHttpTransfer *t);
