/* SPDX-License-Identifier: MIT */
/* Dates and times as reports and waivers write them, read in UTC whatever TZ says. */
#pragma once

#include <stdint.h>
#include <time.h>

/* "YYYY-MM-DD" at s (exactly; s may go on), 1970 or later, into days since 1970-01-01. -EINVAL. */
int parse_iso_day(const char *s, int64_t *ret_days);
/* "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)" into Unix seconds (a leap second counts as
 * the last second of its minute). -EINVAL. */
int parse_rfc3339(const char *s, int64_t *ret);
/* t as UTC RFC 3339 with seconds ("2026-11-30T09:20:12Z") into buf; "@SECONDS" for a t gmtime_r()
 * cannot convert (a year beyond int). */
void format_rfc3339(time_t t, char buf[static 32]);
