/* SPDX-License-Identifier: MIT */
#include "report/report-dir.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>

#include "basic/atomic-write.h"
#include "basic/path-util.h"
#include "formats/json-util.h"

#define REPORT_DIR_MODE 0750 /* the reports carry what the Docker API said: root only */
#define REPORT_FILE_MODE 0640
#define LOCK_TRIES 200 /* 50 ms apart: 10 s */

static bool all_digits(const char *s, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (s[i] < '0' || s[i] > '9')
                        return false;
        return true;
}

bool report_dir_is_report_name(const char *name)
{
        /* report-YYYYmmddTHHMMSS.uuuuuuZ.json */
        return strlen(name) == REPORT_DIR_NAME_MAX - 1 && startswith(name, "report-") &&
               all_digits(name + 7, 8) && name[15] == 'T' && all_digits(name + 16, 6) && name[22] == '.' &&
               all_digits(name + 23, 6) && streq(name + 29, "Z.json");
}

char *report_dir_name(const struct timespec *t, char buf[static REPORT_DIR_NAME_MAX])
{
        struct tm tm;
        char stamp[16];

        gmtime_r(&t->tv_sec, &tm);
        strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", &tm);
        snprintf(buf, REPORT_DIR_NAME_MAX, "report-%s.%06uZ.json", stamp,
                (unsigned) (t->tv_nsec / 1000 % 1000000));
        return buf;
}

/* Ours: latest.json, a report name, or the atomic helper's temp file of one of them
 * (".#NAME.dockaudit-XXXXXX", left by a writer killed on a file system without O_TMPFILE). */
static bool name_is_ours(const char *name, bool *ret_temp)
{
        const char *infix;

        *ret_temp = false;
        if (streq(name, REPORT_DIR_LATEST) || report_dir_is_report_name(name))
                return true;
        if (!startswith(name, ATOMIC_TEMP_PREFIX))
                return false;
        infix = strstr(name, ATOMIC_TEMP_INFIX);
        if (!infix || strlen(infix) != strlen(ATOMIC_TEMP_INFIX) + 6)
                return false;
        _cleanup_free_ char *base = strndup(name + 2, (size_t) (infix - name - 2));
        *ret_temp = base && (streq(base, REPORT_DIR_LATEST) || report_dir_is_report_name(base));
        return *ret_temp;
}

/* dir as a normalized absolute path (the atomic helper wants one). */
static int dir_absolute(const char *dir, char **ret, char **ret_error)
{
        _cleanup_free_ char *cwd = NULL, *abs = NULL;

        if (!dir || !*dir)
                return error_setf(ret_error, -EINVAL, "--report-dir: empty path");
        if (dir[0] != '/' && !(cwd = getcwd(NULL, 0)))
                return error_setf(
                        ret_error, -errno, "--report-dir: the current directory: %s", strerror(errno));
        abs = cwd ? strdupf("%s/%s", cwd, dir) : strdup(dir);
        if (!abs)
                return -ENOMEM;
        path_simplify(abs);
        if (!path_is_normalized(abs) || streq(abs, "/"))
                return error_setf(ret_error, -EINVAL, "'%s': not a usable report directory (.. or /)", dir);
        *ret = TAKE_PTR(abs);
        return 0;
}

/* Opens dir (created when missing), checks that it is ours and takes its lock. */
static int dir_open_locked(const char *dir, int *ret_fd, char **ret_error)
{
        _cleanup_close_ int fd = -1;
        struct stat st;

        fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0 && errno == ENOENT) {
                if (mkdir(dir, REPORT_DIR_MODE) < 0 && errno != EEXIST)
                        return error_setf(ret_error, -errno, "%s: cannot create the report directory: %s",
                                dir, strerror(errno));
                fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        }
        if (fd < 0 && (errno == ENOTDIR || errno == ELOOP))
                return error_setf(
                        ret_error, -ENOTDIR, "%s: not a directory (a symlink or a file), refusing", dir);
        if (fd < 0)
                return error_setf(ret_error, -errno, "%s: %s", dir, strerror(errno));
        if (fstat(fd, &st) < 0)
                return error_setf(ret_error, -errno, "%s: %s", dir, strerror(errno));
        if (st.st_mode & 022)
                return error_setf(ret_error, -EPERM, "%s: writable by group or others (mode %04o), refusing",
                        dir, (unsigned) (st.st_mode & 07777));
        if (st.st_uid != 0 && st.st_uid != geteuid())
                return error_setf(ret_error, -EPERM, "%s: owned by uid %u, not root or us, refusing", dir,
                        (unsigned) st.st_uid);
        for (unsigned i = 0; flock(fd, LOCK_EX | LOCK_NB) < 0; i++) {
                if (errno != EWOULDBLOCK)
                        return error_setf(ret_error, -errno, "%s: lock: %s", dir, strerror(errno));
                if (i == LOCK_TRIES)
                        return error_setf(ret_error, -EBUSY,
                                "%s: another dockaudit has held the report directory for 10 s", dir);
                usleep(50 * 1000);
        }
        *ret_fd = TAKE_FD(fd);
        return 0;
}

/* Our report names in dir, and our stale temp files; anything else in dir is -EEXIST. */
static int dir_scan(int fd, const char *dir, char ***ret_reports, char ***ret_temps, char **ret_error)
{
        _cleanup_strv_free_ char **reports = NULL, **temps = NULL;
        int dfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
        struct dirent *de;
        int r = 0;

        if (!d) {
                r = -errno;
                if (dfd >= 0)
                        close(dfd);
                return error_setf(ret_error, r, "%s: %s", dir, strerror(-r));
        }
        rewinddir(d);
        while (r >= 0 && (errno = 0, de = readdir(d))) {
                struct stat st;
                bool temp;

                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                if (!name_is_ours(de->d_name, &temp) ||
                        fstatat(fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
                        r = error_setf(ret_error, -EEXIST,
                                "%s: holds '%s', which dockaudit did not write: refusing to write or prune "
                                "there",
                                dir, de->d_name);
                else if ((temp || report_dir_is_report_name(de->d_name)) &&
                         strv_extend(temp ? &temps : &reports, de->d_name) < 0)
                        r = -ENOMEM;
        }
        if (r >= 0 && errno != 0)
                r = error_setf(ret_error, -errno, "%s: %s", dir, strerror(errno));
        closedir(d);
        if (r < 0)
                return r;
        *ret_reports = TAKE_PTR(reports);
        *ret_temps = TAKE_PTR(temps);
        return 0;
}

static int cmp_names(const void *a, const void *b)
{
        return strcmp(*(char *const *) a, *(char *const *) b);
}

/* Removes the oldest reports beyond keep (names sort by time) and the stale temp files. Only
 * regular files with our names are removed: dir_scan() refused anything else. The report just
 * written (current) is never one of them, even when the clock went back and its name sorts
 * first. */
static int dir_prune(int fd, const char *dir, char **reports, const char *current, char **temps,
        unsigned keep, char **ret_error)
{
        size_t n = strv_length(reports), left = n;

        qsort(reports, n, sizeof(char *), cmp_names);
        for (size_t i = 0; i < n && left > keep; i++) {
                if (streq(reports[i], current))
                        continue;
                if (unlinkat(fd, reports[i], 0) < 0 && errno != ENOENT)
                        return error_setf(ret_error, -errno, "%s/%s: cannot remove: %s", dir, reports[i],
                                strerror(errno));
                left--;
        }
        for (char **t = temps; t && *t; t++)
                if (unlinkat(fd, *t, 0) < 0 && errno != ENOENT)
                        return error_setf(
                                ret_error, -errno, "%s/%s: cannot remove: %s", dir, *t, strerror(errno));
        return 0;
}

/* Writes dir/name atomically (0640: the reports carry what the Docker API said). */
static int dir_write_file(const char *dir, const char *name, const char *text, size_t size, char **ret_error)
{
        _cleanup_free_ char *path = strdupf("%s/%s", dir, name);

        if (!path)
                return -ENOMEM;
        return atomic_write_file_full(path, text, size, REPORT_FILE_MODE, NULL, 0, ret_error);
}

int report_dir_write(const char *dir, const char *text, size_t size, unsigned keep, const struct timespec *t,
        char **ret_path, char **ret_error)
{
        _cleanup_strv_free_ char **reports = NULL, **temps = NULL;
        _cleanup_free_ char *abs = NULL;
        _cleanup_close_ int fd = -1;
        char name[REPORT_DIR_NAME_MAX];
        struct timespec now;
        int r;

        if (keep < 1)
                return error_setf(ret_error, -EINVAL, "--keep: at least 1 report must be kept");
        if (!t && clock_gettime(CLOCK_REALTIME, &now) < 0)
                return error_setf(ret_error, -errno, "clock_gettime: %s", strerror(errno));
        report_dir_name(t ? t : &now, name);
        if ((r = dir_absolute(dir, &abs, ret_error)) < 0 || (r = dir_open_locked(abs, &fd, ret_error)) < 0 ||
                (r = dir_scan(fd, abs, &reports, &temps, ret_error)) < 0)
                return r;
        if (strv_contains(reports, name))
                return error_setf(ret_error, -EEXIST, "%s/%s: exists already", abs, name);
        if ((r = dir_write_file(abs, name, text, size, ret_error)) < 0 ||
                (r = dir_write_file(abs, REPORT_DIR_LATEST, text, size, ret_error)) < 0)
                return r;
        if (strv_extend(&reports, name) < 0)
                return -ENOMEM;
        r = dir_prune(fd, abs, reports, name, temps, keep, ret_error);
        if (r < 0)
                return r;
        if (ret_path && !(*ret_path = strdupf("%s/%s", abs, name)))
                return -ENOMEM;
        return 0;
}

int report_dir_save(const char *dir, const Report *rep, unsigned keep, char **ret_path, char **ret_error)
{
        _cleanup_json_ json_t *doc = report_to_json(rep);
        _cleanup_free_ char *text = NULL, *full = NULL;

        if (!doc || !(text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER)) ||
                !(full = strdupf("%s\n", text)))
                return -ENOMEM;
        return report_dir_write(dir, full, strlen(full), keep, NULL, ret_path, ret_error);
}
