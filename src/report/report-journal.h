/* SPDX-License-Identifier: MIT */
/* The audit's failing findings in the journal (`audit --journal`, used by the timer's
 * service): one structured entry per failing rule, so that
 *   journalctl -p warning MESSAGE_ID=$(dockaudit rules show ID | sed -n 's/^message-id: //p')
 * finds a rule's findings on any host (the ids: basic/id128-name.h). Fields:
 *   MESSAGE      "UNIT: RULE (SEVERITY): the finding's message"
 *   MESSAGE_ID   id128_for_rule(RULE)
 *   PRIORITY     from the severity: high 3 (err), medium 4 (warning), low 5 (notice),
 *                info 6 (info); so -p warning shows high and medium
 *   RULE, SEVERITY, TITLE, UNIT (the audited unit), DOCKAUDIT_MANAGER (system or user)
 *   EVIDENCE     one field per evidence fact: "FACT=VALUE (SOURCE)" or "FACT unknown: REASON"
 *   REFERENCE    one per reference of the rule
 *   DOCKAUDIT_REPORT (the report file, with --report-dir), DOCKAUDIT_ROOT (--root),
 *   DOCKAUDIT_FACTS_FILE (--facts), DOCKAUDIT_VERSION, SYSLOG_IDENTIFIER=dockaudit
 * Strings from the host are escaped as in the text report (no control bytes, UTF-8 only). */
#pragma once

#include "report/report.h"

/* The journal priority (LOG_*) of a finding of that severity. */
int report_journal_priority(Severity s);

/* Sends one entry per failing finding of rep; report_path (may be NULL) is named in each.
 * Returns the number sent, or with a message in *ret_error -ENOENT when journald's socket
 * /run/systemd/journal/socket is missing (libsystemd would drop the entries silently) or the
 * first error of sd_journal_sendv() (-ECONNREFUSED: journald is not running). */
int report_journal(const Report *rep, const char *report_path, char **ret_error);
