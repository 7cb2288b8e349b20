/* SPDX-License-Identifier: MIT */
/* The shipped rules overlay-without-dtype and cgroup-driver-mismatch over fact sets built
 * from real values: docker info of a RHEL 7.4 host on XFS ftype=0 (docker/for-linux#196:
 * 17.06.2-ce, overlay, "Backing Filesystem: xfs", "Supports d_type: false"), this machine's
 * dockerd 20.10 refusing or falling back, and kubeadm nodes (config.yaml with cgroupDriver
 * systemd since kubeadm 1.22, Docker on cgroupfs). */
#include <check.h>

#include "check-run.h"

#include "rules/findings.h"

#define SHIPPED FIXTURES "/../../rules"
#define INFO "docker-api:/v1.41/info "
#define OK(expr) ck_assert_int_eq((expr), 0)

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

/* The finding of rule id over f, its status checked; *ret_message gets the message. */
static void check(
        const Facts *f, const char *id, FindingStatus status, char **ret_message, char **ret_reason)
{
        _cleanup_(findings_done) Findings fs = {};

        OK(findings_evaluate(&shipped, f, &fs));
        for (size_t i = 0; i < fs.n; i++) {
                if (!streq(fs.v[i].rule->id, id))
                        continue;
                ck_assert_msg(fs.v[i].status == status, "%s: status %d, expected %d (%s)", id,
                        fs.v[i].status, status, strempty(fs.v[i].reason));
                if (ret_message)
                        *ret_message = fs.v[i].message ? strdup(fs.v[i].message) : NULL;
                if (ret_reason)
                        *ret_reason = fs.v[i].reason ? strdup(fs.v[i].reason) : NULL;
                return;
        }
        ck_abort_msg("no finding for %s", id);
}

/* A daemon that answered /info (API 1.41). */
static void daemon_answered(Facts *f, const char *driver, const char *backing, int d_type)
{
        OK(facts_set_bool(f, "docker.running", true, "docker-api:/var/run/docker.sock /_ping"));
        OK(facts_set_string(f, "docker.storage_driver", driver, INFO "Driver"));
        OK(facts_set_string(f, "docker.backing_fs", backing, INFO "DriverStatus \"Backing Filesystem\""));
        OK(d_type < 0 ? facts_set_unknown(f, "docker.supports_d_type", "no \"Supports d_type\"")
                      : facts_set_bool(f, "docker.supports_d_type", d_type,
                                INFO "DriverStatus \"Supports d_type\""));
        OK(facts_set_string(f, "docker.root_dir", "/var/lib/docker", INFO "DockerRootDir"));
}

static void daemon_down(Facts *f)
{
        static const char *const api[] = {"docker.storage_driver", "docker.backing_fs",
                "docker.supports_d_type", "docker.root_dir", "docker.cgroup_driver"};

        OK(facts_set_bool(f, "docker.running", false, "docker-api:/var/run/docker.sock /_ping"));
        OK(facts_set_unknown_all(f, api, ELEMENTSOF(api), "/var/run/docker.sock: no such socket"));
}

static void configured(Facts *f, const char *driver, const char *fs, int d_type)
{
        OK(facts_set_string(f, "dockerd.data_root", "/var/lib/docker", "dockerd default"));
        OK(facts_set_string(f, "dockerd.storage_driver", driver, "/etc/docker/daemon.json:2"));
        OK(facts_set_string(f, "storage.fs_type", fs, "statfs /var/lib/docker"));
        OK(d_type < 0 ? facts_set_unknown(f, "storage.d_type", "no directory entry to read")
                      : facts_set_bool(f, "storage.d_type", d_type,
                                "readdir /var/lib/docker (d_type of its entries)"));
}

START_TEST(test_overlay_dtype_from_info)
{
        _cleanup_facts_ Facts f = {};
        _cleanup_free_ char *msg = NULL;

        /* docker/for-linux#196: 17.06.2-ce on RHEL 7.4, overlay on XFS ftype=0. The read-only
         * check agrees here; /info alone decides. */
        daemon_answered(&f, "overlay", "xfs", false);
        configured(&f, "", "xfs", 1);
        check(&f, "overlay-without-dtype", FINDING_FAIL, &msg, NULL);
        ck_assert_msg(
                strstr(msg, "\"Supports d_type: false\"") && strstr(msg, "running overlay"), "%s", msg);
        ck_assert_msg(strstr(msg, "ftype=1"), "%s", msg);

        /* The same daemon on ext4 with d_type. */
        daemon_answered(&f, "overlay2", "extfs", true);
        check(&f, "overlay-without-dtype", FINDING_PASS, NULL, NULL);

        /* devicemapper reports no d_type at all: not an overlay driver, nothing to say. */
        daemon_answered(&f, "devicemapper", "xfs", -1);
        configured(&f, "devicemapper", "xfs", 0);
        check(&f, "overlay-without-dtype", FINDING_PASS, NULL, NULL);

        /* overlay2 without "Supports d_type" in DriverStatus: cannot tell. */
        daemon_answered(&f, "overlay2", "xfs", -1);
        check(&f, "overlay-without-dtype", FINDING_SKIP, NULL, NULL);
}
END_TEST

START_TEST(test_overlay_dtype_vfs_fallback)
{
        _cleanup_facts_ Facts f = {};

        /* dockerd 20.10 on a new data root without d_type and no storage-driver: it passed
         * overlay2 over and runs vfs. */
        daemon_answered(&f, "vfs", "", -1);
        configured(&f, "", "extfs", 0);
        check(&f, "overlay-without-dtype", FINDING_FAIL, NULL, NULL);
        /* vfs chosen on purpose: not this rule's business. */
        configured(&f, "vfs", "extfs", 0);
        check(&f, "overlay-without-dtype", FINDING_PASS, NULL, NULL);
}
END_TEST

START_TEST(test_overlay_dtype_daemon_down)
{
        _cleanup_facts_ Facts f = {};
        _cleanup_free_ char *msg = NULL, *reason = NULL;

        /* storage-driver overlay2 on XFS ftype=0: dockerd 17.12+ does not start. */
        daemon_down(&f);
        configured(&f, "overlay2", "xfs", 0);
        check(&f, "overlay-without-dtype", FINDING_FAIL, &msg, NULL);
        ck_assert_msg(strstr(msg, "on filesystem type xfs") && strstr(msg, "/etc/docker/daemon.json:2"),
                "%s", msg);
        /* Not configured: overlay2 is dockerd's first choice. */
        configured(&f, "", "xfs", 0);
        check(&f, "overlay-without-dtype", FINDING_FAIL, NULL, NULL);
        configured(&f, "overlay2", "xfs", 1);
        check(&f, "overlay-without-dtype", FINDING_PASS, NULL, NULL);
        configured(&f, "btrfs", "btrfs", 0);
        check(&f, "overlay-without-dtype", FINDING_PASS, NULL, NULL);
        /* An empty filesystem: the read-only check cannot tell. */
        configured(&f, "overlay2", "xfs", -1);
        check(&f, "overlay-without-dtype", FINDING_SKIP, NULL, &reason);
        ck_assert_msg(strstr(reason, "no directory entry"), "%s", reason);
}
END_TEST

static void kubelet(Facts *f, const char *driver, const char *source)
{
        OK(facts_set_bool(f, "kubelet.present", true, "/lib/systemd/system/kubelet.service"));
        OK(facts_set_string(f, "kubelet.config_path", "/var/lib/kubelet/config.yaml",
                "/etc/systemd/system/kubelet.service.d/10-kubeadm.conf:4"));
        OK(facts_set_string(f, "kubelet.cgroup_driver", driver, source));
}

START_TEST(test_cgroup_driver_mismatch)
{
        _cleanup_facts_ Facts f = {};
        _cleanup_free_ char *msg = NULL, *reason = NULL;

        /* kubeadm 1.22+ config.yaml (systemd) against Docker's cgroupfs default on cgroup v1. */
        kubelet(&f, "systemd", "/var/lib/kubelet/config.yaml:27");
        OK(facts_set_string(&f, "docker.cgroup_driver_effective", "cgroupfs", INFO "CgroupDriver"));
        check(&f, "cgroup-driver-mismatch", FINDING_FAIL, &msg, NULL);
        ck_assert_msg(
                strstr(msg, "kubelet uses the systemd cgroup driver (/var/lib/kubelet/config.yaml:27)") &&
                        strstr(msg, "Docker the cgroupfs driver (" INFO "CgroupDriver)") &&
                        strstr(msg, "native.cgroupdriver=systemd") &&
                        strstr(msg, "/var/lib/kubelet/config.yaml"),
                "%s", msg);

        /* exec-opts native.cgroupdriver=systemd in daemon.json: both systemd. */
        OK(facts_set_string(&f, "docker.cgroup_driver_effective", "systemd", "/etc/docker/daemon.json:2"));
        check(&f, "cgroup-driver-mismatch", FINDING_PASS, NULL, NULL);

        /* KUBELET_EXTRA_ARGS=--cgroup-driver=cgroupfs wins over the config file. */
        kubelet(&f, "cgroupfs", "/etc/default/kubelet:1");
        check(&f, "cgroup-driver-mismatch", FINDING_FAIL, NULL, NULL);

        /* Docker's driver not known (offline, no exec-opt): skipped with the reason. */
        OK(facts_set_unknown(
                &f, "docker.cgroup_driver_effective", "offline (--root) and no native.cgroupdriver"));
        check(&f, "cgroup-driver-mismatch", FINDING_SKIP, NULL, &reason);
        ck_assert_msg(strstr(reason, "offline"), "%s", reason);
}
END_TEST

START_TEST(test_cgroup_driver_no_kubelet)
{
        _cleanup_facts_ Facts f = {};
        _cleanup_free_ char *reason = NULL;

        /* No kubelet.service: not applicable (a skip --strict does not count), saying why. */
        OK(facts_set_bool(&f, "kubelet.present", false,
                "kubelet.service: not in the system manager's unit search path"));
        OK(facts_set_unknown(
                &f, "kubelet.cgroup_driver", "no kubelet on this host (kubelet.service not found)"));
        OK(facts_set_string(&f, "docker.cgroup_driver_effective", "cgroupfs", INFO "CgroupDriver"));
        check(&f, "cgroup-driver-mismatch", FINDING_SKIP, NULL, &reason);
        ck_assert_str_eq(reason,
                "not applicable: kubelet.present is false (kubelet.present: kubelet.service: "
                "not in the system manager's unit search path)");
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("rules-storage-kubelet");
        TCase *tc = tcase_create("core");

        tcase_add_unchecked_fixture(tc, load_shipped, unload_shipped);
        tcase_add_test(tc, test_overlay_dtype_from_info);
        tcase_add_test(tc, test_overlay_dtype_vfs_fallback);
        tcase_add_test(tc, test_overlay_dtype_daemon_down);
        tcase_add_test(tc, test_cgroup_driver_mismatch);
        tcase_add_test(tc, test_cgroup_driver_no_kubelet);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
