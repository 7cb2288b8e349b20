/* SPDX-License-Identifier: MIT */
/* Collectors: each fills the facts of one source. A collector never fails because a
 * source is missing or unreadable: that becomes an unknown fact with the reason.
 * They return negative errno only for ENOMEM-class failures (or, for the bus, when the
 * caller asked for it and it is unreachable: see collect_unit()). */
#pragma once

#include <sys/types.h>

#include "leaks/leaks.h"
#include "rules/facts.h"
#include "rules/host-identity.h"

/* The whole collection's default budget (--timeout). */
#define COLLECT_TIMEOUT_DEFAULT_USEC (30ULL * 1000000ULL)

/* The Docker API asked ahead, in a thread of its own (collect_all()); private to
 * collect-docker-api.c. */
typedef struct DockerApiPrefetch DockerApiPrefetch;
/* The mount namespace scan asked ahead, likewise; private to collect-leaks.c. */
typedef struct MntnsPrefetch MntnsPrefetch;

typedef struct CollectOptions {
        const char *unit; /* "docker.service" */
        bool user; /* the user manager (systemctl --user) */
        const char *root; /* --root DIR (offline), or NULL for this host */
        /* --host-root DIR (container mode, collect-host-root.c): this host's files under DIR,
         * the live channels (D-Bus, Docker API, /proc) as without it; NULL: "/". Never
         * together with root. */
        const char *files_root;
        /* --sos: an sos report's tree (collect-sos.c); offline as root, which is set to it too. */
        const char *sos;
        /* The user manager's environment, which dockerd inherits (its default daemon.json
         * follows it); NULL: ours. Set by collect_unit_and_dockerd() once it has read it. */
        char *const *manager_env;
        uint64_t timeout_usec; /* --timeout: collect_all()'s budget; 0: COLLECT_TIMEOUT_DEFAULT_USEC */
        /* The deadline (basic/deadline.h, the clock of deadline_now_usec(); 0: each channel's
         * own budgets only): every D-Bus call, Docker API request and spawned program is cut to
         * it. collect_all() sets it to now + timeout_usec unless the caller did (fix: one
         * deadline for the collection and what follows it). Then the Docker API answers asked
         * ahead (collect_prefetch_start(), else collect_all() itself). */
        uint64_t deadline_usec;
        DockerApiPrefetch *api_prefetch;
        MntnsPrefetch *ns_prefetch; /* the namespace scan asked ahead (collect_prefetch_start()) */
} CollectOptions;

/* Whether o->deadline_usec (0: none) has passed (or is a timer's slack away). */
bool collect_deadline_passed(const CollectOptions *o);
/* *why (may be NULL: strerror(-r)) prefixed with "timed out after N s (--timeout): " when r is
 * -ETIMEDOUT and o's deadline has passed: the run's budget ended the wait, not the channel's
 * own. 0 or -ENOMEM. */
int collect_timeout_reason(const CollectOptions *o, int r, char **why);

/* Where the collectors read the host's files: root offline, files_root in container mode,
 * else NULL (the host's "/"). */
const char *collect_files_root(const CollectOptions *o);

/* The path to connect to for the host's unix socket sock (a path on the host, as the unit or
 * dockerd name it): in container mode the same socket under files_root when it is one there
 * (links resolved inside files_root), else sock. *ret allocated; -ENOMEM. */
int collect_host_socket(const CollectOptions *o, const char *sock, char **ret);

/* True in container mode for c, the container this audit runs in (its init is us or our
 * parent: --pid=host shares the pid namespace): it is not one of the host's workloads. */
bool collect_is_own_container(const CollectOptions *o, const DockerContainer *c);

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

/* docker.* from the Engine API over the unix socket (formats/docker-api.h). socket_path (the
 * -H unix:// of dockerd's command line; socket_source names where it was set) may be NULL: then
 * DOCKER_HOST, else /var/run/docker.sock ($XDG_RUNTIME_DIR/docker.sock with --user).
 * No socket or nobody listening: docker.running is false. A daemon that does not answer
 * in time (each request's budget, o->deadline_usec) or answers wrongly: docker.running and
 * the rest unknown with the reason, and an audit problem naming the request. The answers
 * of o->api_prefetch are used when it asked the same socket. */
int collect_docker_api(
        Facts *f, const CollectOptions *o, const char *socket_path, const char *socket_source);

/* The containers (docker_api_containers_list_until(), within o->deadline_usec: running ones
 * not inspected yet) on sock: from o->api_prefetch when it asked sock (once), else asked now.
 * *ret is to be freed with docker_container_list_done(), also on failure. */
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

/* dockerd.shims_in_unit_cgroup — from PROC (/proc) when the unit's main process runs:
 * whether a containerd process (containerd, its shims) is in the unit's cgroup; else from
 * dockerd.containerd (false when set), unknown otherwise. Needs unit.main_pid first. */
int collect_cgroups_proc(Facts *f, const CollectOptions *o, const char *proc);
int collect_cgroups(Facts *f, const CollectOptions *o);
/* The filesystem under a directory, read-only: the nearest existing directory at or above path
 * (inside root: NULL or "/" for this host, else symlinks resolve as if root were "/"), its
 * statfs(2) type, and whether readdir(3) gives the d_type of its entries (an empty directory:
 * its parents on the same filesystem are read). */
typedef struct StorageProbe {
        char *dir; /* the directory looked at (whose entries decided d_type, when known) */
        char *fs_type; /* moby's name (xfs, extfs, tmpfs, ...) or "0xMAGIC"; NULL: not known */
        int d_type; /* 1 entries carry d_type, 0 DT_UNKNOWN (no d_type), -1 not known */
        char *reason; /* why fs_type or d_type is not known */
} StorageProbe;
void storage_probe_done(StorageProbe *p);
/* Fills *ret (what could not be told has a reason); 0 or -ENOMEM. */
int storage_probe(const char *root, const char *path, StorageProbe *ret);
/* moby's name of a statfs f_type (daemon/graphdriver FsNames), NULL when it has none. */
const char *storage_fs_name(unsigned long magic);

/* dockerd.data_root, dockerd.storage_driver (dockerd.argv's flags, else daemon.json, else the
 * default), storage.fs_type and storage.d_type of the data root (docker.root_dir when the
 * daemon answered), docker.cgroup_driver_effective. After collect_unit_and_dockerd(). */
int collect_storage(Facts *f, const CollectOptions *o);

/* kubelet.present, kubelet.cgroup_driver, kubelet.config_path: kubelet.service's files (read
 * offline, inside o->root or "/"), its flags and its config file. */
int collect_kubelet(Facts *f, const CollectOptions *o);

/* The unit over D-Bus (or its reason for being unknown) and everything derived from it:
 * unit.*, systemd.*, dockerd.*, daemon_json.*, docker.*, ns.*. */
int collect_unit_and_dockerd(Facts *f, const CollectOptions *o);

/* The inputs of leaks_find() from facts already collected (docker.root_dir,
 * docker.socket, unit.main_pid), plus the container list from the API; with proc NULL the
 * scan of /proc asked ahead (co->ns_prefetch) when there is one. ret_containers->v may be
 * NULL with *ret_error set when the API did not answer. */
int leaks_from_facts(const CollectOptions *co, const Facts *f, const char *proc, LeakReport *ret,
        DockerContainerList *ret_containers, char **ret_error);

/* leaks.count, leaks.containers, leaks.holders, leaks.dead_holders, docker.dead_containers,
 * docker.running_containers_count. Needs the facts of collect_unit_and_dockerd() first. */
int collect_leaks(Facts *f, const CollectOptions *o);

/* Starts the mount namespace scan of /proc (every namespace's members, and its mountinfo read)
 * in a thread: none offline (o->root) or in sos mode, nor when the thread cannot start. The
 * mounts are kept once the Docker root is known: leaks_from_facts() with proc NULL joins it
 * and hands the scan to leaks_find(). -ENOMEM only. */
int mntns_prefetch_start(const CollectOptions *o, MntnsPrefetch **ret);
/* Joins the thread (if still running) and frees. */
void mntns_prefetch_free(MntnsPrefetch *p);

/* sos mode (o->sos, collect-sos.c): everything collect_all() gives, from an sos report. */
int collect_sos_all(Facts *f, const CollectOptions *o);

/* Everything, by o->deadline_usec (else within o->timeout_usec): each D-Bus call and Docker API
 * request has its own budget (systemd/manager.h, formats/docker-api.h) cut to what is left;
 * the Docker API and the mount namespace scan overlap the D-Bus and file work. A channel that
 * failed or timed out is an audit problem (audit.problems; "timed out after N s (--timeout):
 * ..." when the deadline ended it). Never fails for a missing or unreadable source (ENOMEM
 * only). */
int collect_all(Facts *f, const CollectOptions *o);

/* What collect_all() can ask ahead, started before the caller's other work (audit: while the
 * rules load): sets o->deadline_usec (now + o->timeout_usec, unless set) and starts the Docker
 * API threads into o->api_prefetch and the mount namespace scan into o->ns_prefetch, each
 * unless there already (none offline, in sos mode or when they cannot start). collect_all()
 * then uses them; collect_prefetch_done() joins and frees them. -ENOMEM only. */
int collect_prefetch_start(CollectOptions *o);
void collect_prefetch_done(CollectOptions *o);

/* The audited host's identity (rules/host-identity.h), collected at time now. On this host:
 * gethostname(), /etc/machine-id, /proc/sys/kernel/random/boot_id; with o->files_root
 * (--host-root) the machine-id under it. With o->root (not the host): ROOT/etc/hostname and
 * ROOT/etc/machine-id; the boot id is unknown (an image has not booted). With o->sos the same
 * files of the report, and its proc/sys/kernel/random/boot_id. A missing, unreadable or
 * malformed file makes its field unknown with the reason; an uninitialized machine-id
 * ("uninitialized", empty: first boot pending) too. 0 or -ENOMEM. */
int collect_host_identity(const CollectOptions *o, time_t now, HostIdentity *ret);
