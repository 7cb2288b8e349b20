/* SPDX-License-Identifier: MIT */
/* Option values that several commands take, parsed (and their errors worded) once. */
#pragma once

#include "rules/rules.h"

/* --fail-on SEVERITY: info, low, medium or high. Logs and returns -EINVAL for anything else. */
int parse_fail_on(const char *arg, Severity *ret);
