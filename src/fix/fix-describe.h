/* SPDX-License-Identifier: MIT */
/* A rule's fix action for people, in the two layouts the commands print. */
#pragma once

#include "rules/rules.h"

typedef enum FixDescribeLayout {
        FIX_DESCRIBE_INLINE, /* "drop-in Service.MountFlags=shared", no newline: fix's plan */
        FIX_DESCRIBE_TABLE, /* "    dropin:      [Service] MountFlags=shared\n": rules show */
} FixDescribeLayout;

/* Writes action a to f in layout. */
void fix_describe_action(FILE *f, const FixAction *a, FixDescribeLayout layout);
