/* SPDX-License-Identifier: MIT */
/* The umbrella of basic/'s everyday helpers, the one header every file includes: the
 * standard includes, the cleanup and ownership macros (_cleanup_free_, _cleanup_close_,
 * _cleanup_(closedirp), TAKE_PTR, TAKE_STRUCT, TAKE_FD, ELEMENTSOF, _printf_), streq() and
 * startswith(); and, at its end, the everyday helpers, one job per file:
 *   basic/strv.h         NULL-terminated string lists: strv_*, _cleanup_strv_free_
 *   basic/strbuf.h       the growable string StrBuf: sb_*, _cleanup_sb_
 *   basic/string-util.h  endswith, strdupf, strstrip, utf8_is_valid_n
 *   basic/parse-util.h   safe_atou64, safe_atoi64, unhexchar
 *   basic/fileio.h       read_full_file, read_one_line_file
 *   basic/error-util.h   error_setf (the char **ret_error convention)
 * Each of those includes this file for the macros, which come before the includes below, so a
 * file may include either first. */
#pragma once

#include <dirent.h>
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

static inline void closedirp(DIR **d)
{
        if (*d)
                closedir(*d);
}

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
static inline const char *strempty(const char *s)
{
        return s ? s : "";
}
static inline const char *strna(const char *s)
{
        return s ? s : "n/a";
}

#include "basic/error-util.h"
#include "basic/fileio.h"
#include "basic/parse-util.h"
#include "basic/strbuf.h"
#include "basic/string-util.h"
#include "basic/strv.h"
