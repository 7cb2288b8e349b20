/* SPDX-License-Identifier: MIT */
/* Writing a command's output to stdout or, with -o FILE, atomically to a file. */
#pragma once

#include "basic/util.h"

typedef struct Output {
        FILE *f;
        char *path; /* -o FILE, or NULL for stdout */
        char *tmp_path; /* the temporary file renamed over path on success */
} Output;

/* Opens stdout (path NULL or "-") or a temporary file beside path. */
int output_open(Output *o, const char *path, char **ret_error);
/* Flushes; for a file: fsync, rename over the target. On failure the target is untouched. */
int output_commit(Output *o, char **ret_error);
/* Discards a file that was not committed. */
void output_done(Output *o);
