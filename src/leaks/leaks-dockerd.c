/* SPDX-License-Identifier: MIT */
#include "leaks/leaks-dockerd.h"

#include <dirent.h>
#include <limits.h>
#include <sys/stat.h>

#include "formats/mountinfo.h"

int leaks_pid_is_dockerd(const char *proc, pid_t pid)
{
        static const char deleted[] = " (deleted)";
        _cleanup_free_ char *path = strdupf("%s/%ld/exe", proc, (long) pid);
        char buf[PATH_MAX];
        const char *base;
        ssize_t n;

        if (!path)
                return -ENOMEM;
        n = readlink(path, buf, sizeof buf - 1);
        if (n < 0)
                return errno == ENOENT || errno == ESRCH ? 0 : -errno;
        buf[n] = 0;
        if ((size_t) n > strlen(deleted) && endswith(buf, deleted))
                buf[(size_t) n - strlen(deleted)] = 0;
        base = strrchr(buf, '/');
        return streq(base ? base + 1 : buf, "dockerd");
}

/* Whether link (fd/N, as fstatat through it sees the file) is target in our view. */
static bool same_file(int dfd, const char *link, const char *target)
{
        struct stat a, b;

        return fstatat(dfd, link, &a, 0) >= 0 && stat(target, &b) >= 0 && a.st_dev == b.st_dev &&
               a.st_ino == b.st_ino;
}

bool leaks_pid_holds_under(const char *proc, pid_t pid, const char *root_dir)
{
        _cleanup_free_ char *path = strdupf("%s/%ld/fd", proc, (long) pid);
        _cleanup_(closedirp) DIR *d = path ? opendir(path) : NULL;
        struct dirent *de;

        if (!d)
                return false;
        while ((de = readdir(d))) {
                char buf[PATH_MAX];
                ssize_t n;

                if (de->d_name[0] == '.')
                        continue;
                n = readlinkat(dirfd(d), de->d_name, buf, sizeof buf - 1);
                if (n <= 0)
                        continue;
                buf[n] = 0;
                if (buf[0] == '/' && path_is_under(buf, root_dir) && same_file(dirfd(d), de->d_name, buf))
                        return true;
        }
        return false;
}
