/* SPDX-License-Identifier: MIT */
/* Audit reports: text for people, JSON (versioned schema), JUnit XML, SARIF 2.1.0 and the
 * Prometheus text format for machines. SARIF and Prometheus are built from the JSON document
 * (report_to_json()), so every field the JSON report gains reaches them the same way. */
#pragma once

#include <jansson.h>
#include <time.h>

#include "report/baseline.h"
#include "rules/findings.h"
#include "rules/host-identity.h"
#include "rules/waiver.h"

#define REPORT_SCHEMA "dockaudit-report/1"
#define FACTS_SCHEMA "dockaudit-facts/1"

typedef struct Report {
        const char *unit; /* the audited unit */
        bool user; /* of the user manager */
        const char *root; /* --root DIR, or NULL */
        const Facts *facts;
        const Findings *findings;
        const char *facts_file; /* --facts FILE, or NULL when collected on this host */
        Severity fail_on;
        bool strict; /* --strict: a skipped rule is a problem too */
        int exit_status;
        char **problems; /* "could not audit" reasons (exit 2), printed with the report */
        char *const *disabled; /* ids of the rules disabled in a rules directory, or NULL */
        char *const *disabled_by; /* the file that disabled each (same index) */
        const HostIdentity *host; /* the audited host (of --facts FILE: the file's), or NULL: unknown */
        const char *rules_digest; /* rule_set_digest() of the loaded rules, or NULL (none loaded) */
        const BaselineResult *baseline; /* --baseline OLD.json, or NULL */
        bool fail_on_new; /* --fail-on-new: only new findings count toward exit status 1 */
        const Waiver *const *stale_waivers; /* waivers that matched nothing (NULL-terminated), or NULL */
} Report;

/* Each report prints every rule: findings, then disabled rules (status "disabled"). A report
 * without rules or facts (empty Findings and Facts, problems saying why) is well-formed too:
 * it is what `audit --format json|junit` prints when it cannot audit at all. Strings from the
 * host are escaped: utf8_escape_non_printable() in text and JUnit, json_string_any() in JSON
 * (rules/facts-json.h). The functions return 0, -ENOMEM or -EIO. */

int report_text(const Report *r, FILE *out, bool color);
int report_json(const Report *r, FILE *out);
int report_junit(const Report *r, FILE *out);
int report_sarif(const Report *r, FILE *out);
/* now: the time of the run, dockaudit_last_run_timestamp_seconds. */
int report_prometheus(const Report *r, FILE *out, time_t now);

/* The JSON document (shared by report_json and tests). */
json_t *report_to_json(const Report *r);
/* {"fact":..,"known":..,"value"/"reason":..,"source":..} for each evidence fact of a finding. */
json_t *finding_evidence_json(const Finding *f, const Facts *facts);
/* The name of the machine dockaudit runs on ("unknown" if it cannot be read): NOT the audited
 * host with --facts FILE or --root; reports name that with report_audited_hostname(). */
char *report_hostname(void);

/* ------------------------------------------------------------------ report-sarif.c */

/* Where an evidence fact's source points: a file (with its line when the source names one),
 * or something that is no file (a D-Bus property, a Docker API call, a kernel interface under
 * /proc or /sys), or nothing a location can be made of ("--unit", "uname(2)"). */
typedef enum SarifSourceKind {
        SARIF_SOURCE_NONE,
        SARIF_SOURCE_FILE,
        SARIF_SOURCE_LOGICAL,
} SarifSourceKind;

typedef struct SarifSource {
        SarifSourceKind kind;
        char *path; /* SARIF_SOURCE_FILE: the absolute path */
        unsigned line; /* SARIF_SOURCE_FILE: 1-based, 0 when the source names no line */
        char *name; /* SARIF_SOURCE_LOGICAL: "MountFlags", "/v1.41/info LiveRestoreEnabled" */
        char *fqname; /* SARIF_SOURCE_LOGICAL: "org.freedesktop.systemd1.Service.MountFlags" */
        const char *logical_kind; /* SARIF_SOURCE_LOGICAL: "property" (D-Bus), "resource" */
} SarifSource;

/* Parses a fact's source: "dbus:IFACE.PROP", "docker-api:...", "/proc/..." and "/sys/..." are
 * logical; otherwise the first absolute path in it ("/etc/docker/daemon.json:2",
 * "FILE:LINE (sysctl.d, applied at boot)", "default: not set in FILE (dbus:...)",
 * "/var/lib/dpkg/status, package docker-ce") is the file, with the ":LINE" that follows it.
 * source may be NULL (SARIF_SOURCE_NONE). Returns 0 or -ENOMEM. */
int sarif_source_parse(const char *source, SarifSource *ret);
void sarif_source_done(SarifSource *s);
/* An absolute path as a URI reference relative to "file:///" (the base "ROOT" of the log):
 * "/etc/a b.conf" -> "etc/a%20b.conf"; every byte but unreserved ones and "/" is
 * percent-encoded. NULL on ENOMEM. */
char *sarif_uri_from_path(const char *path);
/* The SARIF log of a JSON report (report_to_json()); findings give the rule descriptors
 * (rationale, references) that the JSON report does not carry. NULL on ENOMEM. */
json_t *sarif_from_report_json(const json_t *doc, const Findings *findings);

/* ------------------------------------------------------------------ report-prometheus.c */

/* s as a label value of the Prometheus text format: backslash, double quote and line feed
 * escaped as the format says; other control characters, which it has no escape for, become
 * the text "\xNN" (written "\\xNN"), so no terminal sequence reaches a person reading the
 * file. NULL on ENOMEM. */
char *prometheus_escape_label(const char *s);
/* The metrics of a JSON report (report_to_json()) in the text format that node_exporter's
 * textfile collector reads. Returns 0, -ENOMEM or -EIO. */
int prometheus_from_report_json(const json_t *doc, time_t now, FILE *out);
/* The audited host's name for a report: r->host's hostname, else "unknown". */
const char *report_audited_hostname(const Report *r);
/* The fingerprint of finding i of r (report/fingerprint.h). 0 or -ENOMEM. */
int report_fingerprint(const Report *r, size_t i, char ret[static SHA256_HEX_SIZE]);
