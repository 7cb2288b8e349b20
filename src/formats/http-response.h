/* SPDX-License-Identifier: MIT */
/* One HTTP/1.1 response, parsed as its bytes arrive, with no I/O of its own: what the Docker
 * Engine API (Go's net/http) sends on its unix socket, and nothing wider.
 *
 * Accepted: a status line "HTTP/1.0 NNN reason" or "HTTP/1.1 NNN reason" (100-599; the
 * reason may be empty or absent); header lines "Name: value" ended by CRLF (names are
 * tokens, compared case-insensitively; values without control characters but HTAB);
 * interim 1xx responses, skipped; a body framed by Content-Length, by Transfer-Encoding:
 * chunked (extensions ignored, trailers read and dropped), or by the end of the
 * connection when neither is sent. The body of a response to HEAD, of 204 and of 304 is
 * empty whatever the headers say. Connection: close / keep-alive and the version's default
 * (1.1 keeps the connection, 1.0 closes it) decide whether the connection can carry
 * another request.
 *
 * Refused (-EBADMSG, with a message in why): any other version or status, obsolete line
 * folding, a bare CR or LF, white space before a header's colon, a Content-Length that is
 * not all digits or overflows, two that disagree, Content-Length with Transfer-Encoding,
 * a transfer coding other than chunked, a chunk size that is not hex or overflows, a chunk
 * not followed by CRLF, 101 Switching Protocols, a line longer than HTTP_LINE_MAX or a
 * header block (or trailer block) larger than HTTP_HEADER_MAX, and the connection ending
 * before the response does. A body larger than max_body: -EFBIG. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define HTTP_LINE_MAX 8192
#define HTTP_HEADER_MAX (64 * 1024)

typedef struct HttpResponse HttpResponse;

struct HttpResponse {
        /* Set by the caller before the first byte (or in on_head). */
        bool head; /* the request was HEAD: no body */
        size_t max_body; /* 0: no limit */
        /* Called once the final response's header block is complete (status, headers known):
         * may change max_body; a negative errno stops the parse with that error. */
        int (*on_head)(HttpResponse *h, void *userdata);
        /* Called with the body as it arrives (never with n == 0); a negative errno stops the
         * parse with that error. */
        int (*on_body)(const char *data, size_t n, void *userdata);
        void *userdata;

        /* Results: valid once on_head ran. */
        int status; /* 100..599 */
        int minor; /* HTTP/1.minor: 0 or 1 */
        char *api_version; /* the Api-Version header, trimmed, or NULL */
        uint64_t content_length; /* when has_content_length */
        bool has_content_length, chunked, close;
        bool done; /* the response is complete */
        const char *why; /* a static message when an error was returned */

        /* The parser's own state. */
        int state, error;
        bool keep_alive; /* Connection: keep-alive (what keeps an HTTP/1.0 connection) */
        size_t header_bytes; /* of the current header (or trailer) block */
        uint64_t body_bytes, chunk_left;
        size_t line_len;
        char line[HTTP_LINE_MAX];
};

/* Clears the results and the state, keeping the caller's settings (head, max_body, the
 * callbacks): for a fresh response. */
void http_response_reset(HttpResponse *h);
/* Frees api_version. */
void http_response_done(HttpResponse *h);

/* Parses the next n bytes. Returns how many were consumed: all of them, or fewer when the
 * response ended within them (h->done; what follows is not part of it). A negative errno
 * (-EBADMSG, -EFBIG, -ENOMEM, or a callback's) with h->why set; every later call returns
 * it again. */
ssize_t http_response_feed(HttpResponse *h, const char *data, size_t n);
/* The peer closed the connection: 0 when that completes the response (a body read to the
 * end of the connection) or it was already complete, else -EBADMSG ("truncated"). */
int http_response_eof(HttpResponse *h);
/* The connection can carry another request after this complete response: framed by
 * length or chunks, and neither side asked to close. */
bool http_response_reusable(const HttpResponse *h);
