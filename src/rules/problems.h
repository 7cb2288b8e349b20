/* SPDX-License-Identifier: MIT */
/* Why an audit is incomplete ("could not audit", exit status 2): derived from the facts and
 * findings alone, so it holds for facts read from a file as for facts collected here. */
#pragma once

#include "rules/findings.h"

/* What kept the audit from being complete or what in the host's input files is malformed,
 * derived from the facts alone (so it works for --facts FILE too): an unreachable manager,
 * a unit that failed to load, an invalid daemon.json. Each is one line naming the file. */
int facts_problems(const Facts *f, char ***ret);

/* facts_problems() and, for each rule that could not be evaluated (status error), one line
 * "rule ID: reason". Empty (not NULL) when the audit is complete. */
int audit_problems(const Facts *f, const Findings *fs, char ***ret);

/* For audit --strict, where a rule that could not be checked must not pass: appends one line
 * "rule ID skipped: reason" to *list for each skipped rule (status stays skip), except the rules
 * that do not apply to the host (their "applies" is false). 0 or -ENOMEM. */
int strict_problems(const Findings *fs, char ***list);
