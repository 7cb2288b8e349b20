/* SPDX-License-Identifier: MIT */
#include "basic/thread-util.h"

bool thread_start_small(pthread_t *t, void *(*fn)(void *), void *userdata)
{
        pthread_attr_t attr;
        bool ok;

        if (pthread_attr_init(&attr) != 0)
                return false;
        (void) pthread_attr_setstacksize(&attr, 1024 * 1024);
        ok = pthread_create(t, &attr, fn, userdata) == 0;
        (void) pthread_attr_destroy(&attr);
        return ok;
}
