/* SPDX-License-Identifier: MIT */
/* NAME=value lookups and the user's config home (src/basic/env-util.c). */
#include <check.h>
#include <pwd.h>

#include "check-run.h"

#include "basic/env-util.h"

START_TEST(test_env_get)
{
        char *const env[] = {"A=1", "AB=2", "EMPTY=", "A=shadowed", "NOEQ", "B==x", NULL};

        ck_assert_str_eq(env_get(env, "A"), "1"); /* the first one, like getenv() */
        ck_assert_str_eq(env_get(env, "AB"), "2");
        ck_assert_str_eq(env_get(env, "EMPTY"), "");
        ck_assert_str_eq(env_get(env, "B"), "=x");
        ck_assert_ptr_null(env_get(env, "NOEQ"));
        ck_assert_ptr_null(env_get(env, "C"));
        ck_assert_ptr_null(env_get(env, ""));
        ck_assert_ptr_null(env_get_nonempty(env, "EMPTY"));
        ck_assert_str_eq(env_get_nonempty(env, "AB"), "2");

        /* NULL: the process environment. */
        ck_assert_int_eq(setenv("DOCKAUDIT_TEST_ENV", "v", 1), 0);
        ck_assert_str_eq(env_get(NULL, "DOCKAUDIT_TEST_ENV"), "v");
        ck_assert_int_eq(unsetenv("DOCKAUDIT_TEST_ENV"), 0);
        ck_assert_ptr_null(env_get(NULL, "DOCKAUDIT_TEST_ENV"));
}
END_TEST

static void check_config_home(char *const *env, int expect_r, const char *expect)
{
        _cleanup_free_ char *p = NULL;

        ck_assert_int_eq(env_user_config_home(env, &p), expect_r);
        if (expect)
                ck_assert_str_eq(p, expect);
        else
                ck_assert_ptr_null(p);
}

START_TEST(test_user_config_home)
{
        struct passwd *pw = getpwuid(getuid());
        _cleanup_free_ char *pw_config = strdupf("%s/.config", getuid() == 0 ? "/root" : pw->pw_dir);

        check_config_home((char *const[]){"HOME=/home/u", "XDG_CONFIG_HOME=/cfg", NULL}, 1, "/cfg");
        check_config_home((char *const[]){"HOME=/home/u", NULL}, 1, "/home/u/.config");
        check_config_home((char *const[]){"HOME=/home/u", "XDG_CONFIG_HOME=", NULL}, 1, "/home/u/.config");
        /* a relative one is taken from "/", as systemd does (its working directory) */
        check_config_home((char *const[]){"XDG_CONFIG_HOME=rel", "HOME=/home/u", NULL}, 1, "/rel");
        check_config_home((char *const[]){"XDG_CONFIG_HOME=a/b", NULL}, 1, "/a/b");
        /* no absolute $HOME: systemd's get_home_dir() (/root for root, else passwd) */
        check_config_home((char *const[]){"HOME=rel", NULL}, 1, pw_config);
        check_config_home((char *const[]){"HOME=", NULL}, 1, pw_config);
        check_config_home((char *const[]){NULL}, 1, pw_config);
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("env_util");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_env_get);
        tcase_add_test(tc, test_user_config_home);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
