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
        /* Red Hat's kernel line of an EL major only (BASE-N...elX with BASE that major's version:
         * 2.6.32 el6, 3.10.0 el7, 4.18.0 el8, 5.14.0 el9...), rebuilds included; else NULL. */
        char *rhel_build; /* "514.26.2" of 3.10.0-514.26.2.el7, "693.17.1" of kernel-rt's
                           * 3.10.0-693.17.1.rt56.636.el7 */
        char *el; /* "el7" (an "_Y" suffix as in el8_8 dropped) */
        char *dist_tag; /* the elX dist tag whoever built the kernel: also "el7" of ELRepo's
                         * 4.4.1-1.el7.elrepo; NULL when there is none */
        bool leaks_mounts;
} KernelRelease;

void kernel_release_done(KernelRelease *k);

/* Parses a release string. The dist tag is a '.'-separated component after '-' that is exactly
 * "el<digits>" or "el<digits>_<digits>", preceded only by digit components (and kernel-rt's
 * "rt<digits>"). Oracle UEK ("...el7uek"), RHEL-alt ("el7a"), Amazon ("amzn2"), Fedora ("fc31")
 * and Ubuntu/Debian ("-47-generic") kernels have none. A dist tag on another mainline version
 * than the Red Hat line's (ELRepo kernel-ml/kernel-lt, CentOS Virt SIG) sets dist_tag only.
 * leaks_mounts = el == "el7" ? rpmvercmp(build, "693") < 0 : rpmvercmp(version, "3.18") < 0:
 * only the RHEL 7 line is judged by its build; every other kernel by its mainline version.
 * Returns -EINVAL when the string does not start with "X.Y" (digits). */
int kernel_release_parse(const char *release, KernelRelease *ret);
