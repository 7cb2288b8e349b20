/* SPDX-License-Identifier: MIT */
/* What the tests of the ExecStart= steps share (test-exec-line.c, test-exec-expand.c,
 * test-exec-shell.c): a line parsed as in /u/docker.service line 7, argv checks, environment
 * entries, and values read from the real units in tests/fixtures/units. */
#pragma once

#include <check.h>

#include "systemd/execwords.h"

typedef struct Parsed {
        ExecCommand *c;
        size_t n;
        char *error;
        char **warnings;
        int r;
} Parsed;

static inline void parsed_done(Parsed *p)
{
        for (size_t i = 0; i < p->n; i++)
                exec_command_done(&p->c[i]);
        free(p->c);
        free(p->error);
        strv_free(p->warnings);
        *p = (Parsed){};
}

/* Parses value as the ExecStart= of /u/docker.service, line 7 (ctx: the unit's specifiers). */
static inline Parsed parse_ctx(const char *value, const SpecifierContext *ctx)
{
        Parsed p = {};

        p.r = exec_parse_line_full(value, ctx, "/u/docker.service", 7, &p.c, &p.n, &p.warnings, &p.error);
        return p;
}

static inline Parsed parse(const char *value)
{
        static const SpecifierContext spec = {.unit_name = "docker.service"};

        return parse_ctx(value, &spec);
}

/* Checks one command's argv against a NULL-terminated list. */
static inline void check_argv(char **argv, const char *const *want)
{
        size_t i;

        for (i = 0; want[i]; i++) {
                ck_assert_msg(argv[i], "argv too short at %zu (want %s)", i, want[i]);
                ck_assert_str_eq(argv[i], want[i]);
        }
        ck_assert_msg(!argv[i], "argv too long: extra %s", argv[i]);
}

#define ARGV(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Sets name=value in e as if /etc/default/docker assigned it at line. */
static inline void add(EnvBlock *e, const char *name, const char *value, unsigned line)
{
        ck_assert_int_eq(env_block_set(e, name, value, "/etc/default/docker", line), 0);
}

/* Reads the n-th value of key from a unit file, joining continuation lines like systemd
 * (1.3: the final backslash becomes a space, the next line is appended as it is). */
static inline char *unit_value(const char *name, const char *key, unsigned *ret_line)
{
        _cleanup_free_ char *path = strdupf("%s/units/%s", FIXTURES, name), *data = NULL;
        _cleanup_sb_ StrBuf b = {};
        size_t klen = strlen(key);
        unsigned line = 0;
        bool in = false;

        ck_assert_int_eq(read_full_file(path, &data, NULL), 0);
        for (char *l = data, *next; l && *l; l = next) {
                size_t n;

                next = strchr(l, '\n');
                if (next)
                        *next++ = 0;
                line++;
                if (!in) {
                        if (strncmp(l, key, klen) != 0 || l[klen] != '=')
                                continue;
                        *ret_line = line;
                        l += klen + 1;
                        in = true;
                }
                n = strlen(l);
                if (n > 0 && l[n - 1] == '\\') {
                        ck_assert_int_eq(sb_append_len(&b, l, n - 1), 0);
                        ck_assert_int_eq(sb_putc(&b, ' '), 0);
                        continue;
                }
                ck_assert_int_eq(sb_append(&b, l), 0);
                break;
        }
        ck_assert(in);
        return strstrip(sb_steal(&b));
}
