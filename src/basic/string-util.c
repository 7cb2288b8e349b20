/* SPDX-License-Identifier: MIT */
#include "basic/string-util.h"

bool endswith(const char *s, const char *suffix)
{
        size_t a = strlen(s), b = strlen(suffix);
        return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

char *strdupf(const char *fmt, ...)
{
        va_list ap;
        char *s;
        int n;

        va_start(ap, fmt);
        n = vasprintf(&s, fmt, ap);
        va_end(ap);
        return n < 0 ? NULL : s;
}

char *strstrip(char *s)
{
        size_t n;

        s += strspn(s, " \t\r\n");
        n = strlen(s);
        while (n > 0 && strchr(" \t\r\n", s[n - 1]))
                n--;
        s[n] = 0;
        return s;
}

bool utf8_is_valid_n(const char *str, size_t n)
{
        const unsigned char *s = (const unsigned char *) str;
        size_t i = 0;

        while (i < n) {
                unsigned c = s[i], len, cp;

                if (c < 0x80) {
                        i++;
                        continue;
                }
                if ((c & 0xE0) == 0xC0)
                        len = 2, cp = c & 0x1F;
                else if ((c & 0xF0) == 0xE0)
                        len = 3, cp = c & 0x0F;
                else if ((c & 0xF8) == 0xF0)
                        len = 4, cp = c & 0x07;
                else
                        return false;
                if (i + len > n)
                        return false;
                for (unsigned k = 1; k < len; k++) {
                        if ((s[i + k] & 0xC0) != 0x80)
                                return false;
                        cp = (cp << 6) | (s[i + k] & 0x3F);
                }
                /* Reject overlong forms, surrogates and values past U+10FFFF. */
                if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
                        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
                        return false;
                i += len;
        }
        return true;
}
