/* SPDX-License-Identifier: MIT */
/* Facts as JSON: the "facts" object of `dockaudit facts --format json` and of reports,
 * and reading it back for `dockaudit audit --facts FILE`. */
#pragma once

#include <jansson.h>

#include "rules/facts.h"
#include "rules/host-identity.h"

/* A JSON string of any bytes: s as is when it is UTF-8, else utf8_escape_invalid(s) (each byte
 * outside UTF-8 as \xNN, each backslash as \\). NULL only on ENOMEM. For every string that
 * goes into a JSON document. */
json_t *json_string_any(const char *s);

/* {"type":..,"known":..,"value":..,"source":..} or {..,"known":false,"reason":..}. When a
 * string of the fact is not UTF-8, all its strings are written with utf8_escape_bytes() and
 * the object has "escaped": true, which facts_load_json_file() undoes: the bytes round-trip.
 * NULL only on ENOMEM. */
json_t *fact_to_json(const Fact *x);
/* {"name": fact_to_json(), ...} in collection order. NULL only on ENOMEM. */
json_t *facts_to_json(const Facts *f);

/* Reads a facts document ({"schema":"dockaudit-facts/1","facts":{...}}) or a report
 * (dockaudit-report/1, whose "facts" is the same). Errors: "PATH:LINE:COL: message" or
 * "PATH: fact NAME: message"; -EINVAL for bad content, -errno for I/O. */
int facts_load_json_file(const char *path, Facts *ret, char **ret_error);
/* The same, and the document's "host" object into *ret_host (may be NULL): every field a
 * string or null, "reasons" saying why a field is null. A document without "host" (written
 * by an older dockaudit) loads with every field unknown, the reason saying so; a "host"
 * that is not such an object is bad content (-EINVAL, "PATH: \"host\": message"). */
int facts_load_json_file_host(const char *path, Facts *ret, HostIdentity *ret_host, char **ret_error);

/* {"hostname": "..."|null, "machine_id": .., "boot_id": .., "time": ..,
 *  "reasons": {"FIELD": "why it is null", ...}}. NULL only on ENOMEM. */
json_t *host_identity_to_json(const HostIdentity *h);
/* Reads what host_identity_to_json() wrote. -EINVAL with *ret_error = "PATH: \"host\": ...". */
int host_identity_from_json(json_t *o, const char *path, HostIdentity *ret, char **ret_error);
