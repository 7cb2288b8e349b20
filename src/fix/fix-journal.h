/* SPDX-License-Identifier: MIT */
/* What `fix` changed, in the journal: one entry per file written, live sysctl written,
 * manager reload and unit restart, all with MESSAGE_ID id128_for_event("fix-applied")
 * (basic/id128-name.h; `journalctl MESSAGE_ID=...` lists every change dockaudit made on a
 * host), PRIORITY=5 (notice; a restart that did not end "done": 3), SYSLOG_IDENTIFIER=dockaudit
 * and FIX_ACTION (create, update, sysctl, reload, restart), UNIT, DOCKAUDIT_MANAGER, FILE (the
 * file written, or /proc/sys/...), DIFF, RULE (one per rule the change is for), JOB_RESULT
 * (restart), DOCKAUDIT_ROOT (offline image), DOCKAUDIT_VERSION.
 *
 * Each function takes the result r of the step and returns it unchanged, logging only a step
 * that succeeded, so that the hook in fix-engine.c is one expression. Logging is best effort:
 * a host without journald loses these entries, never the change (fix prints each change too). */
#pragma once

#include "fix/fix-engine.h"

int fix_journal_change(const FixEngine *e, const FixChange *ch, int r);
int fix_journal_reload(const FixEngine *e, int r);
int fix_journal_restart(const FixEngine *e, int r, char *const *result);
