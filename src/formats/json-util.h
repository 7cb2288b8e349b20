/* SPDX-License-Identifier: MIT */
/* jansson values owned by a scope: _cleanup_json_ json_t *v = json_object(); */
#pragma once

#include <jansson.h>

#include "basic/util.h"

static inline void json_decrefp(json_t **j)
{
        json_decref(*j);
}
#define _cleanup_json_ _cleanup_(json_decrefp)
