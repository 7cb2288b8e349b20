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

int bus_budget_set(sd_bus *bus, uint64_t deadline_usec, const char *what, char **ret_error)
{
        uint64_t budget;
        int r = deadline_budget(deadline_usec, BUS_CALL_TIMEOUT_USEC, &budget);

        if (r < 0)
                return error_setf(ret_error, r, "%s: not asked: the deadline has passed", what);
        r = sd_bus_set_method_call_timeout(bus, budget);
        return r < 0 ? bus_error_msg(ret_error, r, NULL, what) : 0;
}
