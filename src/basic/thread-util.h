/* SPDX-License-Identifier: MIT */
/* Threads of the collection's work asked ahead (the Docker API, the mount namespace scan). */
#pragma once

#include <pthread.h>
#include <stdbool.h>

/* Starts fn(userdata) in a thread with a 1 MiB stack (the default 8 MiB costs its release at
 * the thread's exit; jansson's recursion up to its depth limit fits well in 1 MiB). False when
 * it could not start (EAGAIN): the caller does the work itself then. */
bool thread_start_small(pthread_t *t, void *(*fn)(void *), void *userdata);
