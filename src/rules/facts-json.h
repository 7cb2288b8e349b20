/* SPDX-License-Identifier: MIT */
/* Facts as JSON: the "facts" object of `dockaudit facts --format json` and of reports,
 * and reading it back for `dockaudit audit --facts FILE`. */
#pragma once

#include <jansson.h>

#include "rules/facts.h"

/* {"type":..,"known":..,"value":..,"source":..} or {..,"known":false,"reason":..}. */
json_t *fact_to_json(const Fact *x);
/* {"name": fact_to_json(), ...} in collection order. */
json_t *facts_to_json(const Facts *f);

/* Reads a facts document ({"schema":"dockaudit-facts/1","facts":{...}}) or a report
 * (dockaudit-report/1, whose "facts" is the same). Errors: "PATH:LINE:COL: message" or
 * "PATH: fact NAME: message"; -EINVAL for bad content, -errno for I/O. */
int facts_load_json_file(const char *path, Facts *ret, char **ret_error);
