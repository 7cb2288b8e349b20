/* SPDX-License-Identifier: MIT */
/* Files read inside an offline root (src/basic/root-file.c): paths, links that must not leave
 * the root, and the same answers from the fallback for kernels without openat2. */
#include <check.h>

#include "check-run.h"
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "basic/root-file.h"

static char root[] = "/tmp/check-root-file-XXXXXX";

static void in_root(const char *rel, char **ret)
{
        *ret = strdupf("%s%s", root, rel);
        ck_assert_ptr_nonnull(*ret);
}

/* Nodes that are not regular files, where a configuration file could be: a FIFO (open()
 * would wait for a writer), a socket, and /dev/zero's numbers (root only: a FIFO otherwise). */
static void make_nodes(void)
{
        _cleanup_free_ char *fifo = NULL, *sock = NULL, *zero = NULL;
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        _cleanup_close_ int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

        in_root("/etc/fifo", &fifo);
        ck_assert_int_eq(mkfifo(fifo, 0644), 0);
        in_root("/etc/sock", &sock);
        ck_assert_int_ge(fd, 0);
        ck_assert_uint_lt(strlen(sock), sizeof sa.sun_path);
        strcpy(sa.sun_path, sock);
        ck_assert_int_eq(bind(fd, (struct sockaddr *) &sa, sizeof sa), 0);
        in_root("/dev/zero", &zero);
        if (mknod(zero, S_IFCHR | 0644, makedev(1, 5)) < 0)
                ck_assert_int_eq(mkfifo(zero, 0644), 0);
}

static void setup(void)
{
        static const char *const dirs[] = {"/etc", "/etc/dir", "/usr", "/usr/lib", "/dev"};
        static const char *const links[][2] = {
                {"/etc/abs", "/usr/lib/os-release"}, {"/etc/up", "../../../../../../usr/lib/os-release"},
                {"/etc/loop", "/etc/loop"}, {"/etc/dangling", "/nonexistent"},
                {"/etc/passwd", "/etc/passwd"}, {"/lib", "usr/lib"}, {"/etc/link-to-fifo", "fifo"},
                {"/etc/abs-to-zero", "/dev/zero"}, /* the root's node, never the host's */
        };
        _cleanup_free_ char *f = NULL;
        FILE *fp;

        ck_assert_ptr_nonnull(mkdtemp(strcpy(root, "/tmp/check-root-file-XXXXXX")));
        for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
                _cleanup_free_ char *d = NULL;
                in_root(dirs[i], &d);
                ck_assert_int_eq(mkdir(d, 0755), 0);
        }
        in_root("/usr/lib/os-release", &f);
        fp = fopen(f, "we");
        ck_assert_ptr_nonnull(fp);
        fputs("ID=inside\n", fp);
        fclose(fp);
        make_nodes();
        for (size_t i = 0; i < ELEMENTSOF(links); i++) {
                _cleanup_free_ char *l = NULL;
                in_root(links[i][0], &l);
                ck_assert_int_eq(symlink(links[i][1], l), 0);
        }
}

static void teardown(void)
{
        _cleanup_free_ char *cmd = strdupf("rm -rf '%s'", root);
        ck_assert_int_eq(system(cmd), 0);
}

START_TEST(test_root_is_host)
{
        ck_assert(root_is_host(NULL));
        ck_assert(root_is_host(""));
        ck_assert(root_is_host("/"));
        ck_assert(!root_is_host("/srv/image"));
        ck_assert(!root_is_host("image"));
}
END_TEST

START_TEST(test_root_path)
{
        static const char *const cases[][3] = {
                {NULL, "/etc/os-release", "/etc/os-release"},
                {"", "/etc/os-release", "/etc/os-release"},
                {"/", "/etc/os-release", "/etc/os-release"},
                {"/srv/img", "/etc/os-release", "/srv/img/etc/os-release"},
                {"/srv/img/", "/etc/os-release", "/srv/img/etc/os-release"},
                {"/srv/img", "etc/os-release", "/srv/img/etc/os-release"},
                {"/srv/img/", "etc/os-release", "/srv/img/etc/os-release"},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_free_ char *p = root_path(cases[i][0], cases[i][1]);
                ck_assert_str_eq(p, cases[i][2]);
        }
}
END_TEST

/* What root_read_file() answers for each path of the fixture: 1 for "ID=inside\n", else the
 * negative errno. */
static const struct {
        const char *path;
        int expect;
} reads[] = {
        {"/usr/lib/os-release", 1},
        {"/usr/./lib//os-release", 1},
        {"/etc/abs", 1}, /* an absolute target resolves inside the root */
        {"/etc/up", 1}, /* ".." stops at the root */
        {"/lib/os-release", 1}, /* a relative link in a middle component */
        {"/etc/../../../usr/lib/os-release", 1},
        {"/etc/loop", -ELOOP},
        {"/etc/passwd", -ELOOP}, /* never the host's /etc/passwd */
        {"/etc/dangling", -ENOENT},
        {"/etc/missing", -ENOENT},
        {"/etc/dir", -EISDIR},
        {"/", -EISDIR},
        {"/usr/lib/os-release/x", -ENOTDIR},
        {"/etc/fifo", -EBADFD}, /* at once: never opened for reading */
        {"/etc/link-to-fifo", -EBADFD},
        {"/etc/sock", -EBADFD},
        {"/dev/zero", -EBADFD},
        {"/etc/abs-to-zero", -EBADFD},
};

static int read_one(const char *path)
{
        _cleanup_free_ char *data = NULL;
        int r = root_read_file(root, path, &data, NULL);

        if (r < 0)
                return data ? -EFAULT : r; /* nothing handed out on failure */
        return streq(data, "ID=inside\n") ? 1 : -EBADMSG;
}

START_TEST(test_read_inside_root)
{
        for (size_t i = 0; i < ELEMENTSOF(reads); i++)
                ck_assert_msg(read_one(reads[i].path) == reads[i].expect, "%s: %d, expected %d",
                        reads[i].path, read_one(reads[i].path), reads[i].expect);
}
END_TEST

/* The component-wise fallback, as on a kernel before 5.6: openat2 fails with ENOSYS in a child
 * under a seccomp filter; the child reports each answer through a pipe. */
static void deny_openat2(void)
{
        struct sock_filter filter[] = {
                BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat2, 0, 1),
                BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
                BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        };
        struct sock_fprog prog = {.len = ELEMENTSOF(filter), .filter = filter};

        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
                prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0)
                _exit(2);
}

/* Without /proc, as in a bare container: a child in its own mount namespace with /proc
 * unmounted (root only; false when that cannot be done). */
static bool drop_proc(void)
{
        return unshare(CLONE_NEWNS) >= 0 && mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) >= 0 &&
               umount2("/proc", MNT_DETACH) >= 0 && access("/proc/self/fd", F_OK) < 0;
}

/* Every answer of reads[] from a child: without openat2 (the component-wise fallback), without
 * /proc (files opened again by name, non-blocking), or both. */
static void check_reads_in_child(bool no_openat2, bool no_proc)
{
        int got[ELEMENTSOF(reads)], pfd[2], status;
        pid_t pid;

        if (no_proc && geteuid() != 0)
                return;
        ck_assert_int_eq(pipe(pfd), 0);
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                close(pfd[0]);
                if (no_proc && !drop_proc())
                        _exit(77);
                if (no_openat2) {
                        deny_openat2();
                        if (syscall(SYS_openat2, -1, "/", NULL, 0) >= 0 || errno != ENOSYS)
                                _exit(3);
                }
                for (size_t i = 0; i < ELEMENTSOF(reads); i++)
                        got[i] = read_one(reads[i].path);
                _exit(write(pfd[1], got, sizeof got) == (ssize_t) sizeof got ? 0 : 4);
        }
        close(pfd[1]);
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert(WIFEXITED(status));
        if (WEXITSTATUS(status) == 77) {
                close(pfd[0]);
                return;
        }
        ck_assert_int_eq(WEXITSTATUS(status), 0);
        ck_assert_int_eq(read(pfd[0], got, sizeof got), (ssize_t) sizeof got);
        close(pfd[0]);
        for (size_t i = 0; i < ELEMENTSOF(reads); i++)
                ck_assert_msg(got[i] == reads[i].expect, "openat2 %s, /proc %s: %s: %d, expected %d",
                        no_openat2 ? "denied" : "there", no_proc ? "gone" : "there", reads[i].path, got[i],
                        reads[i].expect);
}

START_TEST(test_read_fallback)
{
        check_reads_in_child(true, false);
}
END_TEST

START_TEST(test_read_without_proc)
{
        check_reads_in_child(false, true);
        check_reads_in_child(true, true);
}
END_TEST

START_TEST(test_root_file_escape)
{
        _cleanup_free_ char *lnk = NULL, *data = NULL;

        in_root("/etc/passwd", &lnk);
        /* /etc/passwd -> /etc/passwd inside the root is a loop, not the host's file. */
        ck_assert_int_lt(root_read_file(root, "/etc/passwd", &data, NULL), 0);
        ck_assert_ptr_null(data);
        unlink(lnk);
        ck_assert_int_eq(symlink("../../../../etc/hostname-does-not-exist-here", lnk), 0);
        ck_assert_int_eq(root_read_file(root, "/etc/passwd", &data, NULL), -ENOENT);
}
END_TEST

START_TEST(test_host)
{
        _cleanup_free_ char *path = NULL, *data = NULL;
        size_t size = 0;

        /* No root: the path as it is, links followed as usual. */
        in_root("/usr/lib/os-release", &path);
        ck_assert_int_eq(root_read_file(NULL, path, &data, &size), 0);
        ck_assert_str_eq(data, "ID=inside\n");
        ck_assert_uint_eq(size, 10);
        free(data);
        data = NULL;
        ck_assert_int_eq(root_read_file("/", path, &data, NULL), 0);
        ck_assert_int_eq(root_read_file(NULL, root, &data, NULL), -EISDIR);

        /* Host paths: the same checks. */
        free(data);
        data = NULL;
        free(path);
        in_root("/etc/link-to-fifo", &path);
        ck_assert_int_eq(root_read_file(NULL, path, &data, NULL), -EBADFD);
        ck_assert_int_eq(root_read_file("/", "/dev/zero", &data, NULL), -EBADFD);
        ck_assert_int_eq(root_read_file(NULL, "/dev/null", &data, NULL), -EBADFD);
        ck_assert_ptr_null(data);
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("root_file");
        TCase *tc = tcase_create("core");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_root_is_host);
        tcase_add_test(tc, test_root_path);
        tcase_add_test(tc, test_read_inside_root);
        tcase_add_test(tc, test_read_fallback);
        tcase_add_test(tc, test_read_without_proc);
        tcase_add_test(tc, test_root_file_escape);
        tcase_add_test(tc, test_host);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
