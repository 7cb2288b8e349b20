/* SPDX-License-Identifier: MIT */
/* sysctl_key_is_valid() and write_proc_sys_in() (src/basic/sysctl-util.c). */
#include <check.h>

#include "check-run.h"
#include "test-util.h"
#include <fcntl.h>
#include <sys/stat.h>

#include "basic/sysctl-util.h"
#include "basic/util.h"

static char tmpdir[64];

static void setup(void)
{
        tmpdir_make(tmpdir, sizeof tmpdir, "sysctl");
}

static void teardown(void)
{
        rm_rf(tmpdir);
}

START_TEST(test_key_is_valid)
{
        ck_assert(sysctl_key_is_valid("fs.may_detach_mounts"));
        ck_assert(sysctl_key_is_valid("net.ipv4.conf.eth-0.forwarding"));
        ck_assert(!sysctl_key_is_valid("fs..x"));
        ck_assert(!sysctl_key_is_valid("../etc/passwd"));
        ck_assert(!sysctl_key_is_valid("fs/x"));
        ck_assert(!sysctl_key_is_valid(".fs"));
        ck_assert(!sysctl_key_is_valid("fs."));
        ck_assert(!sysctl_key_is_valid("FS.x"));
        ck_assert(!sysctl_key_is_valid(""));
}
END_TEST

START_TEST(test_write_proc_sys)
{
        _cleanup_free_ char *fs = path_in(tmpdir, "fs"), *f = path_in(tmpdir, "fs/may_detach_mounts"),
                            *err = NULL, *v = NULL;

        ck_assert_int_eq(mkdir(fs, 0755), 0);
        write_text(f, "0\n");
        ck_assert_int_eq(write_proc_sys_in(tmpdir, "fs.may_detach_mounts", "1", &err), 0);
        ck_assert_int_eq(read_full_file(f, &v, NULL), 0);
        ck_assert_str_eq(v, "1\n");
        ck_assert_int_eq(write_proc_sys_in(tmpdir, "fs.missing", "1", &err), -ENOENT);
        ck_assert_ptr_nonnull(strstr(err, "/fs/missing: "));
        ck_assert_int_eq(write_proc_sys_in(tmpdir, "fs..may_detach_mounts", "1", &err), -EINVAL);
        ck_assert_str_eq(err, "fs..may_detach_mounts: invalid sysctl name");
        ck_assert_int_eq(write_proc_sys_in(tmpdir, "fs.may_detach_mounts", "1\n0", &err), -EINVAL);
        ck_assert_int_eq(write_proc_sys("a/b", "1", NULL), -EINVAL);
}
END_TEST

/* Only regular files are written: a FIFO (with or without a reader) or a directory where the
 * sysctl file should be fails at once, and nothing is written into the FIFO. */
START_TEST(test_write_proc_sys_not_a_file)
{
        _cleanup_free_ char *fs = path_in(tmpdir, "fs"), *f = path_in(tmpdir, "fs/may_detach_mounts"),
                            *d = path_in(tmpdir, "fs/dir"), *err = NULL;
        char buf[8];

        ck_assert_int_eq(mkdir(fs, 0755), 0);
        ck_assert_int_eq(mkdir(d, 0755), 0);
        ck_assert_int_eq(mkfifo(f, 0644), 0);
        ck_assert_int_eq(write_proc_sys_in(tmpdir, "fs.may_detach_mounts", "1", &err), -ENXIO);
        ck_assert_ptr_nonnull(strstr(err, "may_detach_mounts: "));
        _cleanup_close_ int rd = open(f, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        ck_assert_int_ge(rd, 0);
        ck_assert_int_eq(write_proc_sys_in(tmpdir, "fs.may_detach_mounts", "1", &err), -EBADFD);
        ck_assert_msg(strstr(err, "may_detach_mounts: not a regular file"), "%s", err);
        ck_assert_int_eq(read(rd, buf, sizeof buf), 0); /* no data, and no writer left */
        ck_assert_int_lt(write_proc_sys_in(tmpdir, "fs.dir", "1", &err), 0);
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("sysctl_util");
        TCase *tc = tcase_create("core");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_key_is_valid);
        tcase_add_test(tc, test_write_proc_sys);
        tcase_add_test(tc, test_write_proc_sys_not_a_file);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
