/* SPDX-License-Identifier: MIT */
/* Word splitting as systemd v252 src/basic/extract-word.c extract_first_word() with
 * EXTRACT_UNQUOTE (always) and EXTRACT_CUNESCAPE (unless EXTRACT_NO_CUNESCAPE), and C escapes as
 * src/basic/escape.c cunescape_one() with accept_nul=false. */
#include "systemd/extract-word.h"

#define WHITESPACE " \t\n\r"

static int unoct(char c)
{
        return c >= '0' && c <= '7' ? c - '0' : -EINVAL;
}

/* systemd's unichar_is_valid(): only \U checks it; \u accepts surrogates. */
static bool unichar_is_valid(uint32_t c)
{
        if (c >= 0x110000)
                return false;
        if ((c & 0xFFFFF800) == 0xD800)
                return false;
        if (c >= 0xFDD0 && c <= 0xFDEF)
                return false;
        if ((c & 0xFFFE) == 0xFFFE)
                return false;
        return true;
}

static int put_utf8(StrBuf *out, uint32_t c)
{
        char b[4];
        size_t n;

        if (c < 0x80) {
                b[0] = (char) c;
                n = 1;
        } else if (c < 0x800) {
                b[0] = (char) (0xC0 | (c >> 6));
                b[1] = (char) (0x80 | (c & 0x3F));
                n = 2;
        } else if (c < 0x10000) {
                b[0] = (char) (0xE0 | (c >> 12));
                b[1] = (char) (0x80 | ((c >> 6) & 0x3F));
                b[2] = (char) (0x80 | (c & 0x3F));
                n = 3;
        } else {
                b[0] = (char) (0xF0 | (c >> 18));
                b[1] = (char) (0x80 | ((c >> 12) & 0x3F));
                b[2] = (char) (0x80 | ((c >> 6) & 0x3F));
                b[3] = (char) (0x80 | (c & 0x3F));
                n = 4;
        }
        return sb_append_len(out, b, n);
}

static int unhex_n(const char *s, size_t n, uint32_t *ret)
{
        uint32_t v = 0;

        for (size_t i = 0; i < n; i++) {
                int d = unhexchar(s[i]);
                if (d < 0)
                        return d;
                v = (v << 4) | (uint32_t) d;
        }
        *ret = v;
        return 0;
}

int cunescape_one(const char *s, size_t len, StrBuf *out)
{
        static const char simple_in[] = "abfnrtv\\\"'s";
        static const char simple_out[] = "\a\b\f\n\r\t\v\\\"' ";
        const char *k;
        uint32_t c;
        int r;

        if (len < 1 || s[0] == '\0')
                return -EINVAL;

        k = strchr(simple_in, s[0]);
        if (k) {
                r = sb_putc(out, simple_out[k - simple_in]);
                return r < 0 ? r : 1;
        }

        switch (s[0]) {
        case 'x':
                /* A raw byte, not UTF-8 encoded. The length check stops at the NUL before s[2]. */
                if (len < 3 || unhexchar(s[1]) < 0 || unhexchar(s[2]) < 0)
                        return -EINVAL;
                c = (uint32_t) (unhexchar(s[1]) << 4 | unhexchar(s[2]));
                if (c == 0)
                        return -EINVAL;
                r = sb_putc(out, (char) c);
                return r < 0 ? r : 3;
        case 'u':
                if (len < 5 || unhex_n(s + 1, 4, &c) < 0 || c == 0)
                        return -EINVAL;
                r = put_utf8(out, c);
                return r < 0 ? r : 5;
        case 'U':
                if (len < 9 || unhex_n(s + 1, 8, &c) < 0 || c == 0 || !unichar_is_valid(c))
                        return -EINVAL;
                r = put_utf8(out, c);
                return r < 0 ? r : 9;
        case '0':
        case '1':
        case '2':
        case '3':
        case '4':
        case '5':
        case '6':
        case '7':
                /* Exactly three octal digits, 1..255, emitted as a raw byte. */
                if (len < 3 || unoct(s[1]) < 0 || unoct(s[2]) < 0)
                        return -EINVAL;
                c = (uint32_t) (unoct(s[0]) << 6 | unoct(s[1]) << 3 | unoct(s[2]));
                if (c == 0 || c > 255)
                        return -EINVAL;
                r = sb_putc(out, (char) c);
                return r < 0 ? r : 3;
        default:
                return -EINVAL;
        }
}

/* At a backslash (*q). Returns 1 when the word goes on (*q past the escape), 0 when a trailing
 * backslash ends it (*q past the backslash), -EINVAL (*q still at the backslash), -ENOMEM. */
static int extract_escape(const char **q, StrBuf *s, ExtractFlags flags, char quote)
{
        char c = (*q)[1];
        int r;

        if (c == '\0') {
                /* A trailing backslash: kept when relaxed and not inside quotes. */
                if ((flags & EXTRACT_RELAX_UNKNOWN_ESCAPES) && (!quote || (flags & EXTRACT_RELAX))) {
                        r = sb_putc(s, '\\');
                        if (r < 0)
                                return r;
                        (*q)++;
                        return 0;
                }
                if (flags & EXTRACT_RELAX) {
                        (*q)++;
                        return 0;
                }
                return -EINVAL;
        }
        if (flags & EXTRACT_NO_CUNESCAPE) {
                r = sb_putc(s, c);
                if (r < 0)
                        return r;
                *q += 2;
                return 1;
        }
        r = cunescape_one(*q + 1, SIZE_MAX, s);
        if (r == -ENOMEM)
                return r;
        if (r > 0) {
                *q += 1 + r;
                return 1;
        }
        if (!(flags & EXTRACT_RELAX_UNKNOWN_ESCAPES))
                return -EINVAL;
        /* Unknown escape: keep the backslash and the one byte after it. */
        r = sb_append_len(s, *q, 2);
        if (r < 0)
                return r;
        *q += 2;
        return 1;
}

int extract_first_word(const char **p, char **ret, ExtractFlags flags)
{
        _cleanup_sb_ StrBuf s = {};
        const char *q;
        char quote = 0;
        int r;

        *ret = NULL;
        if (!*p)
                return 0;

        q = *p + strspn(*p, WHITESPACE);
        if (*q == '\0') {
                *p = q;
                return 0;
        }

        /* From here on there is a word, even if it turns out empty (""). */
        for (;;) {
                char c = *q;

                if (c == '\\') {
                        r = extract_escape(&q, &s, flags, quote);
                        if (r == -EINVAL)
                                *p = q;
                        if (r < 0)
                                return r;
                        if (r == 0)
                                break;
                        continue;
                }

                if (quote) {
                        if (c == '\0') {
                                if (flags & EXTRACT_RELAX)
                                        break;
                                *p = q;
                                return -EINVAL;
                        }
                        if (c == quote)
                                quote = 0;
                        else {
                                r = sb_putc(&s, c);
                                if (r < 0)
                                        return r;
                        }
                        q++;
                        continue;
                }

                if (c == '\0')
                        break;
                if (c == '\'' || c == '"') {
                        /* Quotes may open mid-word; the pieces are joined. */
                        quote = c;
                        q++;
                        continue;
                }
                if (strchr(WHITESPACE, c)) {
                        q += strspn(q, WHITESPACE);
                        break;
                }
                r = sb_putc(&s, c);
                if (r < 0)
                        return r;
                q++;
        }

        *p = q;
        *ret = sb_steal(&s);
        if (!*ret)
                return -ENOMEM;
        return 1;
}
