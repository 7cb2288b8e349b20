/* SPDX-License-Identifier: MIT */
/* Subcommands (one file each, like git's builtin/). Each returns the process exit status. */
#pragma once

#include "basic/util.h"

#define EXIT_COMPLIANT 0 /* nothing at or above --fail-on */
#define EXIT_FINDINGS 1  /* findings at or above --fail-on (fix --dry-run: changes needed) */
#define EXIT_TROUBLE 2   /* could not audit: bad input, bad rule file, bus unreachable, ... */

typedef struct GlobalOptions {
        const char *unit;   /* --unit, default "docker.service" */
        bool user;          /* --user */
        const char *root;   /* --root DIR, or NULL */
        char **rules_dirs;  /* highest priority first: --rules-dir, or /etc/dockaudit/rules.d + bundled */
        bool color;         /* stdout is a tty and NO_COLOR is unset */
} GlobalOptions;

int cmd_audit(int argc, char **argv, const GlobalOptions *g);
int cmd_facts(int argc, char **argv, const GlobalOptions *g);
/* dockaudit fix [--yes] [--dry-run] [--restart] [--no-reload] [--fail-on SEV] [--choose RULE=FIX] */
int cmd_fix(int argc, char **argv, const GlobalOptions *g);
/* dockaudit rules [list | show ID | check FILE...] */
int cmd_rules(int argc, char **argv, const GlobalOptions *g);
/* dockaudit leaks [--format text|json] [--release [--yes] [--remove-dead]] [--docker-root DIR] */
int cmd_leaks(int argc, char **argv, const GlobalOptions *g);
