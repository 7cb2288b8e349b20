/* SPDX-License-Identifier: MIT */
/* Crash-safe file replacement for `dockaudit fix`: temp file in the same directory, fsync,
 * rename, fsync of the directory. Never writes through a symlink and refuses directories that
 * someone else could swap files in. A kill -9 can only leave a temp file named
 * ".#BASENAME.dockaudit-XXXXXX", which atomic_remove_stale_temps() recognises. */
#pragma once

#include <sys/types.h>

#include "basic/util.h"

/* Prefix and suffix of our temp files: ".#" BASENAME ".dockaudit-" + 6 random [A-Za-z0-9]. */
#define ATOMIC_TEMP_PREFIX ".#"
#define ATOMIC_TEMP_INFIX ".dockaudit-"

/* Replaces path (absolute) with data (size bytes), file mode `mode` (& 07777).
 * Refused (-ELOOP / -ENOTDIR / -EPERM, "PATH: message") when path is a symlink or not a
 * regular file, or its directory is a symlink, not a directory, writable by group or
 * others (sticky bit or not) or owned by someone other than root or the caller.
 * Missing parent directories are created (0755) below the nearest existing directory,
 * which must pass the same checks. */
int atomic_write_file(const char *path, const char *data, size_t size, mode_t mode, char **ret_error);

/* Removes our own stale temp files for basename in dir (regular files or symlinks named
 * ".#BASENAME.dockaudit-XXXXXX"; nothing else). Call it under the fix lock before writing.
 * Returns the number removed (0 when dir does not exist) or a negative errno. */
int atomic_remove_stale_temps(const char *dir, const char *basename);
