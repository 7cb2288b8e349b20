/* SPDX-License-Identifier: MIT */
/* Where `dockaudit fix` writes: the unit's drop-in and the sysctl.d file, under a root. */
#pragma once

#include "basic/util.h"

/* The file name of our drop-in, and of our sysctl.d file. */
#define FIX_DROPIN_NAME "50-dockaudit.conf"
#define FIX_SYSCTL_FILE "/etc/sysctl.d/50-dockaudit.conf"

/* The directory of the units a person (or dockaudit) adds: /etc/systemd/system, or with user
 * $CONFIG_HOME/systemd/user, where CONFIG_HOME is env_user_config_home() of env: the user
 * manager's environment (NULL: ours, offline), so that the drop-in lands where the manager
 * reads it whatever our own $HOME and $XDG_CONFIG_HOME say. -ENXIO with a message when env
 * has no config home. The only place in src/fix that computes it. */
int fix_paths_unit_dir(bool user, char *const *env, char **ret, char **ret_error);

/* UNIT_DIR/UNIT.d/50-dockaudit.conf under root (root_path(): NULL or "/" is the host).
 * -EINVAL with a message when unit is not a file name. */
int fix_paths_dropin(
        const char *unit, bool user, char *const *env, const char *root, char **ret, char **ret_error);

/* The drop-in of another unit beside dropin_path (a fix_paths_dropin() result): the same unit
 * directory, DIR/unit.d/50-dockaudit.conf; unit NULL: a copy of dropin_path. -EINVAL with a
 * message when unit is not a file name. */
int fix_paths_dropin_sibling(const char *dropin_path, const char *unit, char **ret, char **ret_error);
