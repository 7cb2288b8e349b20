/* SPDX-License-Identifier: MIT */
/* Crash-safe file replacement, for `dockaudit fix` and for `audit -o FILE`: the new content is
 * written to a temporary file in the target's directory, fsync()ed, then renamed over the
 * target, and the directory fsync()ed. The target is always either the old file or the new
 * one, never partial.
 *
 * The temporary file is an unnamed O_TMPFILE where the file system has them: a kill -9 while
 * it is written leaves nothing behind. It gets a name only for the rename, or (file systems
 * without O_TMPFILE, or no /proc to link it through) from the start:
 * ".#BASENAME.dockaudit-XXXXXX", which atomic_remove_stale_temps() recognises and
 * atomic_write_file() removes before it writes the same target again.
 *
 * Only a regular file is ever replaced: a symlink, directory, FIFO, socket or device node at
 * the target is refused and left alone. A file that is replaced keeps its owner and group (if
 * that cannot be done, nothing is written); its mode is the caller's (see each function). */
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include "basic/util.h"

/* Prefix and suffix of our temp files: ".#" BASENAME ".dockaudit-" + 6 random [A-Za-z0-9]. */
#define ATOMIC_TEMP_PREFIX ".#"
#define ATOMIC_TEMP_INFIX ".dockaudit-"

typedef enum AtomicFlags {
        /* fix's checks: a normalized absolute path, a directory (created 0755 when missing) that
         * is not a symlink, not writable by group or others, owned by root or us. Without it
         * (-o FILE) the path may be relative and the directory must exist. */
        ATOMIC_SAFE_DIR = 1 << 0,
        /* A named temp file from the start even where O_TMPFILE works (to test the fallback). */
        ATOMIC_NO_TMPFILE = 1 << 1,
        /* Our stale temp files for this target are removed first: only under the fix lock. */
        ATOMIC_REMOVE_STALE = 1 << 2,
        /* An existing target keeps its mode too: mode is then only that of a new file. */
        ATOMIC_KEEP_MODE = 1 << 3,
} AtomicFlags;

/* A replacement in progress: write to fd (or through a FILE* on a dup of it), then commit. */
typedef struct AtomicFile {
        int fd; /* the temp file, open for writing; -1 when none */
        int dir_fd;
        char *path; /* the target as given, for messages */
        char *dir; /* its directory, for messages */
        const char *base; /* the target's name in dir (points into path) */
        char *tmp_name; /* the temp file's name in dir while it has one, else NULL */
        bool replaces; /* the target existed at open: target is its lstat() */
        struct stat target;
} AtomicFile;

/* Opens the temp file for path. mode (& 07777) is the mode of the result: pass the old file's
 * mode to keep it; umask does not apply. When the target exists its owner and group are
 * copied to the temp file (as root; as another user only when they are ours already, else
 * -EPERM "cannot keep the owner"). Refused with "PATH: message": -ELOOP a symlink, -EEXIST
 * anything else that is not a regular file (directory, FIFO, socket, device), -EISDIR a path
 * that ends in "/"; with ATOMIC_SAFE_DIR also -EINVAL (path), -ELOOP / -ENOTDIR / -EPERM
 * (directory). On failure *f is ready for atomic_file_done(). */
int atomic_file_open(AtomicFile *f, const char *path, mode_t mode, AtomicFlags flags, char **ret_error);
/* fsync, a name (O_TMPFILE), the target checked again (still a regular file or missing), rename
 * over it, fsync of the directory. On failure the target is untouched and the temp file is
 * gone. Either way f is then ready for atomic_file_done() only. */
int atomic_file_commit(AtomicFile *f, char **ret_error);
/* Discards what was not committed (the temp file) and frees f. Safe on a zeroed AtomicFile
 * and more than once. */
void atomic_file_done(AtomicFile *f);

/* Replaces path (absolute) with data (size bytes), file mode `mode` (& 07777), with
 * ATOMIC_SAFE_DIR | ATOMIC_REMOVE_STALE (call it under the fix lock). Refused as
 * atomic_file_open() says. Missing parent directories are created (0755) below the nearest
 * existing directory, which must pass the same checks. */
int atomic_write_file(const char *path, const char *data, size_t size, mode_t mode, char **ret_error);
/* The same with more flags (ATOMIC_SAFE_DIR | ATOMIC_REMOVE_STALE are always added) and, when
 * like is not NULL, the owner, group and mode of like (a backup: those of the original)
 * instead of the target's owner and group and mode. */
int atomic_write_file_full(const char *path, const char *data, size_t size, mode_t mode,
        const struct stat *like, AtomicFlags flags, char **ret_error);

/* Removes our own stale temp files for basename in dir (regular files or symlinks named
 * ".#BASENAME.dockaudit-XXXXXX"; nothing else). Call it under the fix lock before writing.
 * Returns the number removed (0 when dir does not exist) or a negative errno. */
int atomic_remove_stale_temps(const char *dir, const char *basename);
