/* SPDX-License-Identifier: MIT */
#include "leaks/proc-read.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "basic/deadline.h"
#include "basic/io-util.h"

/* The child writes, for each file in order, frames of an int32_t header: h > 0 is followed by
 * h bytes of the file; h <= 0 ends the file with that result (0, or -errno). */
#define CHUNK 65536

void proc_files_done(ProcFile *v, size_t n)
{
        for (size_t i = 0; v && i < n; i++) {
                free(v[i].data);
                v[i] = (ProcFile){};
        }
}

static bool write_all(int fd, const void *p, size_t n)
{
        const char *c = p;

        while (n > 0) {
                ssize_t k = write(fd, c, n);

                if (k < 0 && errno == EINTR)
                        continue;
                if (k <= 0)
                        return false;
                c += k;
                n -= (size_t) k;
        }
        return true;
}

/* Only open/read/write here: the parent may have threads, so nothing that allocates. The
 * other descriptors are closed first: a child stuck in the kernel outlives us, and must not
 * keep a lock (fix's) or a socket of ours open meanwhile. */
_Noreturn static void child_read(int out, const char *const *paths, size_t from, size_t n)
{
        static char buf[sizeof(int32_t) + CHUNK];

        if (out != 3) {
                if (dup2(out, 3) < 0)
                        _exit(1);
                out = 3;
        }
        if (close_range(4, ~0U, 0) < 0) {
                /* a kernel before 5.9: one by one, up to our limit */
                struct rlimit rl;
                int max = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 65536 ? (int) rl.rlim_cur
                                                                                    : 65536;

                for (int fd = 4; fd < max; fd++)
                        (void) close(fd);
        }

        for (size_t i = from; i < n; i++) {
                int fd = open(paths[i], O_RDONLY | O_CLOEXEC | O_NOCTTY);
                int32_t h = fd < 0 ? -errno : 0;

                while (fd >= 0) {
                        ssize_t k = read(fd, buf + sizeof h, CHUNK);

                        if (k < 0 && errno == EINTR)
                                continue;
                        if (k <= 0) {
                                h = k < 0 ? -errno : 0;
                                break;
                        }
                        h = (int32_t) k;
                        memcpy(buf, &h, sizeof h);
                        if (!write_all(out, buf, sizeof h + (size_t) k))
                                _exit(1);
                }
                if (fd >= 0)
                        close(fd);
                if (!write_all(out, &h, sizeof h))
                        _exit(1);
        }
        _exit(0);
}

/* Reads exactly n bytes before deadline: 0, -ETIME, or -EIO (end of the pipe: the child died). */
static int read_exact(int fd, void *p, size_t n, uint64_t deadline)
{
        char *c = p;

        while (n > 0) {
                ssize_t k = io_read_until(fd, c, n, deadline);

                if (k <= 0)
                        return k < 0 ? (int) k : -EIO;
                c += k;
                n -= (size_t) k;
        }
        return 0;
}

/* One file from the child into f: 0 when the child reported its end, or why not. */
static int receive_file(int fd, unsigned timeout_ms, ProcFile *f)
{
        uint64_t deadline = deadline_in(timeout_ms * 1000ULL);
        size_t cap = 0;

        for (;;) {
                int32_t h;
                int r = read_exact(fd, &h, sizeof h, deadline);

                if (r < 0)
                        return r;
                if (h <= 0) {
                        f->r = h;
                        return 0;
                }
                if (f->size + (size_t) h > READ_FULL_MAX)
                        return -EFBIG;
                if (f->size + (size_t) h + 1 > cap) {
                        size_t c = cap * 2 > f->size + (size_t) h + 1 ? cap * 2 : f->size + (size_t) h + 1;
                        char *v = realloc(f->data, c);

                        if (!v)
                                return -ENOMEM;
                        f->data = v;
                        cap = c;
                }
                r = read_exact(fd, f->data + f->size, (size_t) h, deadline);
                if (r < 0)
                        return r;
                f->size += (size_t) h;
                f->data[f->size] = 0;
        }
}

int proc_read_exact(int fd, void *p, size_t n, unsigned timeout_ms)
{
        return read_exact(fd, p, n, deadline_in(timeout_ms * 1000ULL));
}

void proc_child_end(pid_t child, bool kill_it)
{
        if (kill_it)
                (void) kill(child, SIGKILL);
        for (int i = 0; i < 100; i++) {
                pid_t p = waitpid(child, NULL, kill_it ? WNOHANG : 0);

                if (p == child || (p < 0 && errno != EINTR))
                        return;
                if (p == 0)
                        (void) usleep(1000);
        }
}

pid_t proc_fork_pipe(int *ret_fd)
{
        int p[2];
        pid_t child;

        if (pipe2(p, O_CLOEXEC) < 0)
                return -errno;
        child = fork();
        if (child < 0) {
                int r = -errno;

                close(p[0]);
                close(p[1]);
                return r;
        }
        close(p[child == 0 ? 0 : 1]);
        *ret_fd = p[child == 0 ? 1 : 0];
        return child;
}

/* Starts a child for paths[*i..n) and takes what it sends; *i moves past every file it
 * settled (read, failed, or abandoned). */
static int read_batch(const char *const *paths, size_t *i, size_t n, unsigned timeout_ms, ProcFile *ret)
{
        _cleanup_close_ int in = -1;
        int fd, r = 0;
        pid_t child = proc_fork_pipe(&fd);

        if (child < 0)
                return child;
        if (child == 0)
                child_read(fd, paths, *i, n);
        in = fd;
        for (; *i < n; (*i)++) {
                r = receive_file(in, timeout_ms, &ret[*i]);
                if (r < 0) {
                        free(ret[*i].data);
                        ret[*i] = (ProcFile){.r = r};
                        (*i)++;
                        break;
                }
                if (ret[*i].r < 0) {
                        free(ret[*i].data);
                        ret[*i].data = NULL;
                        ret[*i].size = 0;
                } else if (!ret[*i].data && !(ret[*i].data = strdup("")))
                        r = -ENOMEM;
                if (r < 0)
                        break;
        }
        proc_child_end(child, r < 0);
        return r == -ENOMEM ? r : 0;
}

int proc_read_files(const char *const *paths, size_t n, unsigned timeout_ms, ProcFile *ret)
{
        size_t i = 0;

        for (size_t k = 0; k < n; k++)
                ret[k] = (ProcFile){};
        while (i < n) {
                int r = read_batch(paths, &i, n, timeout_ms ? timeout_ms : PROC_READ_TIMEOUT_MS, ret);

                if (r < 0) {
                        proc_files_done(ret, n);
                        return r;
                }
        }
        return 0;
}
