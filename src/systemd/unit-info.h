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

/* A number the manager may not report (an older systemd): set false then. UINT64_MAX is
 * infinity (LimitNOFILE, TasksMax) or "not accounted" (TasksCurrent), as on D-Bus. */
typedef struct UnitNumber {
        uint64_t v;
        bool set;
} UnitNumber;

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
        char *unit_file_state; /* UnitFileState ("" when it cannot be determined) */
        UnitNumber limit_nofile, limit_nofile_soft; /* LimitNOFILE (hard), LimitNOFILESoft */
        UnitNumber tasks_max, tasks_current; /* TasksMax as resolved by the manager, TasksCurrent */
        char *kill_mode; /* KillMode; NULL when not reported */
        /* Offline: the default a value came from, or why it is unset (NULL: set by the files) */
        char *limit_nofile_note, *tasks_max_note;
        /* Dependencies as the manager has them (implicit and default ones included), NULL when
         * not reported; offline only what the files name (UnitSettings.deps). */
        char **deps[_UNIT_DEP_MAX];
        char **triggered_by; /* TriggeredBy (docker.socket); offline NULL */
        pid_t manager_pid; /* 0 if it could not be determined */
        char *manager_version; /* Manager.Version, e.g. "252.39-1~deb12u1" */
        char *manager_address; /* how we reached it, for sources: "system bus", "user bus" */
        bool offline; /* read from the unit files (--root), not over D-Bus (unit-offline.h) */
} UnitInfo;

void unit_info_done(UnitInfo *u);
