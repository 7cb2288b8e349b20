/* SPDX-License-Identifier: MIT */
/* The container inspect parser (GET /containers/ID/json) on hostile input. */
#include "formats/docker-api.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        DockerContainer c = {};
        char *err = NULL;

        if (docker_container_parse((const char *) data, size, &c, &err) < 0)
                free(err);
        else
                docker_container_done(&c);
        return 0;
}
