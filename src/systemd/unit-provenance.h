/* SPDX-License-Identifier: MIT */
/* The unit's files, parsed our way, set against what the manager loaded: they name the
 * file and line of each value and tell whether the files changed since the last reload. */
#pragma once

#include "systemd/unit-info.h"
#include "systemd/unit-settings.h"

/* "PATH:LINE". NULL on ENOMEM. */
char *origin_string(const char *file, unsigned line);

/* Splits a loaded "NAME=value" (D-Bus Environment) and finds the parsed assignment with the
 * same name and value. Returns 1 with *ret_name (allocated), *ret_value and *ret_match
 * (NULL when the files disagree), 0 for an entry without '=', -ENOMEM. */
int unit_settings_env_lookup(const UnitSettings *s, const char *assignment, char **ret_name,
        const char **ret_value, const EnvVar **ret_match);

/* True when the drop-ins found on disk now (systemd's lookup, unit-lookup.h) are not the
 * loaded DropInPaths or the fragment moved: systemd 252's NeedDaemonReload misses a new
 * <unit>.d/ directory until its unit-path cache is refreshed. env: the manager's environment
 * its search path comes from (NULL: ours). root: where the host's files are (NULL: "/";
 * container mode, collect.h). */
int unit_files_moved(
        const UnitInfo *u, const char *root, bool user, char *const *env, bool *ret, char **ret_what);

/* True when the files give other MountFlags, ExecStart, Environment or EnvironmentFile
 * values than the loaded unit; *ret_what names the first difference. */
int unit_settings_differ(const UnitSettings *s, const UnitInfo *u, bool *ret, char **ret_what);
