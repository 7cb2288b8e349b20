/* SPDX-License-Identifier: MIT */
/* Whole-file reads (src/basic/fileio.c). */
#include <check.h>

#include "check-run.h"
#include "test-util.h"
#include <fcntl.h>
#include <sys/stat.h>

#include "basic/fileio.h"
#include "basic/util.h"

static char tmpdir[64];

static void setup(void)
{
        tmpdir_make(tmpdir, sizeof tmpdir, "fileio");
}

static void teardown(void)
{
        ck_assert_int_eq(rm_rf(tmpdir), 0);
}

/* Writes n bytes (NULs included) as the whole of tmpdir/name; returns the path. */
static char *put_bytes(const char *name, const char *data, size_t n)
{
        char *p = path_in(tmpdir, name);
        _cleanup_close_ int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(write(fd, data, n), (ssize_t) n);
        return p;
}

START_TEST(test_files)
{
        _cleanup_free_ char *p = NULL, *s = NULL, *line = NULL;
        size_t n;

        p = strdupf("%s/f", tmpdir);
        ck_assert_int_eq(read_full_file(p, &s, &n), -ENOENT);
        ck_assert_int_eq(read_full_file(tmpdir, &s, &n), -EISDIR);
        write_text(p, "1\nsecond\n");
        ck_assert_int_eq(read_full_file(p, &s, &n), 0);
        ck_assert_uint_eq(n, 9);
        ck_assert_str_eq(s, "1\nsecond\n");
        ck_assert_int_eq(read_one_line_file(p, &line), 0);
        ck_assert_str_eq(line, "1");
}
END_TEST

START_TEST(test_read_full_file_contents)
{
        _cleanup_free_ char *empty = put_bytes("empty", "", 0), *nul = put_bytes("nul", "a\0b", 3);
        _cleanup_free_ char *s = NULL, *t = NULL, *u = NULL;
        size_t n = 99;

        ck_assert_int_eq(read_full_file(empty, &s, &n), 0); /* "", not NULL */
        ck_assert_uint_eq(n, 0);
        ck_assert_str_eq(s, "");
        ck_assert_int_eq(read_full_file(nul, &t, &n), 0); /* the size counts the NUL inside */
        ck_assert_uint_eq(n, 3);
        ck_assert_int_eq(memcmp(t, "a\0b", 4), 0);
        ck_assert_int_eq(read_full_file(nul, &u, NULL), 0); /* ret_size is optional */
        ck_assert_int_eq(u[2], 'b');
}
END_TEST

/* More than one read() chunk (64 KiB), and a /proc file, whose st_size is 0. */
START_TEST(test_read_full_file_sizes)
{
        size_t big = 3 * 65536 + 17, n;
        _cleanup_free_ char *data = malloc(big), *p = NULL, *s = NULL, *ostype = NULL;

        ck_assert_ptr_nonnull(data);
        for (size_t i = 0; i < big; i++)
                data[i] = (char) ('a' + i % 26);
        p = put_bytes("big", data, big);
        ck_assert_int_eq(read_full_file(p, &s, &n), 0);
        ck_assert_uint_eq(n, big);
        ck_assert_int_eq(memcmp(s, data, big), 0);
        ck_assert_int_eq(s[big], 0);
        ck_assert_int_eq(read_one_line_file("/proc/sys/kernel/ostype", &ostype), 0);
        ck_assert_str_eq(ostype, "Linux");
}
END_TEST

/* A file past READ_FULL_MAX (sparse, so it costs no disk) is -EFBIG, and *ret is left alone. */
START_TEST(test_read_full_file_too_big)
{
        _cleanup_free_ char *p = put_bytes("huge", "", 0);
        char *s = NULL;
        size_t n = 99;

        ck_assert_int_eq(truncate(p, (off_t) READ_FULL_MAX + 1), 0);
        ck_assert_int_eq(read_full_file(p, &s, &n), -EFBIG);
        ck_assert_ptr_null(s);
        ck_assert_uint_eq(n, 99);
}
END_TEST

START_TEST(test_read_one_line_file)
{
        const struct {
                const char *text, *line;
        } cases[] = {
                {"262144\n", "262144"},
                {"no newline", "no newline"},
                {"", ""},
                {"\n", ""},
                {"\nsecond\n", ""},
                {"a\r\n", "a\r"}, /* only the newline goes: callers strstrip() */
                {"  spaced  \n", "  spaced  "},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_free_ char *p = put_bytes("line", cases[i].text, strlen(cases[i].text));
                _cleanup_free_ char *line = NULL;

                ck_assert_int_eq(read_one_line_file(p, &line), 0);
                ck_assert_str_eq(line, cases[i].line);
        }
        ck_assert_int_eq(read_one_line_file(tmpdir, &(char *){NULL}), -EISDIR);
}
END_TEST

int main(void)
{
        Suite *s = suite_create("fileio");
        TCase *tc = tcase_create("core");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_files);
        tcase_add_test(tc, test_read_full_file_contents);
        tcase_add_test(tc, test_read_full_file_sizes);
        tcase_add_test(tc, test_read_full_file_too_big);
        tcase_add_test(tc, test_read_one_line_file);
        suite_add_tcase(s, tc);
        return check_run(s);
}
