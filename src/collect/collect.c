/* SPDX-License-Identifier: MIT */
#include "collect/collect.h"

int collect_set_unknown_all(Facts *f, const char *const *names, size_t n, const char *reason)
{
        for (size_t i = 0; i < n; i++) {
                int r = facts_set_unknown(f, names[i], "%s", reason);
                if (r < 0)
                        return r;
        }
        return 0;
}

int collect_all(Facts *f, const CollectOptions *o)
{
        int r;

        if ((r = collect_kernel(f, o)) < 0 || (r = collect_distro(f, o)) < 0 ||
                (r = collect_unit_and_dockerd(f, o)) < 0 || (r = collect_leaks(f, o)) < 0)
                return r;
        return 0;
}
