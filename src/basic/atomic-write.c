/* SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>

#include "basic/atomic-write.h"

#define TEMP_RANDOM_LEN 6

/* Absolute, no empty, "." or ".." component, no trailing slash: dirname/basename are then
 * plain string cuts and "/x/../y" cannot sneak past the directory checks. */
static bool path_is_normalized_absolute(const char *p)
{
        if (p[0] != '/' || p[1] == '\0')
                return false;
        for (const char *c = p + 1;;) {
                const char *e = strchrnul(c, '/');
                size_t l = (size_t) (e - c);
                if (l == 0 || (l == 1 && c[0] == '.') || (l == 2 && c[0] == '.' && c[1] == '.'))
                        return false;
                if (*e == '\0')
                        return true;
                c = e + 1;
        }
}

/* The checks a directory must pass before we create or replace files in it. */
static int check_dir_stat(const char *dir, const struct stat *st, char **ret_error)
{
        if (S_ISLNK(st->st_mode))
                return error_setf(
                        ret_error, -ELOOP, "%s: directory is a symlink, refusing to write below it", dir);
        if (!S_ISDIR(st->st_mode))
                return error_setf(ret_error, -ENOTDIR, "%s: not a directory", dir);
        if (st->st_mode & 022)
                return error_setf(ret_error, -EPERM,
                        "%s: directory is writable by group or others (mode %04o), refusing", dir,
                        (unsigned) (st->st_mode & 07777));
        if (st->st_uid != 0 && st->st_uid != geteuid())
                return error_setf(ret_error, -EPERM,
                        "%s: directory is owned by uid %u, not root or us, refusing", dir,
                        (unsigned) st->st_uid);
        return 0;
}

/* Makes sure dir exists and passes the checks, creating it (and missing parents) if needed. */
static int ensure_dir(const char *dir, unsigned depth, char **ret_error)
{
        struct stat st;

        if (depth > 64)
                return error_setf(ret_error, -ELOOP, "%s: too deep", dir);
        if (lstat(dir, &st) >= 0)
                return check_dir_stat(dir, &st, ret_error);
        if (errno != ENOENT)
                return error_setf(ret_error, -errno, "%s: %s", dir, strerror(errno));

        const char *slash = strrchr(dir, '/');
        if (!slash || slash == dir)
                return error_setf(ret_error, -ENOENT, "%s: %s", dir, strerror(ENOENT));
        _cleanup_free_ char *parent = strndup(dir, (size_t) (slash - dir));
        if (!parent)
                return -ENOMEM;
        int r = ensure_dir(parent, depth + 1, ret_error);
        if (r < 0)
                return r;
        if (mkdir(dir, 0755) < 0 && errno != EEXIST)
                return error_setf(
                        ret_error, -errno, "%s: cannot create directory: %s", dir, strerror(errno));
        if (lstat(dir, &st) < 0)
                return error_setf(ret_error, -errno, "%s: %s", dir, strerror(errno));
        return check_dir_stat(dir, &st, ret_error);
}

static int check_target(int dfd, const char *path, const char *base, char **ret_error)
{
        struct stat st;

        if (fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0) {
                if (errno == ENOENT)
                        return 0;
                return error_setf(ret_error, -errno, "%s: %s", path, strerror(errno));
        }
        if (S_ISLNK(st.st_mode))
                return error_setf(ret_error, -ELOOP, "%s: is a symlink, refusing to write through it", path);
        if (!S_ISREG(st.st_mode))
                return error_setf(ret_error, -EEXIST, "%s: exists and is not a regular file", path);
        return 0;
}

static int write_all(int fd, const char *data, size_t size)
{
        while (size > 0) {
                ssize_t k = write(fd, data, size);
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                data += k;
                size -= (size_t) k;
        }
        return 0;
}

static int random_suffix(char out[static TEMP_RANDOM_LEN + 1])
{
        static const char chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        uint8_t rnd[TEMP_RANDOM_LEN];

        if (getrandom(rnd, sizeof rnd, 0) != (ssize_t) sizeof rnd)
                return -EIO;
        for (size_t i = 0; i < TEMP_RANDOM_LEN; i++)
                out[i] = chars[rnd[i] % (sizeof chars - 1)];
        out[TEMP_RANDOM_LEN] = '\0';
        return 0;
}

int atomic_write_file(const char *path, const char *data, size_t size, mode_t mode, char **ret_error)
{
        _cleanup_free_ char *dir = NULL, *tmp = NULL;
        _cleanup_close_ int dfd = -1, fd = -1;
        struct stat st;
        int r;

        if (!path || !path_is_normalized_absolute(path))
                return error_setf(ret_error, -EINVAL, "%s: not a normalized absolute path", strempty(path));
        const char *base = strrchr(path, '/') + 1;
        dir = base - 1 == path ? strdup("/") : strndup(path, (size_t) (base - 1 - path));
        if (!dir)
                return -ENOMEM;

        r = ensure_dir(dir, 0, ret_error);
        if (r < 0)
                return r;
        dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (dfd < 0)
                return error_setf(ret_error, -errno, "%s: %s", dir, strerror(errno));
        /* Check the directory we actually opened, not just the name we lstat()ed. */
        if (fstat(dfd, &st) < 0)
                return error_setf(ret_error, -errno, "%s: %s", dir, strerror(errno));
        r = check_dir_stat(dir, &st, ret_error);
        if (r < 0)
                return r;
        r = check_target(dfd, path, base, ret_error);
        if (r < 0)
                return r;

        for (unsigned attempt = 0;; attempt++) {
                char rnd[TEMP_RANDOM_LEN + 1];
                r = random_suffix(rnd);
                if (r < 0)
                        return error_setf(ret_error, r, "%s: no random bytes for a temp name", path);
                free(tmp);
                tmp = strdupf(ATOMIC_TEMP_PREFIX "%s" ATOMIC_TEMP_INFIX "%s", base, rnd);
                if (!tmp)
                        return -ENOMEM;
                fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
                if (fd >= 0)
                        break;
                if (errno != EEXIST || attempt >= 100)
                        return error_setf(ret_error, -errno, "%s/%s: %s", dir, tmp, strerror(errno));
        }

        r = write_all(fd, data, size);
        if (r >= 0 && fchmod(fd, mode & 07777) < 0)
                r = -errno;
        if (r >= 0 && fsync(fd) < 0)
                r = -errno;
        if (r >= 0 && close(TAKE_FD(fd)) < 0)
                r = -errno;
        if (r < 0) {
                (void) unlinkat(dfd, tmp, 0);
                return error_setf(ret_error, r, "%s: cannot write temp file: %s", path, strerror(-r));
        }
        /* Again right before the rename: rename() would replace a symlink, not follow it, but
         * a symlink appearing here means someone is racing us. */
        r = check_target(dfd, path, base, ret_error);
        if (r < 0) {
                (void) unlinkat(dfd, tmp, 0);
                return r;
        }
        if (renameat(dfd, tmp, dfd, base) < 0) {
                r = -errno;
                (void) unlinkat(dfd, tmp, 0);
                return error_setf(
                        ret_error, r, "%s: cannot rename temp file into place: %s", path, strerror(-r));
        }
        if (fsync(dfd) < 0)
                return error_setf(ret_error, -errno, "%s: fsync: %s", dir, strerror(errno));
        return 0;
}

static bool is_our_temp(const char *name, const char *basename)
{
        const char *p = startswith(name, ATOMIC_TEMP_PREFIX);
        if (!p)
                return false;
        p = startswith(p, basename);
        if (!p)
                return false;
        p = startswith(p, ATOMIC_TEMP_INFIX);
        if (!p || strlen(p) != TEMP_RANDOM_LEN)
                return false;
        for (; *p; p++)
                if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
                        return false;
        return true;
}

int atomic_remove_stale_temps(const char *dir, const char *basename)
{
        int dfd, n = 0;
        DIR *d;

        if (!basename || !*basename || strchr(basename, '/'))
                return -EINVAL;
        dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (dfd < 0)
                return errno == ENOENT ? 0 : -errno;
        d = fdopendir(dfd);
        if (!d) {
                int r = -errno;
                close(dfd);
                return r;
        }
        for (struct dirent *de; (errno = 0, de = readdir(d));) {
                struct stat st;
                if (!is_our_temp(de->d_name, basename))
                        continue;
                if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                        continue;
                if (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode))
                        continue;
                if (unlinkat(dfd, de->d_name, 0) >= 0)
                        n++;
                else if (errno != ENOENT) {
                        int r = -errno;
                        closedir(d);
                        return r;
                }
        }
        closedir(d);
        return n;
}
