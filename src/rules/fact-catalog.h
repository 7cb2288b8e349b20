/* SPDX-License-Identifier: MIT */
/* The names and types of every fact dockaudit collects. Rules are validated
 * against this list, so a typo in a rule file is a load error, not a skip. */
#pragma once

#include "rules/facts.h"

typedef struct FactDef {
        const char *name;
        FactType type;
        const char *description;
} FactDef;

const FactDef *fact_catalog_lookup(const char *name);
const FactDef *fact_catalog_all(size_t *ret_n);
