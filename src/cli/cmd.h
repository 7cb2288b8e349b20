/* SPDX-License-Identifier: MIT */
/* Subcommands, one file each (as git's builtin/ and tmux's cmd-*.c); main.c maps names to
 * them in one table. Every command is an edge: it parses its own arguments, calls the stage
 * below (collect, rules, fix, report, leaks) and prints.
 *
 * The convention of every command file:
 *   static int help(FILE *f)           its own usage ("dockaudit COMMAND --help", "-h",
 *                                      "dockaudit help COMMAND"); returns 0
 *   static int parse_argv(argc, argv, Args *a)
 *                                      > 0 go on, 0 exit successfully (after --help),
 *                                      < 0 fail (already logged), as systemd's parse_argv()
 *   int cmd_NAME(argc, argv, g)        the exit status (>= 0), or a negative errno after the
 *                                      problem was logged (main() turns it into EXIT_TROUBLE)
 * Errors go through basic/log.h: one prefix, one quoting style. */
#pragma once

#include <stdint.h>

#include "basic/log.h"
#include "basic/util.h"

#define EXIT_COMPLIANT 0 /* nothing at or above --fail-on */
#define EXIT_FINDINGS 1 /* findings at or above --fail-on (fix --dry-run: changes needed) */
#define EXIT_TROUBLE 2 /* could not audit: bad input, bad rule file, bus unreachable, ... */

typedef struct GlobalOptions {
        const char *unit; /* --unit, default "docker.service" */
        bool user; /* --user */
        const char *root; /* --root DIR (normalised, see parse_root()), or NULL */
        /* --root DIR is no image: why. Each command that reads --root fails with it first, in
         * its own output format (a JSON report says it too). */
        const char *root_error;
        const char *host_root; /* --host-root DIR (container mode, cli/cmd-modes.h), or NULL */
        const char *sos; /* --sos: the sos report's tree (cli/cmd-modes.h), or NULL */
        char **rules_dirs; /* highest priority first: --rules-dir, or -/etc/dockaudit/rules.d (the "-":
                            * may be missing, see rule_set_load()) + bundled */
        char **waivers_dirs; /* every one is read: --waivers-dir (repeatable), or -/etc/dockaudit/waivers.d
                              * (may be missing); the auditor's, never under --root */
        bool color; /* stdout is a tty and NO_COLOR is unset */
        uint64_t timeout_usec; /* --timeout, 0: the default (collect.h) */
} GlobalOptions;

/* dockaudit audit [--format text|json|junit] [-o FILE] [--fail-on SEV] [--facts FILE] [--strict] */
int cmd_audit(int argc, char **argv, const GlobalOptions *g);
/* dockaudit facts [--format text|json] */
int cmd_facts(int argc, char **argv, const GlobalOptions *g);
/* dockaudit fix [--yes] [--dry-run] [--restart] [--no-reload] [--fail-on SEV] [--choose RULE=FIX] */
int cmd_fix(int argc, char **argv, const GlobalOptions *g);
/* dockaudit rules [list | show ID | check FILE...] */
int cmd_rules(int argc, char **argv, const GlobalOptions *g);
/* dockaudit summarize [--format text|json|junit|html] [-o FILE] [--fail-on SEV] [--max-age D] [--now T]
 *                    [--hosts FILE|LIST] REPORT.json...|DIR... */
int cmd_summarize(int argc, char **argv, const GlobalOptions *g);
/* dockaudit leaks [--format text|json] [--release [--yes] [--remove-dead]] [--docker-root DIR] */
int cmd_leaks(int argc, char **argv, const GlobalOptions *g);
