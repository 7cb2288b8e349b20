/* SPDX-License-Identifier: MIT */
/* The HTTP/1.1 response parser (src/formats/http-response.c): what dockerd 20.10 sends
 * (tests/fixtures/http, captured from the integration dockerd), every way of framing a
 * body, split at every byte, and every malformed or oversized answer it must refuse. */
#include <check.h>

#include "check-run.h"

#include "basic/fileio.h"
#include "basic/strbuf.h"
#include "basic/util.h"
#include "formats/http-response.h"

/* dockerd 20.10's answers, as on the wire (tests/fixtures/http/SOURCES). */
static const char ping[] = "HTTP/1.1 200 OK\r\n"
                           "Api-Version: 1.41\r\n"
                           "Cache-Control: no-cache, no-store, must-revalidate\r\n"
                           "Docker-Experimental: false\r\n"
                           "Ostype: linux\r\n"
                           "Pragma: no-cache\r\n"
                           "Server: Docker/20.10.24+dfsg1 (linux)\r\n"
                           "Date: Mon, 30 Nov 2026 11:45:55 GMT\r\n"
                           "Content-Length: 2\r\n"
                           "Content-Type: text/plain; charset=utf-8\r\n"
                           "\r\n"
                           "OK";
/* Its chunked answers' head, with a short body of two chunks. */
static const char chunked[] = "HTTP/1.1 200 OK\r\n"
                              "Api-Version: 1.41\r\n"
                              "Content-Type: application/json\r\n"
                              "Docker-Experimental: false\r\n"
                              "Ostype: linux\r\n"
                              "Server: Docker/20.10.24+dfsg1 (linux)\r\n"
                              "Date: Mon, 30 Nov 2026 11:45:55 GMT\r\n"
                              "Transfer-Encoding: chunked\r\n"
                              "\r\n"
                              "18\r\n"
                              "[{\"Id\":\"aa\",\"State\":\"x\"}\r\n"
                              "3\r\n"
                              "]\n\n\r\n"
                              "0\r\n"
                              "\r\n";

/* One parse: the results, the body, and the first error. */
typedef struct Run {
        HttpResponse h;
        StrBuf body;
        int r; /* first negative return, else 0 */
        size_t consumed;
} Run;

static int collect_body(const char *data, size_t n, void *userdata)
{
        Run *run = userdata;

        ck_assert_uint_gt(n, 0);
        return sb_append_len(&run->body, data, n);
}

static void run_init(Run *run)
{
        *run = (Run){.h = {.on_body = collect_body}};
        run->h.userdata = run;
}

static void run_done(Run *run)
{
        http_response_done(&run->h);
        sb_free(&run->body);
}

/* Feeds in (n bytes) in pieces of at most step bytes (0: at once), then the end of the
 * connection when eof. */
static void run_feed(Run *run, const char *in, size_t n, size_t step, bool eof)
{
        size_t i = 0;

        while (i < n && !run->h.done && run->r == 0) {
                size_t m = step && n - i > step ? step : n - i;
                ssize_t k = http_response_feed(&run->h, in + i, m);

                if (k < 0) {
                        run->r = (int) k;
                        ck_assert_ptr_nonnull(run->h.why);
                        /* The error sticks. */
                        ck_assert_int_eq(http_response_feed(&run->h, "x", 1), k);
                        break;
                }
                ck_assert_uint_le((size_t) k, m);
                ck_assert(run->h.done || (size_t) k == m);
                i += (size_t) k;
        }
        run->consumed = i;
        if (eof && run->r == 0)
                run->r = http_response_eof(&run->h);
}

/* Parses in whole, byte by byte, and split in two at every byte: always the same result. */
static void parse_everyhow(const char *in, size_t n, bool eof, int expect, const char *expect_body)
{
        for (size_t split = 0; split <= n + 1; split++) {
                Run run;

                run_init(&run);
                if (split == n + 1)
                        run_feed(&run, in, n, 1, eof);
                else {
                        run_feed(&run, in, split, 0, false);
                        run_feed(&run, in + split, n - split, 0, eof);
                }
                ck_assert_msg(run.r == expect, "split %zu: %d (%s), expected %d", split, run.r,
                        strempty(run.h.why), expect);
                if (expect == 0) {
                        ck_assert(run.h.done);
                        ck_assert_uint_eq(run.body.len, strlen(expect_body));
                        ck_assert(memcmp(strempty(run.body.buf), expect_body, run.body.len) == 0);
                }
                run_done(&run);
        }
}

START_TEST(test_dockerd_content_length)
{
        Run run;

        run_init(&run);
        run_feed(&run, ping, strlen(ping), 0, false);
        ck_assert_int_eq(run.r, 0);
        ck_assert(run.h.done);
        ck_assert_int_eq(run.h.status, 200);
        ck_assert_int_eq(run.h.minor, 1);
        ck_assert_str_eq(run.h.api_version, "1.41");
        ck_assert(run.h.has_content_length && run.h.content_length == 2);
        ck_assert(http_response_reusable(&run.h));
        ck_assert_str_eq(run.body.buf, "OK");
        run_done(&run);
        parse_everyhow(ping, strlen(ping), false, 0, "OK");
}
END_TEST

START_TEST(test_dockerd_chunked)
{
        Run run;

        run_init(&run);
        run_feed(&run, chunked, strlen(chunked), 0, false);
        ck_assert_int_eq(run.r, 0);
        ck_assert(run.h.chunked && !run.h.has_content_length);
        ck_assert(http_response_reusable(&run.h));
        ck_assert_uint_eq(run.consumed, strlen(chunked));
        run_done(&run);
        parse_everyhow(chunked, strlen(chunked), false, 0, "[{\"Id\":\"aa\",\"State\":\"x\"}]\n\n");
}
END_TEST

/* Every captured answer of dockerd (tests/fixtures/http), whole, byte by byte and split in
 * two at every byte. */
START_TEST(test_dockerd_fixtures)
{
        static const struct {
                const char *file;
                bool head, eof;
                int status;
                size_t body;
                bool reusable;
        } cases[] = {
                {"ping", false, false, 200, 2, true},
                {"head-ping", true, false, 200, 0, true},
                {"ping-http10", false, false, 200, 2, false},
                {"ping-nohost", false, true, 400, 45, false},
                {"info", false, false, 200, 2282, true},
                {"list", false, false, 200, 1276, true},
                {"list-empty", false, false, 200, 3, true},
                {"inspect", false, false, 200, 4335, true},
                {"inspect-404", false, false, 404, 50, true},
                {"delete", false, false, 204, 0, true},
                {"delete-404", false, false, 404, 98, true},
                {"bad-version", false, false, 400, 84, true},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_free_ char *path =
                        strdupf("%s/http/dockerd-20.10.24-%s.http", FIXTURES, cases[i].file);
                _cleanup_free_ char *in = NULL, *whole = NULL;
                size_t n = 0;

                ck_assert_ptr_nonnull(path);
                ck_assert_int_eq(read_full_file(path, &in, &n), 0);
                for (size_t split = 0; split <= n + 1; split++) {
                        Run run;

                        run_init(&run);
                        run.h.head = cases[i].head;
                        if (split == n + 1)
                                run_feed(&run, in, n, 1, cases[i].eof);
                        else {
                                run_feed(&run, in, split, 0, false);
                                run_feed(&run, in + split, n - split, 0, cases[i].eof);
                        }
                        ck_assert_msg(
                                run.r == 0, "%s, split %zu: %s", cases[i].file, split, strempty(run.h.why));
                        ck_assert(run.h.done);
                        ck_assert_int_eq(run.h.status, cases[i].status);
                        ck_assert_str_eq(strempty(run.h.api_version),
                                streq(cases[i].file, "ping-nohost") ? "" : "1.41");
                        ck_assert_uint_eq(run.body.len, cases[i].body);
                        ck_assert_msg(
                                http_response_reusable(&run.h) == cases[i].reusable, "%s", cases[i].file);
                        if (!whole)
                                ck_assert_ptr_nonnull(whole = strndup(strempty(run.body.buf), run.body.len));
                        ck_assert(memcmp(whole, strempty(run.body.buf), run.body.len) == 0);
                        run_done(&run);
                }
        }
}
END_TEST

/* The answer ends where it ends: what follows is not consumed. */
START_TEST(test_stops_at_the_end)
{
        static const char two[] = "HTTP/1.1 204 No Content\r\nContent-Length: 3\r\n\r\nHTTP/1.1 200";
        Run run;

        run_init(&run);
        run_feed(&run, two, strlen(two), 0, false);
        ck_assert_int_eq(run.r, 0);
        ck_assert(run.h.done);
        ck_assert_int_eq(run.h.status, 204);
        ck_assert_uint_eq(run.consumed, strlen(two) - strlen("HTTP/1.1 200"));
        ck_assert_uint_eq(run.body.len, 0);
        ck_assert_int_eq(http_response_feed(&run.h, "x", 1), 0);
        ck_assert_int_eq(http_response_eof(&run.h), 0);
        run_done(&run);
}
END_TEST

START_TEST(test_chunk_extensions_trailers)
{
        static const struct {
                const char *in, *body;
        } cases[] = {
                {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                 "5;name=value;x=\"q\"\r\nhello\r\n0;last\r\nX-Trailer: a\r\nX-Other:\r\n\r\n",
                        "hello"},
                {"HTTP/1.1 200 OK\r\ntransfer-encoding: CHUNKED\r\n\r\n"
                 "00A \r\n0123456789\r\nB\t;x\r\n0123456789a\r\n000\r\n\r\n",
                        "01234567890123456789a"},
                {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", ""},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++)
                parse_everyhow(cases[i].in, strlen(cases[i].in), false, 0, cases[i].body);
}
END_TEST

/* 1xx answers before the real one are passed over, their headers forgotten. */
START_TEST(test_interim_responses)
{
        static const char in[] = "HTTP/1.1 100 Continue\r\n\r\n"
                                 "HTTP/1.1 103 Early Hints\r\nApi-Version: 0.1\r\nLink: </x>\r\n\r\n"
                                 "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        Run run;

        parse_everyhow(in, strlen(in), false, 0, "ok");
        run_init(&run);
        run_feed(&run, in, strlen(in), 0, false);
        ck_assert_int_eq(run.h.status, 200);
        ck_assert_ptr_null(run.h.api_version);
        run_done(&run);
}
END_TEST

/* Neither length nor chunks: the body runs to the end of the connection, which is then
 * not reusable; HTTP/1.0 closes unless keep-alive is asked, HTTP/1.1 keeps unless close. */
START_TEST(test_eof_body_and_connection)
{
        static const struct {
                const char *in;
                bool reusable;
                const char *body;
        } cases[] = {
                {"HTTP/1.1 200 OK\r\n\r\nabc", false, "abc"},
                {"HTTP/1.0 200 OK\r\n\r\nabc", false, "abc"},
                {"HTTP/1.1 200 OK\r\n\r\n", false, ""},
                {"HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx", false, "x"},
                {"HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 1\r\n\r\nx", true, "x"},
                {"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx", false, "x"},
                {"HTTP/1.1 200 OK\r\nConnection: upgrade , CLOSE\r\nContent-Length: 1\r\n\r\nx", false, "x"},
                {"HTTP/1.1 200 OK\r\nConnection: keep-alive, te\r\nContent-Length: 1\r\n\r\nx", true, "x"},
                {"HTTP/1.1 200\r\nContent-Length: 1\r\n\r\nx", true, "x"},
                {"HTTP/1.1 200 \r\nContent-Length: 1\r\n\r\nx", true, "x"},
                {"HTTP/1.1 599 Whatever \xff\t it is\r\nContent-Length: 1\r\n\r\nx", true, "x"},
                {"HTTP/1.1 200 OK\r\nContent-Length: 1\r\ncontent-length: 1\r\n\r\nx", true, "x"},
                {"HTTP/1.1 200 OK\r\nContent-Length: 007\r\n\r\n1234567", true, "1234567"},
                {"HTTP/1.1 200 OK\r\nX-Empty:\r\nX-Sp:   \t\r\nContent-Length:0\r\n\r\n", true, ""},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                bool eof = !strstr(cases[i].in, "ength") && !strstr(cases[i].in, "hunked");
                Run run;

                parse_everyhow(cases[i].in, strlen(cases[i].in), eof, 0, cases[i].body);
                run_init(&run);
                run_feed(&run, cases[i].in, strlen(cases[i].in), 0, eof);
                ck_assert_msg(http_response_reusable(&run.h) == cases[i].reusable, "case %zu", i);
                run_done(&run);
        }
}
END_TEST

/* No body for HEAD, 204 and 304, whatever the headers say. */
START_TEST(test_no_body)
{
        static const struct {
                const char *in;
                bool head;
        } cases[] = {
                {"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", true},
                {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", true},
                {"HTTP/1.1 204 No Content\r\nContent-Length: 100\r\n\r\n", false},
                {"HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n", false},
                {"HTTP/1.1 304 Not Modified\r\n\r\n", false},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                Run run;

                run_init(&run);
                run.h.head = cases[i].head;
                run_feed(&run, cases[i].in, strlen(cases[i].in), 1, false);
                ck_assert_int_eq(run.r, 0);
                ck_assert_msg(run.h.done, "case %zu", i);
                ck_assert(http_response_reusable(&run.h));
                ck_assert_uint_eq(run.body.len, 0);
                run_done(&run);
        }
}
END_TEST

/* Everything refused, at the byte where it goes wrong or at the end of the connection. */
START_TEST(test_malformed)
{
        static const char *const cases[] = {
                "",
                "HTTP/1.1 200 OK\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n12345",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: y\r\n",
                "HTTP/2 200 OK\r\n\r\n",
                "HTTP/1.2 200 OK\r\n\r\n",
                "HTTP/1.1\r\n\r\n",
                "http/1.1 200 OK\r\n\r\n",
                "HTTP/1.1 20 OK\r\n\r\n",
                "HTTP/1.1 2000 OK\r\n\r\n",
                "HTTP/1.1 200OK\r\n\r\n",
                "HTTP/1.1  200 OK\r\n\r\n",
                "HTTP/1.1 600 X\r\n\r\n",
                "HTTP/1.1 099 X\r\n\r\n",
                "HTTP/1.1 2x0 X\r\n\r\n",
                "HTTP/1.1 200 O\x01K\r\n\r\n",
                "HTTP/1.1 101 Switching Protocols\r\n\r\n",
                " HTTP/1.1 200 OK\r\n\r\n",
                "HTTP/1.1 200 OK\n\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 0\n\r\n",
                "HTTP/1.1 200 OK\r\r\n\r\n",
                "HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n",
                "HTTP/1.1 200 OK\r\nX: a\x7f\r\n\r\n",
                "HTTP/1.1 200 OK\r\nX: a\x01\r\n\r\n",
                "HTTP/1.1 200 OK\r\nX-A: 1\r\n continued\r\nContent-Length: 0\r\n\r\n",
                "HTTP/1.1 200 OK\r\n\tX: 1\r\n\r\n",
                "HTTP/1.1 200 OK\r\nNoColon\r\n\r\n",
                "HTTP/1.1 200 OK\r\n: no name\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nX(y): 1\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: +1\r\n\r\nx",
                "HTTP/1.1 200 OK\r\nContent-Length: 1 1\r\n\r\nx",
                "HTTP/1.1 200 OK\r\nContent-Length: 1,1\r\n\r\nx",
                "HTTP/1.1 200 OK\r\nContent-Length: 0x10\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551616\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nx",
                "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 1\r\n\r\n0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: "
                "chunked\r\n\r\n0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\n\r\n",
                "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nx\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n 5\r\nhello\r\n0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5 x\r\nhello\r\n0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;\x01\r\nhello\r\n0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000000\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1ffffffffffffffff\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloX\r\n0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\n0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\r\n0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nbad trailer\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n folded\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\n",
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++)
                parse_everyhow(cases[i], strlen(cases[i]), true, -EBADMSG, NULL);
}
END_TEST

/* A NUL is a control character like any other. */
START_TEST(test_nul)
{
        static const char in[] = "HTTP/1.1 200 OK\r\nX: a\0b\r\nContent-Length: 0\r\n\r\n";
        static const char in2[] = "HTTP/1.1 200 O\0K\r\nContent-Length: 0\r\n\r\n";

        parse_everyhow(in, sizeof in - 1, true, -EBADMSG, NULL);
        parse_everyhow(in2, sizeof in2 - 1, true, -EBADMSG, NULL);
}
END_TEST

/* The caller's body limit, whichever way the body comes; the header limits. */
START_TEST(test_limits)
{
        static const char *const big[] = {
                "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551615\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nb\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n12345\r\n6\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\n",
                "HTTP/1.1 200 OK\r\n\r\n12345678901",
        };
        static const char *const fits[] = {
                "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n1234567890",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n12345\r\n5\r\n67890\r\n0\r\n\r\n",
                "HTTP/1.1 200 OK\r\n\r\n1234567890",
        };
        _cleanup_(sb_free) StrBuf in = {};
        Run run;

        for (size_t i = 0; i < ELEMENTSOF(big); i++)
                for (size_t step = 0; step <= 1; step++) {
                        run_init(&run);
                        run.h.max_body = 10;
                        run_feed(&run, big[i], strlen(big[i]), step, true);
                        ck_assert_msg(run.r == -EFBIG, "case %zu: %d", i, run.r);
                        ck_assert_uint_le(run.body.len, 10);
                        run_done(&run);
                }
        for (size_t i = 0; i < ELEMENTSOF(fits); i++) {
                run_init(&run);
                run.h.max_body = 10;
                run_feed(&run, fits[i], strlen(fits[i]), 1, true);
                ck_assert_msg(run.r == 0, "case %zu: %d", i, run.r);
                ck_assert_uint_eq(run.body.len, 10);
                run_done(&run);
        }

        /* A line of 8 KiB is the longest; a header block of 64 KiB the largest (status line,
         * headers, the empty line), interim responses included. */
        ck_assert_int_ge(sb_append(&in, "HTTP/1.1 200 OK\r\nX: "), 0);
        while (in.len < HTTP_LINE_MAX - 1 + strlen("HTTP/1.1 200 OK\r\n"))
                ck_assert_int_ge(sb_putc(&in, 'a'), 0);
        ck_assert_int_ge(sb_append(&in, "\r\nContent-Length: 0\r\n\r\n"), 0);
        run_init(&run);
        run_feed(&run, in.buf, in.len, 0, false);
        ck_assert_int_eq(run.r, 0);
        run_done(&run);
        in.len = 0;
        ck_assert_int_ge(sb_append(&in, "HTTP/1.1 200 OK\r\nX: "), 0);
        while (in.len < HTTP_LINE_MAX + 1 + strlen("HTTP/1.1 200 OK\r\n"))
                ck_assert_int_ge(sb_putc(&in, 'a'), 0);
        ck_assert_int_ge(sb_append(&in, "\r\nContent-Length: 0\r\n\r\n"), 0);
        run_init(&run);
        run_feed(&run, in.buf, in.len, 0, false);
        ck_assert_int_eq(run.r, -EBADMSG);
        ck_assert_str_eq(run.h.why, "line longer than 8 KiB");
        run_done(&run);

        for (int interim = 0; interim <= 1; interim++)
                for (int over = 0; over <= 1; over++) {
                        size_t want = HTTP_HEADER_MAX + (size_t) over;

                        in.len = 0;
                        ck_assert_int_ge(sb_append(&in, interim ? "HTTP/1.1 100 Continue\r\n\r\n" : ""), 0);
                        ck_assert_int_ge(sb_append(&in, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n"), 0);
                        /* Lines of 1000 bytes, then one of what is left (1001..2000) before
                         * the empty line. */
                        while (in.len + 2 < want) {
                                size_t room = want - 2 - in.len, k = room > 2000 ? 1000 : room;

                                ck_assert_int_ge(sb_append(&in, "X:"), 0);
                                for (size_t j = 0; j + 4 < k; j++)
                                        ck_assert_int_ge(sb_putc(&in, 'v'), 0);
                                ck_assert_int_ge(sb_append(&in, "\r\n"), 0);
                        }
                        ck_assert_int_ge(sb_append(&in, "\r\n"), 0);
                        ck_assert_uint_eq(in.len, want);
                        run_init(&run);
                        run_feed(&run, in.buf, in.len, 0, false);
                        ck_assert_msg(run.r == (over ? -EBADMSG : 0), "interim %d over %d: %d", interim,
                                over, run.r);
                        run_done(&run);
                }
}
END_TEST

static int head_limit(HttpResponse *h, void *userdata)
{
        (void) userdata;
        h->max_body = h->status == 200 ? 0 : 3;
        return h->status == 418 ? -EPERM : 0;
}

static int body_refuse(const char *data, size_t n, void *userdata)
{
        (void) data;
        (void) n;
        (void) userdata;
        return -ENOTRECOVERABLE;
}

/* The callbacks: on_head sets the limit from the status, or refuses; on_body's error stops. */
START_TEST(test_callbacks)
{
        static const char ok[] = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
        static const char err[] = "HTTP/1.1 500 X\r\nContent-Length: 5\r\n\r\nhello";
        static const char tea[] = "HTTP/1.1 418 X\r\nContent-Length: 0\r\n\r\n";
        Run run;

        run_init(&run);
        run.h.max_body = 1;
        run.h.on_head = head_limit;
        run_feed(&run, ok, strlen(ok), 0, false);
        ck_assert_int_eq(run.r, 0);
        ck_assert_str_eq(run.body.buf, "hello");
        /* A reset keeps the settings: the next answer is judged the same way. */
        http_response_reset(&run.h);
        ck_assert_ptr_eq((void *) run.h.on_head, (void *) head_limit);
        run_feed(&run, err, strlen(err), 0, false);
        ck_assert_int_eq(run.r, -EFBIG);
        run_done(&run);

        run_init(&run);
        run.h.on_head = head_limit;
        run_feed(&run, tea, strlen(tea), 0, false);
        ck_assert_int_eq(run.r, -EPERM);
        run_done(&run);

        run_init(&run);
        run.h.on_body = body_refuse;
        run_feed(&run, ok, strlen(ok), 0, false);
        ck_assert_int_eq(run.r, -ENOTRECOVERABLE);
        run_done(&run);
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("http_response");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_dockerd_content_length);
        tcase_add_test(tc, test_dockerd_chunked);
        tcase_add_test(tc, test_dockerd_fixtures);
        tcase_add_test(tc, test_stops_at_the_end);
        tcase_add_test(tc, test_chunk_extensions_trailers);
        tcase_add_test(tc, test_interim_responses);
        tcase_add_test(tc, test_eof_body_and_connection);
        tcase_add_test(tc, test_no_body);
        tcase_add_test(tc, test_malformed);
        tcase_add_test(tc, test_nul);
        tcase_add_test(tc, test_limits);
        tcase_add_test(tc, test_callbacks);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
