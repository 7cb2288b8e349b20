/* SPDX-License-Identifier: MIT */
#include "basic/io-util.h"

#include "basic/deadline.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <unistd.h>

ssize_t io_read_until(int fd, void *p, size_t n, uint64_t deadline_usec)
{
        for (;;) {
                uint64_t now = deadline_now_usec();
                /* in whole milliseconds, rounded up: poll() would wake early, then spin */
                uint64_t left = now < deadline_usec ? (deadline_usec - now + 999) / 1000 : 0;
                struct pollfd pfd = {.fd = fd, .events = POLLIN};
                ssize_t k;
                int r;

                if (left == 0)
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
