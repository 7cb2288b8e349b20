/* SPDX-License-Identifier: MIT */
#include "basic/deadline.h"
#include "collect/collect-unit-override.h"
#include "collect/collect.h"
#include "formats/docker-api.h"

static void docker_api_prefetch_freep(DockerApiPrefetch **p)
{
        docker_api_prefetch_free(*p);
}

/* The daemon answered /info but not the container list (an inspect failed, timed out, or
 * answered garbage): the container facts are unknown, and the audit is incomplete. */
static int container_problems(Facts *f)
{
        const Fact *running = facts_get(f, "docker.running"), *dead = facts_get(f, "docker.dead_containers");

        if (running && running->known && running->b && dead && !dead->known)
                return facts_add_problem(f, "%s", strempty(dead->reason));
        return 0;
}

static uint64_t collect_deadline(const CollectOptions *o)
{
        return o->deadline_usec
                       ? o->deadline_usec
                       : deadline_in(o->timeout_usec ? o->timeout_usec : COLLECT_TIMEOUT_DEFAULT_USEC);
}

int collect_prefetch_start(CollectOptions *o)
{
        o->deadline_usec = collect_deadline(o);
        if (o->sos || o->api_prefetch)
                return 0;
        return docker_api_prefetch_start(o, &o->api_prefetch);
}

void collect_prefetch_done(CollectOptions *o)
{
        docker_api_prefetch_free(o->api_prefetch);
        o->api_prefetch = NULL;
}

int collect_all(Facts *f, const CollectOptions *o)
{
        _cleanup_(docker_api_prefetch_freep) DockerApiPrefetch *api = NULL;
        CollectOptions co = *o;
        int r;

        if (o->sos)
                return collect_sos_all(f, o);
        /* The Docker API in a thread while the D-Bus and file work goes on (unless the caller
         * started it already: then it is the caller's to free); its facts are written here, by
         * this thread, in the usual order. */
        if ((r = collect_prefetch_start(&co)) < 0)
                return r;
        if (!o->api_prefetch)
                api = co.api_prefetch;
        if ((r = collect_kernel(f, &co)) < 0 || (r = collect_distro(f, &co)) < 0 ||
                (r = collect_unit_and_dockerd(f, &co)) < 0 || (r = collect_cgroups(f, &co)) < 0 ||
                (r = collect_unit_override(f, &co)) < 0 || (r = collect_leaks(f, &co)) < 0 ||
                (r = collect_storage(f, &co)) < 0 || (r = collect_kubelet(f, &co)) < 0)
                return r;
        return container_problems(f);
}
