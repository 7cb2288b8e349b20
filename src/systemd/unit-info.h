/* SPDX-License-Identifier: MIT */
/* The unit as the service manager loaded it: filled over D-Bus (unit-bus.h) or, offline,
 * from the files as systemd would load them (unit-offline.h). */
#pragma once

#include <sys/types.h>

#include "systemd/unit-settings.h"

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
        pid_t manager_pid; /* 0 if it could not be determined */
        char *manager_version; /* Manager.Version, e.g. "252.39-1~deb12u1" */
        char *manager_address; /* how we reached it, for sources: "system bus", "user bus" */
        bool offline; /* read from the unit files (--root), not over D-Bus (unit-offline.h) */
} UnitInfo;

void unit_info_done(UnitInfo *u);
