/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the input is an ExecStart= value; every command is expanded against a small
 * environment and offered to the shell unwrapper. The first byte picks flags/context variations. */
#include "systemd/execwords.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Environment with quotes, backslashes and separators in the values. */
static const EnvVar vars[] = {
        {(char *) "A", (char *) "one  two", (char *) "/etc/default/docker", 1},
        {(char *) "Q", (char *) "a \"b c\" 'd\\' e\\", NULL, 0},
        {(char *) "E", (char *) "", (char *) "/etc/sysconfig/docker", 3},
        {(char *) "K", (char *) "b=c=${A}", (char *) "/x", 4},
        {(char *) "OPTIONS", (char *) "--selinux-enabled $A '\"", (char *) "/etc/sysconfig/docker", 4},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        const EnvBlock env = {.v = (EnvVar *) vars, .n = ELEMENTSOF(vars)};
        SpecifierContext ctx = {.unit_name = "foo-bar@in\\x2dst.service", .fragment_path = "/nonexistent"};
        ExecCommand *cmds = NULL;
        size_t n = 0;
        char *value, *error = NULL;
        char **warnings = NULL;

        if (size < 1 || size > 65536)
                return 0;
        ctx.user = data[0] & 1;
        ctx.runtime_dir = (data[0] & 2) ? "/run/user/1000" : NULL;
        value = strndup((const char *) data + 1, size - 1);
        if (!value)
                return 0;

        (void) exec_parse_line_full(
                value, &ctx, "/fuzz.service", 1, &cmds, &n, (data[0] & 4) ? &warnings : NULL, &error);
        for (size_t i = 0; i < n; i++) {
                ExpandedArgv a = {}, u = {};

                if (exec_expand(&cmds[i], (data[0] & 8) ? NULL : &env, &a) >= 0) {
                        if (exec_unwrap_shell(&a, &env, &u) > 0) {
                                ExpandedArgv u2 = {};

                                /* Nested wrappers. */
                                if (exec_unwrap_shell(&u, &env, &u2) > 0)
                                        expanded_argv_done(&u2);
                                expanded_argv_done(&u);
                        }
                        expanded_argv_done(&a);
                }
                exec_command_done(&cmds[i]);
        }
        free(cmds);
        free(error);
        strv_free(warnings);
        free(value);
        return 0;
}
