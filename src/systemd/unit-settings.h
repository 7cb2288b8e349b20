/* SPDX-License-Identifier: MIT */
/* The settings of a service that dockaudit cares about, merged from the fragment and
 * its drop-ins in systemd's order, each with the file and line that set it. */
#pragma once

#include "systemd/execwords.h"
#include "systemd/unitfile.h"

/* Kernel propagation flags, as systemd exposes MountFlags on D-Bus. */
#define MOUNT_FLAGS_PRIVATE (1ULL << 18)
#define MOUNT_FLAGS_SLAVE (1ULL << 19)
#define MOUNT_FLAGS_SHARED (1ULL << 20)

/* "" for 0, "shared", "slave", "private"; NULL for other values. */
const char *mount_flags_to_string(unsigned long long flags);
/* -EINVAL unless exactly "shared", "slave", "private" (case-sensitive), "" gives 0. */
int mount_flags_from_string(const char *s, unsigned long long *ret);

/* RLIM_INFINITY and TasksMax=infinity, as the manager reports them on D-Bus. */
#define UNIT_LIMIT_INFINITY UINT64_MAX

/* LimitNOFILE= as systemd's rlimit_parse(RLIMIT_NOFILE): "N" (soft = hard), "SOFT:HARD", each
 * side a decimal number or "infinity". -EINVAL for junk (an empty value too), -ERANGE past
 * RLIM_INFINITY, -EILSEQ when soft > hard (systemd ignores the line with a warning). */
int unit_parse_limit_nofile(const char *s, uint64_t *ret_soft, uint64_t *ret_hard);

/* TasksMax= as systemd 252 stores it: scale 0 is an absolute value (UNIT_LIMIT_INFINITY for
 * "infinity"), else value/scale of the system's task limit (15% is {1500, 10000}). */
typedef struct TasksMax {
        uint64_t value, scale;
} TasksMax;

/* "infinity", a number > 0, or a share "N%" or "N.NN%", "N.N" per mille, "N" per ten
 * thousand (parse_permyriad(): U+2030, U+2031; at most 100%). -EINVAL/-ERANGE otherwise (systemd ignores the
 * line); "" is not parsed here (it resets to the manager's default). */
int unit_parse_tasks_max(const char *s, TasksMax *ret);
/* The value the manager reports (cgroup_tasks_max_resolve()): a share is taken of
 * system_max, min(kernel.threads-max, kernel.pid_max - 1) (limits-util.c system_tasks_max()). */
uint64_t unit_tasks_max_resolve(const TasksMax *t, uint64_t system_max);

/* The dependency settings modelled, in this order. */
typedef enum UnitDepType {
        UNIT_DEP_BINDS_TO,
        UNIT_DEP_REQUIRES,
        UNIT_DEP_WANTS,
        UNIT_DEP_AFTER,
        _UNIT_DEP_MAX,
} UnitDepType;

/* "BindsTo", "Requires", "Wants", "After". */
const char *unit_dep_type_to_string(UnitDepType t);

/* One unit a dependency setting names, and the line that named it first. */
typedef struct UnitDep {
        char *name;
        char *file;
        unsigned line;
} UnitDep;

typedef struct UnitDeps {
        UnitDep *v;
        size_t n, cap;
        size_t *index; /* open-addressing hash set over v (index + 1, 0 empty): a unit with
                        * 100000 names is not quadratic */
        size_t index_cap;
} UnitDeps;

/* Where a scalar setting was last assigned; file NULL when never (or reset to the default). */
typedef struct SettingOrigin {
        char *file;
        unsigned line;
} SettingOrigin;

typedef struct EnvFileRef {
        char *path;
        bool ignore_missing; /* "-" prefix */
        char *file;
        unsigned line;
} EnvFileRef;

typedef struct UnitSettings {
        SpecifierContext spec;

        unsigned long long mount_flags;
        char *mount_flags_file; /* NULL when never assigned (or reset) */
        unsigned mount_flags_line;

        ExecCommand *exec_start;
        size_t n_exec_start;

        EnvBlock environment; /* Environment=, with file:line of each assignment */

        EnvFileRef *environment_files;
        size_t n_environment_files;

        char *type; /* Type=, NULL if unset */

        /* Limits, KillMode= and dependencies: each with the line that set it. */
        bool limit_nofile_set;
        uint64_t limit_nofile_soft, limit_nofile_hard;
        SettingOrigin limit_nofile_origin;
        bool tasks_max_set; /* false: the manager's DefaultTasksMax= */
        TasksMax tasks_max;
        SettingOrigin tasks_max_origin;
        char *kill_mode; /* NULL if unset (control-group) */
        SettingOrigin kill_mode_origin;
        /* Only what the files name: dependencies cannot be reset (an empty value adds nothing);
         * the manager adds its implicit and default ones on top (sysinit.target, slices...). */
        UnitDeps deps[_UNIT_DEP_MAX];

        /* Only what service_verify() needs (added for unit_settings_finish()). */
        ExecCommand *exec_stop;
        size_t n_exec_stop;
        bool remain_after_exit;
        bool restart_force_status; /* RestartForceExitStatus= is not empty */
        char *restart; /* Restart=, NULL if unset ("no") */
        char *exit_type; /* ExitType=, NULL if unset ("main") */
        char *bus_name; /* BusName=, NULL if unset */
        char *success_action; /* [Unit] SuccessAction=, NULL if unset ("none") */

        /* "loaded", "bad-setting" or "error", as systemd would report after loading. */
        const char *load_state;
        char **warnings; /* "PATH:LINE: message": lines systemd ignores */
        char **unreadable; /* "PATH: cannot read: reason": what they set is not known */
        char **errors; /* what made a file stop early or the unit bad */
} UnitSettings;

/* spec is copied by value (its strings must outlive s). */
void unit_settings_init(UnitSettings *s, const SpecifierContext *spec);
void unit_settings_done(UnitSettings *s);

/* Applies one parsed file (fragment first, then drop-ins in applied order). Handles the fatal
 * cases of systemd-reference.md 1.8: a fatal error in the fragment makes the unit "error" /
 * "bad-setting"; in a drop-in it only cuts that drop-in short. Returns 0 or -ENOMEM. */
int unit_settings_apply(UnitSettings *s, const UnitFile *f, bool is_dropin);
/* Parses the fragment (unless masked) then each drop-in, in the manager's applied order, into
 * s, reading inside root (NULL or "/": the host; see basic/root-file.h). Masked drop-ins (empty
 * or /dev/null) are skipped; unreadable files are listed in s->unreadable. Does not call
 * unit_settings_finish(). Returns 0 or negative errno (-ENOMEM). */
int unit_settings_load_paths(UnitSettings *s, const char *root, const char *fragment, char *const *dropins);
/* service_verify(): more than one ExecStart= without Type=oneshot etc. -> "bad-setting". */
int unit_settings_finish(UnitSettings *s);
