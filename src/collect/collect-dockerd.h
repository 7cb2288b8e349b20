/* SPDX-License-Identifier: MIT */
/* dockerd.*, daemon_json.* and docker.* facts, for collect-unit.c once the unit is known (or
 * known to be missing). Within the collect folder only. */
#pragma once

#include "collect/collect.h"
#include "systemd/unit-info.h"
#include "systemd/unit-settings.h"

/* sos mode (collect-sos.c): the unit from the report's `systemctl show`. Returns 1 with u and
 * s filled (or *ret_why saying why the unit cannot be read), 0 when the report has no systemctl
 * show of the unit (then its files: the offline loader), -ENOMEM. */
int collect_sos_unit(const CollectOptions *o, UnitInfo *u, UnitSettings *s, char **ret_why);

#define DBUS_SRC(prop) "dbus:org.freedesktop.systemd1." prop
/* Where a unit property came from: the loaded unit over D-Bus, or (--root) the unit files. */
#define UNIT_SRC(u, prop) ((u)->offline ? "unit files (offline, --root): " prop : DBUS_SRC(prop))

/* dockerd's effective options from the unit's ExecStart= (expanded with the unit's
 * environment, a shell wrapper unwrapped), then daemon.json and the Engine API it points at.
 * s is the parse of the unit's files (file:line of the values). Returns 0 or -ENOMEM. */
int collect_dockerd(Facts *f, const CollectOptions *o, const UnitInfo *u, const UnitSettings *s);

/* The dockerd.* facts of the command line, unknown with reason (no usable unit). */
int collect_dockerd_unknown(Facts *f, const char *reason);

/* Without the unit's ExecStart, dockerd's own sources still say something: the default
 * daemon.json and the default Engine API socket. */
int collect_dockerd_without_unit(Facts *f, const CollectOptions *o);
