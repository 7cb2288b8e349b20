/* SPDX-License-Identifier: MIT */
/* Baselines (audit --baseline OLD.json): the failing findings of an earlier JSON report, by
 * fingerprint (report/fingerprint.h), so that each failing finding of this audit is "new" or
 * "unchanged", and those of OLD that no longer fail are "resolved". */
#pragma once

#include "basic/sha256.h"
#include "rules/findings.h"

typedef struct BaselineEntry {
        char *rule;
        char *fingerprint;
} BaselineEntry;

/* OLD's results that failed: status "fail", or "waived" (a failure a waiver accepted is still
 * one that was seen). */
typedef struct Baseline {
        char *file;
        BaselineEntry *v;
        size_t n;
} Baseline;

void baseline_done(Baseline *b);

/* Reads a dockaudit-report/1 JSON document (what `audit --format json` writes). Bad input is
 * -EINVAL with *ret_error naming the file: "PATH:LINE:COLUMN: message" for JSON that does not
 * parse, "PATH: message" for a document that is not a report (no "schema":
 * "dockaudit-report/1", no "results" array, a result without "id" or "status", a failing result
 * without a 64-hex-digit "fingerprint"), or for the report of an audit that could not run
 * (no results, problems saying why); -errno when it cannot be read (a FIFO or device is
 * refused, as every input). */
int baseline_load(const char *path, Baseline *ret, char **ret_error);
/* The same on size bytes at text (path names it in errors): the fuzz target's entry. */
int baseline_parse(const char *path, const char *text, size_t size, Baseline *ret, char **ret_error);

typedef enum BaselineMark {
        BASELINE_NONE, /* not failing: no mark */
        BASELINE_NEW,
        BASELINE_UNCHANGED,
} BaselineMark;

const char *baseline_mark_to_string(BaselineMark m); /* NULL, "new", "unchanged" */

typedef struct BaselineResolved {
        const char *rule; /* point into the Baseline */
        const char *fingerprint;
        const char *status; /* the rule's result now: "pass", "skip", "error", "fail" (failing
                             * for another reason: another fingerprint) or "absent" (disabled
                             * or no longer in the rule set) */
} BaselineResolved;

/* This audit against a baseline: borrows from the Baseline, which must outlive it. */
typedef struct BaselineResult {
        const char *file;
        BaselineMark *marks; /* one per finding */
        size_t n_new; /* findings marked new, every severity */
        BaselineResolved *resolved;
        size_t n_resolved;
} BaselineResult;

/* Marks each FINDING_FAIL finding of fs (evaluated on facts, for unit of the system or user
 * manager) new or unchanged, and lists OLD's failing fingerprints no failing finding has as
 * resolved, in OLD's order. 0 or -ENOMEM. */
int baseline_compare(const Baseline *old, const Findings *fs, const Facts *facts, const char *unit,
        bool user, BaselineResult *ret);
void baseline_result_done(BaselineResult *b);
/* The findings marked new that failed at severity min or above (what --fail-on-new counts). */
size_t baseline_count_new(const BaselineResult *b, const Findings *fs, Severity min);
