/* SPDX-License-Identifier: MIT */
/* Audit reports: text for people, JSON (versioned schema) and JUnit XML for machines. */
#pragma once

#include <jansson.h>

#include "rules/findings.h"

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
        int exit_status;
        char **problems; /* "could not audit" reasons (exit 2), printed with the report */
} Report;

int report_text(const Report *r, FILE *out, bool color);
int report_json(const Report *r, FILE *out);
int report_junit(const Report *r, FILE *out);

/* The JSON document (shared by report_json and tests). */
json_t *report_to_json(const Report *r);
/* {"fact":..,"known":..,"value"/"reason":..,"source":..} for each evidence fact of a finding. */
json_t *finding_evidence_json(const Finding *f, const Facts *facts);
/* hostname for the report header ("unknown" if it cannot be read). */
char *report_hostname(void);
