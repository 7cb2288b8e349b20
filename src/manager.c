/* SPDX-License-Identifier: MIT */
#include "manager.h"

#include <time.h>

#define SD_DEST "org.freedesktop.systemd1"
#define SD_PATH "/org/freedesktop/systemd1"
#define SD_MANAGER "org.freedesktop.systemd1.Manager"

static void bus_error_freep(sd_bus_error *e)
{
        sd_bus_error_free(e);
}

static void bus_slot_unrefp(sd_bus_slot **s)
{
        sd_bus_slot_unref(*s);
}

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

static uint64_t now_usec(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * 1000000ULL + (uint64_t) ts.tv_nsec / 1000ULL;
}

static int call_error(char **ret_error, int r, const sd_bus_error *e, const char *what)
{
        if (e && sd_bus_error_is_set(e))
                return error_setf(
                        ret_error, r, "%s: %s (%s)", what, e->message ? e->message : strerror(-r), e->name);
        return error_setf(ret_error, r, "%s: %s", what, strerror(-r));
}

int manager_restart_unit(
        sd_bus *bus, const char *unit, uint64_t timeout_usec, char **ret_result, char **ret_error)
{
        _cleanup_(bus_error_freep) sd_bus_error e = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_(bus_slot_unrefp) sd_bus_slot *slot = NULL;
        _cleanup_free_ char *job = NULL, *what = strdupf("RestartUnit %s", unit);
        JobWait w = {};
        const char *path;
        uint64_t deadline;
        int r;

        if (!what)
                return -ENOMEM;
        /* Match before the call: a fast job can finish before the method reply arrives; the
         * signal then waits in the read queue until we dispatch it below. */
        r = sd_bus_match_signal(bus, &slot, SD_DEST, SD_PATH, SD_MANAGER, "JobRemoved", on_job_removed, &w);
        if (r < 0)
                return error_setf(ret_error, r, "cannot watch for JobRemoved: %s", strerror(-r));
        /* Without a subscriber the manager does not send job signals (on its private socket). */
        r = sd_bus_call_method(bus, SD_DEST, SD_PATH, SD_MANAGER, "Subscribe", &e, NULL, "");
        if (r < 0 && !sd_bus_error_has_name(&e, "org.freedesktop.systemd1.AlreadySubscribed"))
                return call_error(ret_error, r, &e, "Subscribe");
        sd_bus_error_free(&e);

        r = sd_bus_call_method(
                bus, SD_DEST, SD_PATH, SD_MANAGER, "RestartUnit", &e, &reply, "ss", unit, "replace");
        if (r < 0)
                return call_error(ret_error, r, &e, what);
        r = sd_bus_message_read(reply, "o", &path);
        if (r < 0)
                return error_setf(ret_error, r, "%s: unexpected reply: %s", what, strerror(-r));
        job = strdup(path);
        if (!job)
                return -ENOMEM;
        w.job = job;

        deadline = now_usec() + timeout_usec;
        while (!w.result) {
                uint64_t n;

                r = sd_bus_process(bus, NULL);
                if (r < 0)
                        return error_setf(ret_error, r, "waiting for job %s: %s", job, strerror(-r));
                if (w.oom)
                        return -ENOMEM;
                if (r > 0)
                        continue;
                n = now_usec();
                if (n >= deadline)
                        return error_setf(ret_error, -ETIMEDOUT, "job %s (%s) did not finish within %llu s",
                                job, what, (unsigned long long) (timeout_usec / 1000000ULL));
                r = sd_bus_wait(bus, deadline - n);
                if (r < 0)
                        return error_setf(ret_error, r, "waiting for job %s: %s", job, strerror(-r));
        }
        *ret_result = w.result;
        return 0;
}
