/* SPDX-License-Identifier: MIT */
/* Myers' O((N+M)D) diff on lines, then GNU diff's shift_boundaries() so that ambiguous
 * change runs land where `diff -u` puts them, then diff -u's hunk layout. */
#include "basic/diff.h"

#define CONTEXT 3
/* Edit distance past which we stop searching: the saved V rows take D^2 ints (16 MB here). */
#define MAX_D 2000

typedef struct Line {
        const char *s;
        size_t len; /* including the '\n', when there is one */
} Line;

static int split_lines(const char *text, Line **ret, size_t *ret_n)
{
        size_t n = 0, i = 0;
        Line *l;

        for (const char *p = text; *p; p++)
                if (*p == '\n')
                        n++;
        if (*text && text[strlen(text) - 1] != '\n')
                n++;
        l = calloc(n + 1, sizeof *l);
        if (!l)
                return -ENOMEM;
        for (const char *p = text; *p;) {
                const char *e = strchr(p, '\n');
                size_t len = e ? (size_t) (e - p) + 1 : strlen(p);
                l[i++] = (Line){p, len};
                p += len;
        }
        *ret = l;
        *ret_n = n;
        return 0;
}

static bool line_eq(const Line *a, const Line *b)
{
        return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
}

/* Marks changed lines of a[0..n) and b[0..m) (flags already zero). */
static int myers(const Line *a, size_t n, const Line *b, size_t m, char *ca, char *cb)
{
        _cleanup_free_ int *hist = NULL;
        size_t hist_cap = 0;
        long N = (long) n, M = (long) m, d_found = -1;
        long maxd = N + M < MAX_D ? N + M : MAX_D;

        /* V for the current round lives in the tail of hist; row d is saved at hist[d*d]. */
        for (long d = 0; d <= maxd && d_found < 0; d++) {
                size_t need = (size_t) (d + 1) * (size_t) (d + 1);
                if (need > hist_cap) {
                        size_t cap = need * 2 < 64 ? 64 : need * 2;
                        int *h = realloc(hist, cap * sizeof *h);
                        if (!h)
                                return -ENOMEM;
                        hist = h;
                        hist_cap = cap;
                }
                int *row = hist + d * d, *prev = d > 0 ? hist + (d - 1) * (d - 1) : NULL;
                for (long k = -d; k <= d; k += 2) {
                        long x;
                        /* prev row covers k in [-(d-1), d-1] at index k + d - 1 */
                        if (d == 0)
                                x = 0;
                        else if (k == -d || (k != d && prev[k - 1 + d - 1] < prev[k + 1 + d - 1]))
                                x = prev[k + 1 + d - 1];
                        else
                                x = prev[k - 1 + d - 1] + 1;
                        long y = x - k;
                        while (x < N && y < M && line_eq(&a[x], &b[y]))
                                x++, y++;
                        row[k + d] = (int) x;
                        if (x >= N && y >= M) {
                                d_found = d;
                                break;
                        }
                }
        }

        if (d_found < 0) {
                /* Too different: replace the whole block. Correct, just not minimal. */
                memset(ca, 1, n);
                memset(cb, 1, m);
                return 0;
        }

        long x = N, y = M;
        for (long d = d_found; d > 0; d--) {
                const int *prev = hist + (d - 1) * (d - 1);
                long k = x - y, pk;
                if (k == -d || (k != d && prev[k - 1 + d - 1] < prev[k + 1 + d - 1]))
                        pk = k + 1;
                else
                        pk = k - 1;
                long px = prev[pk + d - 1], py = px - pk;
                if (pk == k + 1)
                        cb[py] = 1; /* down: b[py] inserted */
                else
                        ca[px] = 1; /* right: a[px] deleted */
                x = px;
                y = py;
        }
        return 0;
}

/* GNU diff's shift_boundaries() (analyze.c), same sentinel layout: changed[-1] and changed[n]
 * exist and are 0. Slides each run of changes as far down as possible, merging with
 * neighbours, then back up to line up with a change in the other file. */
static void shift_boundaries(const Line *lines, char *changed, size_t n_, const char *other_changed)
{
        long i = 0, j = 0, i_end = (long) n_;

        for (;;) {
                long runlength, start, corresponding;

                while (i < i_end && !changed[i]) {
                        while (other_changed[j++])
                                ;
                        i++;
                }
                if (i == i_end)
                        break;
                start = i;
                while (changed[++i])
                        ;
                while (other_changed[j])
                        j++;

                do {
                        runlength = i - start;
                        while (start && line_eq(&lines[start - 1], &lines[i - 1])) {
                                changed[--start] = 1;
                                changed[--i] = 0;
                                while (changed[start - 1])
                                        start--;
                                while (other_changed[--j])
                                        ;
                        }
                        corresponding = other_changed[j - 1] ? i : i_end;
                        while (i != i_end && line_eq(&lines[start], &lines[i])) {
                                changed[start++] = 0;
                                changed[i++] = 1;
                                while (changed[i])
                                        i++;
                                while (other_changed[++j])
                                        corresponding = i;
                        }
                } while (runlength != i - start);

                while (corresponding < i) {
                        changed[--start] = 1;
                        changed[--i] = 0;
                        while (other_changed[--j])
                                ;
                }
        }
}

typedef struct Change {
        size_t a, n_del, b, n_ins;
} Change;

static int emit_line(StrBuf *out, char prefix, const Line *l)
{
        int r = sb_putc(out, prefix);
        if (r >= 0)
                r = sb_append_len(out, l->s, l->len);
        if (r >= 0 && (l->len == 0 || l->s[l->len - 1] != '\n'))
                r = sb_append(out, "\n\\ No newline at end of file\n");
        return r;
}

/* diff -u's range: "L" for one line, "L,N" otherwise, and for no lines the line before. */
static int emit_range(StrBuf *out, size_t start, size_t count)
{
        if (count == 0)
                return sb_printf(out, "%zu,0", start);
        if (count == 1)
                return sb_printf(out, "%zu", start + 1);
        return sb_printf(out, "%zu,%zu", start + 1, count);
}

static int emit_hunks(
        StrBuf *out, const Line *a, size_t na, const Line *b, size_t nb, const Change *ch, size_t n_ch)
{
        int r;

        for (size_t h = 0; h < n_ch;) {
                size_t last = h;
                /* Merge while the unchanged gap is at most 2*CONTEXT lines. */
                while (last + 1 < n_ch && ch[last + 1].a - (ch[last].a + ch[last].n_del) <= 2 * CONTEXT)
                        last++;
                size_t pre = ch[h].a < CONTEXT ? ch[h].a : CONTEXT;
                size_t a_end = ch[last].a + ch[last].n_del;
                size_t post = na - a_end < CONTEXT ? na - a_end : CONTEXT;
                size_t a_lo = ch[h].a - pre, b_lo = ch[h].b - pre;
                size_t a_hi = a_end + post, b_hi = ch[last].b + ch[last].n_ins + post;

                if ((r = sb_append(out, "@@ -")) < 0 || (r = emit_range(out, a_lo, a_hi - a_lo)) < 0 ||
                        (r = sb_append(out, " +")) < 0 || (r = emit_range(out, b_lo, b_hi - b_lo)) < 0 ||
                        (r = sb_append(out, " @@\n")) < 0)
                        return r;

                size_t i = a_lo;
                for (size_t c = h; c <= last; c++) {
                        for (; i < ch[c].a; i++)
                                if ((r = emit_line(out, ' ', &a[i])) < 0)
                                        return r;
                        for (size_t k = 0; k < ch[c].n_del; k++, i++)
                                if ((r = emit_line(out, '-', &a[i])) < 0)
                                        return r;
                        for (size_t k = 0; k < ch[c].n_ins; k++)
                                if ((r = emit_line(out, '+', &b[ch[c].b + k])) < 0)
                                        return r;
                }
                for (; i < a_hi; i++)
                        if ((r = emit_line(out, ' ', &a[i])) < 0)
                                return r;
                h = last + 1;
        }
        (void) nb;
        return 0;
}

int unified_diff(
        const char *old_label, const char *old_text, const char *new_label, const char *new_text, char **ret)
{
        _cleanup_free_ Line *a = NULL, *b = NULL;
        _cleanup_free_ char *fa = NULL, *fb = NULL;
        _cleanup_free_ Change *ch = NULL;
        _cleanup_sb_ StrBuf out = {};
        size_t na, nb, pre = 0, suf = 0, n_ch = 0;
        int r;

        if (streq(strempty(old_text), strempty(new_text)) && !old_text == !new_text) {
                *ret = strdup("");
                return *ret ? 0 : -ENOMEM;
        }
        if ((r = split_lines(strempty(old_text), &a, &na)) < 0 ||
                (r = split_lines(strempty(new_text), &b, &nb)) < 0)
                return r;

        /* Flags with a zero sentinel on each side, as shift_boundaries() expects. */
        fa = calloc(na + 2, 1);
        fb = calloc(nb + 2, 1);
        if (!fa || !fb)
                return -ENOMEM;
        char *ca = fa + 1, *cb = fb + 1;

        while (pre < na && pre < nb && line_eq(&a[pre], &b[pre]))
                pre++;
        while (suf < na - pre && suf < nb - pre && line_eq(&a[na - 1 - suf], &b[nb - 1 - suf]))
                suf++;
        r = myers(a + pre, na - pre - suf, b + pre, nb - pre - suf, ca + pre, cb + pre);
        if (r < 0)
                return r;
        shift_boundaries(a, ca, na, cb);
        shift_boundaries(b, cb, nb, ca);

        ch = calloc(na + nb + 1, sizeof *ch);
        if (!ch)
                return -ENOMEM;
        for (size_t i = 0, j = 0; i < na || j < nb;) {
                if ((i < na && ca[i]) || (j < nb && cb[j])) {
                        Change c = {i, 0, j, 0};
                        while (i < na && ca[i])
                                i++, c.n_del++;
                        while (j < nb && cb[j])
                                j++, c.n_ins++;
                        ch[n_ch++] = c;
                } else
                        i++, j++;
        }

        if (n_ch == 0) { /* e.g. a new empty file: diff -u prints nothing either */
                *ret = strdup("");
                return *ret ? 0 : -ENOMEM;
        }
        if ((r = sb_printf(&out, "--- %s\n+++ %s\n", old_text ? old_label : "/dev/null",
                     new_text ? new_label : "/dev/null")) < 0)
                return r;
        if ((r = emit_hunks(&out, a, na, b, nb, ch, n_ch)) < 0)
                return r;
        *ret = sb_steal(&out);
        return *ret ? 0 : -ENOMEM;
}
