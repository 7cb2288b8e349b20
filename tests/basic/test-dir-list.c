/* SPDX-License-Identifier: MIT */
/* The names of a configuration directory (src/basic/dir-list.c): the ending, hidden files,
 * the order, an optional and a missing or unreadable directory. */
#include <check.h>

#include "check-run.h"
#include "test-util.h"

#include "basic/dir-list.h"
#include "basic/strv.h"

START_TEST(test_names)
{
        _cleanup_strv_free_ char **l = NULL;
        _cleanup_free_ char *err = NULL, *opt = NULL, *missing = NULL, *dash = NULL;
        char dir[64];

        tmpdir_make(dir, sizeof dir, "dir-list");
        put(dir, "/b.rule", "");
        put(dir, "/a.rule", "");
        put(dir, "/.hidden.rule", "");
        put(dir, "/c.waiver", "");
        put(dir, "/d.rule.bak", "");
        ck_assert_int_eq(dir_list_names(dir, false, ".rule", "rules", &l, &err), 0);
        ck_assert_int_eq(strv_length(l), 2);
        ck_assert_str_eq(l[0], "a.rule");
        ck_assert_str_eq(l[1], "b.rule");
        strv_free(l);
        l = NULL;

        /* optional: the same directory, or none when it is missing */
        ck_assert_int_eq(dir_list_names(dir, true, ".waiver", "waivers", &l, &err), 0);
        ck_assert_int_eq(strv_length(l), 1);
        ck_assert_str_eq(l[0], "c.waiver");
        strv_free(l);
        l = NULL;
        ck_assert_ptr_nonnull(missing = strdupf("%s/nonexistent", dir));
        ck_assert_int_eq(dir_list_names(missing, true, ".rule", "rules", &l, &err), 0);
        ck_assert_ptr_nonnull(l);
        ck_assert_int_eq(strv_length(l), 0);
        ck_assert_ptr_null(err);
        strv_free(l);
        l = NULL;

        /* not optional, a missing directory is an error naming it */
        ck_assert_int_eq(dir_list_names(missing, false, ".rule", "rules", &l, &err), -ENOENT);
        ck_assert_ptr_nonnull(err);
        ck_assert_msg(
                endswith(err, "/nonexistent: cannot open the rules directory: No such file or directory"),
                "%s", err);
        free(err);
        err = NULL;
        /* a name is a name: "-X" is the directory "-X", not an optional "X" */
        ck_assert_ptr_nonnull(dash = strdupf("%s/-sub", dir));
        ck_assert_int_eq(mkdir(dash, 0755), 0);
        put(dir, "/-sub/e.rule", "");
        put(dir, "/sub.rule", "");
        ck_assert_int_eq(chdir(dir), 0);
        ck_assert_int_eq(dir_list_names("-sub", false, ".rule", "rules", &l, &err), 0);
        ck_assert_int_eq(strv_length(l), 1);
        ck_assert_str_eq(l[0], "e.rule");
        strv_free(l);
        l = NULL;
        ck_assert_int_eq(dir_list_names("-nonexistent", false, ".rule", "rules", &l, &err), -ENOENT);
        ck_assert_msg(startswith(err, "-nonexistent: cannot open the rules directory"), "%s", err);
        free(err);
        err = NULL;
        ck_assert_int_eq(chdir("/"), 0);
        /* a file is no directory */
        ck_assert_ptr_nonnull(opt = (free(opt), strdupf("%s/a.rule", dir)));
        ck_assert_int_eq(dir_list_names(opt, false, ".rule", "waivers", &l, &err), -ENOTDIR);
        ck_assert_msg(strstr(err, "cannot open the waivers directory"), "%s", err);
        ck_assert_int_eq(rm_rf(dir), 0);
}
END_TEST

int main(void)
{
        Suite *s = suite_create("dir-list");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_names);
        suite_add_tcase(s, tc);
        return check_run(s);
}
