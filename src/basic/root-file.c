/* SPDX-License-Identifier: MIT */
#include "basic/root-file.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#define MAX_SYMLINKS 40
#define MAX_DEPTH 256

bool root_is_host(const char *root)
{
        return !root || !*root || streq(root, "/");
}

char *root_path(const char *root, const char *path)
{
        if (root_is_host(root))
                return strdup(path);
        return strdupf("%s%s%s", root, endswith(root, "/") || path[0] == '/' ? "" : "/",
                endswith(root, "/") && path[0] == '/' ? path + 1 : path);
}

/* The directories walked so far, fd[0] the root (not ours to close): ".." pops one, and at
 * the root it stays there, as RESOLVE_IN_ROOT does. */
typedef struct DirStack {
        int fd[MAX_DEPTH];
        int depth;
} DirStack;

static void dir_stack_pop_to(DirStack *s, int depth)
{
        while (s->depth > depth)
                close(s->fd[s->depth--]);
}

static void dir_stack_done(DirStack *s)
{
        dir_stack_pop_to(s, 0);
}

/* Cuts the next component out of *p (NUL-terminating it) and moves *p past it; NULL when
 * only slashes are left. */
static char *next_component(char **p)
{
        char *c = *p + strspn(*p, "/"), *next;

        if (!*c)
                return NULL;
        next = c + strcspn(c, "/");
        if (*next)
                *next++ = 0;
        *p = next;
        return c;
}

/* The symlink c in the current directory: its target (from the root again when absolute) is
 * put in front of what is left of the path (rest, inside *todo). */
static int follow_symlink(DirStack *s, const char *c, const char *rest, unsigned *links, char **todo)
{
        char target[4096], *nt;
        ssize_t n = readlinkat(s->fd[s->depth], c, target, sizeof target - 1);

        if (n < 0)
                return -errno;
        if (++*links > MAX_SYMLINKS)
                return -ELOOP;
        target[n] = 0;
        if (target[0] == '/')
                dir_stack_pop_to(s, 0);
        nt = strdupf("%s/%s", target, rest);
        if (!nt)
                return -ENOMEM;
        free(*todo);
        *todo = nt;
        return 0;
}

/* The last component, not a symlink: the file itself, opened for reading. */
static int open_last(const DirStack *s, const char *c, const struct stat *st)
{
        int fd;

        if (S_ISDIR(st->st_mode))
                return -EISDIR;
        fd = openat(s->fd[s->depth], c, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
        return fd < 0 ? -errno : fd;
}

/* Component-wise resolution for kernels without openat2, one directory fd per level. */
static int chase_fallback(int rootfd, const char *path)
{
        _cleanup_(dir_stack_done) DirStack s = {.fd = {rootfd}};
        _cleanup_free_ char *todo = strdup(path);
        unsigned links = 0;
        char *p;

        if (!todo)
                return -ENOMEM;
        p = todo;
        for (;;) {
                _cleanup_close_ int fd = -1;
                char *c = next_component(&p);
                struct stat st;
                int r;

                if (!c)
                        return -EISDIR;
                if (streq(c, "."))
                        continue;
                if (streq(c, "..")) {
                        dir_stack_pop_to(&s, s.depth > 0 ? s.depth - 1 : 0);
                        continue;
                }
                fd = openat(s.fd[s.depth], c, O_PATH | O_NOFOLLOW | O_CLOEXEC);
                if (fd < 0 || fstat(fd, &st) < 0)
                        return -errno;
                if (S_ISLNK(st.st_mode)) {
                        if ((r = follow_symlink(&s, c, p, &links, &todo)) < 0)
                                return r;
                        p = todo;
                        continue;
                }
                if (p[strspn(p, "/")] == 0) /* last component: the file itself */
                        return open_last(&s, c, &st);
                if (!S_ISDIR(st.st_mode) || s.depth + 1 >= MAX_DEPTH)
                        return S_ISDIR(st.st_mode) ? -ELOOP : -ENOTDIR;
                s.fd[++s.depth] = TAKE_FD(fd);
        }
}
int root_open(const char *root, const char *path)
{
        _cleanup_close_ int rootfd = -1;
        struct open_how how = {
                .flags = O_RDONLY | O_CLOEXEC | O_NOCTTY,
                .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
        };
        long fd;

        if (root_is_host(root)) {
                int r = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
                return r < 0 ? -errno : r;
        }
        rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (rootfd < 0)
                return -errno;
        fd = syscall(SYS_openat2, rootfd, path, &how, sizeof how);
        if (fd >= 0)
                return (int) fd;
        if (errno != ENOSYS && errno != EPERM) /* EPERM: seccomp filters that predate openat2 */
                return -errno;
        return chase_fallback(rootfd, path);
}

int root_read_file(const char *root, const char *path, char **ret, size_t *ret_size)
{
        _cleanup_close_ int fd = root_open(root, path);
        _cleanup_sb_ StrBuf b = {};
        char buf[16384];
        struct stat st;

        if (fd < 0)
                return fd;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (S_ISDIR(st.st_mode))
                return -EISDIR;
        for (;;) {
                ssize_t n = read(fd, buf, sizeof buf);

                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (n == 0)
                        break;
                if (b.len + (size_t) n > READ_FULL_MAX)
                        return -EFBIG;
                if (sb_append_len(&b, buf, (size_t) n) < 0)
                        return -ENOMEM;
        }
        if (ret_size)
                *ret_size = b.len;
        *ret = sb_steal(&b);
        return *ret ? 0 : -ENOMEM;
}
