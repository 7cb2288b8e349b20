/* SPDX-License-Identifier: MIT */
/* Word splitting with quotes and C escapes, as systemd's extract_first_word()
 * with EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE (systemd.syntax(7) QUOTING). */
#pragma once

#include "basic/util.h"

typedef enum ExtractFlags {
        EXTRACT_RELAX_UNKNOWN_ESCAPES = 1 << 0, /* keep "\d" as "\d" (ExecStart=) instead of failing; an
                                                 * escape decoding to NUL ("\x00") is then kept too */
        EXTRACT_RELAX = 1 << 1, /* unbalanced quote or trailing backslash ends the word (EXTRACT_RELAX) */
        EXTRACT_NO_CUNESCAPE = 1 << 2, /* backslash just takes the next byte literally (no C escapes): the
                                        * mode replace_env_argv() splits $VAR values with */
} ExtractFlags;

/* Takes the next word from *p (advancing it past the word and the whitespace after it; at the end *p
 * points at the terminating NUL, it is never set to NULL; a NULL *p counts as empty input).
 * Returns 1 with *ret set, 0 at the end (no word, *ret = NULL),
 * -EINVAL on an unbalanced quote, an escape that decodes to NUL, or (without
 * EXTRACT_RELAX_UNKNOWN_ESCAPES) an unknown escape; -ENOMEM. Quotes may open mid-word. */
int extract_first_word(const char **p, char **ret, ExtractFlags flags);

/* Decodes one C escape at s (s points after the backslash). Returns the number of input
 * bytes used and appends the decoded bytes to out; -EINVAL when unknown or decoding to NUL. */
int cunescape_one(const char *s, size_t len, StrBuf *out);
