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

/* The length of the well-formed UTF-8 sequence at s (at most n bytes), its code point in
 * *ret_cp; 0 when the bytes at s do not start one (overlong forms, surrogates, values past
 * U+10FFFF and sequences cut short by n are not well-formed). */
static size_t utf8_char_len(const unsigned char *s, size_t n, unsigned *ret_cp)
{
        unsigned c = s[0], len, cp;

        if (c < 0x80) {
                *ret_cp = c;
                return 1;
        }
        if ((c & 0xE0) == 0xC0)
                len = 2, cp = c & 0x1F;
        else if ((c & 0xF0) == 0xE0)
                len = 3, cp = c & 0x0F;
        else if ((c & 0xF8) == 0xF0)
                len = 4, cp = c & 0x07;
        else
                return 0;
        if (len > n)
                return 0;
        for (unsigned k = 1; k < len; k++) {
                if ((s[k] & 0xC0) != 0x80)
                        return 0;
                cp = (cp << 6) | (s[k] & 0x3F);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
                (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
                return 0;
        *ret_cp = cp;
        return len;
}

bool utf8_is_valid_n(const char *str, size_t n)
{
        const unsigned char *s = (const unsigned char *) str;
        size_t i = 0;
        unsigned cp;

        while (i < n) {
                size_t len;

                if (s[i] < 0x80) { /* the common case, without the call */
                        i++;
                        continue;
                }
                len = utf8_char_len(s + i, n - i, &cp);
                if (len == 0)
                        return false;
                i += len;
        }
        return true;
}

bool utf8_is_valid(const char *s)
{
        return utf8_is_valid_n(s, strlen(s));
}

/* Control characters (C0, DEL, C1) and the noncharacters U+FFFE, U+FFFF, which XML cannot
 * carry either. */
static bool unichar_is_printable(unsigned cp)
{
        return cp >= 0x20 && !(cp >= 0x7F && cp <= 0x9F) && cp != 0xFFFE && cp != 0xFFFF;
}

static char *hex_byte(char *p, unsigned char c)
{
        static const char hex[] = "0123456789abcdef";

        *p++ = '\\';
        *p++ = 'x';
        *p++ = hex[c >> 4];
        *p++ = hex[c & 15];
        return p;
}

char *utf8_escape_non_printable(const char *str)
{
        const unsigned char *s = (const unsigned char *) str;
        size_t n = strlen(str), i = 0;
        char *ret = malloc(n * 4 + 1), *p = ret;
        unsigned cp;

        if (!ret)
                return NULL;
        while (i < n) {
                size_t len = utf8_char_len(s + i, n - i, &cp);

                if (len > 0 && unichar_is_printable(cp)) {
                        memcpy(p, s + i, len);
                        p += len;
                        i += len;
                        continue;
                }
                /* An unprintable character: each of its bytes; a byte that starts no
                 * character: that byte. */
                for (size_t k = 0; k < (len ? len : 1); k++)
                        p = hex_byte(p, s[i + k]);
                i += len ? len : 1;
        }
        *p = 0;
        return ret;
}

char *utf8_escape_bytes(const char *str)
{
        const unsigned char *s = (const unsigned char *) str;
        size_t n = strlen(str), i = 0;
        char *ret = malloc(n * 4 + 1), *p = ret;
        unsigned cp;

        if (!ret)
                return NULL;
        while (i < n) {
                size_t len = utf8_char_len(s + i, n - i, &cp);

                if (len == 0) {
                        p = hex_byte(p, s[i++]);
                } else if (s[i] == '\\') {
                        *p++ = '\\';
                        *p++ = '\\';
                        i++;
                } else {
                        memcpy(p, s + i, len);
                        p += len;
                        i += len;
                }
        }
        *p = 0;
        return ret;
}

char *utf8_escape_invalid(const char *s)
{
        return utf8_is_valid(s) ? strdup(s) : utf8_escape_bytes(s);
}

static int unhex(char c)
{
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

int utf8_unescape_invalid(const char *s, char **ret)
{
        _cleanup_free_ char *out = malloc(strlen(s) + 1);
        char *p = out;

        if (!out)
                return -ENOMEM;
        while (*s) {
                int hi, lo;

                if (*s != '\\') {
                        *p++ = *s++;
                        continue;
                }
                if (s[1] == '\\') {
                        *p++ = '\\';
                        s += 2;
                        continue;
                }
                if (s[1] != 'x' || (hi = unhex(s[2])) < 0 || (lo = unhex(s[3])) < 0 || hi + lo == 0)
                        return -EINVAL;
                *p++ = (char) (hi << 4 | lo);
                s += 4;
        }
        *p = 0;
        *ret = TAKE_PTR(out);
        return 0;
}
