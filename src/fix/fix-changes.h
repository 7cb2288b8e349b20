/* SPDX-License-Identifier: MIT */
/* The plan as changes to the host: each file to create or replace, with its old and new text
 * and the diff between them, and each live sysctl to write; and writing one of them. */
#pragma once

#include <sys/types.h>

#include "fix/fix-plan.h"

/* One file to replace, or one live sysctl to write. */
typedef struct FixChange {
        FixActionType type;
        char *unit; /* FIX_ACTION_DROPIN: another unit's drop-in (PlanAction.unit), NULL: the audited unit's
                     */
        bool proc_sys; /* a live /proc/sys write rather than a file */
        char *path; /* the file (root included), or /proc/sys/... for people */
        char *old_text; /* NULL: the file does not exist */
        char *new_text; /* file contents, or the sysctl value */
        char *key; /* proc_sys: the sysctl name */
        char *diff; /* unified diff, or "write VALUE to PATH (now OLD)\n" */
        mode_t mode; /* the file's mode (kept), 0644 for a new one */
        bool accepted; /* the person said yes (the caller sets it) */
} FixChange;

typedef struct FixChanges {
        FixChange *v;
        size_t n;
} FixChanges;

void fix_changes_done(FixChanges *c);

/* The changes that bring the files to what the plan wants: the drop-in at dropin_path (root
 * already in it), the drop-ins of other units beside it (fix_paths_dropin_sibling()), the unit's
 * full override beside its drop-in directory (fix-unit-override.h), daemon.json (the fact
 * daemon_json.path, under root) and FIX_SYSCTL_FILE (under root), in that order; without a root,
 * then the live values under /proc/sys that differ. A file that already holds the new text gets
 * no change. A target that is a symlink or not a regular file is refused (-ELOOP / -EINVAL), as
 * is a daemon.json edit whose path is unknown (-ENOENT); every error comes with a message. *ret
 * is left alone on error. */
int fix_changes_plan(const FixPlan *p, const Facts *facts, const char *root, const char *dropin_path,
        FixChanges *ret, char **ret_error);

/* Writes one change: a file with atomic_write_file() after removing the temp files a killed
 * fixer left for it (daemon.json copied to its backup first when it exists), or the live
 * sysctl. Negative errno with a message. */
int fix_change_apply(const FixChange *ch, char **ret_error);
