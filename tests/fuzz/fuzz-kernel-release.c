/* SPDX-License-Identifier: MIT */
/* Kernel release strings (uname -r, /lib/modules names) and rpm's version order on hostile
 * input: the text up to the first NUL is a release, the rest a second version to compare. */
#include "basic/vercmp.h"
#include "formats/kernel-release.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int sign(int x)
{
        return (x > 0) - (x < 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        _cleanup_free_ char *a = NULL, *b = NULL;
        KernelRelease k = {};
        size_t la;

        if (size > 4096)
                return 0;
        la = strnlen((const char *) data, size);
        a = strndup((const char *) data, la);
        b = strndup((const char *) data + la + (la < size), size - la - (la < size));
        if (!a || !b)
                return 0;
        if (kernel_release_parse(a, &k) == 0) {
                if (!k.version || (!k.el) != (!k.rhel_build))
                        __builtin_trap();
                kernel_release_done(&k);
        }
        /* An order: reflexive and antisymmetric. */
        if (rpmvercmp(a, a) != 0 || rpmvercmp(b, b) != 0 || sign(rpmvercmp(a, b)) != -sign(rpmvercmp(b, a)))
                __builtin_trap();
        return 0;
}
