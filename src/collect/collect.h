/* SPDX-License-Identifier: MIT */
/* Collectors: each fills the facts of one source. A collector never fails because a
 * source is missing or unreadable: that becomes an unknown fact with the reason.
 * They return negative errno only for ENOMEM-class failures (or, for the bus, when the
 * caller asked for it and it is unreachable: see collect_unit()). */
#pragma once

#include <sys/types.h>

#include "leaks/leaks.h"
#include "rules/facts.h"

typedef struct CollectOptions {
        const char *unit; /* "docker.service" */
        bool user; /* the user manager (systemctl --user) */
        const char *root; /* --root DIR (offline), or NULL for this host */
        /* The user manager's environment, which dockerd inherits (its default daemon.json
         * follows it); NULL: ours. Set by collect_unit_and_dockerd() once it has read it. */
        char *const *manager_env;
} CollectOptions;

/* kernel.release, kernel.version, kernel.rhel_build, kernel.el, kernel.leaks_mounts,
 * kernel.may_detach_mounts — from /proc/sys/kernel/osrelease (uname(2) as fallback). */
int collect_kernel(Facts *f, const CollectOptions *o);
/* Derived kernel facts from kernel.release alone (used again after reading --facts FILE). */
int kernel_derive_facts(Facts *f);

/* distro.id, distro.id_like, distro.version_id, distro.pretty_name, distro.redhat_release,
 * distro.rhel_family — /etc/os-release (fallback /usr/lib/os-release), /etc/redhat-release. */
int collect_distro(Facts *f, const CollectOptions *o);

/* docker.* from the Engine API over the unix socket (libcurl). socket_path (the -H unix:// of
 * dockerd's command line; socket_source names where it was set) may be NULL: then
 * DOCKER_HOST, else /var/run/docker.sock ($XDG_RUNTIME_DIR/docker.sock with --user). */
int collect_docker_api(
        Facts *f, const CollectOptions *o, const char *socket_path, const char *socket_source);

/* ns.manager_mnt, ns.dockerd_mnt, ns.dockerd_private — manager_pid is 1 for the system
 * manager, the user manager's pid with --user; dockerd_pid 0 when not running. */
int collect_namespaces(Facts *f, pid_t manager_pid, pid_t dockerd_pid);

/* The unit over D-Bus (or its reason for being unknown) and everything derived from it:
 * unit.*, systemd.*, dockerd.*, daemon_json.*, docker.*, ns.*. */
int collect_unit_and_dockerd(Facts *f, const CollectOptions *o);

/* The inputs of leaks_find() from facts already collected (docker.root_dir,
 * docker.socket, unit.main_pid), plus the container list from the API. *ret_containers may be
 * NULL with *ret_error set when the API did not answer. */
int leaks_from_facts(const Facts *f, const char *proc, LeakReport *ret, DockerContainer **ret_containers,
        size_t *ret_n_containers, char **ret_error);

/* leaks.count, leaks.containers, leaks.holders, leaks.dead_holders, docker.dead_containers,
 * docker.running_containers_count. Needs the facts of collect_unit_and_dockerd() first. */
int collect_leaks(Facts *f, const CollectOptions *o);

/* Everything. Never fails for a missing or unreadable source (ENOMEM only). */
int collect_all(Facts *f, const CollectOptions *o);
