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

static const char *file_type_name(mode_t m)
{
        if (S_ISDIR(m))
                return "a directory";
        if (S_ISFIFO(m))
                return "a FIFO";
        if (S_ISSOCK(m))
                return "a socket";
        if (S_ISCHR(m))
                return "a character device";
        if (S_ISBLK(m))
                return "a block device";
        return "not a regular file";
}

/* The target must be missing or a regular file: *ret_exists and *ret_st (its lstat()). */
static int check_target(const AtomicFile *f, bool *ret_exists, struct stat *ret_st, char **ret_error)
{
        struct stat st;

        if (fstatat(f->dir_fd, f->base, &st, AT_SYMLINK_NOFOLLOW) < 0) {
                if (errno != ENOENT)
                        return error_setf(ret_error, -errno, "%s: %s", f->path, strerror(errno));
                *ret_exists = false;
                return 0;
        }
        if (S_ISLNK(st.st_mode))
                return error_setf(
                        ret_error, -ELOOP, "%s: is a symlink, refusing to write through it", f->path);
        if (!S_ISREG(st.st_mode))
                return error_setf(ret_error, -EEXIST,
                        "%s: exists and is not a regular file (%s), refusing to replace it", f->path,
                        file_type_name(st.st_mode));
        *ret_exists = true;
        *ret_st = st;
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

/* Links the unnamed O_TMPFILE f->fd as name in the directory (-EEXIST when name exists):
 * AT_EMPTY_PATH where we may (CAP_DAC_READ_SEARCH, or newer kernels), else /proc/self/fd. */
static int link_tmpfile(const AtomicFile *f, const char *name)
{
        char proc[64];

        if (linkat(f->fd, "", f->dir_fd, name, AT_EMPTY_PATH) >= 0)
                return 0;
        if (errno != EPERM && errno != ENOENT && errno != EINVAL)
                return -errno;
        snprintf(proc, sizeof proc, "/proc/self/fd/%d", f->fd);
        return linkat(AT_FDCWD, proc, f->dir_fd, name, AT_SYMLINK_FOLLOW) < 0 ? -errno : 0;
}

/* Gives our temp file a fresh ".#BASE.dockaudit-XXXXXX" name in the directory: a link to the
 * unnamed O_TMPFILE f->fd (link_fd), or a new empty file that f->fd then holds. */
static int name_temp(AtomicFile *f, bool link_fd, char **ret_error)
{
        for (unsigned attempt = 0;; attempt++) {
                _cleanup_free_ char *name = NULL;
                char rnd[TEMP_RANDOM_LEN + 1];
                int r = random_suffix(rnd);

                if (r < 0)
                        return error_setf(ret_error, r, "%s: no random bytes for a temp name", f->path);
                name = strdupf(ATOMIC_TEMP_PREFIX "%s" ATOMIC_TEMP_INFIX "%s", f->base, rnd);
                if (!name)
                        return -ENOMEM;
                if (link_fd)
                        r = link_tmpfile(f, name);
                else {
                        f->fd = openat(
                                f->dir_fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
                        r = f->fd < 0 ? -errno : 0;
                }
                if (r >= 0) {
                        f->tmp_name = TAKE_PTR(name);
                        return 0;
                }
                if (r != -EEXIST || attempt >= 100)
                        return error_setf(ret_error, r, "%s/%s: %s", f->dir, name, strerror(-r));
        }
}

/* The temp file: unnamed (O_TMPFILE, linked at the commit) where the file system has it and
 * /proc is there to link it through; else named from the start. */
static int create_temp(AtomicFile *f, AtomicFlags flags, char **ret_error)
{
        if (!(flags & ATOMIC_NO_TMPFILE) && access("/proc/self/fd", F_OK) >= 0) {
                f->fd = openat(f->dir_fd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
                if (f->fd >= 0)
                        return 0;
                /* Not supported by the kernel (EISDIR, EINVAL) or the file system (EOPNOTSUPP). */
                if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL && errno != ENOENT)
                        return error_setf(
                                ret_error, -errno, "%s: cannot create: %s", f->path, strerror(errno));
        }
        return name_temp(f, false, ret_error);
}

/* Owner and group first (chown clears set-id bits), then the mode. The chown only when it
 * changes something, so that a user keeps a file of their own without privileges. */
static int apply_owner_mode(AtomicFile *f, const struct stat *owner, mode_t mode, char **ret_error)
{
        struct stat st;

        if (fstat(f->fd, &st) < 0)
                return error_setf(ret_error, -errno, "%s: %s", f->path, strerror(errno));
        if (owner && (st.st_uid != owner->st_uid || st.st_gid != owner->st_gid) &&
                fchown(f->fd, owner->st_uid, owner->st_gid) < 0)
                return error_setf(ret_error, -errno, "%s: cannot keep the owner %u:%u: %s", f->path,
                        (unsigned) owner->st_uid, (unsigned) owner->st_gid, strerror(errno));
        if (fchmod(f->fd, mode & 07777) < 0)
                return error_setf(ret_error, -errno, "%s: %s", f->path, strerror(errno));
        return 0;
}

/* f->path, f->dir, f->base from path; the directory opened (and checked, with ATOMIC_SAFE_DIR). */
static int open_dir(AtomicFile *f, const char *path, AtomicFlags flags, char **ret_error)
{
        const char *slash;
        struct stat st;

        if (!path || ((flags & ATOMIC_SAFE_DIR) && !path_is_normalized_absolute(path)))
                return error_setf(ret_error, -EINVAL, "%s: not a normalized absolute path", strempty(path));
        if (!(f->path = strdup(path)))
                return -ENOMEM;
        slash = strrchr(f->path, '/');
        f->base = slash ? slash + 1 : f->path;
        if (!*f->base || streq(f->base, ".") || streq(f->base, ".."))
                return error_setf(ret_error, -EISDIR, "%s: %s", path, strerror(EISDIR));
        f->dir = !slash             ? strdup(".")
                 : slash == f->path ? strdup("/")
                                    : strndup(path, (size_t) (slash - f->path));
        if (!f->dir)
                return -ENOMEM;
        if (!(flags & ATOMIC_SAFE_DIR)) {
                f->dir_fd = open(f->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                return f->dir_fd < 0 ? error_setf(ret_error, -errno, "%s: cannot create: %s", path,
                                               strerror(errno))
                                     : 0;
        }
        int r = ensure_dir(f->dir, 0, ret_error);
        if (r < 0)
                return r;
        f->dir_fd = open(f->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (f->dir_fd < 0)
                return error_setf(ret_error, -errno, "%s: %s", f->dir, strerror(errno));
        /* Check the directory we actually opened, not just the name we lstat()ed. */
        if (fstat(f->dir_fd, &st) < 0)
                return error_setf(ret_error, -errno, "%s: %s", f->dir, strerror(errno));
        return check_dir_stat(f->dir, &st, ret_error);
}

static int remove_stale_at(int dfd, const char *basename);

/* atomic_file_open() with the owner and mode of like instead (when not NULL). */
static int file_open(AtomicFile *f, const char *path, mode_t mode, const struct stat *like,
        AtomicFlags flags, char **ret_error)
{
        int r;

        *f = (AtomicFile){.fd = -1, .dir_fd = -1};
        if ((r = open_dir(f, path, flags, ret_error)) < 0)
                return r;
        if ((r = check_target(f, &f->replaces, &f->target, ret_error)) < 0)
                return r;
        if ((flags & ATOMIC_REMOVE_STALE) && (r = remove_stale_at(f->dir_fd, f->base)) < 0)
                return error_setf(ret_error, r, "%s: removing stale temp files: %s", f->dir, strerror(-r));
        if ((r = create_temp(f, flags, ret_error)) < 0)
                return r;
        if (like)
                return apply_owner_mode(f, like, like->st_mode, ret_error);
        if (f->replaces && (flags & ATOMIC_KEEP_MODE))
                mode = f->target.st_mode;
        return apply_owner_mode(f, f->replaces ? &f->target : NULL, mode, ret_error);
}

int atomic_file_open(AtomicFile *f, const char *path, mode_t mode, AtomicFlags flags, char **ret_error)
{
        return file_open(f, path, mode, NULL, flags, ret_error);
}

/* A name for the unnamed temp file: the target itself when it did not exist (nothing to
 * replace, no temp name ever: *ret_done), else a temp name to rename. */
static int name_unnamed(AtomicFile *f, bool *ret_done, char **ret_error)
{
        *ret_done = false;
        if (!f->replaces) {
                int r = link_tmpfile(f, f->base);
                if (r >= 0) {
                        *ret_done = true;
                        return 0;
                }
                if (r != -EEXIST) /* EEXIST: it appeared meanwhile; checked below */
                        return error_setf(ret_error, r, "%s: %s", f->path, strerror(-r));
        }
        return name_temp(f, true, ret_error);
}

int atomic_file_commit(AtomicFile *f, char **ret_error)
{
        bool done = false, exists;
        struct stat st;
        int r = 0;

        if (fsync(f->fd) < 0)
                r = error_setf(
                        ret_error, -errno, "%s: cannot write temp file: %s", f->path, strerror(errno));
        if (r >= 0 && !f->tmp_name)
                r = name_unnamed(f, &done, ret_error);
        if (close(TAKE_FD(f->fd)) < 0 && r >= 0)
                r = error_setf(
                        ret_error, -errno, "%s: cannot write temp file: %s", f->path, strerror(errno));
        /* Again right before the rename: rename() would replace a symlink or a device node, not
         * write through it, but something appearing here means someone is racing us. */
        if (r >= 0 && !done)
                r = check_target(f, &exists, &st, ret_error);
        if (r >= 0 && !done && renameat(f->dir_fd, f->tmp_name, f->dir_fd, f->base) < 0)
                r = error_setf(ret_error, -errno, "%s: cannot rename temp file into place: %s", f->path,
                        strerror(errno));
        if (r < 0)
                return r; /* atomic_file_done() removes the temp file */
        free(f->tmp_name); /* it is the target now */
        f->tmp_name = NULL;
        if (fsync(f->dir_fd) < 0)
                return error_setf(ret_error, -errno, "%s: fsync: %s", f->dir, strerror(errno));
        return 0;
}

void atomic_file_done(AtomicFile *f)
{
        if (f->tmp_name && f->dir_fd >= 0)
                (void) unlinkat(f->dir_fd, f->tmp_name, 0);
        if (f->fd >= 0)
                close(f->fd);
        if (f->dir_fd >= 0)
                close(f->dir_fd);
        free(f->path);
        free(f->dir);
        free(f->tmp_name);
        *f = (AtomicFile){.fd = -1, .dir_fd = -1};
}

int atomic_write_file_full(const char *path, const char *data, size_t size, mode_t mode,
        const struct stat *like, AtomicFlags flags, char **ret_error)
{
        _cleanup_(atomic_file_done) AtomicFile f = {.fd = -1, .dir_fd = -1};
        int r;

        r = file_open(&f, path, mode, like, flags | ATOMIC_SAFE_DIR | ATOMIC_REMOVE_STALE, ret_error);
        if (r < 0)
                return r;
        r = write_all(f.fd, data, size);
        if (r < 0)
                return error_setf(ret_error, r, "%s: cannot write temp file: %s", path, strerror(-r));
        return atomic_file_commit(&f, ret_error);
}

int atomic_write_file(const char *path, const char *data, size_t size, mode_t mode, char **ret_error)
{
        return atomic_write_file_full(path, data, size, mode, NULL, 0, ret_error);
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

/* atomic_remove_stale_temps() in the directory dfd (not taken). */
static int remove_stale_at(int dfd, const char *basename)
{
        int fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), n = 0;
        DIR *d;

        if (fd < 0)
                return -errno;
        d = fdopendir(fd);
        if (!d) {
                int r = -errno;
                close(fd);
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

int atomic_remove_stale_temps(const char *dir, const char *basename)
{
        _cleanup_close_ int dfd = -1;

        if (!basename || !*basename || strchr(basename, '/'))
                return -EINVAL;
        dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (dfd < 0)
                return errno == ENOENT ? 0 : -errno;
        return remove_stale_at(dfd, basename);
}
