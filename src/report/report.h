/* SPDX-License-Identifier: MIT */
/* Audit reports: text for people, JSON (versioned schema) and JUnit XML for machines. */
#pragma once

#include <jansson.h>

#include "report/baseline.h"
#include "rules/findings.h"
#include "rules/host-identity.h"

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
} Report;

/* Each report prints every rule: findings, then disabled rules (status "disabled"). A report
 * without rules or facts (empty Findings and Facts, problems saying why) is well-formed too:
 * it is what `audit --format json|junit` prints when it cannot audit at all. Strings from the
 * host are escaped: utf8_escape_non_printable() in text and JUnit, json_string_any() in JSON
 * (rules/facts-json.h). The functions return 0, -ENOMEM or -EIO. */

int report_text(const Report *r, FILE *out, bool color);
int report_json(const Report *r, FILE *out);
int report_junit(const Report *r, FILE *out);

/* The JSON document (shared by report_json and tests). */
json_t *report_to_json(const Report *r);
/* {"fact":..,"known":..,"value"/"reason":..,"source":..} for each evidence fact of a finding. */
json_t *finding_evidence_json(const Finding *f, const Facts *facts);
/* The name of the machine dockaudit runs on ("unknown" if it cannot be read): NOT the audited
 * host with --facts FILE or --root; reports name that with report_audited_hostname(). */
char *report_hostname(void);
/* The audited host's name for a report: r->host's hostname, else "unknown". */
const char *report_audited_hostname(const Report *r);
/* The fingerprint of finding i of r (report/fingerprint.h). 0 or -ENOMEM. */
int report_fingerprint(const Report *r, size_t i, char ret[static SHA256_HEX_SIZE]);
