/* SPDX-License-Identifier: MIT */
/* Kernel release strings (uname -r): the mainline version, and for RHEL-family kernels
 * ("3.10.0-514.26.2.el7.x86_64") the build number and dist tag, from which we decide
 * whether the kernel leaks container mounts into other mount namespaces. */
#pragma once

#include "basic/util.h"

/* First RHEL 7 kernel build with fs.may_detach_mounts (RHEL 7.4 GA, 3.10.0-693.el7). */
#define KERNEL_RHEL7_FIXED_BUILD "693"
/* Mainline detaches busy mounts on rmdir since 3.18 (commit 8ed936b5671b "vfs: Lazily remove
 * mounts on unlinked files and directories"). */
#define KERNEL_MAINLINE_FIXED "3.18"

typedef struct KernelRelease {
        char *version; /* leading "X.Y[.Z]": "3.10.0", "4.4.0", "5.3.7" */
        char *rhel_build; /* RHEL family only: "514.26.2" of 3.10.0-514.26.2.el7; else NULL */
        char *el; /* RHEL family only: "el7" (an "_Y" suffix as in el7_4 dropped); else NULL */
        bool leaks_mounts;
} KernelRelease;

void kernel_release_done(KernelRelease *k);

/* Parses a release string. A RHEL-family kernel is "V-N[.x.y...].elX[_Y][.more]": the
 * '.'-separated components after '-' are all digits up to a component that is exactly
 * "el<digits>" or "el<digits>_<digits>". Oracle UEK ("...el7uek"), RHEL-alt ("el7a"), Amazon
 * ("amzn2"), Fedora ("fc31") and Ubuntu/Debian ("-47-generic") kernels are not RHEL kernels
 * by this rule; only their mainline version counts.
 * leaks_mounts = dist el7 ? rpmvercmp(build, "693") < 0 : rpmvercmp(version, "3.18") < 0.
 * Returns -EINVAL when the string does not start with "X.Y" (digits). */
int kernel_release_parse(const char *release, KernelRelease *ret);
