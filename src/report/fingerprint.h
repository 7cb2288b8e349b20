/* SPDX-License-Identifier: MIT */
/* Finding fingerprints: an id for "this rule failing for this unit because of these files",
 * the same from one run to the next and on every host, so that a baseline (audit --baseline)
 * and code-scanning dashboards can tell a new finding from one they have seen (kube-bench#1116:
 * ids with times in them duplicated every finding on each run).
 *
 * Version 1 is the lower-case hex SHA-256 of
 *   "dockaudit-fingerprint/1" NUL RULE-ID NUL SCOPE " " UNIT NUL
 *   then for each evidence fact, in the rule's order: NAME NUL SOURCE NUL
 * where SCOPE is "system" or "user", UNIT the audited unit, and SOURCE the fact's source
 * normalised by fingerprint_normalise_source() ("" for an unknown fact or one without a
 * source). Values, messages, times, line numbers, process ids and Docker API versions are
 * left out: a drop-in edited above the setting, a dockerd restart or an engine upgrade keep
 * the fingerprint; moving the setting to another file, or a changed rule condition, make a
 * new one. Under --root sources are already paths inside the image, so the same image
 * audited at two mount points gives the same fingerprints. */
#pragma once

#include "basic/sha256.h"
#include "rules/findings.h"

/* source with what changes between runs taken out: ":LINE" (and ":LINE:COL") after a file
 * name, "/proc/1234/" as "/proc/PID/", "docker-api:/v1.41/" as "docker-api:/". NULL
 * only on ENOMEM. */
char *fingerprint_normalise_source(const char *source);

/* The fingerprint of f (evaluated on facts) for unit of the system or user manager. 0 or
 * -ENOMEM. */
int finding_fingerprint(
        const Finding *f, const Facts *facts, const char *unit, bool user, char ret[static SHA256_HEX_SIZE]);
