/* SPDX-License-Identifier: MIT */
/* The container inspect parser (GET /containers/ID/json) on hostile input. */
#include "formats/docker-api.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        DockerContainer c = {};
        char *err = NULL;
        int r;

        r = docker_container_parse((const char *) data, size, &c, &err);
        if (r < 0) {
                if (r != -ENOMEM && !err)
                        __builtin_trap(); /* a refused body always says why */
                free(err);
                return 0;
        }
        /* The leak finder matches mount points under these: only absolute paths. */
        if (!c.id || !c.state || !c.mount_dirs)
                __builtin_trap();
        for (char **d = c.mount_dirs; *d; d++)
                if ((*d)[0] != '/')
                        __builtin_trap();
        docker_container_done(&c);
        return 0;
}
