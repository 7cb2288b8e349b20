/* SPDX-License-Identifier: MIT */
/* StrBuf, a growable NUL-terminated string (sb_*). The buffer belongs to the StrBuf until
 * sb_steal() hands it out; sb_free() (or _cleanup_sb_) releases it. Appends return 0 or
 * -ENOMEM and leave the contents as they were on failure. */
#pragma once

#include "basic/util.h"

/* Zero-initialise ("StrBuf b = {};") before use. buf stays NULL until the first append. */
typedef struct StrBuf {
        char *buf;
        size_t len, cap;
} StrBuf;
/* Room for extra more bytes and the NUL after len (cap > len + extra): doubles the capacity
 * (64 at first) until it fits. For writing into buf directly (a read()), len and the NUL then
 * set by the caller. 0 or -ENOMEM. */
int sb_reserve(StrBuf *b, size_t extra);
/* Appends n bytes of s (which may contain NULs; len counts them). */
int sb_append_len(StrBuf *b, const char *s, size_t n);
int sb_append(StrBuf *b, const char *s);
int sb_putc(StrBuf *b, char c);
/* Appends printf output; -EINVAL when the format fails. */
int sb_printf(StrBuf *b, const char *fmt, ...) _printf_(2, 3);
/* Returns the string (never NULL unless ENOMEM: an empty buffer gives "") and resets b. */
char *sb_steal(StrBuf *b);
void sb_free(StrBuf *b);
static inline void sb_freep(StrBuf *b)
{
        sb_free(b);
}
#define _cleanup_sb_ _cleanup_(sb_freep)
