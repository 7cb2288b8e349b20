/* SPDX-License-Identifier: MIT */
/* The few Docker Engine API calls we need, over the daemon's unix socket with a small
 * HTTP/1.1 client of our own (docker-http.h, http-response.h): GET /_ping for the
 * Api-Version header (version negotiation: we ask in the daemon's own version, which every
 * daemon accepts), then GET /vX.Y/info.
 *
 * Budgets: each request has DOCKER_API_TIMEOUT_MS (a daemon answers in milliseconds: 2 s is
 * a frozen or overloaded one), cut to the caller's deadline (CLOCK_MONOTONIC microseconds,
 * deadline_now_usec() of basic/deadline.h); without a deadline a call (all its requests) gets
 * DOCKER_API_CALL_BUDGET_MS. A request not started by the deadline fails as timed out. */
#pragma once

#include <stdint.h>

#include "basic/deadline.h"
#include "basic/util.h"

#define DOCKER_API_TIMEOUT_MS 2000L
#define DOCKER_API_CALL_BUDGET_MS 10000ULL
/* Requests in flight at once (inspects): enough to hide the round trips, few enough not to
 * load a daemon that is already slow. */
#define DOCKER_API_PARALLEL 4

/* deadline_usec, or when 0 now + DOCKER_API_CALL_BUDGET_MS. */
uint64_t docker_api_deadline(uint64_t deadline_usec);

typedef struct DockerInfo {
        char *api_version; /* from /_ping's Api-Version header; NULL if the daemon sent none */
        char *info_path; /* "/v1.41/info" (or "/info" without a version) */
        bool has_live_restore; /* LiveRestoreEnabled present (API >= 1.25) */
        bool live_restore;
        char *server_version; /* ServerVersion, NULL if absent */
        char *driver; /* Driver */
        char *root_dir; /* DockerRootDir */
        char *swarm_state; /* Swarm.LocalNodeState */
        char *cgroup_driver; /* CgroupDriver (API >= 1.25): cgroupfs, systemd, none */
        /* DriverStatus, the storage driver's [name, value] pairs (overlay2: "Backing
         * Filesystem", "Supports d_type", "Native Overlay Diff", ...) */
        char *backing_fs; /* "Backing Filesystem": extfs, xfs, btrfs, ... (moby's FsNames) */
        bool has_supports_d_type; /* "Supports d_type" present (overlay, overlay2, fuse-overlayfs) */
        bool supports_d_type; /* its value is "true" */
} DockerInfo;

void docker_info_done(DockerInfo *i);

/* Parses an /info response body into the fields above (api_version/info_path untouched).
 * A field of another JSON type than the API's is left unset; a "Supports d_type" that is
 * neither "true" nor "false" too. -EBADMSG with a message when it is not a JSON object. */
int docker_info_parse(const char *body, size_t size, DockerInfo *i, char **ret_error);

/* Asks the daemon at socket_path. Errors (with a message naming the socket or request):
 * -ENOENT no socket, -ECONNREFUSED nobody listening, -EACCES/-EPERM not allowed,
 * -ETIMEDOUT no answer in DOCKER_API_TIMEOUT_MS or by the deadline, -EPROTO (HTTP status
 * not 2xx: "Docker API GET PATH: HTTP 500: message") / -EBADMSG unexpected answer. */
int docker_api_info_until(
        const char *socket_path, uint64_t deadline_usec, DockerInfo *ret, char **ret_error);
int docker_api_info(const char *socket_path, DockerInfo *ret, char **ret_error);

/* Containers, for the leak finder (dockaudit leaks) and the container facts: those whose
 * state makes them matter (running, paused, restarting, removing, dead), from the list
 * filtered on these states, then /containers/ID/json for each, in parallel; a container
 * of another state (exited, created) is asked for by id when something names it. */
typedef struct DockerContainer {
        char *id; /* full id */
        char *name; /* without the leading "/" */
        char *state; /* State.Status: running, exited, dead, created, ... */
        long long pid; /* State.Pid, 0 when not running */
        char *graph_driver; /* GraphDriver.Name */
        char **mount_dirs; /* GraphDriver.Data MergedDir / Mountpoint / DeviceName-less dirs that
                            * are mounted while it runs, NULL-terminated (may be empty) */
        bool inspected; /* from /containers/ID/json; else from the list alone (no pid, no
                         * graph_driver, no mount_dirs) */
} DockerContainer;

void docker_container_done(DockerContainer *c);
void docker_containers_free(DockerContainer *v, size_t n);
/* State "dead": dockerd gave up removing the container (its mounts were busy). */
bool docker_container_is_dead(const DockerContainer *c);
/* A container list owned by a scope: _cleanup_(docker_container_list_done) DockerContainerList l = {}; */
typedef struct DockerContainerList {
        DockerContainer *v;
        size_t n;
        /* The list request that gave it, without the version prefix and decoded, for a fact's
         * source: DOCKER_API_LIST_FILTERED, or DOCKER_API_LIST_ALL when the daemon refused the
         * filter; NULL when the list came another way (by id). */
        const char *query;
} DockerContainerList;
static inline void docker_container_list_done(DockerContainerList *l)
{
        docker_containers_free(l->v, l->n);
        *l = (DockerContainerList){};
}
#define DOCKER_API_LIST_FILTERED \
        "/containers/"           \
        "json?all=1&filters={\"status\":[\"running\",\"paused\",\"restarting\",\"removing\",\"dead\"]}"
#define DOCKER_API_LIST_ALL "/containers/json?all=1"
/* Parses one /containers/ID/json body. -EBADMSG with a message when it is not usable. */
int docker_container_parse(const char *body, size_t size, DockerContainer *ret, char **ret_error);
/* The containers in a state other than exited and created, in the list's order, inspected.
 * A daemon that answers the filtered list with an HTTP error or garbage (an older one
 * refuses the states it does not know) is asked for the whole list: then exited and created
 * containers are there too, from the list alone (pid 0, no graph_driver, no mount_dirs). A
 * container removed between the list and its inspect (404) is left out; any other failed
 * inspect (HTTP error, garbage, timeout) fails the whole call with a message naming the
 * request. */
int docker_api_containers_until(const char *socket_path, uint64_t deadline_usec, DockerContainer **ret,
        size_t *ret_n, char **ret_error);
/* The same, into *ret, but running, paused and restarting containers are not inspected yet
 * (inspected false): for a caller that needs their pids and mount_dirs only sometimes (the leak
 * finder: when some namespace holds mounts that could be leaks), and then calls
 * docker_api_containers_inspect_until(). Their state and name are the list's. */
int docker_api_containers_list_until(
        const char *socket_path, uint64_t deadline_usec, DockerContainerList *ret, char **ret_error);
/* Inspects the containers of *l that need it and are not inspected yet, in parallel; one
 * removed meanwhile (404) leaves *l. Errors as docker_api_containers_until(). */
int docker_api_containers_inspect_until(
        const char *socket_path, uint64_t deadline_usec, DockerContainerList *l, char **ret_error);
/* The containers with the ids ids[0..n), inspected in parallel, in the order of ids: an id
 * that names no container (404: removed; not hex; dockerd's answer for another container,
 * as it also looks ids up as names and prefixes) is left out. Any other failure fails the
 * call with a message naming the request. */
int docker_api_containers_by_id_until(const char *socket_path, uint64_t deadline_usec,
        const char *const *ids, size_t n, DockerContainerList *ret, char **ret_error);
int docker_api_containers(const char *socket_path, DockerContainer **ret, size_t *ret_n, char **ret_error);
/* DELETE /containers/ID?force=1 (docker rm -f). */
int docker_api_remove_container(const char *socket_path, const char *id, char **ret_error);
