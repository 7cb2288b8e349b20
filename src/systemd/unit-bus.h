/* SPDX-License-Identifier: MIT */
/* Reading a unit's properties from the service manager over D-Bus (sd-bus). */
#pragma once

#include <systemd/sd-bus.h>

#include "systemd/unit-info.h"

/* Reads the unit's properties. The unit is loaded on demand (LoadUnit); a missing unit is
 * not an error: load_state is "not-found". Bus errors: negative errno + a message starting
 * "D-Bus: "; each call has the bus's method call budget (manager_bus_open()). */
int unit_info_read(sd_bus *bus, bool user, const char *unit, UnitInfo *ret, char **ret_error);
