/* SPDX-License-Identifier: MIT */
/* dockerd.shims_in_unit_cgroup (src/collect/collect-cgroups.c) over a made-up /proc: the
 * /proc/PID/cgroup lines are those of a Debian 12 host (hybrid: name=systemd and 0::), of
 * a unified host, and of lib.sh's test stack, where dockerd 20.10 was seen with its own
 * containerd and shims in docker.service and, with --containerd, the shims in
 * containerd.service (tests/integration/test-killmode.sh). */
#include <check.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check-run.h"
#include "test-util.h"

#include "collect/collect.h"

#define FACT "dockerd.shims_in_unit_cgroup"
#define DOCKER_CG "/system.slice/docker.service"
#define CONTAINERD_CG "/system.slice/containerd.service"

static char proc[64];

static void setup(void)
{
        tmpdir_make(proc, sizeof proc, "cgroups");
}

static void teardown(void)
{
        ck_assert_int_eq(rm_rf(proc), 0);
}

/* PROC/pid/comm and PROC/pid/cgroup: legacy/hybrid lines when hybrid, else unified only. */
static void proc_put(long pid, const char *comm, const char *cg, bool hybrid)
{
        _cleanup_free_ char *c = strdupf("/%ld/comm", pid), *g = strdupf("/%ld/cgroup", pid),
                            *tc = strdupf("%s\n", comm),
                            *tg = hybrid ? strdupf("12:pids:%s\n4:memory:%s\n1:name=systemd:%s\n0::%s\n", cg,
                                                   cg, cg, cg)
                                         : strdupf("0::%s\n", cg);

        put(proc, c, tc);
        put(proc, g, tg);
}

static const Fact *run(long main_pid, const char *root)
{
        static Facts f;
        CollectOptions o = {.unit = "docker.service", .root = root};

        facts_done(&f);
        f = (Facts){};
        if (main_pid >= 0)
                ck_assert_int_eq(facts_set_number(&f, "unit.main_pid", main_pid, "dbus"), 0);
        ck_assert_int_eq(collect_cgroups_proc(&f, &o, proc), 0);
        return facts_get(&f, FACT);
}

static const Fact *run_with_containerd(const char *addr)
{
        static Facts f;
        CollectOptions o = {.unit = "docker.service"};

        facts_done(&f);
        f = (Facts){};
        ck_assert_int_eq(facts_set_number(&f, "unit.main_pid", 0, "dbus"), 0);
        ck_assert_int_eq(facts_set_string(&f, "dockerd.containerd", addr, "/etc/docker/daemon.json:3"), 0);
        ck_assert_int_eq(collect_cgroups_proc(&f, &o, proc), 0);
        return facts_get(&f, FACT);
}

/* A comm that is no regular file (a FIFO, which must not block; a directory) is passed over;
 * a comm without its newline, or longer than any comm, is read as far as it matters. */
START_TEST(test_odd_comm_entries)
{
        _cleanup_free_ char *fifo = NULL;
        const Fact *x;

        proc_put(700, "dockerd", DOCKER_CG, false);
        proc_put(800, "containerd", CONTAINERD_CG, false);
        fifo = path_in(proc, "/800/comm");
        ck_assert_int_eq(unlink(fifo), 0);
        ck_assert_int_eq(mkfifo(fifo, 0600), 0);
        put(proc, "/801/cgroup", "0::" CONTAINERD_CG "\n");
        put(proc, "/801/comm/x", "containerd\n");
        proc_put(802, "x", CONTAINERD_CG, false);
        put(proc, "/802/comm", "containerd-shim-runc-v2-with-a-name-longer-than-any-comm");
        x = run(700, NULL);
        ck_assert(x->known && !x->b);
        ck_assert_ptr_nonnull(strstr(x->source, "/802/cgroup (containerd-shim-runc-v2-with-a-, in "));
}
END_TEST

START_TEST(test_own_containerd)
{
        const Fact *x;

        proc_put(1, "systemd", "/init.scope", true);
        proc_put(700, "dockerd", DOCKER_CG, true);
        proc_put(707, "containerd", DOCKER_CG, true);
        x = run(700, NULL);
        ck_assert(x->known && x->b);
        ck_assert_ptr_nonnull(strstr(x->source, "/707/cgroup (containerd, in " DOCKER_CG ")"));
}
END_TEST

/* A shim alone (dockerd's containerd gone) counts; so does one in a delegated sub-cgroup. */
START_TEST(test_shim_below)
{
        const Fact *x;

        proc_put(700, "dockerd", DOCKER_CG, false);
        proc_put(900, "containerd-shim", DOCKER_CG "/supervised", false);
        x = run(700, NULL);
        ck_assert(x->known && x->b);
        ck_assert_ptr_nonnull(strstr(x->source, "/900/cgroup (containerd-shim"));
}
END_TEST

/* Docker 17.x: docker-containerd and docker-containerd-shim, comm cut at 15 bytes. */
START_TEST(test_docker_17)
{
        const Fact *x;

        proc_put(700, "dockerd", DOCKER_CG, true);
        proc_put(707, "docker-containe", DOCKER_CG, true);
        x = run(700, NULL);
        ck_assert(x->known && x->b);
}
END_TEST

START_TEST(test_separate_containerd)
{
        const Fact *x;

        proc_put(600, "containerd", CONTAINERD_CG, true);
        proc_put(650, "containerd-shim", CONTAINERD_CG, true);
        proc_put(700, "dockerd", DOCKER_CG, true);
        /* a sibling whose name starts like the unit's is not below it */
        proc_put(800, "containerd", DOCKER_CG "-extra.service", true);
        x = run(700, NULL);
        ck_assert(x->known && !x->b);
        ck_assert_ptr_nonnull(strstr(x->source, "not in " DOCKER_CG));
}
END_TEST

START_TEST(test_no_containerd_anywhere)
{
        const Fact *x;

        proc_put(700, "dockerd", DOCKER_CG, true);
        proc_put(701, "sleep", DOCKER_CG, true);
        x = run(700, NULL);
        ck_assert(!x->known);
        ck_assert_ptr_nonnull(strstr(x->reason, "no containerd process"));
}
END_TEST

/* The main process vanished between the D-Bus call and the read. */
START_TEST(test_main_pid_gone)
{
        const Fact *x;

        proc_put(707, "containerd", DOCKER_CG, true);
        x = run(700, NULL);
        ck_assert(!x->known);
        ck_assert_ptr_nonnull(strstr(x->reason, "/700/cgroup"));
}
END_TEST

START_TEST(test_not_running)
{
        const Fact *x;

        x = run(0, NULL);
        ck_assert(!x->known);
        ck_assert_ptr_nonnull(strstr(x->reason, "docker.service is not running"));
        ck_assert_ptr_nonnull(strstr(x->reason, "/run/containerd/containerd.sock"));

        x = run(-1, NULL);
        ck_assert(!x->known);
        ck_assert_ptr_nonnull(strstr(x->reason, "not collected"));

        x = run_with_containerd("/run/containerd/containerd.sock");
        ck_assert(x->known && !x->b);
        ck_assert_str_eq(x->source, "dockerd uses the containerd at /run/containerd/containerd.sock "
                                    "(/etc/docker/daemon.json:3)");

        /* "" is dockerd's default: decided when it starts */
        x = run_with_containerd("");
        ck_assert(!x->known);
}
END_TEST

/* Offline: the processes of this host say nothing about the image. */
START_TEST(test_offline)
{
        const Fact *x;

        proc_put(700, "dockerd", DOCKER_CG, true);
        proc_put(707, "containerd", DOCKER_CG, true);
        x = run(700, "/srv/image");
        ck_assert(!x->known);
        ck_assert_ptr_nonnull(strstr(x->reason, "offline"));
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("collect_cgroups");
        TCase *tc = tcase_create("core");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_own_containerd);
        tcase_add_test(tc, test_odd_comm_entries);
        tcase_add_test(tc, test_shim_below);
        tcase_add_test(tc, test_docker_17);
        tcase_add_test(tc, test_separate_containerd);
        tcase_add_test(tc, test_no_containerd_anywhere);
        tcase_add_test(tc, test_main_pid_gone);
        tcase_add_test(tc, test_not_running);
        tcase_add_test(tc, test_offline);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
