/* SPDX-License-Identifier: MIT */
#include "basic/fileio.h"

#include <fcntl.h>
#include <stdio.h>

#include "basic/strbuf.h"

int stat_verify_regular(const struct stat *st)
{
        if (S_ISREG(st->st_mode))
                return 0;
        if (S_ISDIR(st->st_mode))
                return -EISDIR;
        if (S_ISLNK(st->st_mode))
                return -ELOOP;
        return -EBADFD;
}

int fd_verify_regular(int fd)
{
        struct stat st;

        if (fstat(fd, &st) < 0)
                return -errno;
        return stat_verify_regular(&st);
}

/* The last step of every open for reading: the file type again on the fd we will read (so a
 * FIFO swapped in between is refused too), then back to blocking reads. */
int fd_finish_regular(int fd)
{
        _cleanup_close_ int f = fd;
        int r = fd_verify_regular(f), fl;

        if (r < 0)
                return r;
        fl = fcntl(f, F_GETFL);
        if (fl < 0 || fcntl(f, F_SETFL, fl & ~O_NONBLOCK) < 0)
                return -errno;
        return TAKE_FD(f);
}

int fd_reopen_regular(int fd)
{
        char p[64];
        int r = fd_verify_regular(fd), nfd;

        if (r < 0)
                return r;
        snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
        /* O_NONBLOCK all the same: only a regular file can be behind fd, but it costs nothing. */
        nfd = open(p, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
        if (nfd < 0) {
                r = -errno;
                return r == -ENOENT && access("/proc/self/fd", F_OK) < 0 ? -ENOSYS : r;
        }
        return fd_finish_regular(nfd);
}

int open_regular_at(int dirfd, const char *path, int open_flags)
{
        _cleanup_close_ int pfd = -1;
        int fd;

        if (open_flags & ~O_NOFOLLOW)
                return -EINVAL;
        /* O_PATH opens nothing: not a FIFO (which would wait for a writer), not a device. */
        pfd = openat(dirfd, path, O_PATH | O_CLOEXEC | open_flags);
        if (pfd < 0)
                return -errno;
        fd = fd_reopen_regular(pfd);
        if (fd != -ENOSYS)
                return fd;
        /* No /proc: by name again; O_NONBLOCK so that a FIFO swapped in meanwhile cannot block. */
        fd = openat(dirfd, path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY | open_flags);
        if (fd < 0)
                return -errno;
        return fd_finish_regular(fd);
}

int read_full_fd(int fd, char **ret, size_t *ret_size)
{
        _cleanup_sb_ StrBuf b = {};
        struct stat st;
        int r;

        if (fstat(fd, &st) < 0)
                return -errno;
        if ((r = stat_verify_regular(&st)) < 0)
                return r;
        /* Early for what says it is too big; /proc files say 0 and are counted as they come. */
        if (st.st_size > (off_t) READ_FULL_MAX)
                return -EFBIG;
        /* Read straight into the buffer: room for the size fstat() gave and a byte more (the
         * next read() sees the end), else a page, doubled as it fills. */
        if ((r = sb_reserve(&b, st.st_size > 0 ? (size_t) st.st_size + 1 : 4096)) < 0)
                return r;
        b.buf[0] = 0;
        for (;;) {
                size_t room;
                ssize_t k;

                if (b.cap - b.len - 1 == 0 && (r = sb_reserve(&b, 4096)) < 0)
                        return r;
                /* Never more than READ_FULL_MAX + 1 bytes in all: enough to tell -EFBIG. */
                room = b.cap - b.len - 1;
                if (room > READ_FULL_MAX + 1 - b.len)
                        room = READ_FULL_MAX + 1 - b.len;
                k = read(fd, b.buf + b.len, room);
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (k == 0)
                        break;
                if (b.len + (size_t) k > READ_FULL_MAX)
                        return -EFBIG;
                b.len += (size_t) k;
                b.buf[b.len] = 0;
        }
        if (ret_size)
                *ret_size = b.len;
        *ret = sb_steal(&b);
        return *ret ? 0 : -ENOMEM;
}

int read_full_file_at(int dirfd, const char *path, int open_flags, char **ret, size_t *ret_size)
{
        _cleanup_close_ int fd = open_regular_at(dirfd, path, open_flags);

        if (fd < 0)
                return fd;
        return read_full_fd(fd, ret, ret_size);
}

int read_full_file(const char *path, char **ret, size_t *ret_size)
{
        return read_full_file_at(AT_FDCWD, path, 0, ret, ret_size);
}

int read_one_line_file(const char *path, char **ret)
{
        char *s;
        size_t n;
        int r = read_full_file(path, &s, &n);

        if (r < 0)
                return r;
        s[strcspn(s, "\n")] = 0;
        *ret = s;
        return 0;
}

const char *read_strerror(int r)
{
        return r == -EBADFD ? "not a regular file" : strerror(r < 0 ? -r : r);
}
