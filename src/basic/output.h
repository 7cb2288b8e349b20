/* SPDX-License-Identifier: MIT */
/* Writing a command's output to stdout or, with -o FILE, atomically to a file (see
 * basic/atomic-write.h): FILE is replaced only when it is a regular file or missing; a
 * symlink, directory, FIFO, socket or device node there is refused and left untouched (so
 * `-o /dev/null` never replaces the host's /dev/null). A file that is replaced keeps its owner,
 * group and mode; a new one gets mode 0644 (whatever the umask) and our owner. */
#pragma once

#include "basic/atomic-write.h"
#include "basic/util.h"

typedef struct Output {
        FILE *f;
        AtomicFile file; /* -o FILE: the temp file renamed over it on success */
        bool to_file;
} Output;

/* Opens stdout (path NULL or "-") or a temporary file beside path. Errors come with
 * "PATH: message" (-ELOOP a symlink, -EEXIST another file that is not a regular file). */
int output_open(Output *o, const char *path, char **ret_error);
/* Flushes; for a file: fsync, rename over the target. On failure the target is untouched. */
int output_commit(Output *o, char **ret_error);
/* Discards a file that was not committed. */
void output_done(Output *o);
