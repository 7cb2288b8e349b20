/* SPDX-License-Identifier: MIT */
/* %-specifiers in unit files (systemd.unit(5) SPECIFIERS), resolved at load time. */
#pragma once

#include "basic/util.h"

typedef struct SpecifierContext {
        const char *unit_name; /* "docker.service" */
        bool user; /* user manager: %t, %h, %S ... follow the user's dirs */
        const char *runtime_dir; /* %t: "/run", or $XDG_RUNTIME_DIR for the user manager */
        const char *home; /* %h */
        const char *root; /* NULL or the --root directory (files like /etc/machine-id read there) */
        const char *fragment_path; /* %y / %Y; NULL: those fail with -ENOENT */
} SpecifierContext;

/* Expands specifiers in text. Unknown letter or digit after '%': -EBADSLT. "%%" gives "%".
 * '%' before a non-alphanumeric character or at the end stays as is. */
int specifier_expand(const char *text, const SpecifierContext *ctx, char **ret);
/* Same, failing with -ENAMETOOLONG once the result exceeds max_length bytes (systemd uses
 * PATH_MAX-1 for the ExecStart= path, LONG_LINE_MAX for other words; specifier_expand() uses the
 * latter). */
int specifier_expand_full(const char *text, const SpecifierContext *ctx, size_t max_length, char **ret);
