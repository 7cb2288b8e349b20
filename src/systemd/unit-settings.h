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
