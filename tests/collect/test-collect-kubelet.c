/* SPDX-License-Identifier: MIT */
/* kubelet.* facts (src/collect/collect-kubelet.c) from scratch roots holding the real
 * kubelet.service, kubeadm drop-ins and config files of fixtures/kubelet (see SOURCES). */
#include <check.h>

#include "check-run.h"
#include "test-util.h"

#include "basic/fileio.h"
#include "collect/collect.h"

#define FIX FIXTURES "/kubelet/"

static const Fact *get(const Facts *f, const char *name)
{
        const Fact *x = facts_get(f, name);

        ck_assert_msg(x, "%s not set", name);
        return x;
}

static void collect(const char *root, Facts *f)
{
        CollectOptions o = {.unit = "docker.service", .root = root};

        facts_done(f);
        ck_assert_int_eq(collect_kubelet(f, &o), 0);
}

/* kubelet.service not found: present false, the others unknown, the same words whether the
 * search directories have no entry of that name (told without loading anything) or one that
 * is no unit file (told by the whole offline load). */
static void expect_absent(const Facts *f)
{
        const Fact *x = get(f, "kubelet.present");

        ck_assert(x->known && !x->b);
        ck_assert_str_eq(x->source, "kubelet.service: not in the system manager's unit search path");
        x = get(f, "kubelet.cgroup_driver");
        ck_assert(!x->known);
        ck_assert_str_eq(x->reason, "no kubelet on this host (kubelet.service not found)");
        x = get(f, "kubelet.config_path");
        ck_assert(!x->known);
        ck_assert_str_eq(x->reason, "no kubelet on this host (kubelet.service not found)");
}

static void expect_driver(const Facts *f, const char *value, const char *source)
{
        const Fact *x = get(f, "kubelet.cgroup_driver");

        ck_assert_msg(x->known, "%s", strempty(x->reason));
        ck_assert_msg(streq(x->str, value) && streq(x->source, source), "%s (%s)", x->str, x->source);
}

START_TEST(test_kubeadm_node)
{
        char dir[64];
        _cleanup_facts_ Facts f = {};
        _cleanup_free_ char *unit_dir = NULL;
        const Fact *x;

        tmpdir_make(dir, sizeof dir, "kubelet");
        /* No kubelet: present false, the driver unknown with the reason (the rule skips). */
        put(dir, "/etc/os-release", "ID=debian\n");
        collect(dir, &f);
        expect_absent(&f);
        /* A drop-in alone does not make a unit; nor does a directory of the unit's name. */
        put_file(dir, "/etc/systemd/system/kubelet.service.d/10-kubeadm.conf", FIX "10-kubeadm.conf");
        collect(dir, &f);
        expect_absent(&f);
        put(dir, "/run/systemd/system/kubelet.service/x", "x");
        collect(dir, &f);
        expect_absent(&f);
        unit_dir = path_in(dir, "/run/systemd/system/kubelet.service");
        ck_assert_int_eq(rm_rf(unit_dir), 0);

        /* The DEB's kubelet.service and kubeadm's drop-in, before kubeadm init: --config names a
         * file not there yet (kubelet does not start). */
        put_file(dir, "/lib/systemd/system/kubelet.service", FIX "kubelet.service");
        put_file(dir, "/etc/systemd/system/kubelet.service.d/10-kubeadm.conf", FIX "10-kubeadm.conf");
        collect(dir, &f);
        x = get(&f, "kubelet.present");
        ck_assert(x->known && x->b && streq(x->source, "/lib/systemd/system/kubelet.service"));
        x = get(&f, "kubelet.config_path");
        ck_assert(x->known && streq(x->str, "/var/lib/kubelet/config.yaml"));
        ck_assert_str_eq(x->source, "/etc/systemd/system/kubelet.service.d/10-kubeadm.conf:3");
        x = get(&f, "kubelet.cgroup_driver");
        ck_assert_msg(!x->known && strstr(x->reason, "cannot be read"), "%s", strempty(x->reason));

        /* After kubeadm init: config.yaml says systemd. */
        put_file(dir, "/var/lib/kubelet/config.yaml", FIX "config-etcd-ha.yaml");
        put_file(dir, "/var/lib/kubelet/kubeadm-flags.env", FIX "kubeadm-flags.env");
        collect(dir, &f);
        expect_driver(&f, "systemd", "/var/lib/kubelet/config.yaml:13");

        /* KUBELET_EXTRA_ARGS in /etc/default/kubelet wins over the config file. */
        put(dir, "/etc/default/kubelet", "KUBELET_EXTRA_ARGS=--cgroup-driver=cgroupfs\n");
        collect(dir, &f);
        expect_driver(&f, "cgroupfs", "/etc/default/kubelet:1");

        /* The same flag in kubeadm-flags.env, "--flag value" form. */
        put(dir, "/etc/default/kubelet", "KUBELET_EXTRA_ARGS=\n");
        put(dir, "/var/lib/kubelet/kubeadm-flags.env",
                "KUBELET_KUBEADM_ARGS=\"--cgroup-driver cgroupfs --network-plugin=cni\"\n");
        collect(dir, &f);
        expect_driver(&f, "cgroupfs", "/var/lib/kubelet/kubeadm-flags.env:1");

        /* A config file without cgroupDriver and no flag: kubelet's default. */
        put_file(dir, "/var/lib/kubelet/kubeadm-flags.env", FIX "kubeadm-flags.env");
        put_file(dir, "/var/lib/kubelet/config.yaml", FIX "config-docs-example.yaml");
        collect(dir, &f);
        x = get(&f, "kubelet.cgroup_driver");
        ck_assert(x->known && streq(x->str, "cgroupfs"));
        ck_assert_msg(startswith(x->source, "kubelet default"), "%s", x->source);

        /* A config file this reader cannot read (a key twice): unknown, not a guess. */
        put(dir, "/var/lib/kubelet/config.yaml", "cgroupDriver: systemd\ncgroupDriver: systemd\n");
        collect(dir, &f);
        x = get(&f, "kubelet.cgroup_driver");
        ck_assert_msg(!x->known && strstr(x->reason, "twice"), "%s", strempty(x->reason));

        /* Masked. */
        put_link(dir, "/dev/null", "/etc/systemd/system/kubelet.service");
        collect(dir, &f);
        x = get(&f, "kubelet.present");
        ck_assert(x->known && !x->b);
        ck_assert_msg(!get(&f, "kubelet.cgroup_driver")->known, "masked");
        ck_assert_int_eq(rm_rf(dir), 0);
}
END_TEST

START_TEST(test_old_kubeadm_and_eks)
{
        char dir[64];
        _cleanup_facts_ Facts f = {};
        const Fact *x;

        /* kubeadm 1.8/1.9 RPM drop-in: --cgroup-driver=systemd through $KUBELET_CGROUP_ARGS. */
        tmpdir_make(dir, sizeof dir, "kubelet-old");
        put_file(dir, "/usr/lib/systemd/system/kubelet.service", FIX "kubelet.service");
        put_file(dir, "/etc/systemd/system/kubelet.service.d/10-kubeadm.conf", FIX "10-kubeadm-1.9.conf");
        collect(dir, &f);
        expect_driver(&f, "systemd", "/etc/systemd/system/kubelet.service.d/10-kubeadm.conf:8");
        x = get(&f, "kubelet.config_path");
        ck_assert(x->known && streq(x->str, ""));

        /* EKS's JSON config through a drop-in of our own. */
        put(dir, "/etc/systemd/system/kubelet.service.d/20-eks.conf",
                "[Service]\nExecStart=\nExecStart=/usr/bin/kubelet --config "
                "/etc/kubernetes/kubelet/kubelet-config.json\n");
        put_file(dir, "/etc/kubernetes/kubelet/kubelet-config.json", FIX "eks-kubelet-config.json");
        collect(dir, &f);
        expect_driver(&f, "cgroupfs", "/etc/kubernetes/kubelet/kubelet-config.json:27");

        /* No ExecStart= left. */
        put(dir, "/etc/systemd/system/kubelet.service.d/30-none.conf", "[Service]\nExecStart=\n");
        collect(dir, &f);
        x = get(&f, "kubelet.cgroup_driver");
        ck_assert_msg(!x->known && strstr(x->reason, "no ExecStart="), "%s", strempty(x->reason));
        ck_assert_int_eq(rm_rf(dir), 0);
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("collect-kubelet");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_kubeadm_node);
        tcase_add_test(tc, test_old_kubeadm_and_eks);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
