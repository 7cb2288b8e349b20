/* SPDX-License-Identifier: MIT */
/* What every sd-bus caller here shares: systemd's names on the bus, cleanup helpers and
 * one way to turn a bus error into a message. */
#pragma once

#include <systemd/sd-bus.h>

#include "basic/util.h"

#define SD_DEST "org.freedesktop.systemd1"
#define SD_PATH "/org/freedesktop/systemd1"
#define SD_MANAGER "org.freedesktop.systemd1.Manager"
#define SD_UNIT "org.freedesktop.systemd1.Unit"
#define SD_SERVICE "org.freedesktop.systemd1.Service"

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
