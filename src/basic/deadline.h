/* SPDX-License-Identifier: MIT */
/* Deadlines: the end of a run's budget (--timeout) as CLOCK_MONOTONIC microseconds
 * (deadline_now_usec()), 0 for none; the one clock of every deadline in dockaudit (D-Bus,
 * the Docker API, child processes, /proc reads). Every wait with a budget of its own asks
 * deadline_budget() what it may take: the arithmetic lives here only. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* CLOCK_MONOTONIC in microseconds. */
uint64_t deadline_now_usec(void);

/* The deadline budget_usec from now. */
uint64_t deadline_in(uint64_t budget_usec);

/* The budget of one wait: own_usec cut to what is left until deadline_usec (own_usec when
 * deadline_usec is 0). Returns 0 with *ret_usec >= 1 (never 0, which sd-bus reads
 * as "the default"), or -ETIMEDOUT when the deadline has passed (*ret_usec untouched). */
int deadline_budget(uint64_t deadline_usec, uint64_t own_usec, uint64_t *ret_usec);

/* Whether deadline_usec (0: never) has passed or is less than slack_usec away: a wait cut to
 * it that timed out was cut by it (timers may fire a little early). */
bool deadline_reached(uint64_t deadline_usec, uint64_t slack_usec);
