/* SPDX-License-Identifier: MIT */
/* Dates and times as reports and waivers write them, read in UTC whatever TZ says. */
#pragma once

#include <stdint.h>

/* "YYYY-MM-DD" at s (exactly; s may go on), 1970 or later, into days since 1970-01-01. -EINVAL. */
int parse_iso_day(const char *s, int64_t *ret_days);
/* "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)" into Unix seconds (a leap second counts as
 * the last second of its minute). -EINVAL. */
int parse_rfc3339(const char *s, int64_t *ret);
