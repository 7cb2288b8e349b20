/* SPDX-License-Identifier: MIT */
/* Whether a file read after ours would undo the plan: a drop-in of the unit whose name sorts
 * after 50-dockaudit.conf (systemd applies drop-ins in file-name order across every .d
 * directory, the last assignment wins), or a sysctl.d file sorting after ours
 * (systemd-sysctl: by file name across /etc, /run, /usr/local/lib, /usr/lib and /lib
 * sysctl.d, the last assignment wins) or /etc/sysctl.conf (read last by `sysctl --system`,
 * and by systemd-sysctl through the 99-sysctl.conf link that EL7 and Debian ship).
 *
 * Such a file is an administrator's choice: the plan is refused, naming the file and line to
 * edit, rather than written under it (where it would change nothing, yet be written, reloaded
 * and reported on every run). */
#pragma once

#include "fix/fix-plan.h"

/* Where fix writes, to find what comes after it. */
typedef struct FixTarget {
        const char *root; /* NULL or "/": the host */
        bool user; /* the user manager's unit directories */
        char *const *env; /* the user manager's environment (NULL: ours), see fix_paths_unit_dir() */
        const char *unit; /* "docker.service" */
} FixTarget;

/* For each drop-in and sysctl action of plan, the last later assignment of the same key with
 * another value: one line in *refusals (appended; created when NULL) naming FILE:LINE, the
 * value it sets and our file; a later sysctl file that cannot be read is a refusal too (it
 * may undo ours). Returns the number of lines added, or -ENOMEM. */
int fix_override_check(const FixPlan *plan, const FixTarget *t, char ***refusals);
