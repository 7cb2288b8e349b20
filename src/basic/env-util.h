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

/* The user's configuration home as systemd's user manager and dockerd compute it:
 * $XDG_CONFIG_HOME when set and not empty, else $HOME/.config when $HOME is set and not empty.
 * Not checked further: a relative $XDG_CONFIG_HOME comes back as it is (callers that need an
 * absolute path check). Returns 1 with *ret allocated, 0 with *ret NULL when neither variable
 * is set, -ENOMEM. */
int env_user_config_home(char *const *env, char **ret);
