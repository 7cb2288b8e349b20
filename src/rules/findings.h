/* SPDX-License-Identifier: MIT */
/* Running a rule set over facts: one finding per rule. */
#pragma once

#include "rules/facts.h"
#include "rules/rules.h"

typedef enum FindingStatus {
        FINDING_PASS,
        FINDING_FAIL,
        FINDING_SKIP, /* the condition depends on an unknown fact */
        FINDING_ERROR, /* the rule could not be evaluated */
        FINDING_WAIVED, /* failed, and a waiver in force accepts it (rules/waiver.h) */
        _FINDING_STATUS_MAX,
} FindingStatus;

const char *finding_status_to_string(FindingStatus s);

struct Waiver;

typedef struct Finding {
        const Rule *rule;
        FindingStatus status;
        char *message; /* rendered template (FINDING_FAIL), else NULL */
        char *reason; /* why skipped / error, else NULL */
        bool not_applicable; /* FINDING_SKIP because the rule's "applies" is false */
        char **evidence; /* fact names the condition referenced */
        const RuleFix *fix; /* the fix whose "when" holds (FINDING_FAIL), or NULL */
        /* The waiver that matched this failure (waivers_apply()), borrowed from its
         * WaiverSet, or NULL. waiver_expired: it matched but its day has passed, so the
         * status stayed FINDING_FAIL. */
        const struct Waiver *waiver;
        bool waiver_expired;
} Finding;

typedef struct Findings {
        Finding *v;
        size_t n;
} Findings;

int findings_evaluate(const RuleSet *rules, const Facts *facts, Findings *ret);
void findings_done(Findings *f);
/* Number of FINDING_FAIL findings (a waived one is not failing) with severity >= min. */
size_t findings_count_failed(const Findings *f, Severity min);

/* The finding of rule in fs (rules are compared by identity), or NULL. */
const Finding *findings_find(const Findings *fs, const Rule *rule);
