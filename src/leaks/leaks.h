/* SPDX-License-Identifier: MIT */
/* Leaked container mounts: a copy of a mount under Docker's root dir (overlay merged dir,
 * containers/ID/mounts/shm, devicemapper mnt/ID, ...) living on in a mount namespace other
 * than dockerd's own and other than a container's own, and not kept in sync with dockerd's
 * by mount propagation. Such a copy keeps the mount busy: docker rm fails with "device or
 * resource busy" and the container is left Dead. */
#pragma once

#include <sys/types.h>

#include "formats/docker-api.h"
#include "leaks/mntns-scan.h"

typedef struct LeakHolder {
        pid_t pid;
        char *comm;
        char *unit; /* systemd unit from /proc/PID/cgroup, NULL if none */
} LeakHolder;

typedef struct LeakNamespace {
        dev_t dev;
        ino_t ino;
        LeakHolder *holders; /* every process in the namespace, ascending pid */
        size_t n_holders;
} LeakNamespace;

typedef struct Leak {
        char *mount_point;
        char *fstype;
        const char *kind; /* "rootfs", "shm", "container-mount", "volume" (static strings) */
        char *key; /* id taken from the path: layer id, container id or volume name */
        char *container_id; /* NULL when no container matches */
        char *container_name;
        char *container_state;
        size_t ns; /* index into LeakReport.namespaces */
} Leak;

/* A namespace whose mounts under the root were not judged, and why. */
typedef struct LeakSkip {
        dev_t dev;
        ino_t ino;
        pid_t pid; /* the member it was read (or not read) through */
        char *reason;
} LeakSkip;

typedef struct LeakReport {
        char *root_dir;
        dev_t ref_dev; /* dockerd's namespace (or ours, see dockerd_known) */
        ino_t ref_ino;
        /* ref_* is dockerd's namespace for certain (the pid given, or the one dockerd with
         * files under root_dir open), or no dockerd is running: only then may --release go
         * on. reference says how it was chosen. */
        bool dockerd_known;
        pid_t dockerd_pid; /* 0 when none */
        char *reference;
        LeakSkip *skipped; /* namespaces not judged: read timed out or failed, another dockerd's */
        size_t n_skipped;
        char **problems; /* what makes the report incomplete, one sentence each (never NULL
                          * after leaks_find()) */
        Leak *leaks; /* by container id (unmatched last), namespace, mount point */
        size_t n_leaks;
        LeakNamespace *namespaces;
        size_t n_namespaces;
        size_t n_processes, n_inaccessible, n_scanned_namespaces;
} LeakReport;

typedef struct LeakOptions {
        const char *proc; /* "/proc" when NULL */
        const char *root_dir; /* Docker's root (DockerRootDir) */
        pid_t dockerd_pid; /* its namespace is the reference; 0: find dockerd (leaks-dockerd.h),
                            * else our own namespace */
        unsigned read_timeout_ms; /* budget of each mountinfo read; 0: PROC_READ_TIMEOUT_MS */
        const DockerContainer *containers;
        size_t n_containers;
        /* When set, the containers are not complete yet (running ones without their pid and
         * mount_dirs): called once, before they are used, to complete them into *ret / *ret_n;
         * not at all when no namespace could hold a leak (then the containers change
         * nothing). A negative errno (with *ret_error) fails leaks_find(). */
        int (*resolve_containers)(
                void *userdata, const DockerContainer **ret, size_t *ret_n, char **ret_error);
        void *userdata;
        /* The namespaces as scanned ahead of this call (mntns_scan() without reading, then
         * mntns_scan_fetch(): the reads done while the root dir was not known yet), taken over
         * (*scan is left empty); NULL: proc is scanned now. */
        MntnsScan *scan;
} LeakOptions;

void leak_report_done(LeakReport *r);

/* Which container mount a path under root is: returns the kind ("rootfs", "shm", ...) and
 * sets *ret_key to the id in the path, or returns NULL when the path is not one. */
const char *leak_classify(const char *root, const char *mount_point, char **ret_key);

/* The systemd unit in a /proc/PID/cgroup text: the deepest .service/.scope/.socket/.mount/
 * .swap component of the systemd hierarchy. NULL (not an error) when there is none. */
int cgroup_text_to_unit(const char *text, char **ret);

/* The leaks under o->root_dir, grouped by container (unmatched last), then namespace and mount
 * point; *ret is freed with leak_report_done(). Never a holder: the reference namespace, a
 * container's own, any namespace with a dockerd in it. What could not be judged is in
 * ret->skipped and ret->problems, the report is still made. */
int leaks_find(const LeakOptions *o, LeakReport *ret, char **ret_error);

/* The keys of the leaks that name their container by id (rootfs, shm, container-mount) but
 * matched none of LeakOptions.containers: distinct, in report order, NULL-terminated (never
 * NULL on success). leaks_find() is given only the containers that matter (not exited or
 * created); these are the ids to ask the daemon about. */
int leak_report_unmatched_ids(const LeakReport *rep, char ***ret);
/* Attributes the leaks that matched no container to c[0..n) by id, as leaks_find() would
 * have had c been among LeakOptions.containers with no mount_dirs (a container that is not
 * running has none mounted), and sorts the leaks again. -ENOMEM only. */
int leak_report_attribute(LeakReport *rep, const DockerContainer *c, size_t n);

/* No problem: every namespace was judged against dockerd's. */
bool leak_report_complete(const LeakReport *rep);

/* How many of the report's leaks are in namespace nsi. */
size_t leak_report_count_in(const LeakReport *rep, size_t nsi);
