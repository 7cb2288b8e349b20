/* SPDX-License-Identifier: MIT */
/* fix_lock_path() and fix_lock_acquire() (src/fix/fix-lock.c): one dockaudit fix at a time. */
#include <check.h>

#include "check-run.h"
#include "test-util.h"
#include <signal.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include "basic/util.h"
#include "fix/fix-lock.h"

static char tmpdir[64];

static void setup(void)
{
        tmpdir_make(tmpdir, sizeof tmpdir, "fix-lock");
}

static void teardown(void)
{
        rm_rf(tmpdir);
}

START_TEST(test_lock)
{
        _cleanup_free_ char *err = NULL, *path = NULL, *content = NULL;
        int fd1 = -1, fd2 = -1;
        char expect[64];

        ck_assert_int_eq(setenv("XDG_RUNTIME_DIR", tmpdir, 1), 0);
        ck_assert_int_eq(fix_lock_path(true, NULL, &path), 0);
        ck_assert_str_eq(path + strlen(tmpdir), "/dockaudit.lock");
        ck_assert_int_eq(fix_lock_acquire(true, NULL, &fd1, &err), 0);
        ck_assert_int_eq(read_full_file(path, &content, NULL), 0);
        snprintf(expect, sizeof expect, "%ld\n", (long) getpid());
        ck_assert_str_eq(content, expect);

        /* A second open file description conflicts, even in the same process. */
        ck_assert_int_eq(fix_lock_acquire(true, NULL, &fd2, &err), -EBUSY);
        snprintf(expect, sizeof expect, "another dockaudit fix is running (pid %ld)", (long) getpid());
        ck_assert_str_eq(err, expect);

        /* And another process. */
        pid_t pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                int fd = -1;
                _exit(fix_lock_acquire(true, NULL, &fd, NULL) == -EBUSY ? 0 : 1);
        }
        int status;
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);

        /* Released on close; a holder killed with -9 releases it too. */
        close(fd1);
        ck_assert_int_eq(fix_lock_acquire(true, NULL, &fd2, &err), 0);
        close(fd2);
        int pfd[2];
        char c;
        ck_assert_int_eq(pipe(pfd), 0);
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                int fd = -1;
                if (fix_lock_acquire(true, NULL, &fd, NULL) < 0)
                        _exit(1);
                (void) !write(pfd[1], "x", 1); /* tell the parent we hold it */
                pause();
                _exit(0);
        }
        close(pfd[1]);
        ck_assert_int_eq(read(pfd[0], &c, 1), 1);
        close(pfd[0]);
        ck_assert_int_eq(fix_lock_acquire(true, NULL, &fd2, &err), -EBUSY);
        snprintf(expect, sizeof expect, "(pid %ld)", (long) pid);
        ck_assert_ptr_nonnull(strstr(err, expect));
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        ck_assert_int_eq(fix_lock_acquire(true, NULL, &fd2, &err), 0);
        close(fd2);

        /* root prefix; missing XDG_RUNTIME_DIR. */
        free(path);
        ck_assert_int_eq(fix_lock_path(false, "/srv/r", &path), 0);
        ck_assert_str_eq(path, "/srv/r");
        free(path);
        ck_assert_int_eq(fix_lock_path(false, NULL, &path), 0);
        ck_assert_str_eq(path, "/run/dockaudit.lock");
        unsetenv("XDG_RUNTIME_DIR");
        ck_assert_int_eq(fix_lock_acquire(true, NULL, &fd2, &err), -ENXIO);
        ck_assert_ptr_nonnull(strstr(err, "XDG_RUNTIME_DIR"));
}
END_TEST

/* Whatever sits where the lock goes, the lock never waits on it: a FIFO or a device node (a
 * scratch one: root only) at $XDG_RUNTIME_DIR/dockaudit.lock, a FIFO as the --root. */
START_TEST(test_lock_not_a_file)
{
        _cleanup_free_ char *path = path_in(tmpdir, "dockaudit.lock"), *err = NULL;
        int fd = -1;
        struct stat st;

        ck_assert_int_eq(setenv("XDG_RUNTIME_DIR", tmpdir, 1), 0);
        ck_assert_int_eq(mkfifo(path, 0600), 0);
        ck_assert_int_eq(fix_lock_acquire(true, NULL, &fd, &err), -EINVAL);
        ck_assert_msg(strstr(err, "dockaudit.lock: not a regular file"), "%s", err);
        ck_assert_int_eq(fix_lock_acquire(false, path, &fd, &err), -ENOTDIR);
        ck_assert_int_eq(unlink(path), 0);
        if (mknod(path, S_IFCHR | 0666, makedev(1, 3)) == 0) {
                ck_assert_int_eq(fix_lock_acquire(true, NULL, &fd, &err), -EINVAL);
                ck_assert_int_eq(lstat(path, &st), 0);
                ck_assert(S_ISCHR(st.st_mode));
        }
        ck_assert_int_eq(fd, -1);
        unsetenv("XDG_RUNTIME_DIR");
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("fix_lock");
        TCase *tc = tcase_create("core");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_set_timeout(tc, 60);
        tcase_add_test(tc, test_lock);
        tcase_add_test(tc, test_lock_not_a_file);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
