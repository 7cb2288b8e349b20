/* SPDX-License-Identifier: MIT */
/* Strings: suffixes, trimming, formatting into a new string, UTF-8 validity. (streq() and
 * startswith() are inline in basic/util.h.) */
#pragma once

#include "basic/util.h"

bool endswith(const char *s, const char *suffix);

/* asprintf that returns NULL on failure; the caller frees the result. */
char *strdupf(const char *fmt, ...) _printf_(1, 2);

/* Trims space, tab, CR, LF in place from both ends; returns s. */
char *strstrip(char *s);

/* True when the n bytes at s are well-formed UTF-8: no overlong forms, no surrogates, nothing
 * past U+10FFFF, no sequence cut short by n. NUL bytes count as characters. */
bool utf8_is_valid_n(const char *s, size_t n);
