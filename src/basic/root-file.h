/* SPDX-License-Identifier: MIT */
/* Reading files of an offline root (--root DIR) without ever leaving it: symlinks are
 * resolved as if DIR were "/" (an absolute link target or ".." cannot climb out). */
#pragma once

#include "basic/util.h"

/* True when root names the host itself: NULL, "" or "/". */
bool root_is_host(const char *root);

/* Opens the absolute path inside root (root NULL or "/": the host) for reading, when it is a
 * regular file: the type is checked on an O_PATH handle before the file is opened, as
 * open_regular_at() does (basic/fileio.h: -EISDIR, -EBADFD for a FIFO, socket or device).
 * Returns an fd or negative errno. Uses openat2(RESOLVE_IN_ROOT), with a component-wise
 * fallback for kernels without openat2 (before 5.6). */
int root_open(const char *root, const char *path);

/* Like read_full_file() (regular files only, same size limit and errors, NUL-terminated), for
 * a path inside root. */
int root_read_file(const char *root, const char *path, char **ret, size_t *ret_size);

/* "ROOT/PATH" for messages and sources; just PATH without a root. NULL on ENOMEM. */
char *root_path(const char *root, const char *path);
