/* SPDX-License-Identifier: MIT */
/* Facts as JSON: the "facts" object of `dockaudit facts --format json` and of reports,
 * and reading it back for `dockaudit audit --facts FILE`. */
#pragma once

#include <jansson.h>

#include "rules/facts.h"

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
