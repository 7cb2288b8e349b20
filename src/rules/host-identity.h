/* SPDX-License-Identifier: MIT */
/* The identity of the audited host: what a report names, so that a report made centrally
 * (audit --facts FILE) or gathered from a fleet says which machine it describes. Each field
 * is a string or unknown with the reason (never a guessed value). */
#pragma once

#include "basic/util.h"

typedef enum HostField {
        HOST_HOSTNAME, /* "hostname": gethostname(), or ROOT/etc/hostname */
        HOST_MACHINE_ID, /* "machine_id": /etc/machine-id (32 lower-case hex digits) */
        HOST_BOOT_ID, /* "boot_id": /proc/sys/kernel/random/boot_id; unknown offline */
        HOST_TIME, /* "time": when the facts were collected, UTC, RFC 3339 ("...T09:20:12Z") */
        _HOST_FIELD_MAX,
} HostField;

typedef struct HostIdentity {
        char *value[_HOST_FIELD_MAX]; /* NULL when unknown */
        char *reason[_HOST_FIELD_MAX]; /* why unknown (value NULL), else NULL */
} HostIdentity;

/* The JSON name of a field ("hostname", "machine_id", "boot_id", "time"). */
const char *host_field_to_string(HostField f);

void host_identity_done(HostIdentity *h);
/* Set field f to value (copied), or to unknown with the reason. 0 or -ENOMEM. */
int host_identity_set(HostIdentity *h, HostField f, const char *value);
int host_identity_set_unknown(HostIdentity *h, HostField f, const char *reason_fmt, ...) _printf_(3, 4);
/* Every field not set yet unknown with reason. 0 or -ENOMEM. */
int host_identity_fill_unknown(HostIdentity *h, const char *reason);
