/* SPDX-License-Identifier: MIT */
/* The unit as the service manager has loaded it, read over D-Bus (sd-bus). */
#pragma once

#include <sys/types.h>
#include <systemd/sd-bus.h>

#include "unit-settings.h"

typedef struct BusExecCommand {
        char *path;
        char **argv;
} BusExecCommand;

typedef struct UnitInfo {
        char *name;
        char *load_state, *active_state, *fragment_path;
        char *load_error; /* LoadError message when not loaded, else NULL */
        char **dropin_paths;
        bool need_daemon_reload;
        pid_t main_pid;
        unsigned long long mount_flags;
        BusExecCommand *exec_start;
        size_t n_exec_start;
        char **environment; /* NAME=value */
        EnvFileRef *environment_files;
        size_t n_environment_files;
        pid_t manager_pid;      /* 0 if it could not be determined */
        char *manager_version;  /* Manager.Version, e.g. "252.39-1~deb12u1" */
        char *manager_address;  /* how we reached it, for sources: "system bus", "user bus" */
        bool offline;           /* read from the unit files (--root), not over D-Bus (unit-offline.h) */
} UnitInfo;

void unit_info_done(UnitInfo *u);

/* Connects to the system manager, or with user to the user manager: the bus first, then the
 * manager's private socket. Fails with a message naming what was tried. */
int manager_bus_open(bool user, sd_bus **ret, char **ret_error);

/* Reads the unit's properties. The unit is loaded on demand (LoadUnit); a missing unit is
 * not an error: load_state is "not-found". Bus errors: negative errno + message. */
int unit_info_read(sd_bus *bus, bool user, const char *unit, UnitInfo *ret, char **ret_error);

/* Manager methods used by the fixer and the tests. */
int manager_reload(sd_bus *bus, char **ret_error);
