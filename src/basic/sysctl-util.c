/* SPDX-License-Identifier: MIT */
#include <fcntl.h>

#include "basic/sysctl-util.h"

bool sysctl_key_is_valid(const char *key)
{
        size_t l;

        if (!key)
                return false;
        l = strlen(key);
        if (l == 0 || l > 255 || key[0] == '.' || key[l - 1] == '.' || strstr(key, ".."))
                return false;
        for (const char *p = key; *p; p++)
                if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' ||
                            *p == '-'))
                        return false;
        return true;
}

int write_proc_sys_in(const char *proc_sys_dir, const char *key, const char *value, char **ret_error)
{
        _cleanup_free_ char *path = NULL, *line = NULL;
        _cleanup_close_ int fd = -1;
        int r;

        if (!sysctl_key_is_valid(key))
                return error_setf(ret_error, -EINVAL, "%s: invalid sysctl name", strempty(key));
        if (!value || strpbrk(value, "\n\r"))
                return error_setf(ret_error, -EINVAL, "%s: invalid sysctl value", key);
        path = strdupf("%s/%s", proc_sys_dir, key);
        if (!path)
                return -ENOMEM;
        for (char *p = path + strlen(proc_sys_dir) + 1; *p; p++)
                if (*p == '.')
                        *p = '/';
        line = strdupf("%s\n", value);
        if (!line)
                return -ENOMEM;
        /* No O_CREAT: a sysctl that does not exist is an error, not a new file. O_NONBLOCK: a
         * FIFO there (a test directory, not /proc) fails or is refused below, never waits. */
        fd = open(path, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return error_setf(ret_error, -errno, "%s: %s", path, strerror(errno));
        if ((r = fd_verify_regular(fd)) < 0)
                return error_setf(ret_error, r, "%s: %s", path, read_strerror(r));
        /* The kernel wants the value in one write(). */
        ssize_t k = write(fd, line, strlen(line));
        if (k < 0)
                return error_setf(ret_error, -errno, "%s: %s", path, strerror(errno));
        if ((size_t) k != strlen(line))
                return error_setf(ret_error, -EIO, "%s: short write", path);
        r = close(TAKE_FD(fd));
        if (r < 0)
                return error_setf(ret_error, -errno, "%s: %s", path, strerror(errno));
        return 0;
}

int write_proc_sys(const char *key, const char *value, char **ret_error)
{
        return write_proc_sys_in("/proc/sys", key, value, ret_error);
}
