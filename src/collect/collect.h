/* SPDX-License-Identifier: MIT */
/* Collectors: each fills the facts of one source. A collector never fails because a
 * source is missing or unreadable: that becomes an unknown fact with the reason.
 * They return negative errno only for ENOMEM-class failures (or, for the bus, when the
 * caller asked for it and it is unreachable: see collect_unit()). */
#pragma once

#include <sys/types.h>

#include "leaks/leaks.h"
#include "rules/facts.h"

/* The whole collection's default budget (--timeout). */
#define COLLECT_TIMEOUT_DEFAULT_USEC (30ULL * 1000000ULL)

/* The Docker API asked ahead, in a thread of its own (collect_all()); private to
 * collect-docker-api.c. */
typedef struct DockerApiPrefetch DockerApiPrefetch;

typedef struct CollectOptions {
        const char *unit; /* "docker.service" */
        bool user; /* the user manager (systemctl --user) */
        const char *root; /* --root DIR (offline), or NULL for this host */
        /* The user manager's environment, which dockerd inherits (its default daemon.json
         * follows it); NULL: ours. Set by collect_unit_and_dockerd() once it has read it. */
        char *const *manager_env;
        uint64_t timeout_usec; /* --timeout: collect_all()'s budget; 0: COLLECT_TIMEOUT_DEFAULT_USEC */
        /* Set by collect_all() for the collectors it runs: the deadline (CLOCK_MONOTONIC
         * microseconds, docker_api_now_usec(); 0: each channel's own budgets only), and the
         * Docker API answers asked ahead. */
        uint64_t deadline_usec;
        DockerApiPrefetch *api_prefetch;
} CollectOptions;

/* kernel.release, kernel.version, kernel.rhel_build, kernel.el, kernel.leaks_mounts — from
 * /proc/sys/kernel/osrelease (uname(2) as fallback), with --root the image's default kernel;
 * kernel.may_detach_mounts and kernel.nr_open (/proc/sys/fs, with --root from sysctl.d);
 * kernel.may_detach_mounts_persistent and kernel.sysctl_d_read (sysctl.d). */
int collect_kernel(Facts *f, const CollectOptions *o);
/* Derived kernel facts from kernel.release alone (used again after reading --facts FILE). */
int kernel_derive_facts(Facts *f);

/* distro.id, distro.id_like, distro.version_id, distro.pretty_name, distro.redhat_release,
 * distro.rhel_family — /etc/os-release (fallback /usr/lib/os-release), /etc/redhat-release. */
int collect_distro(Facts *f, const CollectOptions *o);

/* docker.* from the Engine API over the unix socket (libcurl). socket_path (the -H unix:// of
 * dockerd's command line; socket_source names where it was set) may be NULL: then
 * DOCKER_HOST, else /var/run/docker.sock ($XDG_RUNTIME_DIR/docker.sock with --user).
 * No socket or nobody listening: docker.running is false. A daemon that does not answer
 * in time (each request's budget, o->deadline_usec) or answers wrongly: docker.running and
 * the rest unknown with the reason, and an audit problem naming the request. The answers
 * of o->api_prefetch are used when it asked the same socket. */
int collect_docker_api(
        Facts *f, const CollectOptions *o, const char *socket_path, const char *socket_source);

/* The containers (docker_api_containers_until(), within o->deadline_usec) on sock: from
 * o->api_prefetch when it asked sock (once), else asked now. *ret is to be freed with
 * docker_container_list_done(), also on failure. */
int collect_docker_containers(
        const CollectOptions *o, const char *sock, DockerContainerList *ret, char **ret_error);

/* Starts asking the Docker API (/_ping, /info; the containers) on the socket
 * collect_docker_api() would pick without a -H option, in two threads; *ret is NULL
 * offline (o->root). The threads write only their own memory; collect_docker_api() and
 * collect_docker_containers() join them. */
int docker_api_prefetch_start(const CollectOptions *o, DockerApiPrefetch **ret);
/* Joins the thread (if still running) and frees. */
void docker_api_prefetch_free(DockerApiPrefetch *p);

/* ns.manager_mnt, ns.dockerd_mnt, ns.dockerd_private — manager_pid is 1 for the system
 * manager, the user manager's pid with --user; dockerd_pid 0 when not running. */
int collect_namespaces(Facts *f, pid_t manager_pid, pid_t dockerd_pid);

/* The unit over D-Bus (or its reason for being unknown) and everything derived from it:
 * unit.*, systemd.*, dockerd.*, daemon_json.*, docker.*, ns.*. */
int collect_unit_and_dockerd(Facts *f, const CollectOptions *o);

/* The inputs of leaks_find() from facts already collected (docker.root_dir,
 * docker.socket, unit.main_pid), plus the container list from the API. *ret_containers may be
 * NULL with *ret_error set when the API did not answer. */
int leaks_from_facts(const CollectOptions *co, const Facts *f, const char *proc, LeakReport *ret,
        DockerContainer **ret_containers, size_t *ret_n_containers, char **ret_error);

/* leaks.count, leaks.containers, leaks.holders, leaks.dead_holders, docker.dead_containers,
 * docker.running_containers_count. Needs the facts of collect_unit_and_dockerd() first. */
int collect_leaks(Facts *f, const CollectOptions *o);

/* Everything, within o->timeout_usec for the Docker API (the D-Bus calls have their own
 * budgets: manager.h); the Docker API overlaps the D-Bus and file work. A channel that
 * failed or timed out is an audit problem (audit.problems). Never fails for a missing or
 * unreadable source (ENOMEM only). */
int collect_all(Facts *f, const CollectOptions *o);
