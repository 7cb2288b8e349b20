/* SPDX-License-Identifier: MIT */
/* The service manager itself: connecting to it, reloading it, restarting a unit. */
#pragma once

#include <stdint.h>
#include <systemd/sd-bus.h>

#include "basic/util.h"
#include "systemd/bus-util.h"

/* The budget of every D-Bus method call on a bus from manager_bus_open(), and of connecting
 * (authentication and Hello): bus-util.h. */
#define MANAGER_CALL_TIMEOUT_USEC BUS_CALL_TIMEOUT_USEC
/* Reload() re-reads every unit file and answers when done: slow on a big, busy host
 * (systemctl daemon-reload allows minutes). */
#define MANAGER_RELOAD_TIMEOUT_USEC (90ULL * 1000000ULL)

/* Connects to the system manager, or with user to the user manager: the manager's private
 * socket first (as systemctl does: one hop, no bus daemon), then the bus, each within
 * MANAGER_CALL_TIMEOUT_USEC, all of it cut to deadline_usec (basic/deadline.h; 0: none). Later calls on the
 * bus set their own budget (bus_budget_set()). Fails with a message starting "D-Bus: " naming what was
 * tried: -ETIMEDOUT when the deadline cut it short, else -EHOSTUNREACH (or -ENOMEM). */
int manager_bus_open(bool user, uint64_t deadline_usec, sd_bus **ret, char **ret_error);

/* Reload(): the manager reads its unit files again (systemctl daemon-reload), within
 * MANAGER_RELOAD_TIMEOUT_USEC cut to deadline_usec (0: none); -ETIMEDOUT when it did not
 * answer in time (it may still be reloading) or the deadline had passed. */
int manager_reload(sd_bus *bus, uint64_t deadline_usec, char **ret_error);

/* How long manager_restart_unit() waits for the job by default. */
#define MANAGER_JOB_TIMEOUT_USEC (120ULL * 1000000ULL)

/* RestartUnit(unit, "replace") on the bus from manager_bus_open() (each call within
 * MANAGER_CALL_TIMEOUT_USEC, whatever deadline earlier calls had), then waits (at most
 * timeout_usec) for the JobRemoved signal of the returned job. *ret_result is the job's
 * result: "done" on success, else "failed", "timeout", "dependency", "canceled", ... .
 * Returns 0 when the job finished (whatever its result), -ETIMEDOUT when it did not within
 * the bound, other negative errno (with a message) for bus errors. */
int manager_restart_unit(
        sd_bus *bus, const char *unit, uint64_t timeout_usec, char **ret_result, char **ret_error);
