/* SPDX-License-Identifier: MIT */
/* The files of a directory (rules, waivers, reports): its names with one ending, sorted. */
#pragma once

#include "basic/util.h"

/* The names in dir that end in suffix and do not start with ".", sorted (strcmp), into *ret
 * (NULL-terminated, maybe empty). A missing directory has none when optional; any other
 * failure to open or read it is an error, named "DIR: cannot open the WHAT directory: ..." or
 * "DIR: cannot read: ..." in *ret_error. Returns 0 or a negative errno (-ENOMEM with no
 * message). */
int dir_list_names(
        const char *dir, bool optional, const char *suffix, const char *what, char ***ret, char **ret_error);
