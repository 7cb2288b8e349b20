/* SPDX-License-Identifier: MIT */
/* Growing arrays, as systemd's GREEDY_REALLOC(): appending n items costs O(n) copies, not
 * O(n^2) (which under ASan, where every realloc moves, took seconds for 20000 words). */
#pragma once

#include <stddef.h>

/* Makes *p hold at least need items of size bytes, doubling when it grows. The room already
 * there is asked of the allocator (malloc_usable_size()), so arrays allocated elsewhere (calloc,
 * strdup of a list) grow the same way. Returns *p, or NULL on ENOMEM with *p unchanged. */
void *greedy_realloc(void **p, size_t need, size_t size);
