/* SPDX-License-Identifier: MIT */
#include "basic/deadline.h"
#include "collect/collect.h"

/* A wait cut to the deadline may end a few milliseconds early (poll() in whole milliseconds,
 * sd-bus' timers). */
#define DEADLINE_SLACK_USEC 50000ULL

bool collect_deadline_passed(const CollectOptions *o)
{
        return o && deadline_reached(o->deadline_usec, DEADLINE_SLACK_USEC);
}

int collect_timeout_reason(const CollectOptions *o, int r, char **why)
{
        uint64_t t;
        char *s;

        if (r != -ETIMEDOUT || !collect_deadline_passed(o))
                return 0;
        t = o->timeout_usec ? o->timeout_usec : COLLECT_TIMEOUT_DEFAULT_USEC;
        s = strdupf("timed out after %llu s (--timeout): %s", (unsigned long long) (t / 1000000ULL),
                *why ? *why : strerror(-r));
        if (!s)
                return -ENOMEM;
        free(*why);
        *why = s;
        return 0;
}
