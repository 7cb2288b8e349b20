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

/* The last component, not a symlink: pfd its O_PATH fd, opened for reading only when it is a
 * regular file (by name again, non-blocking, when /proc is missing). */
static int open_last(const DirStack *s, const char *c, int pfd)
{
        int fd = fd_reopen_regular(pfd);

        if (fd != -ENOSYS)
                return fd;
        fd = openat(s->fd[s->depth], c, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
        return fd < 0 ? -errno : fd_finish_regular(fd);
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
                        return open_last(&s, c, fd);
                if (!S_ISDIR(st.st_mode) || s.depth + 1 >= MAX_DEPTH)
                        return S_ISDIR(st.st_mode) ? -ELOOP : -ENOTDIR;
                s.fd[++s.depth] = TAKE_FD(fd);
        }
}

/* openat2(RESOLVE_IN_ROOT) with flags; -ENOSYS when the kernel (or a seccomp filter that
 * predates it: EPERM) does not have it. */
static int openat2_in_root(int rootfd, const char *path, int flags)
{
        struct open_how how = {
                .flags = (uint64_t) flags | O_CLOEXEC,
                .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
        };
        long fd = syscall(SYS_openat2, rootfd, path, &how, sizeof how);

        if (fd >= 0)
                return (int) fd;
        return errno == ENOSYS || errno == EPERM ? -ENOSYS : -errno;
}

int root_open(const char *root, const char *path)
{
        _cleanup_close_ int rootfd = -1, pfd = -1;
        int fd;

        if (root_is_host(root))
                return open_regular_at(AT_FDCWD, path, 0);
        rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (rootfd < 0)
                return -errno;
        /* O_PATH first: the file type is checked before anything is opened for reading. */
        pfd = openat2_in_root(rootfd, path, O_PATH);
        if (pfd == -ENOSYS)
                return chase_fallback(rootfd, path);
        if (pfd < 0)
                return pfd;
        fd = fd_reopen_regular(pfd);
        if (fd != -ENOSYS)
                return fd;
        fd = openat2_in_root(rootfd, path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
        return fd < 0 ? fd : fd_finish_regular(fd);
}

int root_read_file(const char *root, const char *path, char **ret, size_t *ret_size)
{
        _cleanup_close_ int fd = root_open(root, path);

        if (fd < 0)
                return fd;
        return read_full_fd(fd, ret, ret_size);
}
