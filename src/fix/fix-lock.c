/* SPDX-License-Identifier: MIT */
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>

#include "fix/fix-lock.h"

int fix_lock_path(bool user, const char *root, char **ret)
{
        char *p;

        if (root)
                p = strdup(root);
        else if (user) {
                const char *rt = getenv("XDG_RUNTIME_DIR");
                if (!rt || rt[0] != '/')
                        return -ENXIO;
                p = strdupf("%s/dockaudit.lock", rt);
        } else
                p = strdup("/run/dockaudit.lock");
        if (!p)
                return -ENOMEM;
        *ret = p;
        return 0;
}

int fix_lock_acquire(bool user, const char *root, int *ret_fd, char **ret_error)
{
        _cleanup_free_ char *path = NULL;
        _cleanup_close_ int fd = -1;
        struct stat st;
        char buf[32];
        int r;

        r = fix_lock_path(user, root, &path);
        if (r >= 0 && root) {
                /* Offline: lock the image's root directory itself, so nothing is written
                 * into the image but the fixes. */
                /* O_DIRECTORY: anything else (a FIFO too) fails at once, before it is opened. */
                fd = open(path, O_RDONLY | O_DIRECTORY | O_NONBLOCK | O_CLOEXEC);
                if (fd < 0)
                        return error_setf(ret_error, -errno, "%s: %s", path, strerror(errno));
                while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
                        if (errno == EINTR)
                                continue;
                        if (errno == EWOULDBLOCK)
                                return error_setf(
                                        ret_error, -EBUSY, "another dockaudit fix is running on %s", path);
                        return error_setf(ret_error, -errno, "%s: %s", path, strerror(errno));
                }
                *ret_fd = TAKE_FD(fd);
                return 0;
        }
        if (r == -ENXIO)
                return error_setf(ret_error, r, "XDG_RUNTIME_DIR is not set (needed for the --user lock)");
        if (r < 0)
                return r;

        /* O_NOFOLLOW: /run and $XDG_RUNTIME_DIR are ours, but never truncate a symlink's target.
         * O_NONBLOCK: a FIFO or device found there must not block the open; it is refused below. */
        fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0644);
        if (fd < 0)
                return error_setf(ret_error, -errno, "%s: %s", path, strerror(errno));
        if (fstat(fd, &st) < 0)
                return error_setf(ret_error, -errno, "%s: %s", path, strerror(errno));
        if (!S_ISREG(st.st_mode))
                return error_setf(
                        ret_error, -EINVAL, "%s: not a regular file, refusing to use it as the lock", path);

        while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
                if (errno == EINTR)
                        continue;
                if (errno != EWOULDBLOCK)
                        return error_setf(ret_error, -errno, "%s: %s", path, strerror(errno));
                ssize_t k = pread(fd, buf, sizeof buf - 1, 0);
                unsigned long long pid;
                buf[k > 0 ? k : 0] = '\0';
                if (safe_atou64(strstrip(buf), &pid) >= 0 && pid > 0)
                        return error_setf(
                                ret_error, -EBUSY, "another dockaudit fix is running (pid %llu)", pid);
                return error_setf(ret_error, -EBUSY, "another dockaudit fix is running");
        }

        int n = snprintf(buf, sizeof buf, "%ld\n", (long) getpid());
        if (ftruncate(fd, 0) < 0 || pwrite(fd, buf, (size_t) n, 0) != n)
                return error_setf(ret_error, -errno, "%s: cannot write pid: %s", path, strerror(errno));
        *ret_fd = TAKE_FD(fd);
        return 0;
}
