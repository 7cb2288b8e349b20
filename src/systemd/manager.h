/* SPDX-License-Identifier: MIT */
/* The service manager itself: connecting to it, reloading it, restarting a unit. */
#pragma once

#include <stdint.h>
#include <systemd/sd-bus.h>

#include "basic/util.h"

/* Connects to the system manager, or with user to the user manager: the bus first, then the
 * manager's private socket. Fails with a message naming what was tried. */
int manager_bus_open(bool user, sd_bus **ret, char **ret_error);

/* Reload(): the manager reads its unit files again (systemctl daemon-reload). */
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
