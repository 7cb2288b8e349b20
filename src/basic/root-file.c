/* SPDX-License-Identifier: MIT */
#include "basic/root-file.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#define MAX_SYMLINKS 40
#define MAX_DEPTH 256

static bool is_host(const char *root)
{
        return !root || !*root || streq(root, "/");
}

char *root_path(const char *root, const char *path)
{
        if (is_host(root))
                return strdup(path);
        return strdupf("%s%s%s", root, endswith(root, "/") || path[0] == '/' ? "" : "/",
                endswith(root, "/") && path[0] == '/' ? path + 1 : path);
}

/* Component-wise resolution for kernels without openat2: a stack of directory fds, so ".."
 * at the top stays at the root like RESOLVE_IN_ROOT. */
static int chase_fallback(int rootfd, const char *path)
{
        int stack[MAX_DEPTH], depth = 0, links = 0, r;
        _cleanup_free_ char *todo = strdup(path);
        char *p;

        if (!todo)
                return -ENOMEM;
        stack[0] = rootfd;
        p = todo;
        for (;;) {
                char *c, *next;
                struct stat st;
                int fd;

                p += strspn(p, "/");
                if (!*p) {
                        r = -EISDIR;
                        goto out;
                }
                c = p;
                next = c + strcspn(c, "/");
                if (*next)
                        *next++ = 0;
                p = next;
                if (streq(c, "."))
                        continue;
                if (streq(c, "..")) {
                        if (depth > 0)
                                close(stack[depth--]);
                        continue;
                }
                fd = openat(stack[depth], c, O_PATH | O_NOFOLLOW | O_CLOEXEC);
                if (fd < 0) {
                        r = -errno;
                        goto out;
                }
                if (fstat(fd, &st) < 0) {
                        r = -errno;
                        close(fd);
                        goto out;
                }
                if (S_ISLNK(st.st_mode)) {
                        char target[4096];
                        ssize_t n = readlinkat(stack[depth], c, target, sizeof target - 1);
                        char *nt;

                        close(fd);
                        if (n < 0 || ++links > MAX_SYMLINKS) {
                                r = n < 0 ? -errno : -ELOOP;
                                goto out;
                        }
                        target[n] = 0;
                        if (target[0] == '/')
                                while (depth > 0)
                                        close(stack[depth--]);
                        nt = strdupf("%s/%s", target, p);
                        if (!nt) {
                                r = -ENOMEM;
                                goto out;
                        }
                        free(todo);
                        todo = nt;
                        p = todo;
                        continue;
                }
                if (p[strspn(p, "/")] == 0) { /* last component: the file itself */
                        close(fd);
                        if (S_ISDIR(st.st_mode)) {
                                r = -EISDIR;
                                goto out;
                        }
                        r = openat(stack[depth], c, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
                        if (r < 0)
                                r = -errno;
                        goto out;
                }
                if (!S_ISDIR(st.st_mode) || depth + 1 >= MAX_DEPTH) {
                        close(fd);
                        r = S_ISDIR(st.st_mode) ? -ELOOP : -ENOTDIR;
                        goto out;
                }
                stack[++depth] = fd;
        }
out:
        while (depth > 0)
                close(stack[depth--]);
        return r;
}

int root_open(const char *root, const char *path)
{
        _cleanup_close_ int rootfd = -1;
        struct open_how how = {
                .flags = O_RDONLY | O_CLOEXEC | O_NOCTTY,
                .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
        };
        long fd;

        if (is_host(root)) {
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
