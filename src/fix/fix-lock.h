/* SPDX-License-Identifier: MIT */
/* One `dockaudit fix` at a time: flock() on a lock file that names the holder's pid.
 * The kernel drops the lock when the holder exits (kill -9 included); a pid left in the file
 * by a dead holder is only read when the lock is actually held. */
#pragma once

#include "basic/util.h"

/* What is locked: the directory ROOT itself when root is given (offline --root: nothing is
 * written into the image for the lock), else
 * $XDG_RUNTIME_DIR/dockaudit.lock with user (-ENXIO when XDG_RUNTIME_DIR is unset or not
 * absolute), else /run/dockaudit.lock. */
int fix_lock_path(bool user, const char *root, char **ret);

/* Takes the lock without waiting. On success *ret_fd holds it (close it to release) and the
 * file contains our pid. Held by someone else: -EBUSY "another dockaudit fix is running (pid N)".
 * Other errors: negative errno with "PATH: message". */
int fix_lock_acquire(bool user, const char *root, int *ret_fd, char **ret_error);
