/* SPDX-License-Identifier: MIT */
/* libFuzzer target: unit file syntax, then the settings layer on top (as fragment and drop-in). */
#include "systemd/unit-settings.h"
#include "systemd/unitfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static const SpecifierContext spec = {
                .unit_name = "docker.service",
                .runtime_dir = "/run",
                .home = "/root",
        };
        UnitFile *u = NULL;
        UnitSettings s;

        if (unit_file_parse("fuzz.service", (const char *) data, size, &u) < 0)
                return 0;
        /* invariants other modules rely on */
        if ((u->fatal != 0) != (u->fatal_msg != NULL))
                __builtin_trap();
        for (size_t i = 0; i < u->n_assignments; i++)
                if (!u->assignments[i].section || !*u->assignments[i].key || u->assignments[i].line == 0)
                        __builtin_trap();

        /* Like systemd's own fuzz-unit-file, keep the settings layer to inputs up to 64 KiB:
         * Environment= replacement is linear per variable there too. */
        if (size > 65536) {
                unit_file_free(u);
                return 0;
        }
        unit_settings_init(&s, &spec);
        (void) unit_settings_apply(&s, u, false);
        (void) unit_settings_apply(&s, u, true);
        (void) unit_settings_finish(&s);
        if (!s.load_state || (s.mount_flags && !mount_flags_to_string(s.mount_flags)))
                __builtin_trap();
        unit_settings_done(&s);
        unit_file_free(u);
        return 0;
}
