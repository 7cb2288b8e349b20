/* SPDX-License-Identifier: MIT */
#include "systemd/bus-util.h"

/* A bus error message with the D-Bus error name, as a person needs it. */
int bus_error_msg(char **ret_error, int r, const sd_bus_error *e, const char *what)
{
        if (e && sd_bus_error_is_set(e))
                return error_setf(
                        ret_error, r, "%s: %s (%s)", what, e->message ? e->message : strerror(-r), e->name);
        return error_setf(ret_error, r, "%s: %s", what, strerror(-r));
}
