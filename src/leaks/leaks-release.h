/* SPDX-License-Identifier: MIT */
/* Undoing what leaks_find() found (dockaudit leaks --release, --remove-dead): detaching the
 * copies of container mounts in a holder's namespace, and removing Dead containers through
 * the Engine API. Asking first, and printing, is the caller's. */
#pragma once

#include "leaks/leaks.h"

/* Detaches mount_points in the namespace dev:ino, entered through /proc/PID/ns/mnt of pid by
 * a forked child. results[i] gets 0 or -errno for mount_points[i]. Returns 0 when the
 * namespace could be entered. The guard of rep comes first: -EPERM, and nothing is done,
 * unless dockerd's namespace is known (rep->dockerd_known), dev:ino is not it
 * (rep->ref_*), pid does not run dockerd, and every mount point is below rep->root_dir
 * (with no "." or ".." component). */
int leaks_release(const LeakReport *rep, const char *proc, pid_t pid, dev_t dev, ino_t ino,
        char *const *mount_points, int *results, char **ret_error);

/* What releasing the leaks of one namespace did. */
typedef struct LeakRelease {
        char **mount_points; /* NULL-terminated; the strings belong to the report */
        int *results; /* 0 or -errno for each mount point (valid when r >= 0) */
        size_t n;
        int r; /* < 0 when the namespace could not be entered (no holder left, ...) */
        char *error; /* what went wrong then, or NULL (strerror(-r)) */
} LeakRelease;

void leak_release_done(LeakRelease *rel);

/* Why mount_points[i] is still mounted, or NULL when it was detached. */
const char *leak_release_error(const LeakRelease *rel, size_t i);

/* Detaches the leaks of rep->namespaces[nsi], entering the namespace through its first holder
 * still alive (proc: "/proc" when NULL). The outcome, failures included, goes into *ret;
 * returns -ENOMEM only. */
int leaks_release_namespace(const LeakReport *rep, const char *proc, size_t nsi, LeakRelease *ret);

/* Removes the Dead container c (docker rm -f) through the Engine API at socket_path. A
 * container in any other state is left alone: -EBUSY. */
int leaks_remove_dead(const char *socket_path, const DockerContainer *c, char **ret_error);
