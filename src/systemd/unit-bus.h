/* SPDX-License-Identifier: MIT */
/* Reading a unit's properties from the service manager over D-Bus (sd-bus). */
#pragma once

#include <systemd/sd-bus.h>

#include "systemd/unit-info.h"

/* Reads the unit's properties. The unit is loaded on demand (LoadUnit); a missing unit is
 * not an error: load_state is "not-found". Bus errors: negative errno + a message starting
 * "D-Bus: "; each call has MANAGER_CALL_TIMEOUT_USEC cut to deadline_usec (basic/deadline.h;
 * 0: none), and once the deadline has passed nothing more is asked (-ETIMEDOUT). With
 * with_manager also the manager's Version and pid (manager_version, manager_pid): two more
 * round trips, the same for every unit of a run (0 and NULL without). */
int unit_info_read(sd_bus *bus, bool user, const char *unit, bool with_manager, uint64_t deadline_usec,
        UnitInfo *ret, char **ret_error);
