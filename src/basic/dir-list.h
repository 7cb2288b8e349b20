/* SPDX-License-Identifier: MIT */
/* The files of a configuration directory (rules, waivers): its names with one ending, sorted. */
#pragma once

#include "basic/util.h"

/* The names in dir that end in suffix and do not start with ".", sorted (strcmp), into *ret
 * (NULL-terminated, maybe empty). A leading "-" marks a directory that may be missing: it then
 * has none; any other failure to open or read it is an error, named "DIR: cannot open the WHAT
 * directory: ..." or "DIR: cannot read: ..." in *ret_error (DIR without the "-"). Returns 0 or
 * a negative errno (-ENOMEM with no message). */
int dir_list_names(const char *dir, const char *suffix, const char *what, char ***ret, char **ret_error);
