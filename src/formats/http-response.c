/* SPDX-License-Identifier: MIT */
#include "formats/http-response.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum {
        ST_STATUS, /* the status line */
        ST_HEADER, /* header lines until the empty one */
        ST_BODY_LENGTH, /* chunk_left bytes of Content-Length body */
        ST_BODY_EOF, /* body until the connection ends */
        ST_CHUNK_SIZE, /* a chunk's size line */
        ST_CHUNK_DATA, /* chunk_left bytes of the chunk */
        ST_CHUNK_CRLF, /* the CRLF after a chunk's data (line_len: how much of it seen) */
        ST_TRAILER, /* trailer lines after the last chunk, until the empty one */
        ST_DONE,
        ST_ERROR,
};

void http_response_reset(HttpResponse *h)
{
        free(h->api_version);
        *h = (HttpResponse){.head = h->head,
                .max_body = h->max_body,
                .on_head = h->on_head,
                .on_body = h->on_body,
                .userdata = h->userdata};
}

void http_response_done(HttpResponse *h)
{
        free(h->api_version);
        h->api_version = NULL;
}

static int fail(HttpResponse *h, int error, const char *why)
{
        h->state = ST_ERROR;
        h->error = error;
        h->why = why;
        return error;
}

/* RFC 9110 5.6.2 tchar. */
static bool is_tchar(unsigned char c)
{
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               (c && strchr("!#$%&'*+-.^_`|~", c));
}

static bool is_ows(char c)
{
        return c == ' ' || c == '\t';
}

/* Field content: visible characters, SP, HTAB and obs-text; no other control character. */
static bool is_field_text(const char *s, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                unsigned char c = (unsigned char) s[i];

                if ((c < 0x20 && c != '\t') || c == 0x7f)
                        return false;
        }
        return true;
}

/* "HTTP/1.x NNN[ reason]". */
static int parse_status_line(HttpResponse *h, const char *s, size_t n)
{
        if (n < 12 || memcmp(s, "HTTP/1.", 7) != 0 || (s[7] != '0' && s[7] != '1') || s[8] != ' ')
                return fail(h, -EBADMSG, "not an HTTP/1.0 or HTTP/1.1 status line");
        if (s[9] < '1' || s[9] > '5' || s[10] < '0' || s[10] > '9' || s[11] < '0' || s[11] > '9' ||
                (n > 12 && s[12] != ' ') || !is_field_text(s + 12, n - 12))
                return fail(h, -EBADMSG, "malformed status line");
        h->minor = s[7] - '0';
        h->status = (s[9] - '0') * 100 + (s[10] - '0') * 10 + (s[11] - '0');
        return 0;
}

static int parse_content_length(HttpResponse *h, const char *v, size_t n)
{
        uint64_t x = 0;

        if (n == 0)
                return fail(h, -EBADMSG, "empty Content-Length");
        for (size_t i = 0; i < n; i++) {
                if (v[i] < '0' || v[i] > '9')
                        return fail(h, -EBADMSG, "Content-Length is not a number");
                if (x > (UINT64_MAX - (uint64_t) (v[i] - '0')) / 10)
                        return fail(h, -EBADMSG, "Content-Length overflows");
                x = x * 10 + (uint64_t) (v[i] - '0');
        }
        if (h->has_content_length && h->content_length != x)
                return fail(h, -EBADMSG, "two different Content-Length headers");
        h->has_content_length = true;
        h->content_length = x;
        return 0;
}

/* Connection: a comma-separated list of options; close and keep-alive are the ones that
 * matter. keep_alive is only for HTTP/1.0. */
static void parse_connection(HttpResponse *h, const char *v, size_t n)
{
        size_t i = 0;

        while (i < n) {
                size_t start, end;

                while (i < n && (is_ows(v[i]) || v[i] == ','))
                        i++;
                start = i;
                while (i < n && v[i] != ',')
                        i++;
                end = i;
                while (end > start && is_ows(v[end - 1]))
                        end--;
                if (end - start == 5 && strncasecmp(v + start, "close", 5) == 0)
                        h->close = true;
                else if (end - start == 10 && strncasecmp(v + start, "keep-alive", 10) == 0)
                        h->keep_alive = true;
        }
}

/* "Name: value": the name a token right before the colon, the value trimmed. */
static int split_field(HttpResponse *h, const char *s, size_t n, size_t *ret_name, const char **ret_value,
        size_t *ret_value_len)
{
        const char *colon = memchr(s, ':', n);
        size_t k, a, b;

        if (is_ows(s[0]))
                return fail(h, -EBADMSG, "folded header line");
        if (!colon || colon == s)
                return fail(h, -EBADMSG, "malformed header line");
        k = (size_t) (colon - s);
        for (size_t i = 0; i < k; i++)
                if (!is_tchar((unsigned char) s[i]))
                        return fail(h, -EBADMSG, "malformed header name");
        a = k + 1;
        b = n;
        while (a < b && is_ows(s[a]))
                a++;
        while (b > a && is_ows(s[b - 1]))
                b--;
        if (!is_field_text(s + a, b - a))
                return fail(h, -EBADMSG, "control character in a header value");
        *ret_name = k;
        *ret_value = s + a;
        *ret_value_len = b - a;
        return 0;
}

static bool name_is(const char *s, size_t n, const char *name)
{
        return n == strlen(name) && strncasecmp(s, name, n) == 0;
}

static int parse_header_line(HttpResponse *h, const char *s, size_t n)
{
        const char *v;
        size_t k, vn;
        int r = split_field(h, s, n, &k, &v, &vn);

        if (r < 0)
                return r;
        if (name_is(s, k, "Content-Length"))
                return parse_content_length(h, v, vn);
        if (name_is(s, k, "Transfer-Encoding")) {
                if (h->minor == 0)
                        return fail(h, -EBADMSG, "Transfer-Encoding in an HTTP/1.0 response");
                if (h->chunked || vn != 7 || strncasecmp(v, "chunked", 7) != 0)
                        return fail(h, -EBADMSG, "unsupported Transfer-Encoding");
                h->chunked = true;
        } else if (name_is(s, k, "Connection"))
                parse_connection(h, v, vn);
        else if (name_is(s, k, "Api-Version")) {
                char *a = strndup(v, vn);

                if (!a)
                        return fail(h, -ENOMEM, "out of memory");
                free(h->api_version);
                h->api_version = a;
        }
        return 0;
}

/* The empty line after the headers: an interim response is skipped; the final one decides
 * how its body is framed. */
static int end_of_head(HttpResponse *h)
{
        int r;

        if (h->status == 101)
                return fail(h, -EBADMSG, "101 Switching Protocols, never asked for");
        if (h->status < 200) {
                size_t used = h->header_bytes;

                http_response_reset(h);
                h->header_bytes = used; /* interim responses count towards the limit */
                return 0;
        }
        if (h->chunked && h->has_content_length)
                return fail(h, -EBADMSG, "both Content-Length and Transfer-Encoding");
        if (h->minor == 0 && !h->keep_alive)
                h->close = true;
        if (h->on_head && (r = h->on_head(h, h->userdata)) < 0)
                return fail(h, r, "refused by the caller");
        if (h->head || h->status == 204 || h->status == 304) {
                h->state = ST_DONE;
                h->done = true;
        } else if (h->chunked) {
                h->state = ST_CHUNK_SIZE;
        } else if (h->has_content_length) {
                if (h->max_body && h->content_length > h->max_body)
                        return fail(h, -EFBIG, "body larger than the limit");
                h->chunk_left = h->content_length;
                h->state = h->content_length ? ST_BODY_LENGTH : ST_DONE;
                h->done = !h->content_length;
        } else {
                h->close = true;
                h->state = ST_BODY_EOF;
        }
        return 0;
}

/* "HEX[ ; extensions]". */
static int parse_chunk_size(HttpResponse *h, const char *s, size_t n)
{
        uint64_t x = 0;
        size_t i = 0;

        for (; i < n; i++) {
                int d;

                if (s[i] >= '0' && s[i] <= '9')
                        d = s[i] - '0';
                else if (s[i] >= 'a' && s[i] <= 'f')
                        d = s[i] - 'a' + 10;
                else if (s[i] >= 'A' && s[i] <= 'F')
                        d = s[i] - 'A' + 10;
                else
                        break;
                if (x > (UINT64_MAX >> 4))
                        return fail(h, -EBADMSG, "chunk size overflows");
                x = (x << 4) | (uint64_t) d;
        }
        if (i == 0)
                return fail(h, -EBADMSG, "malformed chunk size");
        while (i < n && is_ows(s[i]))
                i++;
        if (i < n && (s[i] != ';' || !is_field_text(s + i, n - i)))
                return fail(h, -EBADMSG, "malformed chunk size");
        if (h->max_body && (x > h->max_body || h->body_bytes + x > h->max_body))
                return fail(h, -EFBIG, "body larger than the limit");
        h->chunk_left = x;
        if (x > 0)
                h->state = ST_CHUNK_DATA;
        else {
                h->state = ST_TRAILER;
                h->header_bytes = 0;
        }
        return 0;
}

/* A complete line (without its CRLF) in the state that reads lines. */
static int line_done(HttpResponse *h)
{
        const char *s = h->line;
        size_t n = h->line_len;

        h->line_len = 0;
        switch (h->state) {
        case ST_STATUS:
                if (parse_status_line(h, s, n) < 0)
                        return h->error;
                h->state = ST_HEADER;
                return 0;
        case ST_HEADER:
                return n == 0 ? end_of_head(h) : parse_header_line(h, s, n);
        case ST_CHUNK_SIZE:
                return parse_chunk_size(h, s, n);
        case ST_TRAILER:
                if (n == 0) {
                        h->state = ST_DONE;
                        h->done = true;
                        return 0;
                }
                {
                        const char *v;
                        size_t k, vn;

                        return split_field(h, s, n, &k, &v, &vn);
                }
        }
        return fail(h, -EBADMSG, "internal error: no line expected");
}

/* Bytes of a line: up to and including its LF, at most n. Returns how many were taken. */
static ssize_t line_feed(HttpResponse *h, const char *data, size_t n)
{
        bool in_head = h->state != ST_CHUNK_SIZE;

        for (size_t i = 0; i < n; i++) {
                char c = data[i];

                if (in_head && ++h->header_bytes > HTTP_HEADER_MAX)
                        return fail(h, -EBADMSG, "header block larger than 64 KiB");
                if (c == '\n') {
                        if (h->line_len == 0 || h->line[h->line_len - 1] != '\r')
                                return fail(h, -EBADMSG, "line not ended by CRLF");
                        h->line_len--;
                        if (line_done(h) < 0)
                                return h->error;
                        return (ssize_t) i + 1;
                }
                if (h->line_len > 0 && h->line[h->line_len - 1] == '\r')
                        return fail(h, -EBADMSG, "CR not followed by LF");
                if (h->line_len >= sizeof h->line)
                        return fail(h, -EBADMSG, "line longer than 8 KiB");
                h->line[h->line_len++] = c;
        }
        return (ssize_t) n;
}

static int body_deliver(HttpResponse *h, const char *data, size_t n)
{
        int r;

        if (n == 0)
                return 0;
        if (h->max_body && (n > h->max_body || h->body_bytes + n > h->max_body))
                return fail(h, -EFBIG, "body larger than the limit");
        h->body_bytes += n;
        if (h->on_body && (r = h->on_body(data, n, h->userdata)) < 0)
                return fail(h, r, "refused by the caller");
        return 0;
}

ssize_t http_response_feed(HttpResponse *h, const char *data, size_t n)
{
        size_t i = 0;

        if (h->state == ST_ERROR)
                return h->error;
        while (i < n && h->state != ST_DONE) {
                ssize_t k;
                size_t m;

                switch (h->state) {
                case ST_STATUS:
                case ST_HEADER:
                case ST_CHUNK_SIZE:
                case ST_TRAILER:
                        k = line_feed(h, data + i, n - i);
                        if (k < 0)
                                return k;
                        i += (size_t) k;
                        break;
                case ST_BODY_LENGTH:
                case ST_CHUNK_DATA:
                        m = n - i < h->chunk_left ? n - i : (size_t) h->chunk_left;
                        if (body_deliver(h, data + i, m) < 0)
                                return h->error;
                        i += m;
                        h->chunk_left -= m;
                        if (h->chunk_left == 0 && h->state == ST_BODY_LENGTH) {
                                h->state = ST_DONE;
                                h->done = true;
                        } else if (h->chunk_left == 0)
                                h->state = ST_CHUNK_CRLF;
                        break;
                case ST_CHUNK_CRLF:
                        if (data[i] != (h->line_len == 0 ? '\r' : '\n'))
                                return fail(h, -EBADMSG, "chunk data not followed by CRLF");
                        i++;
                        if (++h->line_len == 2) {
                                h->line_len = 0;
                                h->state = ST_CHUNK_SIZE;
                        }
                        break;
                case ST_BODY_EOF:
                        if (body_deliver(h, data + i, n - i) < 0)
                                return h->error;
                        i = n;
                        break;
                }
        }
        return (ssize_t) i;
}

int http_response_eof(HttpResponse *h)
{
        if (h->state == ST_ERROR)
                return h->error;
        if (h->state == ST_BODY_EOF) {
                h->state = ST_DONE;
                h->done = true;
        }
        if (h->state != ST_DONE)
                return fail(h, -EBADMSG, "connection closed before the end of the answer");
        return 0;
}

bool http_response_reusable(const HttpResponse *h)
{
        return h->done && !h->close;
}
