/* SPDX-License-Identifier: MIT */
/* kubelet's config file reader (kubelet_config_get()) on hostile files, YAML and JSON. */
#include "formats/kubelet-config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static const char *const keys[] = {"cgroupDriver", "kind", "a"};

        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
                char *v = NULL, *err = NULL;
                unsigned line = 0;
                int r = kubelet_config_get(
                        "config.yaml", (const char *) data, size, keys[k], &v, &line, &err);

                /* Found: a value and its line; refused: the reason; absent: neither. */
                if ((r == 1 && (!v || line == 0)) || (r == -EINVAL && !err) || (r == 0 && (v || err)) ||
                        (r != 1 && r != 0 && r != -EINVAL && r != -ENOMEM))
                        __builtin_trap();
                free(v);
                free(err);
        }
        return 0;
}
