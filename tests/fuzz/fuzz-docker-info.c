/* SPDX-License-Identifier: MIT */
/* The GET /info reply parser (docker_info_parse()) on hostile bodies; container inspect
 * replies have their own target, fuzz-docker-container. */
#include "formats/docker-api.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        DockerInfo i = {};
        char *err = NULL;
        int r;

        r = docker_info_parse((const char *) data, size, &i, &err);
        /* A refused body always says why; live_restore and supports_d_type are only set when
         * they were present. */
        if ((r < 0 && r != -ENOMEM && !err) || (i.live_restore && !i.has_live_restore) ||
                (i.supports_d_type && !i.has_supports_d_type))
                __builtin_trap();
        free(err);
        docker_info_done(&i);
        return 0;
}
