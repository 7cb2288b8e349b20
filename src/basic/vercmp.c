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

/* Returned by cmp_markers() when neither side starts with "~" or "^". */
#define NO_MARKER 2

/* The "~" and "^" markers: -1/1 when they decide the order, 0 when both sides have the same
 * one (skipped: compare on), NO_MARKER when neither has one. */
static int cmp_markers(const char **pa, const char **pb)
{
        const char *a = *pa, *b = *pb;

        if (*a == '~' || *b == '~') {
                /* "~" sorts before anything, even the end of the string. */
                if (*a != '~')
                        return 1;
                if (*b != '~')
                        return -1;
        } else if (*a == '^' || *b == '^') {
                /* "^" sorts after the end of the string but before any other segment. */
                if (!*a)
                        return -1;
                if (!*b)
                        return 1;
                if (*a != '^')
                        return 1;
                if (*b != '^')
                        return -1;
        } else
                return NO_MARKER;
        (*pa)++, (*pb)++;
        return 0;
}

/* One segment of each (both non-empty): a run of digits or a run of letters, the kind decided
 * by a's first byte. Moves both past it; returns their order (0: equal, compare on). */
static int cmp_segment(const char **pa, const char **pb)
{
        const char *sa = *pa, *sb = *pb, *a = sa, *b = sb;
        bool numeric = is_digit(*a);

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
        *pa = a;
        *pb = b;

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
        return cmp_bytes(sa, (size_t) (a - sa), sb, (size_t) (b - sb));
}

int rpmvercmp(const char *a, const char *b)
{
        if (streq(a, b))
                return 0;

        while (*a || *b) {
                int r;

                a = skip_separators(a);
                b = skip_separators(b);
                r = cmp_markers(&a, &b);
                if (r == 0)
                        continue;
                if (r != NO_MARKER)
                        return r;
                if (!*a || !*b)
                        break;
                r = cmp_segment(&a, &b);
                if (r != 0)
                        return r;
        }

        if (!*a && !*b)
                return 0;
        /* Whichever has segments left is newer. */
        return *a ? 1 : -1;
}
