/* SPDX-License-Identifier: MIT */
#include "collect/collect.h"

int collect_all(Facts *f, const CollectOptions *o)
{
        int r;

        if ((r = collect_kernel(f, o)) < 0 || (r = collect_distro(f, o)) < 0 ||
                (r = collect_unit_and_dockerd(f, o)) < 0 || (r = collect_leaks(f, o)) < 0)
                return r;
        return 0;
}
