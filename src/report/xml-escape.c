/* SPDX-License-Identifier: MIT */
#include "report/xml-escape.h"

#include "basic/string-util.h"

int xml_escaped(FILE *out, const char *str)
{
        static const char *const entities[256] = {
                ['<'] = "&lt;", ['>'] = "&gt;", ['&'] = "&amp;", ['"'] = "&quot;", ['\''] = "&#39;"};
        _cleanup_free_ char *e = str ? utf8_escape_non_printable(str) : NULL;

        if (str && !e)
                return -ENOMEM;
        for (const char *s = e; s && *s; s++) {
                const char *x = entities[(unsigned char) *s];

                if (x)
                        fputs(x, out);
                else
                        fputc(*s, out);
        }
        return 0;
}
