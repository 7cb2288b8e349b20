/* SPDX-License-Identifier: MIT */
/* Reading a pipe from a child within a time budget: one poll-then-read step against a
 * CLOCK_MONOTONIC deadline, for every loop that must not wait on a peer without bound (the
 * /proc reader of the leaks stage, the dockerd runs of the collection). */
#pragma once

#include <stdint.h>
#include <sys/types.h>

/* Reads up to n bytes from fd into p once data is there, waiting no later than deadline_usec
 * (CLOCK_MONOTONIC microseconds, deadline_now_usec() of basic/deadline.h): the byte count (> 0), 0 at the
 * end of the file (the writer closed the pipe), -ETIME when the deadline came first, another negative errno
 * when poll() or read() fails. EINTR and EAGAIN are retried within the deadline. */
ssize_t io_read_until(int fd, void *p, size_t n, uint64_t deadline_usec);
