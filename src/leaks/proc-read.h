/* SPDX-License-Identifier: MIT */
/* Reading /proc files that can block without bound, within a time budget per file. A read of
 * /proc/PID/mountinfo waits for its namespace's mount lock, which a process in
 * uninterruptible sleep (a hung NFS or FUSE mount) can hold forever; a thread stuck there
 * cannot be killed and would keep dockaudit from exiting. So the files are read by a child
 * process, which streams them to us through a pipe: when one file takes longer than the
 * budget, the child is killed (if it is in uninterruptible sleep it dies when it wakes, as
 * an orphan), that file gets -ETIME, and a new child reads the files after it. */
#pragma once

#include "basic/util.h"

/* The budget of one file when the caller passes 0. */
#define PROC_READ_TIMEOUT_MS 2000U

typedef struct ProcFile {
        char *data; /* NUL-terminated (size excludes the NUL); NULL when r < 0 */
        size_t size;
        int r; /* 0; -errno of open()/read(); -ETIME: not read within the budget; -EFBIG: over
                * READ_FULL_MAX; -EIO: the child died */
} ProcFile;

void proc_files_done(ProcFile *v, size_t n);

/* Reads paths[0..n) into ret[0..n) (zeroed first), each within timeout_ms (0:
 * PROC_READ_TIMEOUT_MS), in order. The outcome of each file is in ret[i].r; returns 0, or
 * -ENOMEM, or -errno when no child could be started (pipe(), fork()). */
int proc_read_files(const char *const *paths, size_t n, unsigned timeout_ms, ProcFile *ret);

/* A child that reports through a pipe: fork() with the pipe's ends split. Returns 0 in the
 * child with *ret_fd its write end, the child's pid in the parent with *ret_fd the read end
 * (both close-on-exec), or a negative errno (nothing left open). */
pid_t proc_fork_pipe(int *ret_fd);

/* Reads exactly n bytes from the pipe fd within timeout_ms: 0, -ETIME, or -EIO (the writer
 * closed it: the child died). For the other children of the leaks stage (the release). */
int proc_read_exact(int fd, void *p, size_t n, unsigned timeout_ms);

/* Reaps child, after SIGKILL when kill_it: waits for it unless it was killed, then only up to
 * 100 ms (one stuck in uninterruptible sleep is left to init once we exit). */
void proc_child_end(pid_t child, bool kill_it);
