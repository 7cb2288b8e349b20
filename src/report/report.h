/* SPDX-License-Identifier: MIT */
/* Audit reports: text for people, JSON (versioned schema) and JUnit XML for machines. */
#pragma once

#include <jansson.h>

#include "rules/findings.h"
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

/* The JSON document (shared by report_json and tests). */
json_t *report_to_json(const Report *r);
/* {"fact":..,"known":..,"value"/"reason":..,"source":..} for each evidence fact of a finding. */
json_t *finding_evidence_json(const Finding *f, const Facts *facts);
/* hostname for the report header ("unknown" if it cannot be read). */
char *report_hostname(void);
