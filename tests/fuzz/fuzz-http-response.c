/* SPDX-License-Identifier: MIT */
/* The HTTP/1.1 response parser (http_response_feed()) on hostile answers, cut into pieces
 * wherever the input says: whole, byte by byte, and in pieces whose sizes come from the
 * input's own bytes. Every way of cutting must give the same verdict, the same status and
 * the same body; a body never exceeds the limit; an error always says why. The corpus
 * (tests/fuzz/corpus/http-response) starts from dockerd 20.10's real answers
 * (tests/fixtures/http/SOURCES). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "formats/http-response.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct Outcome {
        int r, status;
        bool done, reusable;
        size_t consumed;
        char *body;
        size_t body_len, body_cap, max_body;
} Outcome;

static int append(const char *p, size_t n, void *userdata)
{
        Outcome *o = userdata;
        char *b;

        if (n == 0)
                __builtin_trap();
        if (o->body_len + n > o->body_cap) {
                size_t cap = 2 * (o->body_len + n);

                if (!(b = realloc(o->body, cap)))
                        return -ENOMEM;
                o->body = b;
                o->body_cap = cap;
        }
        memcpy(o->body + o->body_len, p, n);
        o->body_len += n;
        return 0;
}

/* mode 0: whole; 1: byte by byte; 2: pieces of 1 + data[i] % 13 bytes. */
static void run(const uint8_t *data, size_t size, int mode, bool head, size_t max_body, Outcome *o)
{
        HttpResponse h = {.head = head, .max_body = max_body, .on_body = append, .userdata = o};
        size_t i = 0;

        *o = (Outcome){.max_body = max_body};
        while (i < size && !h.done) {
                size_t m = mode == 0 ? size - i : mode == 1 ? 1 : 1 + data[i] % 13;
                ssize_t k;

                if (m > size - i)
                        m = size - i;
                k = http_response_feed(&h, (const char *) data + i, m);
                if (k < 0) {
                        o->r = (int) k;
                        if (!h.why || http_response_feed(&h, "x", 1) != k)
                                __builtin_trap();
                        break;
                }
                if ((size_t) k > m || (!h.done && (size_t) k != m))
                        __builtin_trap();
                i += (size_t) k;
        }
        o->consumed = i;
        if (o->r == 0)
                o->r = http_response_eof(&h);
        o->status = h.status;
        o->done = h.done;
        o->reusable = http_response_reusable(&h);
        if (o->r == 0 && (!h.done || h.status < 200 || h.status > 599))
                __builtin_trap();
        if (max_body && o->body_len > max_body)
                __builtin_trap();
        if ((head || (o->r == 0 && (h.status == 204 || h.status == 304))) && o->body_len)
                __builtin_trap();
        http_response_done(&h);
}

static void same(const Outcome *a, const Outcome *b)
{
        if (a->r != b->r)
                __builtin_trap();
        if (a->r < 0)
                return; /* how much of the body came before the error may differ */
        if (a->status != b->status || a->done != b->done || a->reusable != b->reusable ||
                a->consumed != b->consumed || a->body_len != b->body_len ||
                (a->body_len && memcmp(a->body, b->body, a->body_len) != 0))
                __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        /* Without a limit, and with one the input's length picks (often under its body). */
        for (int pass = 0; pass < 3; pass++) {
                bool head = pass == 2;
                size_t max_body = pass == 1 ? 1 + size % 257 : 0;
                Outcome o[3];

                for (int mode = 0; mode < 3; mode++)
                        run(data, size, mode, head, max_body, &o[mode]);
                same(&o[0], &o[1]);
                same(&o[0], &o[2]);
                for (int mode = 0; mode < 3; mode++)
                        free(o[mode].body);
        }
        return 0;
}
