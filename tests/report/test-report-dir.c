/* SPDX-License-Identifier: MIT */
/* The report directory of periodic runs (src/report/report-dir.c): names, rotation, and the
 * refusals that leave a directory that is not ours untouched. */
#include <check.h>

#include "check-run.h"
#include "test-util.h"
#include <dirent.h>
#include <sys/stat.h>

#include "basic/fileio.h"
#include "basic/util.h"
#include "report/report-dir.h"

/* The entries of dir, sorted, joined with spaces ("" when empty). */
static char *list_dir(const char *dir)
{
        struct dirent **v;
        int n = scandir(dir, &v, NULL, alphasort);
        _cleanup_strv_free_ char **l = NULL;

        ck_assert_int_ge(n, 0);
        for (int i = 0; i < n; i++) {
                if (!streq(v[i]->d_name, ".") && !streq(v[i]->d_name, ".."))
                        ck_assert_int_eq(strv_extend(&l, v[i]->d_name), 0);
                free(v[i]);
        }
        free(v);
        return l ? strv_join(l, " ") : strdup("");
}

static int write_at(const char *dir, time_t sec, long nsec, unsigned keep, const char *text, char **err)
{
        struct timespec t = {.tv_sec = sec, .tv_nsec = nsec};

        return report_dir_write(dir, text, strlen(text), keep, &t, NULL, err);
}

static void make_file(const char *dir, const char *name, const char *text)
{
        _cleanup_free_ char *p = strdupf("%s/%s", dir, name);
        FILE *f = fopen(p, "w");

        ck_assert_ptr_nonnull(f);
        fputs(text, f);
        fclose(f);
}

static char *make_tmpdir(void)
{
        char *d = strdup("/tmp/check-report-dir.XXXXXX");

        ck_assert_ptr_nonnull(mkdtemp(d));
        ck_assert_int_eq(chmod(d, 0755), 0);
        return d;
}

static void remove_tree(const char *dir)
{
        _cleanup_free_ char *l = list_dir(dir);
        char *save = NULL;

        for (char *n = strtok_r(l, " ", &save); n; n = strtok_r(NULL, " ", &save)) {
                _cleanup_free_ char *p = strdupf("%s/%s", dir, n);
                if (unlink(p) < 0)
                        ck_assert_int_eq(rmdir(p), 0);
        }
        ck_assert_int_eq(rmdir(dir), 0);
}

START_TEST(test_report_dir_names)
{
        char buf[REPORT_DIR_NAME_MAX];
        struct timespec t = {.tv_sec = 1796040000, .tv_nsec = 123456789}; /* 2026-11-30 12:00:00 */

        ck_assert_str_eq(report_dir_name(&t, buf), "report-20261130T120000.123456Z.json");
        ck_assert(report_dir_is_report_name(buf));
        ck_assert(!report_dir_is_report_name("report-20261130T120000Z.json"));
        ck_assert(!report_dir_is_report_name("report-20261130T120000.123456Z.json~"));
        ck_assert(!report_dir_is_report_name("report-2026113xT120000.123456Z.json"));
        ck_assert(!report_dir_is_report_name("latest.json"));
        ck_assert(!report_dir_is_report_name(""));
}
END_TEST

/* Five runs with --keep 3: the newest three stay, latest.json is the last one, modes are
 * 0640 (files) and 0750 (a directory we create). */
START_TEST(test_report_dir_rotation)
{
        _cleanup_free_ char *top = make_tmpdir(), *dir = strdupf("%s/reports", top), *l = NULL, *s = NULL,
                            *err = NULL, *path = NULL;
        struct timespec t = {.tv_sec = 1796040005};
        struct stat st;
        size_t n;

        for (int i = 1; i <= 4; i++) {
                char text[32];
                snprintf(text, sizeof(text), "{\"run\": %d}\n", i);
                ck_assert_int_eq(write_at(dir, 1796040000 + i, 0, 3, text, &err), 0);
        }
        ck_assert_int_eq(report_dir_write(dir, "{\"run\": 5}\n", 11, 3, &t, &path, &err), 0);
        ck_assert_str_eq(path + strlen(dir), "/report-20261130T120005.000000Z.json");
        l = list_dir(dir);
        ck_assert_str_eq(l,
                "latest.json report-20261130T120003.000000Z.json report-20261130T120004.000000Z.json "
                "report-20261130T120005.000000Z.json");
        ck_assert_int_eq(read_full_file(path, &s, &n), 0);
        ck_assert_str_eq(s, "{\"run\": 5}\n");
        free(s);
        s = strdupf("%s/latest.json", dir);
        ck_assert_int_eq(stat(s, &st), 0);
        ck_assert_int_eq(st.st_mode & 07777, 0640);
        free(s);
        ck_assert_int_eq(read_full_file(path, &s, &n), 0);
        ck_assert_int_eq(stat(dir, &st), 0);
        ck_assert_int_eq(st.st_mode & 07777, 0750);

        /* The same instant twice is refused, not overwritten. */
        ck_assert_int_eq(report_dir_write(dir, "x", 1, 3, &t, NULL, &err), -EEXIST);
        /* keep 1, then a relative path names the same directory */
        ck_assert_int_eq(chdir(top), 0);
        ck_assert_int_eq(write_at("reports/.", 1796040010, 0, 1, "{}\n", &err), 0);
        free(l);
        l = list_dir(dir);
        ck_assert_str_eq(l, "latest.json report-20261130T120010.000000Z.json");
        ck_assert_int_eq(write_at(dir, 1796040011, 0, 0, "{}\n", &err), -EINVAL);
        /* the clock went back: the new report is kept, the newer-named one goes */
        ck_assert_int_eq(write_at(dir, 1796039000, 0, 1, "{}\n", &err), 0);
        free(l);
        l = list_dir(dir);
        ck_assert_str_eq(l, "latest.json report-20261130T114320.000000Z.json");
        ck_assert_int_eq(chdir("/"), 0);
        remove_tree(dir);
        ck_assert_int_eq(rmdir(top), 0);
}
END_TEST

/* A stale temp file of ours (a writer killed on a file system without O_TMPFILE) is removed;
 * everything else that is not ours makes the directory refused, and nothing is written or
 * removed there. */
START_TEST(test_report_dir_not_ours)
{
        _cleanup_free_ char *dir = make_tmpdir(), *l = NULL, *err = NULL, *sub = NULL, *file = NULL,
                            *link = NULL;
        static const char *const foreign[] = {
                "notes.txt", "report-20261130T120000Z.json", ".#notes.dockaudit-abcdef"};

        make_file(dir, ".#latest.json.dockaudit-Ab12Cd", "partial");
        ck_assert_int_eq(write_at(dir, 1796040001, 0, 1, "{}\n", &err), 0);
        ck_assert_int_eq(write_at(dir, 1796040002, 0, 1, "{}\n", &err), 0);
        l = list_dir(dir);
        ck_assert_str_eq(l, "latest.json report-20261130T120002.000000Z.json");

        for (size_t i = 0; i < ELEMENTSOF(foreign); i++) {
                _cleanup_free_ char *p = strdupf("%s/%s", dir, foreign[i]), *after = NULL;

                make_file(dir, foreign[i], "theirs");
                ck_assert_int_eq(write_at(dir, 1796040003, 0, 1, "{}\n", &err), -EEXIST);
                ck_assert_ptr_nonnull(strstr(err, foreign[i]));
                ck_assert_int_eq(unlink(p), 0);
                after = list_dir(dir);
                ck_assert_str_eq(after, l); /* nothing written, nothing pruned */
        }
        /* one of our names, but a directory */
        sub = strdupf("%s/report-20261130T110000.000000Z.json", dir);
        ck_assert_int_eq(mkdir(sub, 0755), 0);
        ck_assert_int_eq(write_at(dir, 1796040003, 0, 1, "{}\n", &err), -EEXIST);
        ck_assert_int_eq(rmdir(sub), 0);

        /* writable by others, a symlink, a file */
        ck_assert_int_eq(chmod(dir, 0777), 0);
        ck_assert_int_eq(write_at(dir, 1796040003, 0, 1, "{}\n", &err), -EPERM);
        ck_assert_int_eq(chmod(dir, 0755), 0);
        link = strdupf("%s.link", dir);
        ck_assert_int_eq(symlink(dir, link), 0);
        ck_assert_int_eq(write_at(link, 1796040003, 0, 1, "{}\n", &err), -ENOTDIR);
        ck_assert_int_eq(unlink(link), 0);
        file = strdupf("%s/latest.json", dir);
        ck_assert_int_eq(write_at(file, 1796040003, 0, 1, "{}\n", &err), -ENOTDIR);
        ck_assert_int_eq(write_at("/", 1796040003, 0, 1, "{}\n", &err), -EINVAL);
        free(l);
        l = list_dir(dir);
        ck_assert_str_eq(l, "latest.json report-20261130T120002.000000Z.json");
        remove_tree(dir);
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("report-dir");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_report_dir_names);
        tcase_add_test(tc, test_report_dir_rotation);
        tcase_add_test(tc, test_report_dir_not_ours);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
