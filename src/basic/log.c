/* SPDX-License-Identifier: MIT */
#include "basic/log.h"

void log_error(const char *fmt, ...)
{
        va_list ap;

        fputs(LOG_PREFIX, stderr);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
}

int log_error_errno(int r, const char *detail)
{
        log_error("%s", detail && *detail ? detail : strerror(r < 0 ? -r : r));
        return r;
}

int log_errorf_errno(int r, const char *fmt, ...)
{
        va_list ap;

        fputs(LOG_PREFIX, stderr);
        /* glibc's printf prints strerror(errno) for %m */
        errno = r < 0 ? -r : r;
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
        return r;
}

int log_oom(void)
{
        log_error("out of memory");
        return -ENOMEM;
}
