/* SPDX-License-Identifier: MIT */
/* `systemctl show` output as an sos report keeps it (sos_commands/systemd/
 * systemctl_show_service_--all: every service, one block each): Key=Value lines, a block per
 * unit, blocks separated by an empty line. A key may repeat within a block (ExecStart=,
 * EnvironmentFiles=: one line per item). Values are kept as printed. */
#pragma once

#include "basic/util.h"

typedef struct ShowProperty {
        char *key;
        char *value;
        unsigned line; /* 1-based, in the whole output */
} ShowProperty;

typedef struct ShowBlock {
        ShowProperty *v;
        size_t n;
} ShowBlock;

typedef struct SystemctlShow {
        ShowBlock *v;
        size_t n;
} SystemctlShow;

void systemctl_show_done(SystemctlShow *s);

/* Parses text (size bytes, NUL not allowed inside). A non-empty line without "=" or with an
 * empty key is -EBADMSG with "line N: ..." in *ret_error. Returns 0 or negative errno. */
int systemctl_show_parse(const char *text, size_t size, SystemctlShow *ret, char **ret_error);

/* The block whose Id= is unit, else the first whose Names= lists it; NULL when none. */
const ShowBlock *systemctl_show_find(const SystemctlShow *s, const char *unit);

/* The first property named key in b (NULL when absent); show_block_next() the next one after
 * p with the same key. */
const ShowProperty *show_block_get(const ShowBlock *b, const char *key);
const ShowProperty *show_block_next(const ShowBlock *b, const ShowProperty *p);
