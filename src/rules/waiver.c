/* SPDX-License-Identifier: MIT */
/* Waivers and findings: the expiry day (UTC, never the local time zone: the calendar
 * arithmetic is done here, not with mktime()), matching a finding and the host, and applying
 * a set to the findings of an audit. */
#include "rules/waiver.h"

#include <fnmatch.h>

#include "basic/time-util.h"

int waiver_parse_date(const char *s, int64_t *ret_end)
{
        int64_t day;

        if (strlen(s) != 10 || parse_iso_day(s, &day) < 0)
                return -EINVAL;
        *ret_end = (day + 1) * 86400;
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
