/* SPDX-License-Identifier: MIT */
/* The sysctl.d files systemd-sysctl applies at boot, and the assignments in them (sysctl.d(5)).
 * Shared by the audit (what value a sysctl gets at boot) and fix (whether a file read after
 * ours would undo our setting). */
#pragma once

#include "basic/util.h"

/* The *.conf files of /etc, /run, /usr/local/lib, /usr/lib and /lib sysctl.d inside root (NULL:
 * the host), in the order systemd-sysctl applies them: by file name, the first directory
 * winning each name. Masked entries (a /dev/null link, an empty file) are listed too: reading
 * them yields nothing. Paths are inside root. 0 or a negative errno (-ENOMEM). */
int sysctl_d_files(const char *root, char ***ret);

/* The last "key = value" for key in the sysctl.d-format text data ("a.b" and "a/b" alike,
 * "-key" too: it only tolerates failures). 1 with *ret_value allocated and *ret_line set,
 * 0 when no line sets key, -ENOMEM. */
int sysctl_text_lookup(const char *data, const char *key, char **ret_value, unsigned *ret_line);
