/* SPDX-License-Identifier: MIT */
/* Whole-file reads. The caller owns what *ret gets; on failure *ret is left alone and the
 * error is a negative errno: open()/read()'s, -EISDIR, -EFBIG, -ENOMEM. */
#pragma once

#include "basic/util.h"

/* Maximum size read_full_file() accepts (larger: -EFBIG). */
#define READ_FULL_MAX (64U * 1024U * 1024U)
/* Reads a whole file, to EOF (so /proc files, whose st_size is 0, read fully); *ret is
 * NUL-terminated (the size, if ret_size is not NULL, excludes the NUL and counts any NUL
 * inside). */
int read_full_file(const char *path, char **ret, size_t *ret_size);
/* Reads a one-line file (sysctl, /proc value): the text up to the first newline. */
int read_one_line_file(const char *path, char **ret);
