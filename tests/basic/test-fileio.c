/* SPDX-License-Identifier: MIT */
/* Whole-file reads (src/basic/fileio.c). */
#include <check.h>

#include "check-run.h"
#include "test-util.h"
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>

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

/* A /proc file of megabytes that says st_size 0 (the kernel's symbol table): read whole, the
 * buffer grown as it fills, the same bytes stdio reads. */
START_TEST(test_read_full_file_growing)
{
        _cleanup_free_ char *s = NULL, *t = NULL;
        size_t n = 0, m = 0, k;
        FILE *f;

        ck_assert_int_eq(read_full_file("/proc/kallsyms", &s, &n), 0);
        ck_assert_uint_gt(n, 65536);
        ck_assert_uint_eq(strlen(s), n);
        t = malloc(n + 1);
        ck_assert_ptr_nonnull(t);
        f = fopen("/proc/kallsyms", "re");
        ck_assert_ptr_nonnull(f);
        while (m <= n && (k = fread(t + m, 1, n + 1 - m, f)) > 0)
                m += k;
        fclose(f);
        ck_assert_uint_eq(m, n);
        ck_assert_int_eq(memcmp(s, t, n), 0);
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

/* Makes tmpdir/name a FIFO, a socket, a scratch /dev/zero node (root only: mknod) or a
 * directory; returns the path, NULL when the node could not be made (mknod as non-root). */
static char *put_node(const char *name, char kind)
{
        char *p = path_in(tmpdir, name);

        switch (kind) {
        case 'p':
                ck_assert_int_eq(mkfifo(p, 0644), 0);
                break;
        case 'd':
                ck_assert_int_eq(mkdir(p, 0755), 0);
                break;
        case 'c':
                if (mknod(p, S_IFCHR | 0644, makedev(1, 5)) < 0) {
                        free(p);
                        return NULL;
                }
                break;
        case 's': {
                struct sockaddr_un sa = {.sun_family = AF_UNIX};
                _cleanup_close_ int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

                ck_assert_int_ge(fd, 0);
                ck_assert_uint_lt(strlen(p), sizeof sa.sun_path);
                strcpy(sa.sun_path, p);
                ck_assert_int_eq(bind(fd, (struct sockaddr *) &sa, sizeof sa), 0);
                ck_assert_int_eq(listen(fd, 1), 0);
                break;
        }
        }
        return p;
}

/* What read_full_file() answers for path, with nothing handed out on failure. */
static int read_answer(const char *path, int open_flags)
{
        char *s = NULL;
        size_t n = 77;
        int r = read_full_file_at(AT_FDCWD, path, open_flags, &s, &n);

        if (r < 0)
                return s || n != 77 ? -EFAULT : r;
        free(s);
        return 0;
}

/* Only regular files are read: a FIFO (which open() would wait on for a writer), a device,
 * a socket, a symlink to a FIFO, each answers at once. The tcase timeout catches a hang. */
START_TEST(test_only_regular_files)
{
        _cleanup_free_ char *fifo = put_node("fifo", 'p'), *sock = put_node("sock", 's'),
                            *dir = put_node("dir", 'd'), *zero = put_node("zero", 'c'),
                            *lfifo = path_in(tmpdir, "link-to-fifo"), *lreg = path_in(tmpdir, "link"),
                            *reg = put_bytes("reg", "x", 1), *line = NULL;

        ck_assert_int_eq(symlink(fifo, lfifo), 0);
        ck_assert_int_eq(symlink(reg, lreg), 0);
        ck_assert_int_eq(read_answer(fifo, 0), -EBADFD);
        ck_assert_int_eq(read_answer(lfifo, 0), -EBADFD);
        ck_assert_int_eq(read_answer(sock, 0), -EBADFD);
        ck_assert_int_eq(read_answer("/dev/zero", 0), -EBADFD);
        ck_assert_int_eq(read_answer("/dev/null", 0), -EBADFD);
        if (zero) /* a scratch node of /dev/zero's numbers */
                ck_assert_int_eq(read_answer(zero, 0), -EBADFD);
        ck_assert_int_eq(read_answer(dir, 0), -EISDIR);
        ck_assert_int_eq(read_answer(reg, 0), 0);
        ck_assert_int_eq(read_answer(lreg, 0), 0);
        ck_assert_int_eq(read_one_line_file(fifo, &line), -EBADFD);
        ck_assert_ptr_null(line);

        /* O_NOFOLLOW: a symlink is -ELOOP, whatever it points to; other flags are refused. */
        ck_assert_int_eq(read_answer(lreg, O_NOFOLLOW), -ELOOP);
        ck_assert_int_eq(read_answer(lfifo, O_NOFOLLOW), -ELOOP);
        ck_assert_int_eq(read_answer(fifo, O_NOFOLLOW), -EBADFD);
        ck_assert_int_eq(read_answer(reg, O_NOFOLLOW), 0);
        ck_assert_int_eq(open_regular_at(AT_FDCWD, reg, O_CREAT), -EINVAL);
        ck_assert_str_eq(read_strerror(-EBADFD), "not a regular file");
        ck_assert_str_eq(read_strerror(-ENOENT), strerror(ENOENT));
}
END_TEST

/* read_full_fd() checks what it is given too; the fd we hand out is a blocking reader. */
START_TEST(test_fd_checks)
{
        _cleanup_free_ char *fifo = put_node("fifo", 'p'), *reg = put_bytes("reg", "abc", 3), *s = NULL;
        _cleanup_close_ int rfd = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC), dfd = -1, fd = -1;
        struct stat st;

        ck_assert_int_ge(rfd, 0);
        ck_assert_int_eq(read_full_fd(rfd, &s, NULL), -EBADFD);
        ck_assert_int_eq(fd_verify_regular(rfd), -EBADFD);
        ck_assert_int_eq(fd_reopen_regular(rfd), -EBADFD);
        ck_assert_int_eq(stat("/dev/null", &st), 0);
        ck_assert_int_eq(stat_verify_regular(&st), -EBADFD);
        dfd = open(tmpdir, O_PATH | O_DIRECTORY | O_CLOEXEC);
        ck_assert_int_ge(dfd, 0);
        ck_assert_int_eq(fd_reopen_regular(dfd), -EISDIR);
        fd = open_regular_at(dfd, "reg", 0);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(fcntl(fd, F_GETFL) & (O_NONBLOCK | O_ACCMODE), O_RDONLY);
        ck_assert_int_ne(fcntl(fd, F_GETFD) & FD_CLOEXEC, 0);
        ck_assert_int_eq(read_full_fd(fd, &s, NULL), 0);
        ck_assert_str_eq(s, "abc");
        ck_assert_int_eq(open_regular_at(dfd, "fifo", 0), -EBADFD);
}
END_TEST

/* Without /proc (a child in its own mount namespace, /proc unmounted: root only) the name is
 * opened again non-blocking, with the same answers. */
START_TEST(test_without_proc)
{
        char fifo[128], reg[128]; /* not on the heap: the child leaves with _exit() */
        int status;
        pid_t pid;

        if (geteuid() != 0)
                return;
        free(put_node("fifo", 'p'));
        free(put_bytes("reg", "abc", 3));
        snprintf(fifo, sizeof fifo, "%s/fifo", tmpdir);
        snprintf(reg, sizeof reg, "%s/reg", tmpdir);
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                char *s = NULL;
                int ro;
                if (unshare(CLONE_NEWNS) < 0 || mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) < 0 ||
                        umount2("/proc", MNT_DETACH) < 0)
                        _exit(77);
                if (access("/proc/self/fd", F_OK) == 0)
                        _exit(77);
                ro = open_regular_at(AT_FDCWD, reg, 0);
                if (ro < 0 || fd_reopen_regular(ro) != -ENOSYS)
                        _exit(3);
                if (read_full_file(fifo, &s, NULL) != -EBADFD ||
                        read_full_file(tmpdir, &s, NULL) != -EISDIR ||
                        read_full_file("/dev/zero", &s, NULL) != -EBADFD)
                        _exit(4);
                if (read_full_file(reg, &s, NULL) != 0 || !streq(s, "abc"))
                        _exit(5);
                free(s);
                _exit(0);
        }
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert(WIFEXITED(status));
        ck_assert_msg(
                WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 77, "child: %d", WEXITSTATUS(status));
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
        tcase_add_test(tc, test_read_full_file_growing);
        tcase_add_test(tc, test_read_full_file_too_big);
        tcase_add_test(tc, test_read_one_line_file);
        tcase_add_test(tc, test_only_regular_files);
        tcase_add_test(tc, test_fd_checks);
        tcase_add_test(tc, test_without_proc);
        suite_add_tcase(s, tc);
        return check_run(s);
}
