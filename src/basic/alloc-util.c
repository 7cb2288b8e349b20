/* SPDX-License-Identifier: MIT */
#include "basic/alloc-util.h"

#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>

void *greedy_realloc(void **p, size_t need, size_t size)
{
        size_t n;
        void *q;

        if (size == 0 || need > SIZE_MAX / size / 2)
                return NULL;
        if (*p && malloc_usable_size(*p) >= need * size)
                return *p;
        n = need < 4 ? 4 : need * 2;
        q = realloc(*p, n * size);
        if (!q)
                return NULL;
        *p = q;
        return q;
}
