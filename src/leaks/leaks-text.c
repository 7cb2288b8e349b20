/* SPDX-License-Identifier: MIT */
#include "leaks/leaks-text.h"

char *leaks_escape(const char *s, bool controls)
{
        if (!s)
                return NULL;
        /* The escapes of the audit reports (basic/string-util.h), so both read alike. */
        return controls ? utf8_escape_non_printable(s) : utf8_escape_invalid(s);
}
