/* SPDX-License-Identifier: MIT */
/* The service manager itself: connecting to it, reloading it, restarting a unit. */
#pragma once

#include <stdint.h>
#include <systemd/sd-bus.h>

#include "basic/util.h"

/* The budget of every D-Bus method call on a bus from manager_bus_open() (sd-bus' default is
 * 25 s, and its authentication waits up to 90 s): the manager answers a property read in
 * milliseconds, so 5 s is already a manager that is stuck or gone. Also the budget of
 * connecting (authentication and Hello). */
#define MANAGER_CALL_TIMEOUT_USEC (5ULL * 1000000ULL)
/* Reload() re-reads every unit file and answers when done: slow on a big, busy host
 * (systemctl daemon-reload allows minutes). */
#define MANAGER_RELOAD_TIMEOUT_USEC (90ULL * 1000000ULL)

/* Connects to the system manager, or with user to the user manager: the bus first, then the
 * manager's private socket, each within MANAGER_CALL_TIMEOUT_USEC; every later call on the
 * bus has that budget too. Fails with a message starting "D-Bus: " naming what was tried. */
int manager_bus_open(bool user, sd_bus **ret, char **ret_error);
/* The same with another budget (for a connection and for each call). */
int manager_bus_open_timeout(bool user, uint64_t timeout_usec, sd_bus **ret, char **ret_error);

/* Reload(): the manager reads its unit files again (systemctl daemon-reload), within
 * MANAGER_RELOAD_TIMEOUT_USEC. */
int manager_reload(sd_bus *bus, char **ret_error);

/* How long manager_restart_unit() waits for the job by default. */
#define MANAGER_JOB_TIMEOUT_USEC (120ULL * 1000000ULL)

/* RestartUnit(unit, "replace") on the bus from manager_bus_open(), then waits (at most
 * timeout_usec) for the JobRemoved signal of the returned job. *ret_result is the job's
 * result: "done" on success, else "failed", "timeout", "dependency", "canceled", ... .
 * Returns 0 when the job finished (whatever its result), -ETIMEDOUT when it did not within
 * the bound, other negative errno (with a message) for bus errors. */
int manager_restart_unit(
        sd_bus *bus, const char *unit, uint64_t timeout_usec, char **ret_result, char **ret_error);
