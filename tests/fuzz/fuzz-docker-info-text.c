/* SPDX-License-Identifier: MIT */
/* The docker CLI's text as sos keeps it: docker info, docker version and docker ps -a
 * (docker-info-text.h), on hostile text. */
#include "basic/strv.h"
#include "formats/docker-info-text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        const char *text = (const char *) data;
        DockerInfo i = {};
        char *err = NULL, *api = NULL, **dead = NULL;
        long long running = -1;
        bool server = false;
        int r;

        r = docker_info_text_parse(text, size, &i, &server, &err);
        /* live_restore only when read; no server, no server version. */
        if ((r < 0 && r != -ENOMEM && !err) || (i.live_restore && !i.has_live_restore) ||
                (r >= 0 && server != !!i.server_version))
                __builtin_trap();
        free(err);
        err = NULL;
        docker_info_done(&i);
        r = docker_version_text_api(text, size, &api, &err);
        if (r < 0 && r != -ENOMEM && !err)
                __builtin_trap();
        free(api);
        free(err);
        err = NULL;
        r = docker_ps_text_parse(text, size, &running, &dead, &err);
        if ((r < 0 && r != -ENOMEM && !err) || (r >= 0 && (running < 0 || !dead)))
                __builtin_trap();
        free(err);
        strv_free(dead);
        return 0;
}
