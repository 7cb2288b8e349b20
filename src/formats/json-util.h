/* SPDX-License-Identifier: MIT */
/* jansson values owned by a scope: _cleanup_json_ json_t *v = json_object(); */
#pragma once

#include <jansson.h>

#include "basic/util.h"

/* Not json_decrefp: jansson >= 2.11 defines that name itself (for its json_auto_t). */
static inline void json_unrefp(json_t **j)
{
        json_decref(*j);
}
#define _cleanup_json_ _cleanup_(json_unrefp)
