/* SPDX-License-Identifier: MIT */
/* Option values that several commands take, parsed (and their errors worded) once. */
#pragma once

#include "rules/rules.h"

/* --fail-on SEVERITY: info, low, medium or high. Logs and returns -EINVAL for anything else. */
int parse_fail_on(const char *arg, Severity *ret);

/* --root DIR, normalised once for every command that reads an image: the real absolute path
 * of DIR (realpath(): "DIR/", "DIR/.", "./DIR" and "//DIR" all give the same), which must be a
 * directory holding at least one of ROOT_MARKERS (below), so that a typo, a file, /dev/null,
 * /proc or an empty directory is not audited as a clean image. "/" is the host. Returns a
 * negative errno with *ret_error saying why (-EINVAL for "", what realpath() or open() says,
 * -ENOENT for a directory without any marker; not logged: the command reports it in its own
 * format), -ENOMEM, or 0 with *ret allocated. */
int parse_root(const char *arg, char **ret, char **ret_error);

/* What makes a directory a system image for --root: any one of these, relative to it. */
#define ROOT_MARKERS \
        "etc/systemd", "usr/lib/systemd", "lib/systemd", "etc/docker", "etc/os-release", "usr/lib/os-release"
