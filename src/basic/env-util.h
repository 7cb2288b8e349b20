/* SPDX-License-Identifier: MIT */
/* Reading a "NAME=value" environment: the process's own (environ) or a list handed in (tests,
 * the offline loader), and the directories derived from it. */
#pragma once

#include "basic/util.h"

/* The value of the first "NAME=value" entry of env for name, like getenv(); env NULL means the
 * process environment. NULL when unset. The result points into env. */
const char *env_get(char *const *env, const char *name);

/* env_get(), with an empty value counted as unset. */
const char *env_get_nonempty(char *const *env, const char *name);

/* The user's configuration home as systemd's user manager computes it from its environment
 * env (NULL: ours), the one place every user path (unit directory, drop-in, dockerd's default
 * daemon.json, the offline lookup) comes from: $XDG_CONFIG_HOME when set and not empty, a
 * relative one taken from "/" (the manager chdir()s to "/" and makes its search path absolute
 * against it: "cfg" is /cfg); else HOME/.config with systemd's home directory: $HOME when
 * absolute, else /root for root, else our passwd entry's. (dockerd differs for a relative
 * $XDG_CONFIG_HOME, which it opens from its working directory.) Returns 1 with *ret
 * allocated, 0 with *ret NULL when there is no home directory at all, -ENOMEM. */
int env_user_config_home(char *const *env, char **ret);
