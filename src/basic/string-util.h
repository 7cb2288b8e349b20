/* SPDX-License-Identifier: MIT */
/* Strings: suffixes, trimming, formatting into a new string, UTF-8 validity and escaping. (streq() and
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
/* utf8_is_valid_n() over the whole NUL-terminated string. */
bool utf8_is_valid(const char *s);

/* For a terminal or XML, as systemd's utf8_escape_non_printable(): a copy of s in which each
 * byte of a control character (C0, DEL, C1, and U+FFFE/U+FFFF) and each byte outside
 * well-formed UTF-8 is written as \xNN (lower-case hex); everything else, backslashes
 * included, as is. NULL on ENOMEM. */
char *utf8_escape_non_printable(const char *s);

/* For JSON, which carries only UTF-8: a copy of s when it is well-formed UTF-8; else a copy
 * in which each byte outside well-formed UTF-8 is written \xNN and each backslash \\, so
 * that utf8_unescape_invalid() gives s back. The result is always valid UTF-8. NULL on
 * ENOMEM. */
char *utf8_escape_invalid(const char *s);
/* The escaped form of utf8_escape_invalid(), whether s needs it or not. */
char *utf8_escape_bytes(const char *s);
/* The reverse of utf8_escape_bytes() (and of utf8_escape_invalid() on a string it escaped): \\ and \xNN
 * become bytes. -EINVAL on any other backslash sequence or \x00, -ENOMEM. */
int utf8_unescape_invalid(const char *s, char **ret);
