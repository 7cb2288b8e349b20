/* SPDX-License-Identifier: MIT */
/* Between exec-expand.c and exec-shell.c only (callers outside use execwords.h): the shell
 * reader looks variables up and builds its words the way the $VAR expansion does. */
#pragma once

#include "systemd/execwords.h"

/* strv_env_get_n(): matches "NAME=VALUE" entries whose text starts with name[0..n) followed by
 * '=', the last one first. So a name containing '=' can match inside a value ("K=b" with K="b=c"
 * gives "c"). Returns the value (inside env) with its variable in *ret_var, or NULL (also for a
 * NULL env). */
const char *exec_env_lookup(const EnvBlock *env, const char *name, size_t n, const EnvVar **ret_var);

/* Appends a word: text is taken over (freed on failure; NULL means its allocation failed), file
 * is copied. Returns 0 or -ENOMEM. */
int expanded_argv_push(ExpandedArgv *a, char *text, const char *file, unsigned line);
