/* SPDX-License-Identifier: MIT */
/* The fleet summary (dockaudit summarize): many JSON reports (schema dockaudit-report/1) read
 * into one hosts x rules view, printed as text, JSON (schema dockaudit-summary/1), JUnit (one
 * testsuite per host) or one self-contained HTML page.
 *
 * A host is named by its report's host.hostname, or by the report's file name without ".json"
 * when the report names none (reports older than host identity). Several reports of one name:
 * the newest (host.time, else the file's modification time) is kept. Every string of a report
 * is hostile: each format escapes it (utf8_escape_non_printable() in text, XML and HTML
 * entities, json_string_any() in JSON). */
#pragma once

#include <jansson.h>
#include <stdint.h>
#include <time.h>

#include "rules/rules.h"

#define SUMMARY_SCHEMA "dockaudit-summary/1"
#define SUMMARY_MAX_AGE_DEFAULT (2 * 24 * 3600) /* seconds: two days */

typedef enum HostState {
        HOST_CLEAN, /* nothing failing at or above --fail-on */
        HOST_FAILING, /* a rule at or above --fail-on fails (not waived) */
        HOST_OLD, /* the report is older than --max-age */
        HOST_INCOMPLETE, /* the audit could not finish (exit status 2): never counted clean */
        HOST_MISSING, /* expected (--hosts) but no report */
        _HOST_STATE_MAX,
} HostState;

typedef struct SummaryHost {
        char *name;
        char *file; /* the report read, NULL when missing */
        json_t *doc; /* the report (owned); the borrowed strings below point into it */
        const char *machine_id, *rules_digest, *time_text; /* NULL when the report has none */
        time_t time; /* host.time, else the file's mtime (time_from_file) */
        bool time_from_file;
        int exit_status; /* summary.exit_status of the report, -1 when missing */
        bool old, incomplete, missing, failing;
        size_t n_fail[_SEVERITY_MAX]; /* failing (not waived) results by severity */
        size_t n_waived, n_stale, n_pass, n_skip, n_error;
        json_t **cells; /* per rule (Summary.rules index): the result object, or NULL */
        char **problems; /* why the host is incomplete, old or missing, and the report's problems */
} SummaryHost;

typedef struct SummaryRule {
        const char *id, *title; /* borrowed from the first report that has the rule */
        Severity severity;
        size_t n_fail, n_waived; /* hosts */
} SummaryRule;

typedef struct Summary {
        SummaryHost *hosts; /* sorted by name once summary_finish() ran */
        size_t n_hosts;
        SummaryRule *rules; /* ranked: most failing hosts first, then severity, then id */
        size_t n_rules;
        time_t now; /* what "old" is measured against */
        uint64_t max_age; /* seconds */
        Severity fail_on;
        size_t n_state[_HOST_STATE_MAX];
} Summary;

void summary_done(Summary *s);

/* Reads one report. A report of a host already read replaces it only when newer. Malformed
 * input is -EINVAL with *ret_error "PATH:LINE:COLUMN: message" or "PATH: message"; I/O errors
 * are -errno with the same; -ENOMEM. */
int summary_add_file(Summary *s, const char *path, char **ret_error);
/* Reads every regular *.json file in DIR (sorted by name), as summary_add_file(). */
int summary_add_dir(Summary *s, const char *dir, char **ret_error);
/* Hosts expected in the fleet: those without a report are added as missing. -ENOMEM. */
int summary_expect(Summary *s, char *const *names);
/* Once every report is in: sorts the hosts, builds and ranks the rules, the matrix and each
 * host's state. -ENOMEM. */
int summary_finish(Summary *s);

/* 2 when a host is missing, old or incomplete; else 1 when a host fails at or above
 * --fail-on; else 0. */
int summary_exit_status(const Summary *s);
HostState summary_host_state(const SummaryHost *h);
const char *host_state_to_string(HostState s);
/* The result's "status" ("pass", "fail", "waived", "skip", "error", "disabled"), or "absent"
 * when the host's report does not have the rule. */
const char *summary_cell_status(const json_t *cell);
/* A string member of o, or NULL. */
const char *summary_str(const json_t *o, const char *key);
/* "2d 3h", "45m", "10s": a duration for people. */
void summary_format_age(uint64_t sec, char buf[static 32]);
/* RFC 3339 with Z or a +HH:MM offset, optional fraction. -EINVAL. */
int summary_parse_time(const char *s, time_t *ret);
/* "90", "90s", "45m", "36h", "2d", "1w". -EINVAL. */
int summary_parse_duration(const char *s, uint64_t *ret);

int summary_text(const Summary *s, FILE *out);
json_t *summary_to_json(const Summary *s); /* NULL only on ENOMEM */
int summary_json(const Summary *s, FILE *out);
int summary_junit(const Summary *s, FILE *out);
int summary_html(const Summary *s, FILE *out);
