/* SPDX-License-Identifier: MIT */
/* Waivers: failures an auditor accepts, with a reason, an owner and an expiry. INI files
 * "*.waiver" (read with inih through the rule file reader: rule-parser.h), each with one or
 * more [waiver] sections:
 *
 *   [waiver]
 *   rule = mountflags-slave-with-live-restore   ; required: a loaded (or disabled) rule
 *   hosts = web-* db1                           ; optional: globs for the audited host's name
 *   evidence = /etc/default/docker:*            ; optional: a glob for an evidence source
 *   reason = exec after restart is not used on these hosts   ; required
 *   owner = ops@example.com                     ; required
 *   expires = 2026-12-31                        ; optional: through the end of that day, UTC
 *
 * The parts of this library:
 *   waiver-file.c  one waiver file into waivers, every error naming FILE:LINE
 *   waiver-set.c   the waiver directories
 *   waiver.c       dates, matching a finding, applying a set to the findings (the host and
 *                  time: the audited host's identity, rules/host-identity.h) */
#pragma once

#include <stdint.h>

#include "rules/findings.h"

typedef struct Waiver {
        char *path; /* the file */
        unsigned line; /* of its [waiver] header */
        char *rule; /* the rule id */
        char **hosts; /* globs (fnmatch, case-insensitive) for the host name; NULL: every host */
        char *evidence; /* a glob (fnmatch) for the source of one evidence fact; NULL: any */
        char *reason;
        char *owner;
        char *expires; /* "YYYY-MM-DD" as written; NULL: does not expire */
        int64_t expires_end; /* the first second (Unix time) after that day ends in UTC */
} Waiver;

typedef struct WaiverSet {
        Waiver *v; /* by directory, file name, then line */
        size_t n;
} WaiverSet;

void waiver_set_done(WaiverSet *s);

/* ------------------------------------------------------------------ waiver-file.c */

/* Parses the text of one waiver file (size bytes, need not be NUL-terminated) and appends its
 * waivers to s. rules, when not NULL, is the loaded rule set: each "rule =" must name one of
 * its rules or of its disabled ones. A waiver with the same rule, hosts and evidence as one
 * already in s is a duplicate. On a bad file returns -EINVAL, sets *ret_error to
 * "PATH:LINE: message" and leaves s as it was; -ENOMEM. */
int waiver_parse_string(WaiverSet *s, const char *path, const char *text, size_t size, const RuleSet *rules,
        char **ret_error);
/* The same for a file (a regular file only: basic/fileio.h); -errno for I/O. */
int waiver_load_file(WaiverSet *s, const char *path, const RuleSet *rules, char **ret_error);

/* ------------------------------------------------------------------ waiver-set.c */

/* Loads every "*.waiver" of dirs, each directory's files sorted by name; all of them are
 * read (a name in one directory does not replace the same name in another). A directory
 * written "-DIR" may be missing (the default /etc/dockaudit/waivers.d); any other that is
 * missing or not a directory fails ("DIR: cannot open the waivers directory: ..."). The
 * first bad file fails the whole load (-EINVAL, "PATH:LINE: message"). s is empty on
 * failure. */
int waiver_set_load(WaiverSet *s, char *const *dirs, const RuleSet *rules, char **ret_error);

/* ------------------------------------------------------------------ waiver.c */

/* "YYYY-MM-DD" (a real date, years 1970-9999) into the first second after that day ends,
 * in UTC: the waiver holds while now < *ret_end. -EINVAL otherwise. */
int waiver_parse_date(const char *s, int64_t *ret_end);

/* The audited host and the moment of the audit, as waivers see them. */
typedef struct WaiverContext {
        const char *hostname; /* NULL: unknown; then a waiver with hosts= never matches */
        int64_t now; /* the collection time of the facts, Unix seconds */
} WaiverContext;

bool waiver_expired(const Waiver *w, int64_t now);
bool waiver_matches_host(const Waiver *w, const char *hostname);
/* The waiver's rule is the finding's, and its evidence glob (if any) matches the source of a
 * known evidence fact of the finding. Hosts are not looked at. */
bool waiver_matches_finding(const Waiver *w, const Finding *f, const Facts *facts);

/* For each failing finding, the waivers of its rule that match it and the host: the first
 * one in force makes it FINDING_WAIVED (f->waiver); when all that match have expired, it
 * stays FINDING_FAIL with the first of them and f->waiver_expired. *ret_stale (NULL-
 * terminated, the caller frees the array, not the waivers) lists the waivers that matched
 * nothing: their rule passed, is disabled or missing, failed without matching their
 * evidence, or their hosts do not match. A waiver whose rule was skipped or in error is not
 * stale: whether it matches could not be told. Returns 0 or -ENOMEM. */
int waivers_apply(const WaiverSet *s, Findings *fs, const Facts *facts, const WaiverContext *ctx,
        const Waiver ***ret_stale);

/* "reason (owner OWNER, expires DATE, FILE:LINE)" (expired: "expired DATE"); NULL on ENOMEM. */
char *waiver_describe(const Waiver *w, bool expired);
