/* SPDX-License-Identifier: MIT */
#include "rules/host-identity.h"

#include <stdarg.h>

static const char *const host_field_names[_HOST_FIELD_MAX] = {
        [HOST_HOSTNAME] = "hostname",
        [HOST_MACHINE_ID] = "machine_id",
        [HOST_BOOT_ID] = "boot_id",
        [HOST_TIME] = "time",
};

const char *host_field_to_string(HostField f)
{
        return f >= 0 && f < _HOST_FIELD_MAX ? host_field_names[f] : NULL;
}

void host_identity_done(HostIdentity *h)
{
        for (size_t i = 0; i < _HOST_FIELD_MAX; i++) {
                free(h->value[i]);
                free(h->reason[i]);
        }
        *h = (HostIdentity){};
}

int host_identity_set(HostIdentity *h, HostField f, const char *value)
{
        char *v = strdup(value);

        if (!v)
                return -ENOMEM;
        free(h->value[f]);
        free(h->reason[f]);
        h->value[f] = v;
        h->reason[f] = NULL;
        return 0;
}

int host_identity_set_unknown(HostIdentity *h, HostField f, const char *reason_fmt, ...)
{
        va_list ap;
        char *reason = NULL;
        int n;

        va_start(ap, reason_fmt);
        n = vasprintf(&reason, reason_fmt, ap);
        va_end(ap);
        if (n < 0)
                return -ENOMEM;
        free(h->value[f]);
        free(h->reason[f]);
        h->value[f] = NULL;
        h->reason[f] = reason;
        return 0;
}

int host_identity_fill_unknown(HostIdentity *h, const char *reason)
{
        for (int f = 0; f < _HOST_FIELD_MAX; f++)
                if (!h->value[f] && !h->reason[f] && host_identity_set_unknown(h, f, "%s", reason) < 0)
                        return -ENOMEM;
        return 0;
}
