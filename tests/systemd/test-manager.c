/* SPDX-License-Identifier: MIT */
/* The service manager over D-Bus (src/systemd/manager.c): every wait has a budget. A bus that
 * accepts connections and never answers, a garbage bus address, no bus at all: each fails
 * with a "D-Bus: " message within the budget, not after sd-bus' 25 s / 90 s defaults; a
 * caller's deadline cuts every budget (all channels tried share it), and a call asked after it
 * is not made. */
#include <check.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>

#include "check-run.h"
#include "test-util.h"

#include "basic/deadline.h"
#include "systemd/manager.h"

/* A socket that listens and never answers: the kernel completes each connection into the
 * backlog, nobody reads. Returns the listening fd. */
static int silent_socket(const char *path)
{
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

        ck_assert_int_ge(fd, 0);
        ck_assert_uint_lt(strlen(path), sizeof sa.sun_path);
        strcpy(sa.sun_path, path);
        ck_assert_int_eq(bind(fd, (struct sockaddr *) &sa, sizeof sa), 0);
        ck_assert_int_eq(listen(fd, 16), 0);
        return fd;
}

static double now_s(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/* Opens the manager with a deadline budget_ms from now (0: none), expects failure naming
 * D-Bus within max_s seconds: -ETIMEDOUT when the deadline cut it short, else -EHOSTUNREACH. */
static void open_fails_within(bool user, uint64_t budget_ms, double max_s)
{
        _cleanup_free_ char *err = NULL;
        sd_bus *bus = NULL;
        double t0 = now_s(), dt;
        int r;

        r = manager_bus_open(user, budget_ms ? deadline_in(budget_ms * 1000ULL) : 0, &bus, &err);
        dt = now_s() - t0;
        ck_assert_int_eq(r, budget_ms ? -ETIMEDOUT : -EHOSTUNREACH);
        ck_assert_ptr_null(bus);
        ck_assert_msg(dt < max_s, "took %.1f s (budget %.1f s)", dt, max_s);
        ck_assert_ptr_nonnull(err);
        ck_assert_msg(startswith(err, "D-Bus: cannot reach the "), "%s", err);
}

START_TEST(test_silent_system_bus)
{
        char dir[64];
        _cleanup_free_ char *sock = NULL, *addr = NULL;
        int fd;

        tmpdir_make(dir, sizeof dir, "manager");
        sock = strdupf("%s/bus", dir);
        addr = strdupf("unix:path=%s", sock);
        fd = silent_socket(sock);
        setenv("DBUS_SYSTEM_BUS_ADDRESS", addr, 1);
        /* The default budget: the observed case took 90-115 s. */
        open_fails_within(false, 0, MANAGER_CALL_TIMEOUT_USEC / 1e6 * 2 + 1);
        open_fails_within(false, 200, 0.5);
        close(fd);
        ck_assert_int_eq(rm_rf(dir), 0);
}
END_TEST

START_TEST(test_silent_session_bus_and_private_socket)
{
        char dir[64];
        _cleanup_free_ char *sock = NULL, *addr = NULL, *priv = NULL, *sysd = NULL;
        int fd, fd2;

        tmpdir_make(dir, sizeof dir, "manager");
        sock = strdupf("%s/bus", dir);
        addr = strdupf("unix:path=%s", sock);
        sysd = strdupf("%s/systemd", dir);
        priv = strdupf("%s/systemd/private", dir);
        ck_assert_int_eq(mkdir(sysd, 0700), 0);
        fd = silent_socket(sock);
        fd2 = silent_socket(priv);
        setenv("DBUS_SESSION_BUS_ADDRESS", addr, 1);
        setenv("XDG_RUNTIME_DIR", dir, 1);
        /* Two channels tried (the bus, then the private socket), one deadline for both. */
        open_fails_within(true, 200, 0.5);
        /* No session bus address: $XDG_RUNTIME_DIR/bus, silent too. */
        unsetenv("DBUS_SESSION_BUS_ADDRESS");
        open_fails_within(true, 200, 0.5);
        close(fd);
        close(fd2);
        ck_assert_int_eq(rm_rf(dir), 0);
}
END_TEST

START_TEST(test_garbage_address)
{
        char dir[64];

        tmpdir_make(dir, sizeof dir, "manager");
        setenv("XDG_RUNTIME_DIR", dir, 1);
        setenv("DBUS_SYSTEM_BUS_ADDRESS", "\x01garbage;;:=", 1);
        open_fails_within(false, 0, 1);
        setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus", 1);
        open_fails_within(true, 0, 1);
        setenv("DBUS_SESSION_BUS_ADDRESS", "tcp:host=256.1.1.1,port=x", 1);
        open_fails_within(true, 0, MANAGER_CALL_TIMEOUT_USEC / 1e6 + 1);
        ck_assert_int_eq(rm_rf(dir), 0);
}
END_TEST

/* A deadline that has passed: nothing is tried, the reason says so; the reload is not asked. */
START_TEST(test_deadline_passed)
{
        _cleanup_free_ char *err = NULL;
        sd_bus *bus = NULL;
        double t0 = now_s();

        setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus", 1);
        ck_assert_int_eq(manager_bus_open(true, deadline_now_usec() - 1, &bus, &err), -ETIMEDOUT);
        ck_assert_ptr_null(bus);
        ck_assert_msg(strstr(err, "the deadline has passed"), "%s", err);
        ck_assert_msg(now_s() - t0 < 0.2, "took %.1f s", now_s() - t0);
        free(err);
        err = NULL;
        /* the check comes before any use of the bus */
        ck_assert_int_eq(manager_reload(NULL, deadline_now_usec() - 1, &err), -ETIMEDOUT);
        ck_assert_str_eq(err, "Reload: not asked: the deadline has passed");
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("manager");
        TCase *tc = tcase_create("core");

        tcase_set_timeout(tc, 30);
        tcase_add_test(tc, test_silent_system_bus);
        tcase_add_test(tc, test_silent_session_bus_and_private_socket);
        tcase_add_test(tc, test_garbage_address);
        tcase_add_test(tc, test_deadline_passed);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
