/* SPDX-License-Identifier: MIT */
/* libFuzzer target: EnvironmentFile= format. */
#include "systemd/envfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        EnvBlock e = {};
        char **warnings = NULL, *error = NULL;
        int r;

        r = env_file_parse("/etc/default/docker", (const char *) data, size, &e, &warnings, &error);
        if (r < 0 && r != -ENOMEM && r != -EINVAL)
                __builtin_trap();
        if (r == -EINVAL && (!error || e.n != 0))
                __builtin_trap();
        for (size_t i = 0; i < e.n; i++)
                if (!env_name_is_valid(e.v[i].name) || e.v[i].line == 0 ||
                        env_block_get(&e, e.v[i].name) != &e.v[i])
                        __builtin_trap();
        env_block_done(&e);
        strv_free(warnings);
        free(error);
        return 0;
}
