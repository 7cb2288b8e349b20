/* SPDX-License-Identifier: MIT */
#include <fcntl.h>
#include <sys/stat.h>

#include "cli/cmd-args.h"

#include "basic/log.h"

int parse_fail_on(const char *arg, Severity *ret)
{
        int r = severity_from_string(arg);

        if (r < 0)
                return log_errorf_errno(
                        -EINVAL, "--fail-on: expected info, low, medium or high, not '%s'", arg);
        *ret = (Severity) r;
        return 0;
}

/* True when DIR (an open directory) holds an entry named by one of ROOT_MARKERS. */
static bool root_has_marker(int dir_fd, char **ret_list)
{
        static const char *const markers[] = {ROOT_MARKERS, NULL}; /* NULL: a strv for strv_join() */
        struct stat st;

        for (size_t i = 0; markers[i]; i++)
                if (fstatat(dir_fd, markers[i], &st, AT_SYMLINK_NOFOLLOW) >= 0)
                        return true;
        *ret_list = strv_join((char **) markers, ", ");
        return false;
}

int parse_root(const char *arg, char **ret, char **ret_error)
{
        _cleanup_free_ char *dir = NULL, *list = NULL;
        _cleanup_close_ int fd = -EBADF;

        if (!arg || !*arg)
                return error_setf(ret_error, -EINVAL, "--root: an empty path names no directory");
        dir = realpath(arg, NULL);
        if (!dir)
                return error_setf(ret_error, -errno, "--root '%s': %s", arg, strerror(errno));
        fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return error_setf(ret_error, -errno, "--root '%s': %s", arg, strerror(errno));
        if (!root_has_marker(fd, &list)) {
                if (!list)
                        return -ENOMEM;
                return error_setf(ret_error, -ENOENT,
                        "--root '%s': not a system image (none of %s exists under it)", arg, list);
        }
        *ret = TAKE_PTR(dir);
        return 0;
}
