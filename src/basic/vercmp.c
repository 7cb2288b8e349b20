/* SPDX-License-Identifier: MIT */
/* Version ordering with rpm's rpmvercmp() rules (lib/rpmvercmp.c in rpm), written
 * from its documented behaviour and test suite (tests/rpmvercmp.at). */
#include "basic/vercmp.h"

#include "basic/util.h"

/* rpm classifies bytes with its own ASCII-only helpers, not the locale. */
static bool is_digit(char c)
{
        return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_alnum(char c)
{
        return is_digit(c) || is_alpha(c);
}

/* Any byte that is not alphanumeric, "~" or "^" just separates segments. */
static const char *skip_separators(const char *p)
{
        while (*p && !is_alnum(*p) && *p != '~' && *p != '^')
                p++;
        return p;
}

static int cmp_bytes(const char *a, size_t la, const char *b, size_t lb)
{
        int r = memcmp(a, b, la < lb ? la : lb);

        if (r != 0)
                return r < 0 ? -1 : 1;
        return la < lb ? -1 : la > lb ? 1 : 0;
}

int rpmvercmp(const char *a, const char *b)
{
        if (streq(a, b))
                return 0;

        while (*a || *b) {
                const char *sa, *sb;
                bool numeric;

                a = skip_separators(a);
                b = skip_separators(b);

                /* "~" sorts before anything, even the end of the string. */
                if (*a == '~' || *b == '~') {
                        if (*a != '~')
                                return 1;
                        if (*b != '~')
                                return -1;
                        a++, b++;
                        continue;
                }

                /* "^" sorts after the end of the string but before any other segment. */
                if (*a == '^' || *b == '^') {
                        if (!*a)
                                return -1;
                        if (!*b)
                                return 1;
                        if (*a != '^')
                                return 1;
                        if (*b != '^')
                                return -1;
                        a++, b++;
                        continue;
                }

                if (!*a || !*b)
                        break;

                /* A segment is a run of digits or a run of letters, decided by a's first byte. */
                sa = a;
                sb = b;
                numeric = is_digit(*a);
                if (numeric) {
                        while (is_digit(*a))
                                a++;
                        while (is_digit(*b))
                                b++;
                } else {
                        while (is_alpha(*a))
                                a++;
                        while (is_alpha(*b))
                                b++;
                }

                /* b has the other kind of segment here: numbers are newer than letters. */
                if (b == sb)
                        return numeric ? 1 : -1;

                if (numeric) {
                        size_t la, lb;

                        while (sa < a && *sa == '0')
                                sa++;
                        while (sb < b && *sb == '0')
                                sb++;
                        la = (size_t) (a - sa);
                        lb = (size_t) (b - sb);
                        /* Without leading zeros, the longer number is the larger. */
                        if (la != lb)
                                return la > lb ? 1 : -1;
                }

                int r = cmp_bytes(sa, (size_t) (a - sa), sb, (size_t) (b - sb));
                if (r != 0)
                        return r;
        }

        if (!*a && !*b)
                return 0;
        /* Whichever has segments left is newer. */
        return *a ? 1 : -1;
}
