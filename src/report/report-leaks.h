/* SPDX-License-Identifier: MIT */
/* What dockaudit leaks prints: the leak report as text for people or as JSON (schema
 * "dockaudit-leaks/1"), and the outcome of --release and --remove-dead, as lines or as JSON
 * objects for the report's "released" and "removed" arrays. The JSON schema only ever gets
 * fields added. */
#pragma once

#include <jansson.h>

#include "basic/util.h"
#include "leaks/leaks-release.h"

#define LEAKS_SCHEMA "dockaudit-leaks/1"

/* "mnt:[INO]", the kernel's name of a mount namespace; NULL on ENOMEM. */
char *report_leaks_namespace_name(const LeakNamespace *ns);

/* Appends "PID COMM (UNIT), ..." of the first holders of ns to b, then " and N more". */
int report_leaks_holders(const LeakNamespace *ns, StrBuf *b);

/* The leaks grouped by container, then a summary line, then "Incomplete: PROBLEM" lines.
 * Names, units and paths are printed with control and non-UTF-8 bytes as \\xNN. 0 or -ENOMEM. */
int report_leaks_text(const LeakReport *rep, FILE *out);

/* The JSON document; NULL on ENOMEM. Strings from processes and mount tables keep their
 * invalid UTF-8 bytes as \\xNN text (leaks/leaks-text.h). */
json_t *report_leaks_to_json(const LeakReport *rep);

/* Sets doc's "problems" and "complete" again from rep (a refused --release adds one), and
 * "error" when error is not NULL. 0 or -ENOMEM. */
int report_leaks_json_update(json_t *doc, const LeakReport *rep, const char *error);

/* The document printed instead when no report could be made: {"schema", "error": ERROR,
 * "complete": false, "problems": [ERROR]}. NULL on ENOMEM. */
json_t *report_leaks_error_json(const char *error);

/* "released MOUNT in NAMESPACE" or "failed MOUNT in NAMESPACE: WHY", one line per mount point
 * of rel; ns_name as report_leaks_namespace_name() gives it. */
void report_leaks_release_text(const LeakRelease *rel, const char *ns_name, FILE *out);
/* The same as {"namespace", "mount_point", "result", "error"} objects appended to array. */
int report_leaks_release_json(const LeakRelease *rel, const char *ns_name, json_t *array);

/* "removed Dead container NAME (ID)" or "could not remove ...: ERROR" (error NULL: removed). */
void report_leaks_removal_text(const DockerContainer *c, const char *error, FILE *out);
/* The same as an {"id", "name", "result", "error"} object appended to array. */
int report_leaks_removal_json(const DockerContainer *c, const char *error, json_t *array);
