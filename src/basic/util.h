/* SPDX-License-Identifier: MIT */
/* Small helpers shared by every module: cleanup attributes, string lists,
 * a growable string buffer, whole-file reads and error strings. */
#pragma once

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _printf_(a, b) __attribute__((format(printf, a, b)))
#define _unused_ __attribute__((unused))
#define ELEMENTSOF(x) (sizeof(x) / sizeof((x)[0]))

static inline void freep(void *p)
{
        free(*(void **) p);
}
#define _cleanup_free_ _cleanup_(freep)

static inline void fclosep(FILE **f)
{
        if (*f)
                fclose(*f);
}
#define _cleanup_fclose_ _cleanup_(fclosep)

static inline void closep(int *fd)
{
        if (*fd >= 0)
                close(*fd);
}
#define _cleanup_close_ _cleanup_(closep)

/* Hand ownership out of a cleanup variable: return TAKE_PTR(p). */
#define TAKE_PTR(p)                     \
        ({                              \
                __typeof__(p) _p = (p); \
                (p) = NULL;             \
                _p;                     \
        })
/* The same for a struct value: *ret = TAKE_STRUCT(s) leaves s zeroed for its cleanup. */
#define TAKE_STRUCT(s)                   \
        ({                               \
                __typeof__(s) _s = (s);  \
                (s) = (__typeof__(s)){}; \
                _s;                      \
        })
#define TAKE_FD(fd)             \
        ({                      \
                int _fd = (fd); \
                (fd) = -1;      \
                _fd;            \
        })

static inline bool streq(const char *a, const char *b)
{
        return strcmp(a, b) == 0;
}
static inline bool streq_ptr(const char *a, const char *b)
{
        if (!a || !b)
                return a == b;
        return strcmp(a, b) == 0;
}
/* Returns the text after prefix, or NULL when s does not start with it. */
static inline const char *startswith(const char *s, const char *prefix)
{
        size_t l = strlen(prefix);
        return strncmp(s, prefix, l) == 0 ? s + l : NULL;
}
bool endswith(const char *s, const char *suffix);
static inline const char *strempty(const char *s)
{
        return s ? s : "";
}

/* NULL-terminated string lists ("strv"), as in systemd. */
char **strv_free(char **l);
static inline void strv_freep(char ***l)
{
        strv_free(*l);
}
#define _cleanup_strv_free_ _cleanup_(strv_freep)
size_t strv_length(char *const *l);
/* Appends a copy of s. */
int strv_extend(char ***l, const char *s);
/* Appends s itself; frees it on failure. */
int strv_consume(char ***l, char *s);
bool strv_contains(char *const *l, const char *s);
static inline bool strv_isempty(char *const *l)
{
        return !l || !*l;
}
char **strv_copy(char *const *l);
/* Joins with sep; returns NULL on ENOMEM. */
char *strv_join(char *const *l, const char *sep);

/* Growable string. Zero-initialise ("StrBuf b = {};") before use. */
typedef struct StrBuf {
        char *buf;
        size_t len, cap;
} StrBuf;
int sb_append_len(StrBuf *b, const char *s, size_t n);
int sb_append(StrBuf *b, const char *s);
int sb_putc(StrBuf *b, char c);
int sb_printf(StrBuf *b, const char *fmt, ...) _printf_(2, 3);
/* Returns the string (never NULL unless ENOMEM: an empty buffer gives "") and resets b. */
char *sb_steal(StrBuf *b);
void sb_free(StrBuf *b);
static inline void sb_freep(StrBuf *b)
{
        sb_free(b);
}
#define _cleanup_sb_ _cleanup_(sb_freep)

/* asprintf that returns NULL on failure. */
char *strdupf(const char *fmt, ...) _printf_(1, 2);

/* Maximum size read_full_file() accepts (larger: -EFBIG). */
#define READ_FULL_MAX (64U * 1024U * 1024U)
/* Reads a whole file; *ret is NUL-terminated (the size excludes the NUL). */
int read_full_file(const char *path, char **ret, size_t *ret_size);
/* Reads a one-line file (sysctl, /proc value), trailing newline removed. */
int read_one_line_file(const char *path, char **ret);

/* Sets *ret_error (if ret_error is not NULL) to a formatted message and returns err,
 * which must be negative. Parsers use it to report "file:line: message". */
int error_setf(char **ret_error, int err, const char *fmt, ...) _printf_(3, 4);

/* Trims space, tab, CR, LF in place from both ends; returns s. */
char *strstrip(char *s);

bool utf8_is_valid_n(const char *s, size_t n);

/* The value of a hex digit, -EINVAL for anything else. */
int unhexchar(char c);

/* Number parsing that rejects junk and overflow: -EINVAL / -ERANGE. */
int safe_atou64(const char *s, unsigned long long *ret);
int safe_atoi64(const char *s, long long *ret);
