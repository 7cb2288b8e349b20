/* SPDX-License-Identifier: MIT */
/* Kernel parameters: names as sysctl(8) spells them, and live writes under /proc/sys. */
#pragma once

#include "basic/util.h"

/* True when key is a valid sysctl name for us: [a-z0-9_.-], no empty component, no "..",
 * at most 255 bytes. */
bool sysctl_key_is_valid(const char *key);

/* Writes value (no newline in it) to /proc/sys/<key with dots as slashes>, live.
 * Errors: -EINVAL "KEY: invalid sysctl name", or "/proc/sys/...: strerror". */
int write_proc_sys(const char *key, const char *value, char **ret_error);

/* Same, below another directory instead of /proc/sys (for tests). The file must exist and be a
 * regular file (-EBADFD otherwise; a FIFO never blocks). */
int write_proc_sys_in(const char *proc_sys_dir, const char *key, const char *value, char **ret_error);
