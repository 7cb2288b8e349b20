/* SPDX-License-Identifier: MIT */
/* Recognising dockerd among the processes of /proc, so that its mount namespace is never
 * taken for a holder of its own mounts, nor entered to release them. dockerd is the process
 * whose executable is named dockerd; the dockerd of a Docker root is the one that has files
 * under it open (its bolt databases: network/files/local-kv.db and buildkit's, kept open
 * while it runs), the same files (device and inode) as those paths in our own view. */
#pragma once

#include <sys/types.h>

#include "basic/util.h"

/* 1 when pid's executable is named dockerd ("/usr/bin/dockerd", also "... (deleted)" after
 * an upgrade), 0 when not or when it has none (a kernel thread, a zombie, gone), -errno when
 * it cannot be read (EACCES: not root). */
int leaks_pid_is_dockerd(const char *proc, pid_t pid);

/* Whether pid has a file open that is root_dir or below it, judged by /proc/PID/fd links
 * and the identity of the file. */
bool leaks_pid_holds_under(const char *proc, pid_t pid, const char *root_dir);
