/* SPDX-License-Identifier: MIT */
/* `systemctl show` output as sos keeps it (systemctl_show_parse()) and each block read as a
 * unit (unit_info_from_show()), on hostile text. */
#include "formats/unit-show.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        SystemctlShow s = {};
        char *err = NULL;
        int r;

        r = systemctl_show_parse((const char *) data, size, &s, &err);
        /* A refused text always says why. */
        if (r < 0 && r != -ENOMEM && !err)
                __builtin_trap();
        for (size_t i = 0; r >= 0 && i < s.n; i++) {
                UnitInfo u = {};
                char *e = NULL;
                unsigned line;
                int k = unit_info_from_show(&s.v[i], &u, &e, &line);

                /* A unit read has its name and states; a refused one says why. */
                if ((k >= 0 && (!u.name || !u.load_state || !u.active_state || !u.fragment_path)) ||
                        (k < 0 && k != -ENOMEM && !e))
                        __builtin_trap();
                free(e);
                unit_info_done(&u);
        }
        (void) systemctl_show_find(&s, "docker.service");
        free(err);
        systemctl_show_done(&s);
        return 0;
}
