/* SPDX-License-Identifier: MIT */
/* %-specifier expansion (systemd.unit(5) SPECIFIERS) on hostile text. Byte 0 picks the context
 * (system/user manager, a --root, a fragment path, a template instance) and the length limit. */
#include "systemd/specifier.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static const size_t limits[] = {4095, 16, 1, 1024 * 1024};
        _cleanup_free_ char *text = NULL, *out = NULL;
        SpecifierContext ctx = {};
        size_t max;
        int r;

        if (size < 1 || size > 65536)
                return 0;
        ctx.unit_name = (data[0] & 1) ? "docker@in\\x2dst%.service" : "docker.service";
        ctx.user = data[0] & 2;
        ctx.runtime_dir = ctx.user ? "/run/user/1000" : "/run";
        ctx.home = (data[0] & 4) ? "/home/a b" : NULL;
        ctx.root = (data[0] & 8) ? "/nonexistent-fuzz-root" : NULL;
        ctx.fragment_path = (data[0] & 16) ? "/etc/systemd/system/docker.service" : NULL;
        max = limits[(data[0] >> 5) & 3];
        text = strndup((const char *) data + 1, size - 1);
        if (!text)
                return 0;
        r = specifier_expand_full(text, &ctx, max, &out);
        if (r >= 0 && (!out || strlen(out) > max))
                __builtin_trap();
        /* Text without '%' comes back unchanged. */
        if (r >= 0 && !strchr(text, '%') && !streq(text, out))
                __builtin_trap();
        return 0;
}
