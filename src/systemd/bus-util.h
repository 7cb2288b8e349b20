/* SPDX-License-Identifier: MIT */
/* What every sd-bus caller here shares: systemd's names on the bus, cleanup helpers and
 * one way to turn a bus error into a message. */
#pragma once

#include <systemd/sd-bus.h>

#include "basic/deadline.h"
#include "basic/util.h"

#define SD_DEST "org.freedesktop.systemd1"
#define SD_PATH "/org/freedesktop/systemd1"
#define SD_MANAGER "org.freedesktop.systemd1.Manager"
#define SD_UNIT "org.freedesktop.systemd1.Unit"
#define SD_SERVICE "org.freedesktop.systemd1.Service"

/* The budget of one D-Bus method call or connection (sd-bus' default is 25 s, and its
 * authentication waits up to 90 s): the manager answers a property read in milliseconds, so
 * 5 s is already a manager that is stuck or gone. */
#define BUS_CALL_TIMEOUT_USEC (5ULL * 1000000ULL)

static inline void sd_bus_error_freep(sd_bus_error *e)
{
        sd_bus_error_free(e);
}
static inline void sd_bus_slot_unrefp_(sd_bus_slot **s)
{
        sd_bus_slot_unref(*s);
}
#define _cleanup_bus_error_ _cleanup_(sd_bus_error_freep)
/* sd-bus.h provides the *_unrefp cleanup functions of messages and buses. */
#define _cleanup_bus_message_ _cleanup_(sd_bus_message_unrefp)
#define _cleanup_bus_ _cleanup_(sd_bus_flush_close_unrefp)
#define _cleanup_bus_slot_ _cleanup_(sd_bus_slot_unrefp_)

/* Sets *ret_error to "WHAT: message (org.freedesktop.DBus.Error.Name)" (or "WHAT: strerror"
 * without a bus error) and returns r. */
int bus_error_msg(char **ret_error, int r, const sd_bus_error *e, const char *what);

/* Before a method call on bus: its budget (sd_bus_set_method_call_timeout()) is
 * BUS_CALL_TIMEOUT_USEC cut to what is left until deadline_usec (basic/deadline.h; 0: none).
 * Returns -ETIMEDOUT with "WHAT: not asked: the deadline has passed" when it has. */
int bus_budget_set(sd_bus *bus, uint64_t deadline_usec, const char *what, char **ret_error);
