/* SPDX-License-Identifier: MIT */
/* Facts: named, typed values about the host, each with the source it came
 * from, or unknown with the reason. Collectors fill a Facts set; rules read it. */
#pragma once

#include "basic/util.h"

typedef enum FactType {
        FACT_STRING,
        FACT_NUMBER, /* signed 64-bit integer */
        FACT_BOOL,
        FACT_VERSION, /* a string compared with rpmvercmp ordering */
        FACT_LIST, /* list of strings */
        _FACT_TYPE_MAX,
} FactType;

const char *fact_type_to_string(FactType t);
int fact_type_from_string(const char *s); /* -EINVAL if unknown */

typedef struct Fact {
        char *name; /* "unit.mount_flags" */
        FactType type;
        bool known;
        char *str; /* FACT_STRING, FACT_VERSION */
        long long num; /* FACT_NUMBER */
        bool b; /* FACT_BOOL */
        char **list; /* FACT_LIST (never NULL when known: empty list is {NULL}) */
        char *source; /* where the value came from: "/etc/default/docker:3",
                       * "dbus:org.freedesktop.systemd1.Service.MountFlags", "/proc/sys/kernel/osrelease" */
        char *reason; /* why unknown (known == false) */
} Fact;

typedef struct Facts {
        Fact *v;
        size_t n, cap;
} Facts;

void facts_done(Facts *f);
static inline void facts_donep(Facts *f)
{
        facts_done(f);
}
#define _cleanup_facts_ _cleanup_(facts_donep)

/* Setters replace an existing fact of the same name. The type must match the
 * catalog entry (fact-catalog.h) when the name is in the catalog: -EINVAL otherwise.
 * source may be NULL. Strings are copied. */
int facts_set_string(Facts *f, const char *name, const char *value, const char *source);
int facts_set_version(Facts *f, const char *name, const char *value, const char *source);
int facts_set_number(Facts *f, const char *name, long long value, const char *source);
int facts_set_bool(Facts *f, const char *name, bool value, const char *source);
int facts_set_list(Facts *f, const char *name, char *const *value, const char *source);
/* Unknown, with a reason ("docker.service not found", "permission denied reading ..."). */
int facts_set_unknown(Facts *f, const char *name, const char *reason_fmt, ...) _printf_(3, 4);
/* Each of the n facts names unknown with the same reason. Returns 0 or -ENOMEM. */
int facts_set_unknown_all(Facts *f, const char *const *names, size_t n, const char *reason);

/* Appends one line to the list fact audit.problems: something a collector could not read,
 * or an input that would stop dockerd ("FILE:LINE: message", or the channel: "D-Bus: ...").
 * facts_problems() reports each, and any makes the audit incomplete. 0 or -ENOMEM. */
int facts_add_problem(Facts *f, const char *fmt, ...) _printf_(2, 3);

/* NULL when the fact was never set (rules treat that like unknown, reason "not collected"). */
const Fact *facts_get(const Facts *f, const char *name);

/* Deep copy (used to build the "after the fix" view). */
int facts_copy(const Facts *src, Facts *dst);

/* Value rendered for people: strings as is, bools true/false, lists joined with ", ",
 * unknown as "unknown (reason)". Returns NULL on ENOMEM. */
char *fact_value_to_string(const Fact *fact);

/* The value of a known FACT_STRING or FACT_VERSION fact; NULL when it was never set, is
 * unknown or has another type. Points into f. */
const char *facts_get_string(const Facts *f, const char *name);

/* A known FACT_BOOL fact: 1 true, 0 false; -ENODATA when it was never set, is unknown or has
 * another type. */
int facts_get_bool(const Facts *f, const char *name);
