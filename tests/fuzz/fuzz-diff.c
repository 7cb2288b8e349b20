/* SPDX-License-Identifier: MIT */
/* Two texts split from the input at the first NUL (no NUL: old is NULL, a new file). */
#include "basic/diff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        _cleanup_free_ char *buf = NULL, *d = NULL;
        const char *old = NULL, *new;

        if (size > 64 * 1024)
                return 0;
        buf = malloc(size + 1);
        if (!buf)
                return 0;
        memcpy(buf, data, size);
        buf[size] = '\0';
        new = buf;
        size_t l = strlen(buf);
        if (l < size) {
                old = buf;
                new = buf + l + 1;
        }
        if (unified_diff("a", old, "b", new, &d) == 0 && streq(strempty(old), new) && old && d[0] != '\0')
                __builtin_trap(); /* equal texts must give no diff */
        return 0;
}
