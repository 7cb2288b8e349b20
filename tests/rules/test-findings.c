/* SPDX-License-Identifier: MIT */
/* The shipped rules over fact sets built in code from real host values (kernel releases of
 * CentOS 7.3 and 7.4, MountFlags drop-ins, daemon.json states): pass / fail / skip, the
 * message, the chosen fix and the evidence. */
#include <check.h>

#include "check-run.h"

#include "rules/findings.h"
#include "rules/problems.h"

#define SHIPPED FIXTURES "/../../rules"

static RuleSet shipped;

static void load_shipped(void)
{
        char *dirs[] = {(char *) SHIPPED, NULL};
        _cleanup_free_ char *err = NULL;

        ck_assert_msg(rule_set_load(&shipped, dirs, &err) == 0, "%s", err);
}

static void unload_shipped(void)
{
        rule_set_done(&shipped);
}

#define OK(expr) ck_assert_int_eq((expr), 0)

/* Limits of moby's docker.service of today (1024:524288, TasksMax=infinity) and containerd's
 * (1.7.3+: no LimitNOFILE, the manager's 1024:524288). */
static void healthy_limits(Facts *f)
{
        OK(facts_set_version(
                f, "systemd.version", "252.39", "dbus:org.freedesktop.systemd1.Manager.Version"));
        OK(facts_set_number(f, "unit.limit_nofile", 524288, "/lib/systemd/system/docker.service:20"));
        OK(facts_set_number(f, "unit.limit_nofile_soft", 1024, "/lib/systemd/system/docker.service:20"));
        OK(facts_set_number(
                f, "unit.tasks_max", 9223372036854775807LL, "/lib/systemd/system/docker.service:23"));
        OK(facts_set_number(f, "unit.tasks_wanted", 296, "2 x (40 + 8), at least 256 more"));
        OK(facts_set_string(f, "containerd_unit.load_state", "loaded", "dbus"));
        OK(facts_set_number(f, "containerd_unit.limit_nofile", 524288, "default"));
        OK(facts_set_number(f, "containerd_unit.limit_nofile_soft", 1024, "default"));
        OK(facts_set_number(f, "containerd_unit.tasks_max", 9223372036854775807LL,
                "/lib/systemd/system/containerd.service:36"));
}

/* A healthy host: Ubuntu 22.04 kernel, upstream docker.service without MountFlags,
 * live-restore off, empty daemon.json, no swarm, dockerd in the manager's namespace. */
static void healthy_host(Facts *f)
{
        char *none[] = {NULL};
        char *argv[] = {(char *) "/usr/bin/dockerd", (char *) "-H", (char *) "fd://",
                (char *) "--containerd=/run/containerd/containerd.sock", NULL};

        *f = (Facts){};
        OK(facts_set_string(f, "kernel.release", "5.15.0-91-generic", "/proc/sys/kernel/osrelease"));
        OK(facts_set_version(f, "kernel.version", "5.15.0", "/proc/sys/kernel/osrelease"));
        OK(facts_set_unknown(f, "kernel.rhel_build", "5.15.0-91-generic is not a RHEL kernel"));
        OK(facts_set_unknown(f, "kernel.el", "5.15.0-91-generic is not a RHEL kernel"));
        OK(facts_set_bool(f, "kernel.leaks_mounts", false, "/proc/sys/kernel/osrelease"));
        OK(facts_set_unknown(
                f, "kernel.may_detach_mounts", "/proc/sys/fs/may_detach_mounts does not exist"));

        OK(facts_set_string(f, "unit.name", "docker.service", NULL));
        OK(facts_set_string(f, "unit.load_state", "loaded", "dbus:org.freedesktop.systemd1.Unit.LoadState"));
        OK(facts_set_string(
                f, "unit.active_state", "active", "dbus:org.freedesktop.systemd1.Unit.ActiveState"));
        OK(facts_set_string(f, "unit.fragment_path", "/lib/systemd/system/docker.service",
                "dbus:org.freedesktop.systemd1.Unit.FragmentPath"));
        OK(facts_set_list(f, "unit.dropin_paths", none, "dbus:org.freedesktop.systemd1.Unit.DropInPaths"));
        OK(facts_set_string(f, "unit.mount_flags", "", "dbus:org.freedesktop.systemd1.Service.MountFlags"));
        OK(facts_set_number(f, "unit.main_pid", 1234, "dbus:org.freedesktop.systemd1.Service.MainPID"));
        OK(facts_set_bool(
                f, "unit.need_daemon_reload", false, "dbus:org.freedesktop.systemd1.Unit.NeedDaemonReload"));
        OK(facts_set_bool(f, "unit.changed_on_disk", false, NULL));
        healthy_limits(f);

        /* The moby unit's dependencies: no BindsTo=, after containerd.service, its socket. */
        {
                char *after[] = {(char *) "network-online.target", (char *) "docker.socket",
                        (char *) "containerd.service", NULL};
                char *socket[] = {(char *) "docker.socket", NULL};
                char *hosts[] = {(char *) "fd://", NULL};

                OK(facts_set_list(f, "unit.binds_to", none, "dbus:org.freedesktop.systemd1.Unit.BindsTo"));
                OK(facts_set_list(f, "unit.after", after, "dbus:org.freedesktop.systemd1.Unit.After"));
                OK(facts_set_list(
                        f, "unit.requires", socket, "dbus:org.freedesktop.systemd1.Unit.Requires"));
                OK(facts_set_list(
                        f, "unit.triggered_by", socket, "dbus:org.freedesktop.systemd1.Unit.TriggeredBy"));
                OK(facts_set_string(f, "docker_socket.name", "docker.socket", "docker.service"));
                OK(facts_set_string(f, "docker_socket.load_state", "loaded",
                        "dbus:org.freedesktop.systemd1.Unit.LoadState"));
                OK(facts_set_string(f, "containerd_unit.load_state", "loaded",
                        "dbus:org.freedesktop.systemd1.Unit.LoadState"));
                OK(facts_set_list(f, "dockerd.hosts", hosts, "/lib/systemd/system/docker.service:13"));
                OK(facts_set_string(f, "dockerd.containerd", "/run/containerd/containerd.sock",
                        "/lib/systemd/system/docker.service:13"));
                OK(facts_set_bool(f, "unit_override.present", false, "/lib/systemd/system/docker.service"));
        }
        OK(facts_set_list(f, "dockerd.argv", argv, "/lib/systemd/system/docker.service:13"));
        OK(facts_set_list(f, "dockerd.flags", none, "/lib/systemd/system/docker.service:13"));
        OK(facts_set_list(f, "dockerd.conflicting_options", none, NULL));

        /* Nothing leaked, nothing Dead (collect-leaks.c). */
        OK(facts_set_list(f, "docker.dead_containers", none, "docker-api:/containers/json?all=1"));
        OK(facts_set_number(f, "docker.running_containers_count", 2, "docker-api:/containers/json?all=1"));
        OK(facts_set_number(f, "leaks.count", 0, "/proc/*/ns/mnt"));
        OK(facts_set_list(f, "leaks.containers", none, "/proc/*/ns/mnt"));
        OK(facts_set_bool(f, "dockerd.live_restore", false, "default"));

        OK(facts_set_string(f, "daemon_json.path", "/etc/docker/daemon.json", "default"));
        OK(facts_set_bool(f, "daemon_json.present", true, "/etc/docker/daemon.json"));
        OK(facts_set_bool(f, "daemon_json.valid", true, "/etc/docker/daemon.json"));
        OK(facts_set_list(f, "daemon_json.keys", none, "/etc/docker/daemon.json"));
        OK(facts_set_list(f, "daemon_json.unknown_keys", none, "/etc/docker/daemon.json"));
        OK(facts_set_string(f, "dockerd.log_driver", "json-file", "dockerd default"));
        OK(facts_set_string(f, "dockerd.log_max_size", "10m", "/etc/docker/daemon.json:3"));
        OK(facts_set_string(f, "dockerd.log_max_file", "3", "/etc/docker/daemon.json:3"));

        OK(facts_set_bool(f, "docker.running", true, "unix:///var/run/docker.sock"));
        OK(facts_set_string(f, "docker.swarm_state", "inactive", "unix:///var/run/docker.sock GET /info"));
        OK(facts_set_bool(f, "docker.live_restore", false, "unix:///var/run/docker.sock GET /info"));

        OK(facts_set_string(f, "ns.manager_mnt", "mnt:[4026531840]", "/proc/1/ns/mnt"));
        OK(facts_set_string(f, "ns.dockerd_mnt", "mnt:[4026531840]", "/proc/1234/ns/mnt"));
        OK(facts_set_bool(f, "ns.dockerd_private", false, "/proc/1234/ns/mnt"));

        /* overlay2 with d_type; a kubeadm node whose kubelet and Docker both use systemd. */
        OK(facts_set_string(f, "docker.storage_driver", "overlay2", "docker-api:/v1.41/info Driver"));
        OK(facts_set_bool(f, "docker.supports_d_type", true, "docker-api:/v1.41/info DriverStatus"));
        OK(facts_set_bool(f, "kubelet.present", true, "/lib/systemd/system/kubelet.service"));
        OK(facts_set_string(f, "kubelet.cgroup_driver", "systemd", "/var/lib/kubelet/config.yaml:13"));
        OK(facts_set_string(f, "docker.cgroup_driver_effective", "systemd", "/etc/docker/daemon.json:2"));
}

/* CentOS 7.3 GA kernel: leaks mounts, no fs.may_detach_mounts. */
static void centos73_kernel(Facts *f)
{
        OK(facts_set_string(f, "kernel.release", "3.10.0-514.el7.x86_64", "/proc/sys/kernel/osrelease"));
        OK(facts_set_version(f, "kernel.version", "3.10.0", "/proc/sys/kernel/osrelease"));
        OK(facts_set_version(f, "kernel.rhel_build", "514", "/proc/sys/kernel/osrelease"));
        OK(facts_set_string(f, "kernel.el", "el7", "/proc/sys/kernel/osrelease"));
        OK(facts_set_bool(f, "kernel.leaks_mounts", true, "/proc/sys/kernel/osrelease"));
        OK(facts_set_unknown(
                f, "kernel.may_detach_mounts", "/proc/sys/fs/may_detach_mounts does not exist"));
}

/* CentOS 7.4 GA kernel with the sysctl at the given value. kernel.leaks_mounts comes from the
 * release alone (kernel-release.c): the sysctl is detach-mounts-disabled's business. */
static void centos74_kernel(Facts *f, long long may_detach)
{
        OK(facts_set_string(f, "kernel.release", "3.10.0-693.el7.x86_64", "/proc/sys/kernel/osrelease"));
        OK(facts_set_version(f, "kernel.version", "3.10.0", "/proc/sys/kernel/osrelease"));
        OK(facts_set_version(f, "kernel.rhel_build", "693", "/proc/sys/kernel/osrelease"));
        OK(facts_set_string(f, "kernel.el", "el7", "/proc/sys/kernel/osrelease"));
        OK(facts_set_bool(f, "kernel.leaks_mounts", false, "/proc/sys/kernel/osrelease"));
        OK(facts_set_number(f, "kernel.may_detach_mounts", may_detach, "/proc/sys/fs/may_detach_mounts"));
}

/* The haxorof/ansible-role-docker-ce drop-in (corpus units/dropins/haxorof-mountflags-slave.conf)
 * plus "live-restore": true in daemon.json, as on the amazon-eks-ami host. */
static void slave_with_live_restore(Facts *f)
{
        char *keys[] = {(char *) "live-restore", NULL};

        OK(facts_set_string(f, "unit.mount_flags", "slave",
                "/etc/systemd/system/docker.service.d/mountflags-slave.conf:2"));
        OK(facts_set_bool(f, "ns.dockerd_private", true, "/proc/1234/ns/mnt"));
        OK(facts_set_string(f, "ns.dockerd_mnt", "mnt:[4026532577]", "/proc/1234/ns/mnt"));
        OK(facts_set_bool(f, "dockerd.live_restore", true, "/etc/docker/daemon.json:2"));
        OK(facts_set_list(f, "daemon_json.keys", keys, "/etc/docker/daemon.json"));
}

static const Finding *find(const Findings *fs, const char *id)
{
        for (size_t i = 0; i < fs->n; i++)
                if (streq(fs->v[i].rule->id, id))
                        return &fs->v[i];
        ck_abort_msg("no finding for %s", id);
        return NULL;
}

static const Finding *check_status(const Findings *fs, const char *id, FindingStatus want)
{
        const Finding *x = find(fs, id);

        ck_assert_msg(x->status == want, "%s: %s, expected %s (%s)", id, finding_status_to_string(x->status),
                finding_status_to_string(want), strempty(x->reason));
        if (want == FINDING_FAIL) {
                ck_assert_ptr_nonnull(x->message);
                ck_assert_ptr_null(x->reason);
        } else {
                ck_assert_ptr_null(x->message);
                ck_assert_ptr_null(x->fix);
        }
        if (want == FINDING_SKIP)
                ck_assert_ptr_nonnull(x->reason);
        return x;
}

static void evaluate(const Facts *f, Findings *ret)
{
        OK(findings_evaluate(&shipped, f, ret));
        ck_assert_uint_eq(ret->n, shipped.n);
}

START_TEST(test_healthy_host_passes_everything)
{
        _cleanup_facts_ Facts f = {};
        _cleanup_(findings_done) Findings fs = {};

        healthy_host(&f);
        evaluate(&f, &fs);
        for (size_t i = 0; i < fs.n; i++)
                check_status(&fs, fs.v[i].rule->id, FINDING_PASS);
        ck_assert_uint_eq(findings_count_failed(&fs, SEVERITY_INFO), 0);
}
END_TEST

START_TEST(test_centos73_kernel_leaks)
{
        _cleanup_facts_ Facts f = {};
        _cleanup_(findings_done) Findings fs = {};
        const Finding *x;

        healthy_host(&f);
        centos73_kernel(&f);
        evaluate(&f, &fs);
        x = check_status(&fs, "kernel-leaks-mounts", FINDING_FAIL);
        ck_assert_ptr_nonnull(
                strstr(x->message, "Kernel 3.10.0-514.el7.x86_64 (/proc/sys/kernel/osrelease) leaks"));
        ck_assert_ptr_null(x->fix);
        ck_assert_uint_eq(strv_length(x->evidence), 2);
        ck_assert_str_eq(x->evidence[0], "kernel.leaks_mounts");
        ck_assert_str_eq(x->evidence[1], "kernel.may_detach_mounts");
        check_status(&fs, "detach-mounts-disabled", FINDING_PASS);
        /* Without MountFlags nothing else is wrong. */
        check_status(&fs, "mountflags-slave-on-fixed-kernel", FINDING_PASS);
        ck_assert_uint_eq(findings_count_failed(&fs, SEVERITY_HIGH), 1);
}
END_TEST

START_TEST(test_centos74_kernel)
{
        _cleanup_facts_ Facts f = {};
        _cleanup_(findings_done) Findings fs = {};
        const Finding *x;

        healthy_host(&f);
        centos74_kernel(&f, 1);
        evaluate(&f, &fs);
        check_status(&fs, "kernel-leaks-mounts", FINDING_PASS);
        check_status(&fs, "detach-mounts-disabled", FINDING_PASS);
        findings_done(&fs);

        /* 7.4 with the sysctl off: the sysctl rule speaks, not "upgrade your kernel", even if
         * the kernel were judged leaking. */
        centos74_kernel(&f, 0);
        OK(facts_set_bool(&f, "kernel.leaks_mounts", true, "/proc/sys/fs/may_detach_mounts"));
        evaluate(&f, &fs);
        check_status(&fs, "kernel-leaks-mounts", FINDING_PASS);
        x = check_status(&fs, "detach-mounts-disabled", FINDING_FAIL);
        ck_assert_ptr_nonnull(
                strstr(x->message, "fs.may_detach_mounts is 0 (/proc/sys/fs/may_detach_mounts) on "
                                   "kernel 3.10.0-693.el7.x86_64"));
        ck_assert_ptr_nonnull(x->fix);
        ck_assert_int_eq(x->fix->actions[0].type, FIX_ACTION_SYSCTL);
        ck_assert_str_eq(x->fix->actions[0].value, "1");
}
END_TEST

START_TEST(test_unknown_kernel_skips_with_reason)
{
        _cleanup_facts_ Facts f = {};
        _cleanup_(findings_done) Findings fs = {};
        const Finding *x;

        healthy_host(&f);
        OK(facts_set_unknown(
                &f, "kernel.release", "cannot read /proc/sys/kernel/osrelease: permission denied"));
        OK(facts_set_unknown(&f, "kernel.leaks_mounts", "kernel release unknown"));
        OK(facts_set_unknown(&f, "kernel.may_detach_mounts",
                "cannot read /proc/sys/fs/may_detach_mounts: "
                "permission denied"));
        evaluate(&f, &fs);
        x = check_status(&fs, "kernel-leaks-mounts", FINDING_SKIP);
        ck_assert_ptr_nonnull(strstr(x->reason, "kernel.leaks_mounts"));
        ck_assert_ptr_nonnull(strstr(x->reason, "kernel release unknown"));
        /* defined() of an unknown fact is false, never unknown. */
        check_status(&fs, "detach-mounts-disabled", FINDING_PASS);
        /* MountFlags unset: whatever the kernel, nothing to say. */
        check_status(&fs, "mountflags-slave-on-fixed-kernel", FINDING_PASS);
}
END_TEST

START_TEST(test_slave_live_restore_fixed_kernel)
{
        _cleanup_facts_ Facts f = {};
        _cleanup_(findings_done) Findings fs = {};
        const Finding *x;

        healthy_host(&f);
        slave_with_live_restore(&f);
        evaluate(&f, &fs);
        x = check_status(&fs, "mountflags-slave-with-live-restore", FINDING_FAIL);
        ck_assert_str_eq(x->message,
                "docker.service runs dockerd with MountFlags=slave "
                "(/etc/systemd/system/docker.service.d/mountflags-slave.conf:2) while live-restore is on "
                "(/etc/docker/daemon.json:2): after a daemon restart, docker exec into restored containers "
                "fails.");
        ck_assert_ptr_eq(x->fix, &x->rule->fixes[0]);
        ck_assert_str_eq(x->fix->actions[0].value, "shared");
        ck_assert_uint_eq(strv_length(x->evidence), 2);
        ck_assert_str_eq(x->evidence[0], "unit.mount_flags");
        ck_assert_str_eq(x->evidence[1], "dockerd.live_restore");

        x = check_status(&fs, "mountflags-slave-on-fixed-kernel", FINDING_FAIL);
        ck_assert_str_eq(x->fix->actions[0].key, "MountFlags");
        check_status(&fs, "restart-pending", FINDING_PASS);
        ck_assert_uint_eq(findings_count_failed(&fs, SEVERITY_HIGH), 1);
        ck_assert_uint_eq(findings_count_failed(&fs, SEVERITY_MEDIUM), 2);
}
END_TEST

START_TEST(test_slave_live_restore_leaking_kernel)
{
        _cleanup_facts_ Facts f = {};
        _cleanup_(findings_done) Findings fs = {};
        char *flags[] = {(char *) "live-restore", NULL};
        const Finding *x;

        healthy_host(&f);
        slave_with_live_restore(&f);
        centos73_kernel(&f);
        evaluate(&f, &fs);
        x = check_status(&fs, "mountflags-slave-with-live-restore", FINDING_FAIL);
        ck_assert_ptr_nonnull(x->fix);
        ck_assert_str_eq(x->fix->name, "keep-slave");
        ck_assert_int_eq(x->fix->actions[0].type, FIX_ACTION_DAEMON_JSON);
        ck_assert_str_eq(x->fix->actions[0].value, "false");
        /* On a leaking kernel the slave namespace is the lesser evil. */
        check_status(&fs, "mountflags-slave-on-fixed-kernel", FINDING_PASS);
        check_status(&fs, "kernel-leaks-mounts", FINDING_FAIL);
        findings_done(&fs);

        /* live-restore from a --live-restore flag: a daemon.json edit would make dockerd refuse
         * to start, so no fix is offered. */
        OK(facts_set_list(&f, "dockerd.flags", flags, "/etc/sysconfig/docker:4"));
        evaluate(&f, &fs);
        x = check_status(&fs, "mountflags-slave-with-live-restore", FINDING_FAIL);
        ck_assert_ptr_null(x->fix);
}
END_TEST

START_TEST(test_private_counts_as_slave)
{
        _cleanup_facts_ Facts f = {};
        _cleanup_(findings_done) Findings fs = {};

        healthy_host(&f);
        slave_with_live_restore(&f);
        OK(facts_set_string(&f, "unit.mount_flags", "private", "/etc/systemd/system/docker.service:20"));
        evaluate(&f, &fs);
        check_status(&fs, "mountflags-slave-with-live-restore", FINDING_FAIL);
        check_status(&fs, "mountflags-slave-on-fixed-kernel", FINDING_FAIL);
        findings_done(&fs);

        OK(facts_set_string(&f, "unit.mount_flags", "shared",
                "/etc/systemd/system/docker.service.d/50-dockaudit.conf:2"));
        OK(facts_set_bool(&f, "ns.dockerd_private", false, "/proc/1234/ns/mnt"));
        evaluate(&f, &fs);
        check_status(&fs, "mountflags-slave-with-live-restore", FINDING_PASS);
        check_status(&fs, "mountflags-slave-on-fixed-kernel", FINDING_PASS);
}
END_TEST

START_TEST(test_unknown_kernel_with_slave)
{
        _cleanup_facts_ Facts f = {};
        _cleanup_(findings_done) Findings fs = {};
        const Finding *x;

        healthy_host(&f);
        slave_with_live_restore(&f);
        OK(facts_set_unknown(&f, "kernel.leaks_mounts", "kernel release unknown"));
        evaluate(&f, &fs);
        /* The failure does not depend on the kernel; which fix does, and it is not guessed. */
        x = check_status(&fs, "mountflags-slave-with-live-restore", FINDING_FAIL);
        ck_assert_ptr_null(x->fix);
        check_status(&fs, "mountflags-slave-on-fixed-kernel", FINDING_SKIP);
}
END_TEST

START_TEST(test_unit_not_found)
{
        _cleanup_facts_ Facts f = {};
        _cleanup_(findings_done) Findings fs = {};
        const Finding *x;

        healthy_host(&f);
        OK(facts_set_unknown(&f, "unit.mount_flags", "docker.service not found"));
        OK(facts_set_unknown(&f, "unit.active_state", "docker.service not found"));
        evaluate(&f, &fs);
        /* Kleene: unknown && false is false. */
        check_status(&fs, "mountflags-slave-with-live-restore", FINDING_PASS);
        findings_done(&fs);

        OK(facts_set_bool(&f, "dockerd.live_restore", true, "/etc/docker/daemon.json:2"));
        evaluate(&f, &fs);
        x = check_status(&fs, "mountflags-slave-with-live-restore", FINDING_SKIP);
        ck_assert_str_eq(x->reason, "unit.mount_flags unknown: docker.service not found");
        check_status(&fs, "restart-pending", FINDING_SKIP);
}
END_TEST

START_TEST(test_nothing_collected)
{
        _cleanup_facts_ Facts f = {};
        _cleanup_(findings_done) Findings fs = {};
        const Finding *x;

        evaluate(&f, &fs);
        for (size_t i = 0; i < fs.n; i++)
                ck_assert_msg(fs.v[i].status == FINDING_SKIP || fs.v[i].status == FINDING_PASS, "%s: %s",
                        fs.v[i].rule->id, finding_status_to_string(fs.v[i].status));
        x = check_status(&fs, "kernel-leaks-mounts", FINDING_SKIP);
        ck_assert_str_eq(x->reason, "kernel.leaks_mounts unknown: not collected");
        ck_assert_uint_eq(findings_count_failed(&fs, SEVERITY_INFO), 0);
}
END_TEST

START_TEST(test_option_set_twice)
{
        _cleanup_facts_ Facts f = {};
        _cleanup_(findings_done) Findings fs = {};
        char *both[] = {(char *) "live-restore", (char *) "hosts", NULL};
        const Finding *x;

        healthy_host(&f);
        OK(facts_set_list(&f, "dockerd.conflicting_options", both, "/etc/sysconfig/docker:4"));
        evaluate(&f, &fs);
        x = check_status(&fs, "option-set-twice", FINDING_FAIL);
        ck_assert_ptr_nonnull(strstr(x->message, "live-restore, hosts given both as flags"));
        ck_assert_ptr_nonnull(strstr(x->message, "in /etc/docker/daemon.json"));
}
END_TEST

START_TEST(test_daemon_json_invalid)
{
        _cleanup_facts_ Facts f = {};
        _cleanup_(findings_done) Findings fs = {};
        const Finding *x;

        healthy_host(&f);
        OK(facts_set_bool(&f, "daemon_json.valid", false, "/etc/docker/daemon.json"));
        OK(facts_set_string(&f, "daemon_json.error", "line 3 column 1: end of file expected near '}'",
                "/etc/docker/daemon.json"));
        evaluate(&f, &fs);
        x = check_status(&fs, "daemon-json-invalid", FINDING_FAIL);
        ck_assert_str_eq(x->message,
                "/etc/docker/daemon.json (default) is refused by dockerd: line 3 column "
                "1: end of file expected near '}'. dockerd will not start with it.");
        findings_done(&fs);

        /* No file at all is fine: validity then does not matter. */
        OK(facts_set_bool(&f, "daemon_json.present", false, "/etc/docker/daemon.json"));
        OK(facts_set_unknown(&f, "daemon_json.valid", "/etc/docker/daemon.json does not exist"));
        evaluate(&f, &fs);
        check_status(&fs, "daemon-json-invalid", FINDING_PASS);
}
END_TEST

START_TEST(test_needs_daemon_reload)
{
        _cleanup_facts_ Facts f = {};
        _cleanup_(findings_done) Findings fs = {};

        healthy_host(&f);
        OK(facts_set_bool(
                &f, "unit.changed_on_disk", true, "/etc/systemd/system/docker.service.d/override.conf"));
        evaluate(&f, &fs);
        check_status(&fs, "unit-needs-daemon-reload", FINDING_FAIL);
        findings_done(&fs);

        OK(facts_set_bool(&f, "unit.changed_on_disk", false, NULL));
        OK(facts_set_bool(
                &f, "unit.need_daemon_reload", true, "dbus:org.freedesktop.systemd1.Unit.NeedDaemonReload"));
        evaluate(&f, &fs);
        check_status(&fs, "unit-needs-daemon-reload", FINDING_FAIL);
        findings_done(&fs);

        /* One known true is enough even when the other is unknown. */
        OK(facts_set_unknown(&f, "unit.changed_on_disk", "cannot read the unit files"));
        evaluate(&f, &fs);
        check_status(&fs, "unit-needs-daemon-reload", FINDING_FAIL);
}
END_TEST

START_TEST(test_restart_pending)
{
        _cleanup_facts_ Facts f = {};
        _cleanup_(findings_done) Findings fs = {};
        const Finding *x;

        healthy_host(&f);
        /* Fixed on disk and reloaded (MountFlags=shared), dockerd still in its old namespace. */
        OK(facts_set_string(&f, "unit.mount_flags", "shared",
                "/etc/systemd/system/docker.service.d/50-dockaudit.conf:2"));
        OK(facts_set_bool(&f, "ns.dockerd_private", true, "/proc/1234/ns/mnt"));
        OK(facts_set_string(&f, "ns.dockerd_mnt", "mnt:[4026532577]", "/proc/1234/ns/mnt"));
        evaluate(&f, &fs);
        x = check_status(&fs, "restart-pending", FINDING_FAIL);
        ck_assert_ptr_nonnull(
                strstr(x->message, "(pid 1234) is in mount namespace mnt:[4026532577] and the manager "
                                   "in mnt:[4026531840]"));
        findings_done(&fs);

        /* Unset MountFlags likewise expects the manager's namespace. */
        OK(facts_set_string(&f, "unit.mount_flags", "", "dbus:org.freedesktop.systemd1.Service.MountFlags"));
        evaluate(&f, &fs);
        check_status(&fs, "restart-pending", FINDING_FAIL);
        findings_done(&fs);

        /* slave loaded, but dockerd started before: in the host namespace. */
        OK(facts_set_string(&f, "unit.mount_flags", "slave",
                "/etc/systemd/system/docker.service.d/mountflags-slave.conf:2"));
        OK(facts_set_bool(&f, "ns.dockerd_private", false, "/proc/1234/ns/mnt"));
        evaluate(&f, &fs);
        check_status(&fs, "restart-pending", FINDING_FAIL);
        findings_done(&fs);

        /* slave and a private namespace: consistent. */
        OK(facts_set_bool(&f, "ns.dockerd_private", true, "/proc/1234/ns/mnt"));
        evaluate(&f, &fs);
        check_status(&fs, "restart-pending", FINDING_PASS);
        findings_done(&fs);

        /* Not running: nothing pending. */
        OK(facts_set_string(
                &f, "unit.active_state", "inactive", "dbus:org.freedesktop.systemd1.Unit.ActiveState"));
        OK(facts_set_unknown(&f, "ns.dockerd_private", "dockerd is not running"));
        evaluate(&f, &fs);
        check_status(&fs, "restart-pending", FINDING_PASS);
        findings_done(&fs);

        /* Running but the namespace unreadable: skip. */
        OK(facts_set_string(
                &f, "unit.active_state", "active", "dbus:org.freedesktop.systemd1.Unit.ActiveState"));
        OK(facts_set_unknown(&f, "ns.dockerd_private", "cannot read /proc/1234/ns/mnt: permission denied"));
        evaluate(&f, &fs);
        x = check_status(&fs, "restart-pending", FINDING_SKIP);
        ck_assert_ptr_nonnull(strstr(x->reason, "permission denied"));
}
END_TEST

START_TEST(test_live_restore_with_swarm)
{
        _cleanup_facts_ Facts f = {};
        _cleanup_(findings_done) Findings fs = {};
        char *flags[] = {(char *) "live-restore", NULL};
        const Finding *x;

        healthy_host(&f);
        OK(facts_set_bool(&f, "dockerd.live_restore", true, "/etc/docker/daemon.json:2"));
        evaluate(&f, &fs);
        check_status(&fs, "live-restore-with-swarm", FINDING_PASS);
        findings_done(&fs);

        OK(facts_set_string(&f, "docker.swarm_state", "active", "unix:///var/run/docker.sock GET /info"));
        evaluate(&f, &fs);
        x = check_status(&fs, "live-restore-with-swarm", FINDING_FAIL);
        ck_assert_int_eq(x->rule->severity, SEVERITY_MEDIUM);
        ck_assert_ptr_nonnull(x->fix);
        ck_assert_str_eq(x->fix->actions[0].key, "live-restore");
        ck_assert_str_eq(x->fix->actions[0].value, "false");
        findings_done(&fs);

        OK(facts_set_list(&f, "dockerd.flags", flags, "/etc/sysconfig/docker:4"));
        evaluate(&f, &fs);
        x = check_status(&fs, "live-restore-with-swarm", FINDING_FAIL);
        ck_assert_ptr_null(x->fix);
        findings_done(&fs);

        /* Docker not answering: the swarm state is unknown. */
        OK(facts_set_unknown(&f, "docker.swarm_state", "cannot connect to /var/run/docker.sock"));
        evaluate(&f, &fs);
        check_status(&fs, "live-restore-with-swarm", FINDING_SKIP);
}
END_TEST

/* The first applicable fix wins; an unknown "when" is skipped, not taken. */
START_TEST(test_fix_choice_order)
{
        static const char text[] =
                "[rule]\nid = order\ntitle = t\nseverity = info\nwhen = true\nmessage = m\n"
                "[fix \"a\"]\nwhen = kernel.leaks_mounts\nsysctl = a.b=1\n"
                "[fix \"b\"]\nwhen = false\nsysctl = a.b=2\n"
                "[fix \"c\"]\nsysctl = a.b=3\n"
                "[fix \"d\"]\nsysctl = a.b=4\n";
        _cleanup_free_ char *err = NULL;
        _cleanup_facts_ Facts f = {};
        _cleanup_(findings_done) Findings fs = {};
        RuleSet set = {};
        Rule *r = NULL;

        ck_assert_msg(rule_parse_string("/x/order.rule", text, sizeof text - 1, &r, &err) == 0, "%s", err);
        set.rules = &r;
        set.n = 1;

        OK(findings_evaluate(&set, &f, &fs));
        ck_assert_int_eq(fs.v[0].status, FINDING_FAIL);
        ck_assert_str_eq(fs.v[0].fix->name, "c");
        ck_assert_uint_eq(strv_length(fs.v[0].evidence), 0);
        findings_done(&fs);

        OK(facts_set_bool(&f, "kernel.leaks_mounts", true, NULL));
        OK(findings_evaluate(&set, &f, &fs));
        ck_assert_str_eq(fs.v[0].fix->name, "a");
        findings_done(&fs);
        rule_free(r);
}
END_TEST

/* "applies": false is a skip that says the rule does not apply, which --strict does not count;
 * unknown is an ordinary skip; true evaluates "when". */
START_TEST(test_applies)
{
        static const char text[] = "[rule]\nid = k8s\ntitle = t\nseverity = high\n"
                                   "applies = kubelet.present\nwhen = true\nmessage = m\n";
        _cleanup_free_ char *err = NULL;
        _cleanup_facts_ Facts f = {};
        _cleanup_(findings_done) Findings fs = {};
        _cleanup_strv_free_ char **strict = NULL;
        RuleSet set = {};
        Rule *r = NULL;

        ck_assert_msg(rule_parse_string("/x/k8s.rule", text, sizeof text - 1, &r, &err) == 0, "%s", err);
        ck_assert_str_eq(r->applies_text, "kubelet.present");
        set.rules = &r;
        set.n = 1;

        OK(facts_set_bool(&f, "kubelet.present", false, "kubelet.service: not found"));
        OK(findings_evaluate(&set, &f, &fs));
        ck_assert_int_eq(fs.v[0].status, FINDING_SKIP);
        ck_assert(fs.v[0].not_applicable);
        ck_assert_str_eq(fs.v[0].reason,
                "not applicable: kubelet.present is false (kubelet.present: kubelet.service: not found)");
        OK(strict_problems(&fs, &strict));
        ck_assert_ptr_null(strict);
        findings_done(&fs);

        OK(facts_set_unknown(&f, "kubelet.present", "permission denied"));
        OK(findings_evaluate(&set, &f, &fs));
        ck_assert_int_eq(fs.v[0].status, FINDING_SKIP);
        ck_assert(!fs.v[0].not_applicable);
        ck_assert_ptr_nonnull(strstr(fs.v[0].reason, "permission denied"));
        OK(strict_problems(&fs, &strict));
        ck_assert_uint_eq(strv_length(strict), 1);
        findings_done(&fs);

        OK(facts_set_bool(&f, "kubelet.present", true, NULL));
        OK(findings_evaluate(&set, &f, &fs));
        ck_assert_int_eq(fs.v[0].status, FINDING_FAIL);
        rule_free(r);
}
END_TEST

START_TEST(test_count_failed_and_names)
{
        _cleanup_facts_ Facts f = {};
        _cleanup_(findings_done) Findings fs = {};
        Findings empty = {};
        RuleSet none = {};

        healthy_host(&f);
        slave_with_live_restore(&f);
        centos73_kernel(&f);
        OK(facts_set_bool(&f, "unit.need_daemon_reload", true, NULL));
        evaluate(&f, &fs);
        /* high: mountflags-slave-with-live-restore, kernel-leaks-mounts; medium: reload. */
        ck_assert_uint_eq(findings_count_failed(&fs, SEVERITY_HIGH), 2);
        ck_assert_uint_eq(findings_count_failed(&fs, SEVERITY_MEDIUM), 3);
        ck_assert_uint_eq(findings_count_failed(&fs, SEVERITY_LOW), 3);
        ck_assert_uint_eq(findings_count_failed(&fs, SEVERITY_INFO), 3);

        OK(findings_evaluate(&none, &f, &empty));
        ck_assert_uint_eq(empty.n, 0);
        ck_assert_uint_eq(findings_count_failed(&empty, SEVERITY_INFO), 0);
        findings_done(&empty);

        ck_assert_str_eq(finding_status_to_string(FINDING_PASS), "pass");
        ck_assert_str_eq(finding_status_to_string(FINDING_FAIL), "fail");
        ck_assert_str_eq(finding_status_to_string(FINDING_SKIP), "skip");
        ck_assert_str_eq(finding_status_to_string(FINDING_ERROR), "error");
        ck_assert_ptr_null(finding_status_to_string(_FINDING_STATUS_MAX));
}
END_TEST

static Suite *findings_suite(void)
{
        Suite *s = suite_create("findings");
        TCase *tc = tcase_create("shipped");

        tcase_add_unchecked_fixture(tc, load_shipped, unload_shipped);
        tcase_add_test(tc, test_healthy_host_passes_everything);
        tcase_add_test(tc, test_applies);
        tcase_add_test(tc, test_centos73_kernel_leaks);
        tcase_add_test(tc, test_centos74_kernel);
        tcase_add_test(tc, test_unknown_kernel_skips_with_reason);
        tcase_add_test(tc, test_slave_live_restore_fixed_kernel);
        tcase_add_test(tc, test_slave_live_restore_leaking_kernel);
        tcase_add_test(tc, test_private_counts_as_slave);
        tcase_add_test(tc, test_unknown_kernel_with_slave);
        tcase_add_test(tc, test_unit_not_found);
        tcase_add_test(tc, test_nothing_collected);
        tcase_add_test(tc, test_option_set_twice);
        tcase_add_test(tc, test_daemon_json_invalid);
        tcase_add_test(tc, test_needs_daemon_reload);
        tcase_add_test(tc, test_restart_pending);
        tcase_add_test(tc, test_live_restore_with_swarm);
        tcase_add_test(tc, test_fix_choice_order);
        tcase_add_test(tc, test_count_failed_and_names);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(findings_suite());
}
