/* SPDX-License-Identifier: MIT */
/* The report directory of periodic runs (`audit --report-dir DIR --keep N`, the timer's
 * /var/lib/dockaudit): each run adds the JSON report as report-YYYYmmddTHHMMSS.uuuuuuZ.json
 * (UTC, microseconds: names sort by time and two runs in one second do not collide), replaces
 * latest.json with a copy of it, then removes the oldest report-*.json beyond the newest N.
 * Every file is written with the atomic helper (basic/atomic-write.h).
 *
 * Fail closed: DIR must be a directory (not a symlink), owned by root or by us, not writable
 * by group or others, and hold only what dockaudit writes there (report-*.json and
 * latest.json, regular files, and the atomic helper's stale temp files); anything else there
 * and nothing is written or removed (-ENOTDIR, -EPERM, -EEXIST with a message naming it). A
 * missing DIR is created (0755) when its parent exists. Writers take an exclusive flock() on
 * DIR (waiting 10 s at most, then -EBUSY), so two runs never prune each other's reports. */
#pragma once

#include <time.h>

#include "report/report.h"

#define REPORT_DIR_KEEP_DEFAULT 30
#define REPORT_DIR_LATEST "latest.json"
/* "report-" 8 digits "T" 6 digits "." 6 digits "Z.json" and NUL. */
#define REPORT_DIR_NAME_MAX 36

/* Whether name is one of our report file names (only those are ever pruned). */
bool report_dir_is_report_name(const char *name);
/* The report file name for time t. Returns buf. */
char *report_dir_name(const struct timespec *t, char buf[static REPORT_DIR_NAME_MAX]);

/* Writes text (size bytes) as the report of time t (NULL: now) into dir, then latest.json,
 * then prunes to keep (>= 1) reports. *ret_path (may be NULL) gets the new report's path.
 * Negative errno with a message in *ret_error; before anything is written when dir is
 * refused. */
int report_dir_write(const char *dir, const char *text, size_t size, unsigned keep, const struct timespec *t,
        char **ret_path, char **ret_error);

/* report_dir_write() of the report as JSON (the document of report_json()). */
int report_dir_save(const char *dir, const Report *rep, unsigned keep, char **ret_path, char **ret_error);
