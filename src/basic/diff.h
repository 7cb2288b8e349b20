/* SPDX-License-Identifier: MIT */
/* Unified diffs for `dockaudit fix --dry-run`, in the format of `diff -u --label OLD --label NEW`:
 * 3 lines of context, hunks closer than 7 unchanged lines merged, and
 * "\ No newline at end of file" after a last line that lacks one. */
#pragma once

#include "basic/util.h"

/* Sets *ret to the diff of old_text against new_text ("" when they are equal).
 * old_text NULL: a new file ("--- /dev/null"); new_text NULL: a removed file ("+++ /dev/null").
 * Minimal (Myers); past a large edit distance it falls back to replacing the differing middle
 * block whole, which is still a correct diff. Returns 0 or -ENOMEM. */
int unified_diff(const char *old_label, const char *old_text, const char *new_label, const char *new_text,
        char **ret);
