/* SPDX-License-Identifier: MIT */
/* Waivers and findings: the expiry day (UTC, never the local time zone: the calendar
 * arithmetic is done here, not with mktime()), matching a finding and the host, and applying
 * a set to the findings of an audit. */
#include "rules/waiver.h"

#include <fnmatch.h>

/* Days from 1970-01-01 to y-m-d of the proleptic Gregorian calendar (H. Hinnant's
 * days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
        int64_t era;
        unsigned yoe, doy, doe;

        y -= m <= 2;
        era = (y >= 0 ? y : y - 399) / 400;
        yoe = (unsigned) (y - era * 400);
        doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
        doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + (int64_t) doe - 719468;
}

static unsigned days_in_month(unsigned y, unsigned m)
{
        static const unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

        return m == 2 && leap ? 29 : days[m - 1];
}

/* n digits at s into *ret. */
static bool digits(const char *s, size_t n, unsigned *ret)
{
        unsigned v = 0;

        for (size_t i = 0; i < n; i++) {
                if (s[i] < '0' || s[i] > '9')
                        return false;
                v = v * 10 + (unsigned) (s[i] - '0');
        }
        *ret = v;
        return true;
}

/* "YYYY-MM-DD" at s (exactly, s may go on) into days since the epoch. */
static int parse_day(const char *s, int64_t *ret)
{
        unsigned y, m, d;

        if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &m) || s[7] != '-' ||
                !digits(s + 8, 2, &d))
                return -EINVAL;
        if (y < 1970 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
                return -EINVAL;
        *ret = days_from_civil(y, m, d);
        return 0;
}

int waiver_parse_date(const char *s, int64_t *ret_end)
{
        int64_t day;

        if (strlen(s) != 10 || parse_day(s, &day) < 0)
                return -EINVAL;
        *ret_end = (day + 1) * 86400;
        return 0;
}

int waiver_parse_rfc3339(const char *s, int64_t *ret)
{
        unsigned hh, mm, ss, oh = 0, om = 0;
        const char *z = s + 19;
        int64_t day, off = 0;

        if (strlen(s) < 20 || parse_day(s, &day) < 0 || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
                !digits(s + 11, 2, &hh) || s[13] != ':' || !digits(s + 14, 2, &mm) || s[16] != ':' ||
                !digits(s + 17, 2, &ss) || hh > 23 || mm > 59 || ss > 60)
                return -EINVAL;
        if (*z == '.') {
                if (!(z[1] >= '0' && z[1] <= '9'))
                        return -EINVAL;
                for (z++; *z >= '0' && *z <= '9'; z++)
                        ;
        }
        if ((*z == 'Z' || *z == 'z') && z[1] == 0)
                off = 0;
        else if ((*z == '+' || *z == '-') && strlen(z) == 6 && digits(z + 1, 2, &oh) && z[3] == ':' &&
                 digits(z + 4, 2, &om) && oh < 24 && om < 60)
                off = (*z == '-' ? -1 : 1) * (int64_t) (oh * 3600 + om * 60);
        else
                return -EINVAL;
        /* A leap second counts as the last second of its minute. */
        *ret = day * 86400 + hh * 3600 + mm * 60 + (ss > 59 ? 59 : ss) - off;
        return 0;
}

bool waiver_expired(const Waiver *w, int64_t now)
{
        return w->expires && now >= w->expires_end;
}

bool waiver_matches_host(const Waiver *w, const char *hostname)
{
        if (!w->hosts)
                return true;
        if (!hostname)
                return false;
        for (char **g = w->hosts; *g; g++)
                if (fnmatch(*g, hostname, FNM_CASEFOLD) == 0)
                        return true;
        return false;
}

bool waiver_matches_finding(const Waiver *w, const Finding *f, const Facts *facts)
{
        if (!streq(w->rule, f->rule->id))
                return false;
        if (!w->evidence)
                return true;
        for (char **n = f->evidence; n && *n; n++) {
                const Fact *x = facts_get(facts, *n);

                if (x && x->known && x->source && fnmatch(w->evidence, x->source, 0) == 0)
                        return true;
        }
        return false;
}

/* The waiver for failing finding f: the first in force, else the first expired; marks every
 * waiver that matches as used. */
static void apply_one(
        const WaiverSet *s, Finding *f, const Facts *facts, const WaiverContext *ctx, bool *used)
{
        const Waiver *live = NULL, *expired = NULL;

        for (size_t j = 0; j < s->n; j++) {
                const Waiver *w = &s->v[j];

                if (!waiver_matches_host(w, ctx->hostname) || !waiver_matches_finding(w, f, facts))
                        continue;
                used[j] = true;
                if (!waiver_expired(w, ctx->now)) {
                        if (!live)
                                live = w;
                } else if (!expired)
                        expired = w;
        }
        if (live) {
                f->status = FINDING_WAIVED;
                f->waiver = live;
                f->waiver_expired = false;
        } else if (expired) {
                f->waiver = expired;
                f->waiver_expired = true;
        }
}

/* A waiver whose rule could not be evaluated on this host: whether it matches is not known. */
static bool waiver_undecided(const Waiver *w, const Findings *fs, const WaiverContext *ctx)
{
        if (!waiver_matches_host(w, ctx->hostname))
                return false;
        for (size_t i = 0; i < fs->n; i++)
                if (streq(fs->v[i].rule->id, w->rule))
                        return fs->v[i].status == FINDING_SKIP || fs->v[i].status == FINDING_ERROR;
        return false;
}

int waivers_apply(const WaiverSet *s, Findings *fs, const Facts *facts, const WaiverContext *ctx,
        const Waiver ***ret_stale)
{
        _cleanup_free_ bool *used = calloc(s->n + 1, sizeof(bool));
        _cleanup_free_ const Waiver **stale = calloc(s->n + 1, sizeof(Waiver *));
        size_t n_stale = 0;

        if (!used || !stale)
                return -ENOMEM;
        for (size_t i = 0; i < fs->n; i++)
                if (fs->v[i].status == FINDING_FAIL)
                        apply_one(s, &fs->v[i], facts, ctx, used);
        for (size_t j = 0; j < s->n; j++)
                if (!used[j] && !waiver_undecided(&s->v[j], fs, ctx))
                        stale[n_stale++] = &s->v[j];
        *ret_stale = TAKE_PTR(stale);
        return 0;
}

char *waiver_describe(const Waiver *w, bool expired)
{
        return strdupf("%s (owner %s, %s %s, %s:%u)", w->reason, w->owner,
                expired      ? "expired"
                : w->expires ? "expires"
                             : "does not",
                w->expires ? w->expires : "expire", w->path, w->line);
}
