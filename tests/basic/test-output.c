/* SPDX-License-Identifier: MIT */
/* Report output to a file (src/basic/output.c). */
#include <check.h>

#include "check-run.h"
#include "test-util.h"
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>

#include "basic/output.h"
#include "basic/util.h"

/* -o FILE: the report appears whole or not at all; a failure leaves the old file alone. */
START_TEST(test_output_atomic)
{
        char dir[] = "/tmp/check-output.XXXXXX";
        _cleanup_free_ char *p = NULL, *s = NULL, *err = NULL;
        Output o;
        size_t n;
        FILE *f;

        ck_assert_ptr_nonnull(mkdtemp(dir));
        p = strdupf("%s/report.json", dir);
        f = fopen(p, "w");
        fputs("old", f);
        fclose(f);

        ck_assert_int_eq(output_open(&o, p, &err), 0);
        fputs("new report", o.f);
        output_done(&o); /* not committed: old content stays, no temp file left */
        ck_assert_int_eq(read_full_file(p, &s, &n), 0);
        ck_assert_str_eq(s, "old");
        free(s);
        s = NULL;

        ck_assert_int_eq(output_open(&o, p, &err), 0);
        fputs("new report", o.f);
        ck_assert_int_eq(output_commit(&o, &err), 0);
        output_done(&o);
        ck_assert_int_eq(read_full_file(p, &s, &n), 0);
        ck_assert_str_eq(s, "new report");

        unlink(p);
        ck_assert_int_eq(rmdir(dir), 0); /* fails if a temp file was left behind */

        ck_assert_int_lt(output_open(&o, "/nonexistent-dir/x.json", &err), 0);
        ck_assert_ptr_nonnull(strstr(err, "/nonexistent-dir/x.json"));
        output_done(&o);
}
END_TEST

/* Writes text through -o path; returns output_open()'s or output_commit()'s answer. */
static int write_output(const char *path, const char *text, char **err)
{
        _cleanup_(output_done) Output o = {};
        int r = output_open(&o, path, err);

        if (r < 0)
                return r;
        fputs(text, o.f);
        return output_commit(&o, err);
}

/* -o writes only a regular file or a new one: a device node (a scratch one, made with mknod:
 * root only), a FIFO, a socket, a symlink (to a file) or a directory is refused with a
 * message naming it, and left exactly as it was. Observed: `-o /dev/null` turned the host's
 * /dev/null into a regular file. */
START_TEST(test_output_special_files)
{
        char dir[] = "/tmp/check-output.XXXXXX";
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        _cleanup_close_ int sfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        _cleanup_free_ char *null = NULL, *fifo = NULL, *sock = NULL, *file = NULL, *link = NULL,
                            *sub = NULL, *data = NULL;
        struct stat st;

        ck_assert_ptr_nonnull(mkdtemp(dir));
        null = path_in(dir, "null");
        fifo = path_in(dir, "fifo");
        sock = path_in(dir, "sock");
        file = path_in(dir, "file");
        link = path_in(dir, "link");
        sub = path_in(dir, "sub");
        bool have_dev = mknod(null, S_IFCHR | 0666, makedev(1, 3)) == 0;
        ck_assert_int_eq(mkfifo(fifo, 0644), 0);
        strcpy(sa.sun_path, sock);
        ck_assert_int_eq(bind(sfd, (struct sockaddr *) &sa, sizeof sa), 0);
        write_text(file, "target");
        ck_assert_int_eq(symlink(file, link), 0);
        ck_assert_int_eq(mkdir(sub, 0755), 0);

        const char *const refused[] = {have_dev ? null : fifo, fifo, sock, link, sub};
        for (size_t i = 0; i < ELEMENTSOF(refused); i++) {
                _cleanup_free_ char *err = NULL;
                struct stat before;

                ck_assert_int_eq(lstat(refused[i], &before), 0);
                ck_assert_int_lt(write_output(refused[i], "report", &err), 0);
                ck_assert_msg(err && startswith(err, refused[i]), "%s: %s", refused[i], strempty(err));
                ck_assert_int_eq(lstat(refused[i], &st), 0);
                ck_assert_msg(st.st_ino == before.st_ino && st.st_mode == before.st_mode &&
                                      st.st_rdev == before.st_rdev,
                        "%s changed", refused[i]);
        }
        ck_assert_int_eq(read_full_file(file, &data, NULL), 0);
        ck_assert_str_eq(data, "target"); /* not written through the link either */

        /* Nothing left behind: only what the test made. */
        ck_assert_int_eq(unlink(file), 0);
        ck_assert_int_eq(unlink(link), 0);
        ck_assert_int_eq(unlink(fifo), 0);
        ck_assert_int_eq(unlink(sock), 0);
        ck_assert_int_eq(rmdir(sub), 0);
        if (have_dev)
                ck_assert_int_eq(unlink(null), 0);
        ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* A report that replaces a file keeps its owner, group (root only: chown) and mode; a new one is
 * 0644 whatever the umask; a relative path works. */
START_TEST(test_output_owner_mode)
{
        char dir[] = "/tmp/check-output.XXXXXX";
        _cleanup_free_ char *p = NULL, *q = NULL, *data = NULL;
        struct stat st;

        ck_assert_ptr_nonnull(mkdtemp(dir));
        p = path_in(dir, "report.txt");
        q = path_in(dir, "new.txt");
        write_text(p, "old");
        ck_assert_int_eq(chmod(p, 0600), 0);
        if (geteuid() == 0)
                ck_assert_int_eq(chown(p, 12345, 23456), 0);
        ck_assert_int_eq(write_output(p, "new", NULL), 0);
        ck_assert_int_eq(lstat(p, &st), 0);
        ck_assert_uint_eq(st.st_mode & 07777, 0600);
        if (geteuid() == 0) {
                ck_assert_uint_eq(st.st_uid, 12345);
                ck_assert_uint_eq(st.st_gid, 23456);
        }
        ck_assert_int_eq(read_full_file(p, &data, NULL), 0);
        ck_assert_str_eq(data, "new");

        mode_t old = umask(077);
        ck_assert_int_eq(write_output(q, "x", NULL), 0);
        umask(old);
        ck_assert_int_eq(lstat(q, &st), 0);
        ck_assert_uint_eq(st.st_mode & 07777, 0644);

        /* A relative path: the directory is ".". */
        _cleanup_close_ int cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ck_assert_int_ge(cwd, 0);
        ck_assert_int_eq(chdir(dir), 0);
        ck_assert_int_eq(write_output("rel.txt", "r", NULL), 0);
        ck_assert_int_eq(fchdir(cwd), 0);
        ck_assert_int_eq(rm_rf(dir), 0);
}
END_TEST

int main(void)
{
        Suite *s = suite_create("output");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_output_atomic);
        tcase_add_test(tc, test_output_special_files);
        tcase_add_test(tc, test_output_owner_mode);
        suite_add_tcase(s, tc);
        return check_run(s);
}
