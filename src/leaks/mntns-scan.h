/* SPDX-License-Identifier: MIT */
/* Every mount namespace on the host: which processes are in it (from stat(2) of each
 * /proc/PID/ns/mnt: st_dev and st_ino name the namespace) and its mount table, read once
 * through one member (/proc/PID/mountinfo). */
#pragma once

#include <sys/types.h>

#include "formats/mountinfo.h"

typedef struct MountNamespace {
        dev_t dev;
        ino_t ino; /* the number in "mnt:[4026531841]" */
        pid_t *pids; /* members, ascending */
        size_t n_pids;
        bool read; /* mounts is valid */
        int read_error; /* negative errno when no member's mountinfo could be read: -ETIME when
                         * a read took longer than its budget (the namespace is not read then) */
        pid_t read_pid; /* the member whose mountinfo was read, or failed last */
        MountTable mounts;
        /* mntns_scan_fetch(): the mountinfo text read through read_pid, not parsed yet */
        char *text;
        size_t text_size;
} MountNamespace;

typedef struct MntnsScan {
        MountNamespace *v; /* ascending by (dev, ino) */
        size_t n;
        size_t n_processes; /* processes seen */
        size_t n_inaccessible; /* processes whose ns/mnt could not be stat()ed (not root?) */
        bool fetched; /* mntns_scan_fetch() read every namespace it could */
} MntnsScan;

void mntns_scan_done(MntnsScan *s);

/* Scans proc (normally "/proc"). When under is not NULL only mounts at or below it are kept
 * (all the leak finder needs; the rest is not even unescaped). When read_mounts is false
 * only membership is collected. Each mountinfo is read within timeout_ms (0: the default of
 * leaks/proc-read.h); a namespace whose read timed out is left unread with -ETIME. */
int mntns_scan(const char *proc, const char *under, bool read_mounts, unsigned timeout_ms, MntnsScan *ret);

/* Reads the mount tables of s's namespaces not read yet (the step of mntns_scan() with
 * read_mounts), each through its first member still alive, but not those with skip[i] set
 * (skip may be NULL): they stay unread with -ESRCH. A member that is no longer in its
 * namespace after the read (it exited meanwhile: a dying task's mountinfo fails with EINVAL;
 * or its pid went to another process) does not count, read or not: the next member is
 * tried, and a namespace whose members are all gone is left with -ESRCH. After
 * mntns_scan_fetch() the texts it read are parsed instead (skip still applies), and
 * nothing is read again. -ENOMEM, or -errno when no reader could be started. */
int mntns_scan_read(
        const char *proc, const char *under, unsigned timeout_ms, const bool *skip, MntnsScan *s);

/* The reading half of mntns_scan_read() for every namespace, ahead of knowing which mounts to
 * keep: the texts stay in s (MountNamespace.text) for mntns_scan_read() to parse. A read
 * member that left its namespace is handled as there. -ENOMEM, or -errno when no reader
 * could be started. */
int mntns_scan_fetch(const char *proc, unsigned timeout_ms, MntnsScan *s);

/* The namespace of pid (from the scan), or NULL. */
const MountNamespace *mntns_scan_find_pid(const MntnsScan *s, pid_t pid);
/* The namespace of a stat() result, or NULL. */
const MountNamespace *mntns_scan_find(const MntnsScan *s, dev_t dev, ino_t ino);

/* Reads the namespace of one pid: -errno on failure. */
int mntns_of_pid(const char *proc, pid_t pid, dev_t *ret_dev, ino_t *ret_ino);
