/* SPDX-License-Identifier: MIT */
#include "systemd/manager.h"
#include "systemd/bus-util.h"

typedef struct JobWait {
        const char *job; /* object path of the job we wait for; NULL until RestartUnit answered */
        char *result; /* set by the signal handler */
        bool oom;
} JobWait;

static int on_job_removed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error _unused_)
{
        JobWait *w = userdata;
        const char *path = NULL, *unit = NULL, *result = NULL;
        uint32_t id;

        if (sd_bus_message_read(m, "uoss", &id, &path, &unit, &result) < 0)
                return 0; /* not ours to judge: ignore a malformed signal */
        if (w->job && !w->result && streq(path, w->job)) {
                w->result = strdup(result);
                w->oom = !w->result;
        }
        return 0;
}

/* Checks that the manager answers: a bus with no systemd on it must fail here, not later. */
static int manager_ping(sd_bus *bus, uint64_t deadline_usec, char **ret_version, char **ret_error)
{
        _cleanup_bus_error_ sd_bus_error e = SD_BUS_ERROR_NULL;
        char *v = NULL;
        int r = bus_budget_set(bus, deadline_usec, "cannot talk to the service manager", ret_error);

        if (r < 0)
                return r;
        r = sd_bus_get_property_string(bus, SD_DEST, SD_PATH, SD_MANAGER, "Version", &e, &v);
        if (r < 0)
                return bus_error_msg(ret_error, r, &e, "cannot talk to the service manager");
        *ret_version = v;
        return 0;
}

/* Connects to addr (a bus when bus_client, else the manager's private socket) and waits, at
 * most BUS_CALL_TIMEOUT_USEC cut to deadline_usec, for the connection to be ready: sd-bus
 * would wait for the authentication up to its own 90 s and apply the method call timeout
 * only after it. */
static int bus_connect(const char *addr, bool bus_client, uint64_t deadline_usec, sd_bus **ret)
{
        /* Not _cleanup_bus_: sd_bus_flush() waits for the authentication, without a bound. */
        _cleanup_(sd_bus_close_unrefp) sd_bus *bus = NULL;
        uint64_t budget, deadline;
        int r;

        if ((r = deadline_budget(deadline_usec, BUS_CALL_TIMEOUT_USEC, &budget)) < 0)
                return r;
        deadline = deadline_in(budget);
        if ((r = sd_bus_new(&bus)) < 0 || (r = sd_bus_set_address(bus, addr)) < 0 ||
                (r = sd_bus_set_bus_client(bus, bus_client)) < 0 ||
                (r = sd_bus_set_method_call_timeout(bus, budget)) < 0 ||
                (r = sd_bus_set_allow_interactive_authorization(bus, 1)) < 0 || (r = sd_bus_start(bus)) < 0)
                return r;
        while ((r = sd_bus_is_ready(bus)) == 0) {
                uint64_t n;

                r = sd_bus_process(bus, NULL);
                if (r < 0)
                        return r;
                if (r > 0)
                        continue;
                if ((r = deadline_budget(deadline, UINT64_MAX, &n)) < 0)
                        return r;
                r = sd_bus_wait(bus, n);
                if (r < 0)
                        return r;
        }
        if (r < 0)
                return r;
        *ret = TAKE_PTR(bus);
        return 0;
}

/* The address sd_bus_open_system()/sd_bus_open_user() would use. */
static char *bus_address(bool user)
{
        const char *e = getenv(user ? "DBUS_SESSION_BUS_ADDRESS" : "DBUS_SYSTEM_BUS_ADDRESS");
        const char *runtime = getenv("XDG_RUNTIME_DIR");

        if (e && *e)
                return strdup(e);
        if (!user)
                return strdup("unix:path=/run/dbus/system_bus_socket");
        return runtime ? strdupf("unix:path=%s/bus", runtime) : NULL;
}

static int open_private(const char *socket, uint64_t deadline_usec, sd_bus **ret)
{
        _cleanup_free_ char *addr = strdupf("unix:path=%s", socket);

        if (!addr)
                return -ENOMEM;
        if (access(socket, F_OK) < 0)
                return -errno;
        /* A direct connection to the manager: no Hello. */
        return bus_connect(addr, false, deadline_usec, ret);
}

static int bus_open(bool user, uint64_t deadline_usec, sd_bus **ret, char **ret_error)
{
        _cleanup_free_ char *addr = bus_address(user);
        uint64_t budget;
        int r;

        if (!addr)
                return error_setf(ret_error, -ENXIO, "$DBUS_SESSION_BUS_ADDRESS and $XDG_RUNTIME_DIR unset");
        if (deadline_budget(deadline_usec, BUS_CALL_TIMEOUT_USEC, &budget) < 0)
                return error_setf(ret_error, -ETIMEDOUT, "not tried: the deadline has passed");
        r = bus_connect(addr, true, deadline_usec, ret);
        if (r == -ETIMEDOUT)
                return error_setf(
                        ret_error, r, "no answer within %llu ms", (unsigned long long) (budget / 1000ULL));
        if (r < 0)
                return error_setf(ret_error, r, "%s", strerror(-r));
        return 0;
}

int manager_bus_open(bool user, uint64_t deadline_usec, sd_bus **ret, char **ret_error)
{
        _cleanup_(sd_bus_close_unrefp) sd_bus *bus = NULL;
        _cleanup_free_ char *bus_msg = NULL, *priv = NULL, *version = NULL;
        const char *runtime = getenv("XDG_RUNTIME_DIR");
        int r;

        /* Like systemctl: the manager's private socket first, the bus when there is none or it
         * is not ours (the system manager's is root's). No bus daemon in between: each call is
         * one hop instead of two, and there is no Hello. */
        if (!user || runtime) {
                priv = user ? strdupf("%s/systemd/private", runtime) : strdup("/run/systemd/private");
                if (!priv)
                        return -ENOMEM;
                r = open_private(priv, deadline_usec, &bus);
                if (r >= 0 && (r = manager_ping(bus, deadline_usec, &version, NULL)) >= 0) {
                        *ret = TAKE_PTR(bus);
                        return 0;
                }
                if (r == -ENOMEM)
                        return r;
                bus = sd_bus_close_unref(bus);
        }

        r = bus_open(user, deadline_usec, &bus, &bus_msg);
        if (r == -ENOMEM)
                return r;
        if (r >= 0) {
                free(bus_msg);
                bus_msg = NULL;
                r = manager_ping(bus, deadline_usec, &version, &bus_msg);
                if (r >= 0) {
                        *ret = TAKE_PTR(bus);
                        return 0;
                }
                if (r == -ENOMEM)
                        return r;
        }
        /* Cut short by the caller's deadline: the manager may be fine, only slow. */
        r = deadline_reached(deadline_usec, 0) ? -ETIMEDOUT : -EHOSTUNREACH;
        if (user)
                return error_setf(ret_error, r,
                        "D-Bus: cannot reach the user service manager: session bus (%s): %s%s%s%s; "
                        "is the user manager running?",
                        getenv("DBUS_SESSION_BUS_ADDRESS") ? getenv("DBUS_SESSION_BUS_ADDRESS")
                                                           : "$DBUS_SESSION_BUS_ADDRESS unset",
                        strempty(bus_msg), priv ? ", private socket " : "", priv ? priv : "",
                        priv ? " unusable" : "");
        return error_setf(ret_error, r,
                "D-Bus: cannot reach the system service manager: system bus: %s; /run/systemd/private "
                "unusable; is systemd running?",
                strempty(bus_msg));
}

int manager_reload(sd_bus *bus, uint64_t deadline_usec, char **ret_error)
{
        _cleanup_bus_error_ sd_bus_error e = SD_BUS_ERROR_NULL;
        _cleanup_bus_message_ sd_bus_message *m = NULL;
        uint64_t budget;
        int r;

        /* A reload re-reads every unit file: slower than a property read on a busy host. */
        if (deadline_budget(deadline_usec, MANAGER_RELOAD_TIMEOUT_USEC, &budget) < 0)
                return error_setf(ret_error, -ETIMEDOUT, "Reload: not asked: the deadline has passed");
        r = sd_bus_message_new_method_call(bus, &m, SD_DEST, SD_PATH, SD_MANAGER, "Reload");
        if (r < 0)
                return bus_error_msg(ret_error, r, NULL, "Reload");
        r = sd_bus_call(bus, m, budget, &e, NULL);
        if (r == -ETIMEDOUT)
                return error_setf(ret_error, r, "Reload: no answer within %llu s",
                        (unsigned long long) ((budget + 999999ULL) / 1000000ULL));
        if (r < 0)
                return bus_error_msg(ret_error, r, &e, "Reload");
        return 0;
}

int manager_restart_unit(
        sd_bus *bus, const char *unit, uint64_t timeout_usec, char **ret_result, char **ret_error)
{
        _cleanup_bus_error_ sd_bus_error e = SD_BUS_ERROR_NULL;
        _cleanup_bus_message_ sd_bus_message *reply = NULL;
        _cleanup_bus_slot_ sd_bus_slot *slot = NULL;
        _cleanup_free_ char *job = NULL, *what = strdupf("RestartUnit %s", unit);
        JobWait w = {};
        const char *path;
        uint64_t deadline;
        int r;

        if (!what)
                return -ENOMEM;
        /* Subscribe and RestartUnit with the bus' own budget (not a caller's earlier deadline);
         * the job with timeout_usec. */
        if ((r = bus_budget_set(bus, 0, what, ret_error)) < 0)
                return r;
        /* Match before the call: a fast job can finish before the method reply arrives; the
         * signal then waits in the read queue until we dispatch it below. */
        r = sd_bus_match_signal(bus, &slot, SD_DEST, SD_PATH, SD_MANAGER, "JobRemoved", on_job_removed, &w);
        if (r < 0)
                return error_setf(ret_error, r, "cannot watch for JobRemoved: %s", strerror(-r));
        /* Without a subscriber the manager does not send job signals (on its private socket). */
        r = sd_bus_call_method(bus, SD_DEST, SD_PATH, SD_MANAGER, "Subscribe", &e, NULL, "");
        if (r < 0 && !sd_bus_error_has_name(&e, "org.freedesktop.systemd1.AlreadySubscribed"))
                return bus_error_msg(ret_error, r, &e, "Subscribe");
        sd_bus_error_free(&e);

        r = sd_bus_call_method(
                bus, SD_DEST, SD_PATH, SD_MANAGER, "RestartUnit", &e, &reply, "ss", unit, "replace");
        if (r < 0)
                return bus_error_msg(ret_error, r, &e, what);
        r = sd_bus_message_read(reply, "o", &path);
        if (r < 0)
                return error_setf(ret_error, r, "%s: unexpected reply: %s", what, strerror(-r));
        job = strdup(path);
        if (!job)
                return -ENOMEM;
        w.job = job;

        deadline = deadline_in(timeout_usec);
        while (!w.result) {
                uint64_t n;

                r = sd_bus_process(bus, NULL);
                if (r < 0)
                        return error_setf(ret_error, r, "waiting for job %s: %s", job, strerror(-r));
                if (w.oom)
                        return -ENOMEM;
                if (r > 0)
                        continue;
                if (deadline_budget(deadline, UINT64_MAX, &n) < 0)
                        return error_setf(ret_error, -ETIMEDOUT, "job %s (%s) did not finish within %llu s",
                                job, what, (unsigned long long) (timeout_usec / 1000000ULL));
                r = sd_bus_wait(bus, n);
                if (r < 0)
                        return error_setf(ret_error, r, "waiting for job %s: %s", job, strerror(-r));
        }
        *ret_result = w.result;
        return 0;
}
