/* SPDX-License-Identifier: MIT */
#include "basic/deadline.h"

#include <errno.h>
#include <time.h>

uint64_t deadline_now_usec(void)
{
        struct timespec ts;

        (void) clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * 1000000ULL + (uint64_t) ts.tv_nsec / 1000ULL;
}

uint64_t deadline_in(uint64_t budget_usec)
{
        return deadline_now_usec() + budget_usec;
}

int deadline_budget(uint64_t deadline_usec, uint64_t own_usec, uint64_t *ret_usec)
{
        uint64_t now, left;

        if (!deadline_usec) {
                *ret_usec = own_usec ? own_usec : 1;
                return 0;
        }
        now = deadline_now_usec();
        if (now >= deadline_usec)
                return -ETIMEDOUT;
        left = deadline_usec - now;
        *ret_usec = left < own_usec ? left : own_usec;
        if (!*ret_usec)
                *ret_usec = 1;
        return 0;
}

bool deadline_reached(uint64_t deadline_usec, uint64_t slack_usec)
{
        return deadline_usec && deadline_now_usec() + slack_usec >= deadline_usec;
}
