/* SPDX-License-Identifier: MIT */
/* jansson values owned by a scope: _cleanup_json_ json_t *v = json_object(); */
#pragma once

#include <jansson.h>

#include "basic/util.h"

/* Not json_decrefp(): jansson >= 2.11 defines one of that name (for json_auto_t). */
static inline void json_unrefp(json_t **j)
{
        json_decref(*j);
}
#define _cleanup_json_ _cleanup_(json_unrefp)

/* What a value is, for messages ("must be a string, not an integer"). */
static inline const char *json_kind(const json_t *v)
{
        switch (json_typeof(v)) {
        case JSON_OBJECT:
                return "an object";
        case JSON_ARRAY:
                return "an array";
        case JSON_STRING:
                return "a string";
        case JSON_INTEGER:
                return "an integer";
        case JSON_REAL:
                return "a number with a fraction or exponent";
        case JSON_TRUE:
        case JSON_FALSE:
                return "a boolean";
        case JSON_NULL:
                return "null";
        }
        return "a value";
}
