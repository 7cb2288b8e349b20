/* SPDX-License-Identifier: MIT */
#include "leaks/leaks-text.h"

/* The length of the UTF-8 sequence at s if it is a valid one, else 0. */
static size_t utf8_len(const unsigned char *s)
{
        size_t n = *s < 0x80                  ? 1
                   : *s >= 0xc2 && *s <= 0xdf ? 2
                   : *s >= 0xe0 && *s <= 0xef ? 3
                   : *s >= 0xf0 && *s <= 0xf4 ? 4
                                              : 0;

        for (size_t i = 1; i < n; i++)
                if (!s[i])
                        return 0;
        return n > 0 && utf8_is_valid_n((const char *) s, n) ? n : 0;
}

char *leaks_escape(const char *s, bool controls)
{
        _cleanup_sb_ StrBuf b = {};
        const unsigned char *p = (const unsigned char *) s;

        if (!s)
                return NULL;
        while (*p) {
                size_t n = utf8_len(p);
                bool c1 = n == 2 && p[0] == 0xc2 && p[1] < 0xa0;
                int r;

                if (n == 0 || (controls && (*p < 0x20 || *p == 0x7f || c1))) {
                        size_t k = n ? n : 1;

                        for (size_t i = 0; i < k; i++)
                                if (sb_printf(&b, "\\x%02x", p[i]) < 0)
                                        return NULL;
                        p += k;
                        continue;
                }
                r = sb_append_len(&b, (const char *) p, n);
                if (r < 0)
                        return NULL;
                p += n;
        }
        return b.buf ? sb_steal(&b) : strdup("");
}
