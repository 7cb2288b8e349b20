/* SPDX-License-Identifier: MIT */
/* Environment blocks with provenance, and systemd's EnvironmentFile= format
 * (src/basic/env-file.c parse_env_file_internal(), v252 behaviour incl. the
 * "comment ending in backslash swallows the next line" quirk). */
#pragma once

#include "basic/util.h"

typedef struct EnvVar {
        char *name;
        char *value;
        char *file; /* where it was assigned: env file or unit file; NULL if unknown */
        unsigned line; /* 0 if unknown */
} EnvVar;

typedef struct EnvBlock {
        EnvVar *v; /* in order of first assignment */
        size_t n;
        /* An index by name (open addressing, entries are index + 1, 0 empty), so that a unit
         * with thousands of Environment= lines loads in linear time. */
        size_t *slots;
        size_t n_slots;
} EnvBlock;

void env_block_done(EnvBlock *e);
/* Sets (replacing an earlier value of the same name). */
int env_block_set(EnvBlock *e, const char *name, const char *value, const char *file, unsigned line);
const EnvVar *env_block_get(const EnvBlock *e, const char *name);
bool env_name_is_valid(const char *name);

/* Parses an environment file's contents into e (later assignments win). Invalid names are
 * skipped (warning). Invalid UTF-8 fails the whole file: -EINVAL with *ret_error
 * "PATH:LINE: message". */
int env_file_parse(
        const char *path, const char *data, size_t size, EnvBlock *e, char ***warnings, char **ret_error);
