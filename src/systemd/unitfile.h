/* SPDX-License-Identifier: MIT */
/* systemd unit file syntax (systemd.syntax(7)), as systemd 252 reads it:
 * line ends \n \r \r\n \n\r NUL; 1 MiB line limit; whole-line # and ; comments;
 * unescaped trailing backslash continues (comment lines inside skipped, empty line ends it);
 * case-sensitive [Section] headers; KEY=VALUE split at the first '='.
 * This layer only produces assignments in file order; it knows nothing of settings. */
#pragma once

#include "basic/util.h"

typedef struct UnitAssignment {
        char *section; /* never NULL: assignments before the first header are dropped (warning) */
        char *key; /* trimmed */
        char *value; /* trimmed, continuation-joined */
        unsigned line; /* 1-based line where the logical line starts */
} UnitAssignment;

/* A [Section] header as written (added for unknown-section warnings; the name is untrimmed). */
typedef struct UnitSectionHeader {
        char *name;
        unsigned line;
} UnitSectionHeader;

typedef struct UnitFile {
        char *path;
        UnitAssignment *assignments;
        size_t n_assignments;
        /* A fatal syntax error stops the parse; earlier assignments stay (systemd keeps them too).
         * 0, -ENOBUFS (line too long), -EINVAL (not UTF-8), -EBADMSG (bad section header). */
        int fatal;
        unsigned fatal_line;
        char *fatal_msg; /* "PATH:LINE: message" */
        char **warnings; /* "PATH:LINE: message" for ignored lines */
        UnitSectionHeader *sections; /* every valid header, in file order */
        size_t n_sections;
} UnitFile;

/* systemd's utf8_is_valid(): like utf8_is_valid_n() but also rejects the noncharacters
 * U+FDD0..U+FDEF and U+xxFFFE/U+xxFFFF, as unichar_is_valid() does. */
bool unit_utf8_is_valid(const char *s, size_t n);

/* Parses data (size bytes, may contain NUL). Only fails with -ENOMEM; syntax errors are
 * recorded in the result. path is used for messages. */
int unit_file_parse(const char *path, const char *data, size_t size, UnitFile **ret);
/* Reads and parses path. -errno when it cannot be read. */
int unit_file_load(const char *path, UnitFile **ret);
UnitFile *unit_file_free(UnitFile *u);
static inline void unit_file_freep(UnitFile **u)
{
        unit_file_free(*u);
}
#define _cleanup_unit_file_ _cleanup_(unit_file_freep)
