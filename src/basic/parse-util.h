/* SPDX-License-Identifier: MIT */
/* Parsing numbers from configuration text. On failure *ret is left alone. */
#pragma once

#include "basic/util.h"

/* Decimal, the whole string: -EINVAL for NULL, "", junk after the digits (trailing space too),
 * leading whitespace of any kind, and (safe_atou64 only) a leading '+' or '-'; -ERANGE past
 * the type's range. */
int safe_atou64(const char *s, unsigned long long *ret);
int safe_atoi64(const char *s, long long *ret);

/* The value of a hex digit, -EINVAL for anything else. */
int unhexchar(char c);
