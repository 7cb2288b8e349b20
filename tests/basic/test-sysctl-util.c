/* SPDX-License-Identifier: MIT */
/* sysctl_key_is_valid() and write_proc_sys_in() (src/basic/sysctl-util.c). */
#include <check.h>

#include "check-run.h"
#include <dirent.h>
#include <sys/stat.h>

#include "basic/sysctl-util.h"
#include "basic/util.h"

static char tmpdir[] = "/tmp/check-sysctl-XXXXXX";

static void setup(void)
{
        ck_assert_ptr_nonnull(mkdtemp(strcpy(tmpdir, "/tmp/check-sysctl-XXXXXX")));
}

static void rm_rf(const char *p)
{
        struct stat st;
        if (lstat(p, &st) < 0)
                return;
        if (S_ISDIR(st.st_mode)) {
                DIR *d = opendir(p);
                for (struct dirent *de; d && (de = readdir(d));) {
                        if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                                continue;
                        _cleanup_free_ char *c = strdupf("%s/%s", p, de->d_name);
                        rm_rf(c);
                }
                if (d)
                        closedir(d);
                rmdir(p);
        } else
                unlink(p);
}

static void teardown(void)
{
        rm_rf(tmpdir);
}

static char *path_in(const char *rel)
{
        char *p = strdupf("%s/%s", tmpdir, rel);
        ck_assert_ptr_nonnull(p);
        return p;
}

static void write_file(const char *path, const char *text)
{
        FILE *f = fopen(path, "we");

        ck_assert_ptr_nonnull(f);
        ck_assert_int_ge(fputs(text, f), 0);
        ck_assert_int_eq(fclose(f), 0);
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
        _cleanup_free_ char *fs = path_in("fs"), *f = path_in("fs/may_detach_mounts"), *err = NULL,
                            *v = NULL;

        ck_assert_int_eq(mkdir(fs, 0755), 0);
        write_file(f, "0\n");
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

static Suite *suite(void)
{
        Suite *s = suite_create("sysctl_util");
        TCase *tc = tcase_create("core");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_key_is_valid);
        tcase_add_test(tc, test_write_proc_sys);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
