/* SPDX-License-Identifier: MIT */
#include "fix/fix-describe.h"

void fix_describe_action(FILE *f, const FixAction *a, FixDescribeLayout layout)
{
        const bool table = layout == FIX_DESCRIBE_TABLE;

        /* Both formats of a kind side by side, literal so that the compiler checks them. */
        switch (a->type) {
        case FIX_ACTION_DROPIN:
                fprintf(f, table ? "    dropin:      %s%s[%s] %s=%s\n" : "drop-in %s%s%s.%s=%s",
                        strempty(a->unit), a->unit ? (table ? " " : ":") : "", a->section, a->key,
                        strempty(a->value));
                break;
        case FIX_ACTION_DAEMON_JSON:
                if (a->value)
                        fprintf(f, table ? "    daemon-json: \"%s\": %s\n" : "daemon.json %s=%s", a->key,
                                a->value);
                else
                        fprintf(f, table ? "    daemon-json: remove \"%s\"\n" : "daemon.json remove %s",
                                a->key);
                break;
        case FIX_ACTION_SYSCTL:
                fprintf(f, table ? "    sysctl:      %s = %s\n" : "sysctl %s=%s", a->key,
                        strempty(a->value));
                break;
        case FIX_ACTION_UNIT_OVERRIDE:
                fprintf(f,
                        table ? "    unit-override: full copy of the unit without %s=%s\n"
                              : "full override of the unit without %s=%s",
                        a->key, strempty(a->value));
                break;
        default:
                break;
        }
}
