/* SPDX-License-Identifier: MIT */
/* Where fix writes: the unit directory of each manager, the drop-in under a root. */
#include <check.h>

#include "check-run.h"

#include "fix/fix-paths.h"

#define DROPIN "/etc/systemd/system/docker.service.d/50-dockaudit.conf"

START_TEST(test_dropin_path)
{
        _cleanup_free_ char *p = NULL, *p1 = NULL, *p2 = NULL, *p3 = NULL, *p4 = NULL, *err = NULL;

        ck_assert_int_eq(fix_paths_dropin("docker.service", false, NULL, NULL, &p, &err), 0);
        ck_assert_str_eq(p, DROPIN);
        /* "/" is the host, as NULL */
        ck_assert_int_eq(fix_paths_dropin("docker.service", false, NULL, "/", &p1, &err), 0);
        ck_assert_str_eq(p1, DROPIN);
        ck_assert_int_eq(fix_paths_dropin("docker.service", false, NULL, "/img", &p2, &err), 0);
        ck_assert_str_eq(p2, "/img" DROPIN);
        ck_assert_int_eq(setenv("XDG_CONFIG_HOME", "/home/u/.cfg", 1), 0);
        ck_assert_int_eq(fix_paths_dropin("docker.service", true, NULL, "/img", &p3, &err), 0);
        ck_assert_str_eq(p3, "/img/home/u/.cfg/systemd/user/docker.service.d/50-dockaudit.conf");
        ck_assert_int_eq(fix_paths_dropin("../x", false, NULL, NULL, &p4, &err), -EINVAL);
        ck_assert_ptr_nonnull(strstr(err, "../x"));
}
END_TEST

START_TEST(test_user_unit_dir)
{
        _cleanup_free_ char *a = NULL, *b = NULL, *c = NULL, *d = NULL, *m = NULL, *n = NULL, *err = NULL;

        ck_assert_int_eq(fix_paths_unit_dir(false, NULL, &a, &err), 0);
        ck_assert_str_eq(a, "/etc/systemd/system");
        ck_assert_int_eq(setenv("XDG_CONFIG_HOME", "/home/u/.cfg", 1), 0);
        ck_assert_int_eq(setenv("HOME", "/home/u", 1), 0);
        ck_assert_int_eq(fix_paths_unit_dir(true, NULL, &b, &err), 0);
        ck_assert_str_eq(b, "/home/u/.cfg/systemd/user");
        /* a relative $XDG_CONFIG_HOME is taken from "/", as systemd's user manager does (it
         * runs in "/"): the same directory as the offline lookup and dockerd's config */
        ck_assert_int_eq(setenv("XDG_CONFIG_HOME", "cfg", 1), 0);
        ck_assert_int_eq(fix_paths_unit_dir(true, NULL, &c, &err), 0);
        ck_assert_str_eq(c, "/cfg/systemd/user");
        /* a relative $HOME is not systemd's: it takes the passwd entry's (root: /root) */
        ck_assert_int_eq(unsetenv("XDG_CONFIG_HOME"), 0);
        ck_assert_int_eq(setenv("HOME", "relative", 1), 0);
        ck_assert_int_eq(fix_paths_unit_dir(true, NULL, &d, &err), 0);
        ck_assert(endswith(d, "/.config/systemd/user"));
        ck_assert(d[0] == '/' && !strstr(d, "relative"));
        /* the user manager's environment, not ours, when it is given */
        ck_assert_int_eq(fix_paths_unit_dir(true, (char *const[]){"HOME=/home/m", NULL}, &m, &err), 0);
        ck_assert_str_eq(m, "/home/m/.config/systemd/user");
        ck_assert_int_eq(fix_paths_unit_dir(true,
                                 (char *const[]){"XDG_CONFIG_HOME=/x", "HOME=/home/m", NULL}, &n, &err),
                0);
        ck_assert_str_eq(n, "/x/systemd/user");
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("fix-paths");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_dropin_path);
        tcase_add_test(tc, test_user_unit_dir);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
