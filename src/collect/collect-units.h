/* SPDX-License-Identifier: MIT */
/* The limits, KillMode and dependencies of a unit as facts (unit.* for the audited unit,
 * containerd_unit.* for containerd.service), and the units related to the audited one:
 * containerd.service and <stem>.socket (docker.socket for docker.service). Private to
 * src/collect (collect-unit.c calls it with its bus). */
#pragma once

#include <systemd/sd-bus.h>

#include "collect/collect.h"
#include "systemd/unit-info.h"
#include "systemd/unit-settings.h"

/* PREFIX.limit_nofile, .limit_nofile_soft, .tasks_max, .tasks_current and, with full, .kill_mode,
 * .binds_to, .requires, .wants, .after, .triggered_by of the loaded unit u. Sources: the
 * FILE:LINE of s that set the value (when the loaded value agrees with the files), else the
 * default it came from; unknown with the reason when the manager does not report it, or
 * (TasksCurrent) does not account it. Infinity is INT64_MAX. Returns 0 or -ENOMEM. */
int collect_unit_limits(Facts *f, const char *prefix, const UnitInfo *u, const UnitSettings *s, bool full);

/* The same names unknown with one reason (the unit could not be read, or is absent). */
int collect_unit_limits_unknown(Facts *f, const char *prefix, bool full, const char *reason);

/* containerd_unit.* and docker_socket.* over bus (NULL: offline from o->root's files); env is
 * the user manager's environment (NULL: ours). A unit that is missing is load_state
 * "not-found", not an error; a bus error makes that unit's facts unknown and is an audit
 * problem. Returns 0 or -ENOMEM. */
int collect_related_units(Facts *f, const CollectOptions *o, sd_bus *bus, char *const *env);

/* Every containerd_unit.* and docker_socket.* fact unknown with reason. */
int collect_related_units_unknown(Facts *f, const CollectOptions *o, const char *reason);

/* unit.tasks_wanted: the tasks docker.service's TasksMax should allow, from the facts set by
 * collect_unit_limits() and collect_related_units(): the TasksCurrent of the unit and of a
 * running containerd.service (whose shims move into the unit's cgroup when dockerd runs its
 * own containerd), twice over, and at least 256 more. A unit that is not running counts 0
 * (online only: offline nothing is known to run). Unknown when a count is. 0 or -ENOMEM. */
int collect_tasks_wanted(Facts *f, bool offline);
