/* SPDX-License-Identifier: MIT */
/* Calendar dates and RFC 3339 times in UTC, with integer arithmetic only: never the local time
 * zone (no mktime()), so the TZ a run has plays no part. */
#include "basic/time-util.h"

#include "basic/util.h"

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

int parse_iso_day(const char *s, int64_t *ret)
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

int parse_rfc3339(const char *s, int64_t *ret)
{
        unsigned hh, mm, ss, oh = 0, om = 0;
        const char *z = s + 19;
        int64_t day, off = 0;

        if (strlen(s) < 20 || parse_iso_day(s, &day) < 0 || (s[10] != 'T' && s[10] != 't') ||
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

void format_rfc3339(time_t t, char buf[static 32])
{
        struct tm tm;

        if (!gmtime_r(&t, &tm) || strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
                snprintf(buf, 32, "@%lld", (long long) t);
}
