/* SPDX-License-Identifier: MIT */
/* ExecStart= command lines, in the order systemd handles them: parsing at load time
 * (systemd.service(5) COMMAND LINES, config_parse_exec(): exec-line.c), $VAR / ${VAR} expansion
 * at exec time (replace_env_argv(): exec-expand.c), then ours, looking through a shell wrapper
 * (exec-shell.c). One header for the three: each step takes the previous one's result. */
#pragma once

#include "systemd/envfile.h"
#include "systemd/specifier.h"

typedef enum ExecFlags {
        EXEC_IGNORE_FAILURE = 1 << 0, /* "-" */
        EXEC_ARGV0 = 1 << 1, /* "@" */
        EXEC_NO_ENV_EXPAND = 1 << 2, /* ":" */
        EXEC_PRIVILEGED = 1 << 3, /* "+" */
        EXEC_NO_SETUID = 1 << 4, /* "!" */
        EXEC_AMBIENT = 1 << 5, /* "!!" */
} ExecFlags;

typedef struct ExecCommand {
        char *path; /* simplified path (duplicate '/' and '.' removed) */
        char **argv; /* as systemd stores it: argv[0] as written (or the @ word) */
        ExecFlags flags;
        char *file; /* where the ExecStart= line is */
        unsigned line;
} ExecCommand;

void exec_command_done(ExecCommand *c);

/* Parses one ExecStart= value into commands (";" separates several). Appends to *cmds.
 * Returns 0 on success, 1 when systemd would ignore the assignment (warning in *ret_error),
 * -ENOEXEC when systemd makes it a bad setting (message in *ret_error), -ENOMEM.
 * An empty value is not handled here (the caller clears the list). */
int exec_parse_line(const char *value, const SpecifierContext *ctx, const char *file, unsigned line,
        ExecCommand **cmds, size_t *n_cmds, char **ret_error);
/* Same, also appending systemd's non-fatal warnings ("PATH:LINE: Ignoring unknown escape
 * sequences: ...") to *warnings when warnings is not NULL. Commands completed before a failing one
 * on the same line stay appended, as in systemd. */
int exec_parse_line_full(const char *value, const SpecifierContext *ctx, const char *file, unsigned line,
        ExecCommand **cmds, size_t *n_cmds, char ***warnings, char **ret_error);

typedef struct ExpandedWord {
        char *text;
        char *file; /* origin of the word: the env var's file:line when it came from $VAR or ${VAR} */
        unsigned line; /* (NULL/0 if that is unknown), else the ExecStart= line */
} ExpandedWord;

typedef struct ExpandedArgv {
        ExpandedWord *v;
        size_t n;
} ExpandedArgv;

void expanded_argv_done(ExpandedArgv *a);

/* Expands argv[1..] against env like systemd at exec time (argv[0] is kept).
 * With EXEC_NO_ENV_EXPAND in c->flags nothing is expanded. */
int exec_expand(const ExecCommand *c, const EnvBlock *env, ExpandedArgv *ret);

/* When the expanded command is a shell wrapper ("/bin/sh -c 'dockerd $OPTIONS 2>&1 | ...'"),
 * splits the script's first pipeline stage like a POSIX shell would for simple commands:
 * quotes, $VAR/${VAR} (unquoted: field-split; inside double quotes: one field), stops at
 * | ; & && || > < and redirections. Returns 1 and fills ret if it was a wrapper, 0 if not.
 * Details: argv[0]'s basename must be sh, bash or dash with a -c option (also in clusters such
 * as -ec); leading commands that only assign variables ("A=1; exec dockerd $A") are applied and
 * skipped, a leading "exec" is dropped, redirections (2>&1, >file, <file, bash's &>) are skipped
 * with their target. Command substitution and globbing are not performed (kept literally).
 * A script with an unterminated quote gives 0 (the shell would refuse it) at the outer level,
 * and stops the unwrapping at an inner level. A shell inside a shell ("sh -c \"exec sh -c
 * '... dockerd'\"") is unwrapped again, up to EXEC_SHELL_MAX_DEPTH levels; deeper: -ELOOP
 * (what dockerd gets is then unknown). */
#define EXEC_SHELL_MAX_DEPTH 8
int exec_unwrap_shell(const ExpandedArgv *a, const EnvBlock *env, ExpandedArgv *ret);
