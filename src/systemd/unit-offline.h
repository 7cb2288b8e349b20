/* SPDX-License-Identifier: MIT */
/* The unit as systemd would load it from the files of an offline root (--root DIR): the same
 * UnitInfo the D-Bus reader fills, built from unit-lookup.h and unit-settings.h. */
#pragma once

#include "systemd/unit-info.h"
#include "systemd/unit-lookup.h"
#include "systemd/unit-settings.h"

/* Like unit_info_read(), offline: HOME and XDG_* of the process environment locate the user
 * manager's directories (inside root). active_state is "inactive", main_pid 0,
 * need_daemon_reload false; manager_version from the root's systemd package, else NULL.
 * A missing unit is not an error (load_state "not-found"). -EINVAL for a bad unit name. */
int unit_info_read_offline(const char *root, bool user, const char *unit, UnitInfo *ret, char **ret_error);

/* The same with an explicit NAME=value environment (NULL: the process environment); also
 * hands out the parsed settings (file:line of each value) when ret_settings is not NULL. */
int unit_info_read_offline_env(const char *root, bool user, const char *unit, char *const *env,
        UnitInfo *ret, UnitSettings *ret_settings, char **ret_error);

/* The systemd package version installed in root (dpkg status, else the libsystemd-shared-N.so
 * file name), or NULL (*ret) when unknown. */
int unit_offline_manager_version(const char *root, char **ret);
