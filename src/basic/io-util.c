/* SPDX-License-Identifier: MIT */
#include "basic/io-util.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>

long long io_now_ms(void)
{
        struct timespec ts;

        (void) clock_gettime(CLOCK_MONOTONIC, &ts);
        return (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

ssize_t io_read_until(int fd, void *p, size_t n, long long deadline_ms)
{
        for (;;) {
                long long left = deadline_ms - io_now_ms();
                struct pollfd pfd = {.fd = fd, .events = POLLIN};
                ssize_t k;
                int r;

                if (left <= 0)
                        return -ETIME;
                r = poll(&pfd, 1, left > INT_MAX ? INT_MAX : (int) left);
                if (r < 0 && errno != EINTR)
                        return -errno;
                if (r <= 0)
                        continue;
                k = read(fd, p, n);
                if (k < 0 && (errno == EINTR || errno == EAGAIN))
                        continue;
                return k < 0 ? -errno : k;
        }
}
