/* SPDX-License-Identifier: MIT */
#include "basic/deadline.h"
#include "collect/collect-unit-override.h"
#include "collect/collect.h"
#include "formats/docker-api.h"

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
        int r;

        o->deadline_usec = collect_deadline(o);
        if (o->sos)
                return 0;
        if (!o->api_prefetch && (r = docker_api_prefetch_start(o, &o->api_prefetch)) < 0)
                return r;
        if (!o->ns_prefetch && (r = mntns_prefetch_start(o, &o->ns_prefetch)) < 0)
                return r;
        return 0;
}

void collect_prefetch_done(CollectOptions *o)
{
        docker_api_prefetch_free(o->api_prefetch);
        o->api_prefetch = NULL;
        mntns_prefetch_free(o->ns_prefetch);
        o->ns_prefetch = NULL;
}

static int collect_each(Facts *f, const CollectOptions *o)
{
        int r;

        if ((r = collect_kernel(f, o)) < 0 || (r = collect_distro(f, o)) < 0 ||
                (r = collect_unit_and_dockerd(f, o)) < 0 || (r = collect_cgroups(f, o)) < 0 ||
                (r = collect_unit_override(f, o)) < 0 || (r = collect_leaks(f, o)) < 0 ||
                (r = collect_storage(f, o)) < 0 || (r = collect_kubelet(f, o)) < 0)
                return r;
        return container_problems(f);
}

int collect_all(Facts *f, const CollectOptions *o)
{
        CollectOptions co = *o;
        int r;

        if (o->sos)
                return collect_sos_all(f, o);
        /* The Docker API and the namespace scan in threads while the D-Bus and file work goes on
         * (unless the caller started them already: then they are the caller's to free); their
         * facts are written here, by this thread, in the usual order. */
        r = collect_prefetch_start(&co);
        if (r >= 0)
                r = collect_each(f, &co);
        if (co.api_prefetch != o->api_prefetch)
                docker_api_prefetch_free(co.api_prefetch);
        if (co.ns_prefetch != o->ns_prefetch)
                mntns_prefetch_free(co.ns_prefetch);
        return r;
}
