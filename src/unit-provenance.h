/* SPDX-License-Identifier: MIT */
/* The unit's files, parsed our way, set against what the manager loaded: they name the
 * file and line of each value and tell whether the files changed since the last reload. */
#pragma once

#include "collect-unit.h"
#include "unit-settings.h"

/* Parses FragmentPath then DropInPaths (the manager's applied order) into s. Masked drop-ins
 * (empty or /dev/null) are skipped; unreadable files become warnings in s. */
int unit_settings_load_paths(UnitSettings *s, const char *fragment, char *const *dropins);

/* "PATH:LINE". NULL on ENOMEM. */
char *origin_string(const char *file, unsigned line);

/* True when the files give other MountFlags, ExecStart, Environment or EnvironmentFile
 * values than the loaded unit; *ret_what names the first difference. */
int unit_settings_differ(const UnitSettings *s, const UnitInfo *u, bool *ret, char **ret_what);
