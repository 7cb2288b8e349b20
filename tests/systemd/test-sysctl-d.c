/* SPDX-License-Identifier: MIT */
/* The sysctl.d files and their assignments (src/systemd/sysctl-d.c), as systemd-sysctl reads
 * them: sysctl.d(5). */
#include <check.h>
#include <sys/stat.h>

#include "check-run.h"
#include "test-util.h"

#include "systemd/sysctl-d.h"

START_TEST(test_text_lookup)
{
        _cleanup_free_ char *v = NULL, *v2 = NULL, *v3 = NULL;
        unsigned line = 0;

        ck_assert_int_eq(sysctl_text_lookup("a.b = 1\n; x\n# fs.may_detach_mounts=9\n",
                                 "fs.may_detach_mounts", &v, &line),
                0);
        ck_assert_ptr_null(v);
        /* slashes and dots alike, the last assignment wins, values stripped */
        ck_assert_int_eq(sysctl_text_lookup(" fs.may_detach_mounts=0\nfs/may_detach_mounts = 1 \n",
                                 "fs.may_detach_mounts", &v2, &line),
                1);
        ck_assert_str_eq(v2, "1");
        ck_assert_int_eq(line, 2);
        /* "-key" still sets the key (only failures are ignored) */
        ck_assert_int_eq(
                sysctl_text_lookup("-fs.may_detach_mounts=1", "fs.may_detach_mounts", &v3, &line), 1);
        ck_assert_str_eq(v3, "1");
        ck_assert_int_eq(line, 1);
}
END_TEST

START_TEST(test_files_order)
{
        char root[64];
        _cleanup_strv_free_ char **l = NULL;
        _cleanup_free_ char *fifo = NULL, *dir = NULL;

        tmpdir_make(root, sizeof root, "sysctl-d");
        fifo = path_in(root, "/etc/sysctl.d/60-fifo.conf");
        dir = path_in(root, "/etc/sysctl.d/70-dir.conf");
        put(root, "/usr/lib/sysctl.d/50-default.conf", "x=1\n");
        put(root, "/etc/sysctl.d/50-default.conf", "x=2\n"); /* /etc shadows /usr/lib */
        put(root, "/lib/sysctl.d/10-early.conf", "x=3\n");
        put(root, "/run/sysctl.d/99-late.conf", "x=4\n");
        put(root, "/etc/sysctl.d/README", "not a .conf file\n");
        /* systemd-sysctl passes over what is neither a file nor a symlink */
        ck_assert_int_eq(mkfifo(fifo, 0644), 0);
        ck_assert_int_eq(mkdir(dir, 0755), 0);
        ck_assert_int_eq(sysctl_d_files(root, &l), 0);
        ck_assert_uint_eq(strv_length(l), 3);
        ck_assert_str_eq(l[0], "/lib/sysctl.d/10-early.conf");
        ck_assert_str_eq(l[1], "/etc/sysctl.d/50-default.conf");
        ck_assert_str_eq(l[2], "/run/sysctl.d/99-late.conf");
        ck_assert_int_eq(rm_rf(root), 0);
}
END_TEST

int main(void)
{
        Suite *s = suite_create("sysctl-d");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_text_lookup);
        tcase_add_test(tc, test_files_order);
        suite_add_tcase(s, tc);
        return check_run(s);
}
