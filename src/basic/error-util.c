/* SPDX-License-Identifier: MIT */
#include "basic/error-util.h"

int error_setf(char **ret_error, int err, const char *fmt, ...)
{
        va_list ap;
        char *s;

        if (!ret_error)
                return err;
        va_start(ap, fmt);
        if (vasprintf(&s, fmt, ap) < 0)
                s = NULL;
        va_end(ap);
        free(*ret_error);
        *ret_error = s;
        return err;
}
