/* SPDX-License-Identifier: MIT */
/* atomic_write_file() and its stale temp cleanup. */
#include <check.h>

#include "check-run.h"
#include "test-util.h"
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include "basic/atomic-write.h"
#include "basic/util.h"

static char tmpdir[64];

static void setup(void)
{
        tmpdir_make(tmpdir, sizeof tmpdir, "atomic");
}

static void teardown(void)
{
        rm_rf(tmpdir);
}

/* Number of directory entries other than . and .. */
static unsigned count_entries(const char *dir)
{
        unsigned n = 0;
        DIR *d = opendir(dir);
        ck_assert_ptr_nonnull(d);
        for (struct dirent *de; (de = readdir(d));)
                if (!streq(de->d_name, ".") && !streq(de->d_name, ".."))
                        n++;
        closedir(d);
        return n;
}

START_TEST(test_write_content_mode)
{
        _cleanup_free_ char *p = path_in(tmpdir, "a.conf"), *data = NULL, *err = NULL;
        struct stat st;
        size_t size;

        ck_assert_int_eq(atomic_write_file(p, "x=1\n", 4, 0644, &err), 0);
        ck_assert_ptr_null(err);
        ck_assert_int_eq(read_full_file(p, &data, &size), 0);
        ck_assert_str_eq(data, "x=1\n");
        ck_assert_int_eq(lstat(p, &st), 0);
        ck_assert_uint_eq(st.st_mode & 07777, 0644);
        ck_assert_uint_eq(count_entries(tmpdir), 1); /* no temp file left */

        /* Replace: new inode content, mode as asked even under a restrictive umask. */
        mode_t old = umask(077);
        ck_assert_int_eq(atomic_write_file(p, "y\0z", 3, 0640, &err), 0);
        umask(old);
        free(data);
        data = NULL;
        ck_assert_int_eq(read_full_file(p, &data, &size), 0);
        ck_assert_uint_eq(size, 3);
        ck_assert_int_eq(memcmp(data, "y\0z", 3), 0);
        ck_assert_int_eq(lstat(p, &st), 0);
        ck_assert_uint_eq(st.st_mode & 07777, 0640);
        ck_assert_uint_eq(count_entries(tmpdir), 1);
}
END_TEST

START_TEST(test_symlink_refused)
{
        _cleanup_free_ char *target = path_in(tmpdir, "target"), *link = path_in(tmpdir, "link.conf"),
                            *err = NULL, *data = NULL;
        _cleanup_free_ char *dlink = path_in(tmpdir, "dirlink"), *sub = path_in(tmpdir, "sub"),
                            *through = path_in(tmpdir, "dirlink/x.conf");

        ck_assert_int_eq(atomic_write_file(target, "orig\n", 5, 0644, NULL), 0);
        ck_assert_int_eq(symlink(target, link), 0);
        ck_assert_int_eq(atomic_write_file(link, "evil\n", 5, 0644, &err), -ELOOP);
        ck_assert_ptr_nonnull(strstr(err, "link.conf: is a symlink"));
        ck_assert_int_eq(read_full_file(target, &data, NULL), 0);
        ck_assert_str_eq(data, "orig\n");

        /* The directory itself a symlink. */
        ck_assert_int_eq(mkdir(sub, 0755), 0);
        ck_assert_int_eq(symlink(sub, dlink), 0);
        free(err);
        err = NULL;
        ck_assert_int_eq(atomic_write_file(through, "x", 1, 0644, &err), -ELOOP);
        ck_assert_ptr_nonnull(strstr(err, "directory is a symlink"));
        ck_assert_uint_eq(count_entries(sub), 0);

        /* A directory where the file should be. */
        free(err);
        err = NULL;
        ck_assert_int_eq(atomic_write_file(sub, "x", 1, 0644, &err), -EEXIST);
}
END_TEST

START_TEST(test_writable_dir_refused)
{
        _cleanup_free_ char *dir = path_in(tmpdir, "ww"), *p = path_in(tmpdir, "ww/a.conf"), *err = NULL;
        _cleanup_free_ char *p2 = path_in(tmpdir, "ww/new/b.conf");

        ck_assert_int_eq(mkdir(dir, 0755), 0);
        ck_assert_int_eq(chmod(dir, 01777), 0); /* sticky does not make it safe */
        ck_assert_int_eq(atomic_write_file(p, "x", 1, 0644, &err), -EPERM);
        ck_assert_ptr_nonnull(strstr(err, "writable by group or others"));
        ck_assert_int_eq(atomic_write_file(p2, "x", 1, 0644, NULL), -EPERM); /* nor below it */
        ck_assert_uint_eq(count_entries(dir), 0);
        ck_assert_int_eq(chmod(dir, 0775), 0); /* group-writable */
        ck_assert_int_eq(atomic_write_file(p, "x", 1, 0644, NULL), -EPERM);
        ck_assert_int_eq(chmod(dir, 0755), 0);
        ck_assert_int_eq(atomic_write_file(p, "x", 1, 0644, NULL), 0);

        /* Owned by someone else (we are root in CI; skip otherwise). */
        if (geteuid() == 0) {
                ck_assert_int_eq(chown(dir, 12345, 12345), 0);
                free(err);
                err = NULL;
                ck_assert_int_eq(atomic_write_file(p, "y", 1, 0644, &err), -EPERM);
                ck_assert_ptr_nonnull(strstr(err, "owned by uid 12345"));
        }
}
END_TEST

START_TEST(test_parent_creation)
{
        _cleanup_free_ char *p = path_in(tmpdir, "etc/systemd/system/docker.service.d/50-dockaudit.conf");
        _cleanup_free_ char *d = path_in(tmpdir, "etc/systemd/system/docker.service.d"), *data = NULL;
        struct stat st;

        ck_assert_int_eq(atomic_write_file(p, "[Service]\n", 10, 0644, NULL), 0);
        ck_assert_int_eq(lstat(d, &st), 0);
        ck_assert(S_ISDIR(st.st_mode));
        ck_assert_uint_eq(st.st_mode & 07777, 0755);
        ck_assert_int_eq(read_full_file(p, &data, NULL), 0);
        ck_assert_str_eq(data, "[Service]\n");

        /* Not below a symlinked ancestor that we would have to create into. */
        _cleanup_free_ char *real = path_in(tmpdir, "real"), *ln = path_in(tmpdir, "ln"),
                            *q = path_in(tmpdir, "ln/a/b/c.conf");
        ck_assert_int_eq(mkdir(real, 0755), 0);
        ck_assert_int_eq(symlink(real, ln), 0);
        ck_assert_int_eq(atomic_write_file(q, "x", 1, 0644, NULL), -ELOOP);
        ck_assert_uint_eq(count_entries(real), 0);

        /* Relative or unnormalized paths are refused. */
        ck_assert_int_eq(atomic_write_file("rel/a.conf", "x", 1, 0644, NULL), -EINVAL);
        _cleanup_free_ char *dd = path_in(tmpdir, "real/../x.conf"), *sl = path_in(tmpdir, "real/");
        ck_assert_int_eq(atomic_write_file(dd, "x", 1, 0644, NULL), -EINVAL);
        ck_assert_int_eq(atomic_write_file(sl, "x", 1, 0644, NULL), -EINVAL);
}
END_TEST

START_TEST(test_stale_temps)
{
        _cleanup_free_ char *p = path_in(tmpdir, "50-dockaudit.conf"),
                            *t1 = path_in(tmpdir, ".#50-dockaudit.conf.dockaudit-Ab12Zz");
        _cleanup_free_ char *t2 =
                path_in(tmpdir, ".#50-dockaudit.conf.dockaudit-abc"); /* wrong length: not ours */
        _cleanup_free_ char *t3 = path_in(tmpdir, ".#other.conf.dockaudit-Ab12Zz"); /* other base name */
        _cleanup_free_ char *t4 = path_in(tmpdir, ".#50-dockaudit.conf.dockaudit-a_b-cd"); /* bad chars */

        write_text(t1, "partial");
        write_text(t2, "x");
        write_text(t3, "x");
        write_text(t4, "x");
        write_text(p, "x");
        ck_assert_int_eq(atomic_remove_stale_temps(tmpdir, "50-dockaudit.conf"), 1);
        ck_assert_int_eq(access(t1, F_OK), -1);
        ck_assert_int_eq(access(t2, F_OK), 0);
        ck_assert_int_eq(access(t3, F_OK), 0);
        ck_assert_int_eq(access(t4, F_OK), 0);
        ck_assert_int_eq(access(p, F_OK), 0);
        ck_assert_int_eq(atomic_remove_stale_temps(tmpdir, "50-dockaudit.conf"), 0);
        _cleanup_free_ char *missing = path_in(tmpdir, "missing");
        ck_assert_int_eq(atomic_remove_stale_temps(missing, "x"), 0);
        ck_assert_int_eq(atomic_remove_stale_temps(tmpdir, "a/b"), -EINVAL);
}
END_TEST

/* Self-healing: the next write of a target removes what a killed writer left for it (also when
 * nobody calls atomic_remove_stale_temps(): a backup, say), and only that. */
START_TEST(test_write_removes_stale_temps)
{
        _cleanup_free_ char *p = path_in(tmpdir, "daemon.json.dockaudit-bak"),
                            *t1 = path_in(tmpdir, ".#daemon.json.dockaudit-bak.dockaudit-Ab12Zz"),
                            *t2 = path_in(tmpdir, ".#daemon.json.dockaudit-xY3zzz"), *data = NULL;

        write_text(t1, "partial");
        write_text(t2, "partial");
        ck_assert_int_eq(atomic_write_file(p, "{}", 2, 0644, NULL), 0);
        ck_assert_int_eq(access(t1, F_OK), -1);
        ck_assert_int_eq(access(t2, F_OK), 0); /* another target's: left for its own write */
        ck_assert_int_eq(read_full_file(p, &data, NULL), 0);
        ck_assert_str_eq(data, "{}");
}
END_TEST

/* Both ways of making the temp file (O_TMPFILE, and the named fallback for file systems without
 * it) give the same result; the unnamed one has no name in the directory until the commit, and
 * a writer that dies before it (kill -9: no cleanup at all) leaves nothing behind. */
START_TEST(test_tmpfile_and_fallback)
{
        const AtomicFlags ways[] = {0, ATOMIC_NO_TMPFILE};
        int probe = open(tmpdir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);

        if (probe < 0) /* a file system without O_TMPFILE: only the fallback can be tested */
                ck_assert_int_eq(errno, EOPNOTSUPP);
        else
                close(probe);
        for (size_t i = probe < 0 ? 1 : 0; i < ELEMENTSOF(ways); i++) {
                _cleanup_free_ char *p = path_in(tmpdir, "f.conf"), *data = NULL;
                _cleanup_(atomic_file_done) AtomicFile f = {.fd = -1, .dir_fd = -1};
                struct stat st;

                ck_assert_int_eq(atomic_write_file_full(p, "one\n", 4, 0640, NULL, ways[i], NULL), 0);
                ck_assert_int_eq(read_full_file(p, &data, NULL), 0);
                ck_assert_str_eq(data, "one\n");
                ck_assert_int_eq(lstat(p, &st), 0);
                ck_assert_uint_eq(st.st_mode & 07777, 0640);
                ck_assert_uint_eq(count_entries(tmpdir), 1);

                ck_assert_int_eq(atomic_file_open(&f, p, 0600, ways[i], NULL), 0);
                ck_assert_uint_eq(count_entries(tmpdir), ways[i] & ATOMIC_NO_TMPFILE ? 2 : 1);
                ck_assert_int_eq(write(f.fd, "two", 3), 3);
                pid_t pid = fork();
                ck_assert_int_ge(pid, 0);
                if (pid == 0)
                        _exit(0); /* the child holds the same temp file and dies without cleanup */
                ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
                ck_assert_int_eq(atomic_file_commit(&f, NULL), 0);
                free(data);
                data = NULL;
                ck_assert_int_eq(read_full_file(p, &data, NULL), 0);
                ck_assert_str_eq(data, "two");
                ck_assert_uint_eq(count_entries(tmpdir), 1);
                ck_assert_int_eq(unlink(p), 0);

                /* Dying before the commit: an O_TMPFILE leaves nothing, a named temp is ours. */
                pid = fork();
                ck_assert_int_ge(pid, 0);
                if (pid == 0) {
                        AtomicFile g;
                        _exit(atomic_file_open(&g, p, 0644, ways[i], NULL) < 0 || write(g.fd, "x", 1) != 1);
                }
                int status;
                ck_assert_int_eq(waitpid(pid, &status, 0), pid);
                ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
                ck_assert_uint_eq(count_entries(tmpdir), ways[i] & ATOMIC_NO_TMPFILE ? 1 : 0);
                ck_assert_int_eq(
                        atomic_remove_stale_temps(tmpdir, "f.conf"), ways[i] & ATOMIC_NO_TMPFILE ? 1 : 0);
        }
}
END_TEST

/* A replaced file keeps its owner and group (root only: chown to another user), its mode is
 * the caller's; a backup takes the original's owner and mode. */
START_TEST(test_owner_kept)
{
        _cleanup_free_ char *p = path_in(tmpdir, "daemon.json"), *b = path_in(tmpdir, "daemon.json.bak");
        struct stat st, like = {.st_uid = 4321, .st_gid = 8765, .st_mode = S_IFREG | 0604};

        write_text(p, "{}");
        if (geteuid() != 0)
                return;
        ck_assert_int_eq(chown(p, 12345, 23456), 0);
        ck_assert_int_eq(chmod(p, 0640), 0);
        ck_assert_int_eq(atomic_write_file(p, "{ }", 3, 0640, NULL), 0);
        ck_assert_int_eq(lstat(p, &st), 0);
        ck_assert_uint_eq(st.st_uid, 12345);
        ck_assert_uint_eq(st.st_gid, 23456);
        ck_assert_uint_eq(st.st_mode & 07777, 0640);
        /* set-id bits survive the chown (it comes first) */
        ck_assert_int_eq(atomic_write_file_full(p, "{}", 2, 02750, NULL, ATOMIC_NO_TMPFILE, NULL), 0);
        ck_assert_int_eq(lstat(p, &st), 0);
        ck_assert_uint_eq(st.st_uid, 12345);
        ck_assert_uint_eq(st.st_mode & 07777, 02750);
        /* like: the owner and mode of another file */
        ck_assert_int_eq(atomic_write_file_full(b, "{}", 2, 0600, &like, 0, NULL), 0);
        ck_assert_int_eq(lstat(b, &st), 0);
        ck_assert_uint_eq(st.st_uid, 4321);
        ck_assert_uint_eq(st.st_gid, 8765);
        ck_assert_uint_eq(st.st_mode & 07777, 0604);
}
END_TEST

/* Never replaced: a FIFO, a socket, a device node (a scratch one: root only), a directory; each
 * refused at once, the node left as it was, no temp file left. */
START_TEST(test_special_targets_refused)
{
        _cleanup_free_ char *fifo = path_in(tmpdir, "fifo"), *dev = path_in(tmpdir, "null"),
                            *dir = path_in(tmpdir, "dir"), *err = NULL;
        struct stat st;

        ck_assert_int_eq(mkfifo(fifo, 0600), 0);
        ck_assert_int_eq(mkdir(dir, 0755), 0);
        bool have_dev = mknod(dev, S_IFCHR | 0666, makedev(1, 3)) == 0;
        ck_assert_int_eq(atomic_write_file(fifo, "x", 1, 0644, &err), -EEXIST);
        ck_assert_msg(strstr(err, "fifo: exists and is not a regular file (a FIFO)"), "%s", err);
        ck_assert_int_eq(lstat(fifo, &st), 0);
        ck_assert(S_ISFIFO(st.st_mode));
        ck_assert_int_eq(atomic_write_file(dir, "x", 1, 0644, NULL), -EEXIST);
        if (have_dev) {
                ck_assert_int_eq(atomic_write_file(dev, "x", 1, 0644, &err), -EEXIST);
                ck_assert_msg(strstr(err, "(a character device)"), "%s", err);
                ck_assert_int_eq(lstat(dev, &st), 0);
                ck_assert(S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3));
        }
        ck_assert_uint_eq(count_entries(tmpdir), have_dev ? 3 : 2);
}
END_TEST

/* kill -9 of a writer at random moments never leaves a partial target: it holds either the
 * old or the new content, and only our temp names may be left, which the cleanup removes. */
START_TEST(test_kill_during_write)
{
        _cleanup_free_ char *p = path_in(tmpdir, "big.conf");
        size_t size = 4 << 20;
        char *a = malloc(size), *b = malloc(size);

        ck_assert_ptr_nonnull(a);
        ck_assert_ptr_nonnull(b);
        memset(a, 'a', size);
        memset(b, 'b', size);
        ck_assert_int_eq(atomic_write_file(p, a, size, 0644, NULL), 0);
        for (int i = 0; i < 8; i++) {
                pid_t pid = fork();
                ck_assert_int_ge(pid, 0);
                if (pid == 0) {
                        for (;;)
                                (void) atomic_write_file(p, i % 2 ? a : b, size, 0644, NULL);
                }
                usleep(2000 + (useconds_t) i * 3000);
                kill(pid, SIGKILL);
                waitpid(pid, NULL, 0);
                _cleanup_free_ char *data = NULL;
                size_t got;
                ck_assert_int_eq(read_full_file(p, &data, &got), 0);
                ck_assert_uint_eq(got, size);
                ck_assert(memcmp(data, a, size) == 0 || memcmp(data, b, size) == 0);
                ck_assert_int_ge(atomic_remove_stale_temps(tmpdir, "big.conf"), 0);
                ck_assert_uint_eq(count_entries(tmpdir), 1);
        }
        free(a);
        free(b);
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("atomic_write");
        TCase *tc = tcase_create("core");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_set_timeout(tc, 60);
        tcase_add_test(tc, test_write_content_mode);
        tcase_add_test(tc, test_symlink_refused);
        tcase_add_test(tc, test_writable_dir_refused);
        tcase_add_test(tc, test_parent_creation);
        tcase_add_test(tc, test_stale_temps);
        tcase_add_test(tc, test_write_removes_stale_temps);
        tcase_add_test(tc, test_tmpfile_and_fallback);
        tcase_add_test(tc, test_owner_kept);
        tcase_add_test(tc, test_special_targets_refused);
        tcase_add_test(tc, test_kill_during_write);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
