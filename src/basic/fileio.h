/* SPDX-License-Identifier: MIT */
/* Whole-file reads, of regular files only. Every file dockaudit reads goes through here or
 * through root-file.h (which uses the same checks), so that a FIFO, a device node or a socket
 * where a configuration file belongs is refused at once: never opened for reading, never
 * waited on, never read.
 *
 * Errors are negative errnos: open()'s and read()'s, and
 *   -EISDIR  a directory;
 *   -ELOOP   a symlink, where the caller asked not to follow one (O_NOFOLLOW);
 *   -EBADFD  anything else that is not a regular file: FIFO, socket, character or block
 *            device (as systemd's stat_verify_regular(); read_strerror() spells it
 *            "not a regular file");
 *   -EFBIG   more than READ_FULL_MAX bytes;
 *   -ENOMEM.
 * The caller owns what *ret gets; on failure *ret (and *ret_size) are left alone. */
#pragma once

#include <sys/stat.h>

#include "basic/util.h"

/* Maximum size read_full_file() accepts (larger: -EFBIG). */
#define READ_FULL_MAX (64U * 1024U * 1024U)

/* 0 for a regular file, else -EISDIR, -ELOOP or -EBADFD as above. */
int stat_verify_regular(const struct stat *st);
/* The same for what fd refers to (an O_PATH fd included); -errno when fstat() fails. */
int fd_verify_regular(int fd);

/* Opens the regular file fd refers to (typically an O_PATH fd) for reading, through
 * /proc/self/fd: the same inode, whatever happened to its name since. The file type is checked
 * before the open, so a device or FIFO is never opened. Returns a new fd (O_RDONLY,
 * O_CLOEXEC, blocking) or a negative errno; -ENOSYS when /proc is not mounted. */
int fd_reopen_regular(int fd);

/* Takes fd, opened with O_NONBLOCK by name: refuses (and closes) anything but a regular file,
 * then clears O_NONBLOCK. Returns fd or a negative errno. For callers that open by name
 * themselves when fd_reopen_regular() says -ENOSYS. */
int fd_finish_regular(int fd);

/* Opens path (relative to dirfd, or AT_FDCWD) for reading when it is a regular file.
 * open_flags: 0, or O_NOFOLLOW (a symlink as the last component is then -ELOOP). The type is
 * checked on an O_PATH handle first (see fd_reopen_regular()); without /proc the file is opened
 * with O_NONBLOCK and checked before anything is read, so nothing can block either way.
 * Returns an fd (O_RDONLY, O_CLOEXEC, blocking) or a negative errno. */
int open_regular_at(int dirfd, const char *path, int open_flags);

/* Reads fd to EOF (so /proc files, whose st_size is 0, read fully); fd must be a regular file
 * (-EBADFD / -EISDIR otherwise, checked before reading). *ret is NUL-terminated (the size, if
 * ret_size is not NULL, excludes the NUL and counts any NUL inside). */
int read_full_fd(int fd, char **ret, size_t *ret_size);

/* open_regular_at() + read_full_fd(). */
int read_full_file_at(int dirfd, const char *path, int open_flags, char **ret, size_t *ret_size);
/* read_full_file_at(AT_FDCWD, path, 0, ...): links are followed, the file they reach must be a
 * regular file. */
int read_full_file(const char *path, char **ret, size_t *ret_size);
/* Reads a one-line file (sysctl, /proc value): the text up to the first newline. */
int read_one_line_file(const char *path, char **ret);

/* strerror(-r), except "not a regular file" for -EBADFD: for messages about reads. */
const char *read_strerror(int r);
