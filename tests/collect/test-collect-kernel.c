/* SPDX-License-Identifier: MIT */
/* kernel.* facts (src/collect/collect-kernel.c): derived from kernel.release, from this host,
 * and from the kernels installed in an offline root. */
#include <check.h>

#include "check-run.h"

#include "collect/collect.h"
#include "rules/findings.h"

#define SHIPPED FIXTURES "/../../rules"

START_TEST(test_derive_absent_only)
{
        _cleanup_facts_ Facts f = {};
        const Fact *x;

        ck_assert_int_eq(
                facts_set_string(&f, "kernel.release", "3.10.0-514.26.2.el7.x86_64", "facts.json"), 0);
        /* A value already in the set (read from a saved facts file) wins. */
        ck_assert_int_eq(facts_set_bool(&f, "kernel.leaks_mounts", false, "saved"), 0);
        ck_assert_int_eq(kernel_derive_facts(&f), 0);
        x = facts_get(&f, "kernel.version");
        ck_assert(x && x->known && streq(x->str, "3.10.0") && streq(x->source, "facts.json"));
        x = facts_get(&f, "kernel.rhel_build");
        ck_assert(x && x->known && streq(x->str, "514.26.2"));
        x = facts_get(&f, "kernel.el");
        ck_assert(x && x->known && streq(x->str, "el7"));
        x = facts_get(&f, "kernel.leaks_mounts");
        ck_assert(x && x->known && !x->b && streq(x->source, "saved"));
}
END_TEST

START_TEST(test_derive_non_rhel)
{
        _cleanup_facts_ Facts f = {};
        const Fact *x;

        ck_assert_int_eq(
                facts_set_string(&f, "kernel.release", "4.4.0-47-generic", "/proc/sys/kernel/osrelease"), 0);
        ck_assert_int_eq(kernel_derive_facts(&f), 0);
        x = facts_get(&f, "kernel.el");
        ck_assert(x && x->known && streq(x->str, ""));
        x = facts_get(&f, "kernel.rhel_build");
        ck_assert(x && !x->known && strstr(x->reason, "not a RHEL kernel"));
        x = facts_get(&f, "kernel.leaks_mounts");
        ck_assert(x && x->known && !x->b && streq(x->source, "/proc/sys/kernel/osrelease"));
}
END_TEST

/* An EL-tagged kernel that is not Red Hat's: judged by its mainline version, no RHEL build. */
START_TEST(test_derive_el_tagged_third_party)
{
        _cleanup_facts_ Facts f = {};
        const Fact *x;

        ck_assert_int_eq(facts_set_string(&f, "kernel.release", "4.4.1-1.el7.elrepo.x86_64", "uname(2)"), 0);
        ck_assert_int_eq(kernel_derive_facts(&f), 0);
        x = facts_get(&f, "kernel.leaks_mounts");
        ck_assert(x && x->known && !x->b);
        x = facts_get(&f, "kernel.el");
        ck_assert(x && x->known && streq(x->str, ""));
        x = facts_get(&f, "kernel.rhel_build");
        ck_assert(x && !x->known);
        ck_assert_str_eq(x->reason, "not Red Hat's kernel line: \"4.4.1-1.el7.elrepo.x86_64\" carries the "
                                    "el7 tag on mainline 4.4.1");
}
END_TEST

START_TEST(test_derive_unknown_release)
{
        _cleanup_facts_ Facts f = {};
        const Fact *x;

        ck_assert_int_eq(facts_set_unknown(&f, "kernel.release", "offline"), 0);
        ck_assert_int_eq(kernel_derive_facts(&f), 0);
        x = facts_get(&f, "kernel.leaks_mounts");
        ck_assert(x && !x->known && strstr(x->reason, "offline"));

        facts_done(&f);
        ck_assert_int_eq(facts_set_string(&f, "kernel.release", "garbage", "x"), 0);
        ck_assert_int_eq(kernel_derive_facts(&f), 0);
        x = facts_get(&f, "kernel.version");
        ck_assert(x && !x->known && strstr(x->reason, "garbage"));
}
END_TEST

START_TEST(test_collect_offline)
{
        _cleanup_facts_ Facts f = {};
        CollectOptions o = {.unit = "docker.service", .root = "/nonexistent-root"};
        const Fact *x;

        ck_assert_int_eq(collect_kernel(&f, &o), 0);
        x = facts_get(&f, "kernel.release");
        ck_assert(x && !x->known);
        ck_assert_str_eq(x->reason, "offline: no kernel installed in /nonexistent-root/lib/modules/*, "
                                    "/nonexistent-root/boot/vmlinuz-*");
        x = facts_get(&f, "kernel.installed");
        ck_assert(x && x->known && strv_isempty(x->list));
        x = facts_get(&f, "kernel.leaks_mounts");
        ck_assert(x && !x->known);
        x = facts_get(&f, "kernel.may_detach_mounts");
        ck_assert(x && !x->known);
}
END_TEST

/* A kickstart-like image: kernels in /lib/modules (via a merged-/usr link) and /boot. */
START_TEST(test_collect_offline_installed)
{
        char root[] = "/tmp/check-kernel.XXXXXX";
        _cleanup_facts_ Facts f = {}, g = {};
        _cleanup_free_ char *joined = NULL, *cmd = NULL;
        CollectOptions o = {.unit = "docker.service"};
        const Fact *x;
        FILE *fp;

        ck_assert_ptr_nonnull(mkdtemp(root));
        o.root = root;
        cmd = strdupf("cd %s && mkdir -p usr/lib/modules/3.10.0-693.el7.x86_64 "
                      "usr/lib/modules/3.10.0-1160.el7.x86_64 boot/grub2 && ln -s usr/lib lib && "
                      "touch boot/vmlinuz-3.10.0-957.el7.x86_64 boot/vmlinuz-0-rescue-0123456789abcdef",
                root);
        ck_assert_int_eq(system(cmd), 0);

        ck_assert_int_eq(collect_kernel(&f, &o), 0);
        x = facts_get(&f, "kernel.installed");
        ck_assert(x && x->known);
        joined = strv_join(x->list, " ");
        /* newest first by rpmvercmp (1160 > 957 > 693, not string order); no rescue image */
        ck_assert_str_eq(joined, "3.10.0-1160.el7.x86_64 3.10.0-957.el7.x86_64 3.10.0-693.el7.x86_64");
        x = facts_get(&f, "kernel.release");
        ck_assert(x && x->known);
        ck_assert_str_eq(x->str, "3.10.0-1160.el7.x86_64");
        ck_assert(strstr(x->source, "newest of 3"));
        x = facts_get(&f, "kernel.rhel_build");
        ck_assert(x && x->known && streq(x->str, "1160"));

        /* the boot loader's default wins over the newest */
        free(cmd);
        cmd = strdupf("%s/boot/grub2/grubenv", root);
        fp = fopen(cmd, "we");
        ck_assert_ptr_nonnull(fp);
        fputs("# GRUB Environment Block\nsaved_entry=CentOS Linux (3.10.0-693.el7.x86_64) 7 (Core)\n", fp);
        fclose(fp);
        ck_assert_int_eq(collect_kernel(&g, &o), 0);
        x = facts_get(&g, "kernel.release");
        ck_assert(x && x->known);
        ck_assert_str_eq(x->str, "3.10.0-693.el7.x86_64");
        ck_assert(strstr(x->source, "grubenv saved_entry"));
        x = facts_get(&g, "kernel.leaks_mounts");
        ck_assert(x && x->known); /* derived from the chosen release */
        /* 3.10.0-693.el7 has fs.may_detach_mounts: the kernel default 0 unless sysctl.d sets it */
        x = facts_get(&g, "kernel.may_detach_mounts");
        ck_assert(x && x->known && x->num == 0);
        ck_assert(strstr(x->source, "kernel default"));
        facts_done(&g);
        free(cmd);
        cmd = strdupf("cd %s && mkdir -p etc/sysctl.d usr/lib/sysctl.d && "
                      "printf 'fs.may_detach_mounts = 0\\n' >usr/lib/sysctl.d/50-a.conf && "
                      "printf '# x\\n-fs/may_detach_mounts=1\\n' >etc/sysctl.d/60-docker.conf && "
                      "printf 'fs.may_detach_mounts=0\\n' >usr/lib/sysctl.d/60-docker.conf",
                root);
        ck_assert_int_eq(system(cmd), 0);
        ck_assert_int_eq(collect_kernel(&g, &o), 0);
        x = facts_get(&g, "kernel.may_detach_mounts");
        ck_assert(x && x->known && x->num == 1); /* /etc shadows /usr/lib's 60-docker.conf; 60 after 50 */
        ck_assert(strstr(x->source, "/etc/sysctl.d/60-docker.conf:2"));
        x = facts_get(&g, "kernel.may_detach_mounts_persistent");
        ck_assert(x && x->known && x->num == 1 && strstr(x->source, "/etc/sysctl.d/60-docker.conf:2"));
        x = facts_get(&g, "kernel.sysctl_d_read");
        ck_assert(x && x->known && x->b);
        /* the running kernel's fs.nr_open is not the image's */
        x = facts_get(&g, "kernel.nr_open");
        ck_assert(x && !x->known && strstr(x->reason, "offline"));

        /* fs.nr_open from sysctl.d */
        facts_done(&g);
        free(cmd);
        cmd = strdupf("cd %s && printf 'fs.nr_open = 1048576\\n' >etc/sysctl.d/70-nofile.conf", root);
        ck_assert_int_eq(system(cmd), 0);
        ck_assert_int_eq(collect_kernel(&g, &o), 0);
        x = facts_get(&g, "kernel.nr_open");
        ck_assert(x && x->known && x->num == 1048576 && strstr(x->source, "/etc/sysctl.d/70-nofile.conf:1"));

        /* a file that cannot be read (a link to a directory) may set either: both unknown */
        facts_done(&g);
        free(cmd);
        cmd = strdupf("cd %s && mkdir etc/sysctl.d/80-dir && ln -s 80-dir etc/sysctl.d/81-link.conf", root);
        ck_assert_int_eq(system(cmd), 0);
        ck_assert_int_eq(collect_kernel(&g, &o), 0);
        x = facts_get(&g, "kernel.nr_open");
        ck_assert(x && !x->known && strstr(x->reason, "could not be read"));
        x = facts_get(&g, "kernel.may_detach_mounts_persistent");
        ck_assert(x && !x->known && strstr(x->reason, "could not be read"));
        x = facts_get(&g, "kernel.may_detach_mounts");
        ck_assert(x && !x->known && strstr(x->reason, "could not be read"));
        x = facts_get(&g, "kernel.sysctl_d_read");
        ck_assert(x && !x->known);
        x = facts_get(&g, "audit.problems");
        ck_assert(x && x->known && strv_length(x->list) == 1); /* reported once, not per sysctl */

        free(cmd);
        cmd = strdupf("rm -rf %s", root);
        ck_assert_int_eq(system(cmd), 0);
}
END_TEST

START_TEST(test_collect_host)
{
        _cleanup_facts_ Facts f = {};
        CollectOptions o = {.unit = "docker.service"};
        _cleanup_free_ char *rel = NULL;
        const Fact *x;

        ck_assert_int_eq(collect_kernel(&f, &o), 0);
        ck_assert_int_eq(read_one_line_file("/proc/sys/kernel/osrelease", &rel), 0);
        x = facts_get(&f, "kernel.release");
        ck_assert(x && x->known && streq(x->str, rel) && streq(x->source, "/proc/sys/kernel/osrelease"));
        x = facts_get(&f, "kernel.version");
        ck_assert(x && x->known);
        x = facts_get(&f, "kernel.may_detach_mounts");
        ck_assert(x);
        if (access("/proc/sys/fs/may_detach_mounts", F_OK) < 0)
                ck_assert_str_eq(x->reason, "/proc/sys/fs/may_detach_mounts: not present on this kernel");
        else
                ck_assert(x->known);
}
END_TEST

START_TEST(test_collect_host_sysctls)
{
        _cleanup_facts_ Facts f = {};
        CollectOptions o = {.unit = "docker.service"};
        _cleanup_free_ char *v = NULL;
        const Fact *x;

        ck_assert_int_eq(collect_kernel(&f, &o), 0);
        x = facts_get(&f, "kernel.nr_open");
        ck_assert(x);
        if (read_one_line_file("/proc/sys/fs/nr_open", &v) >= 0)
                ck_assert(x->known && x->num == atoll(v) && streq(x->source, "/proc/sys/fs/nr_open"));
        /* the host's sysctl.d: a value with FILE:LINE, or unknown saying why */
        x = facts_get(&f, "kernel.may_detach_mounts_persistent");
        ck_assert(x && (x->known ? strstr(x->source, ":") != NULL : x->reason != NULL));
        ck_assert_ptr_nonnull(facts_get(&f, "kernel.sysctl_d_read"));
}
END_TEST

/* The shipped kernel rules over the facts of each kernel family, as a live audit sees them:
 * fs.may_detach_mounts exists only on Red Hat's 3.10.0 line from 7.4 (RHCK and kernel-rt
 * included), its sysctl.d setting, MountFlags=slave on the unit. 'F' fail, 'P' pass, 'S' skip. */
typedef struct KernelCase {
        const char *release;
        int may_detach; /* -1: /proc/sys/fs/may_detach_mounts does not exist */
        int persistent; /* -1: no sysctl.d file sets it; -2: a sysctl.d file could not be read */
        bool leaks;
        char leaks_rule, disabled, not_persistent, slave_on_fixed;
} KernelCase;

static const KernelCase kernel_cases[] = {
        {"4.4.1-1.el7.elrepo.x86_64", -1, -1, false, 'P', 'P', 'P', 'F'},
        {"5.4.247-1.el7", -1, -1, false, 'P', 'P', 'P', 'F'},
        {"6.0.2-1.el9.elrepo.aarch64", -1, -1, false, 'P', 'P', 'P', 'F'},
        {"3.8.13-55.1.6.el7uek", -1, -1, true, 'F', 'P', 'P', 'P'},
        {"3.8.13-98.el6uek.x86_64", -1, -1, true, 'F', 'P', 'P', 'P'},
        {"4.1.12-37.4.1.el7uek.x86_64", -1, -1, false, 'P', 'P', 'P', 'F'},
        {"5.15.0-101.103.2.1.el9uek.x86_64", -1, -1, false, 'P', 'P', 'P', 'F'},
        {"2.6.32-504.8.1.el6.x86_64", -1, -1, true, 'F', 'P', 'P', 'P'},
        {"2.6.32-042stab108.8", -1, -1, true, 'F', 'P', 'P', 'P'},
        {"4.18.0-80.11.2.el8_0.x86_64", -1, -1, false, 'P', 'P', 'P', 'F'},
        {"5.14.0-747.el9.x86_64", -1, -1, false, 'P', 'P', 'P', 'F'},
        {"4.14.0-115.el7a.aarch64", -1, -1, false, 'P', 'P', 'P', 'F'},
        {"6.1.102-108.177.amzn2023.x86_64", -1, -1, false, 'P', 'P', 'P', 'F'},
        {"4.14.181-142.260.amzn2.x86_64", -1, -1, false, 'P', 'P', 'P', 'F'},
        {"3.10.0-514.el7.x86_64", -1, -1, true, 'F', 'P', 'P', 'P'},
        /* 7.4+: the sysctl decides; kernel.leaks_mounts says only what the release does. */
        {"3.10.0-693.el7.x86_64", 0, -1, false, 'P', 'F', 'P', 'F'},
        {"3.10.0-693.el7.x86_64", 1, -1, false, 'P', 'P', 'F', 'F'},
        {"3.10.0-1160.119.1.el7.x86_64", 1, 1, false, 'P', 'P', 'P', 'F'},
        {"3.10.0-1160.119.1.el7.x86_64", 1, 0, false, 'P', 'P', 'F', 'F'},
        {"3.10.0-1127.19.1.el7.x86_64", 0, 1, false, 'P', 'F', 'P', 'F'},
        {"3.10.0-1160.119.1.0.1.el7.x86_64", 1, -1, false, 'P', 'P', 'F', 'F'},
        {"3.10.0-1127.rt56.1093.el7.x86_64", 1, 1, false, 'P', 'P', 'P', 'F'},
        {"3.10.0-1160.119.1.el7.centos.plus.x86_64", 1, -2, false, 'P', 'P', 'S', 'F'},
};

static char status_char(const Findings *fs, const char *id)
{
        for (size_t i = 0; i < fs->n; i++)
                if (streq(fs->v[i].rule->id, id))
                        return "PFSE"[fs->v[i].status];
        ck_abort_msg("no finding for %s", id);
        return 0;
}

static void kernel_case_facts(const KernelCase *c, Facts *f)
{
        const char *osrel = "/proc/sys/kernel/osrelease", *md = "/proc/sys/fs/may_detach_mounts";

        ck_assert_int_eq(facts_set_string(f, "kernel.release", c->release, osrel), 0);
        ck_assert_int_eq(kernel_derive_facts(f), 0);
        ck_assert_int_eq(c->may_detach < 0
                                 ? facts_set_unknown(f, "kernel.may_detach_mounts", "%s: not present", md)
                                 : facts_set_number(f, "kernel.may_detach_mounts", c->may_detach, md),
                0);
        if (c->persistent >= 0)
                ck_assert_int_eq(facts_set_number(f, "kernel.may_detach_mounts_persistent", c->persistent,
                                         "/etc/sysctl.d/99-docker.conf:1 (sysctl.d, applied at boot)"),
                        0);
        else
                ck_assert_int_eq(facts_set_unknown(f, "kernel.may_detach_mounts_persistent", "%s",
                                         c->persistent == -1 ? "not set in sysctl.d" : "could not be read"),
                        0);
        ck_assert_int_eq(c->persistent == -2 ? facts_set_unknown(f, "kernel.sysctl_d_read",
                                                       "a sysctl.d file could not be read")
                                             : facts_set_bool(f, "kernel.sysctl_d_read", true, "sysctl.d"),
                0);
        ck_assert_int_eq(
                facts_set_string(f, "unit.mount_flags", "slave", "docker.service.d/slave.conf:2"), 0);
}

START_TEST(test_kernel_rules)
{
        char *dirs[] = {(char *) SHIPPED, NULL};
        _cleanup_(rule_set_done) RuleSet rs = {};
        _cleanup_free_ char *err = NULL;

        ck_assert_msg(rule_set_load(&rs, dirs, &err) == 0, "%s", err);
        for (size_t i = 0; i < ELEMENTSOF(kernel_cases); i++) {
                const KernelCase *c = &kernel_cases[i];
                _cleanup_facts_ Facts f = {};
                _cleanup_(findings_done) Findings fs = {};
                char got[5] = {},
                     want[5] = {c->leaks_rule, c->disabled, c->not_persistent, c->slave_on_fixed};

                kernel_case_facts(c, &f);
                ck_assert_msg(
                        facts_get(&f, "kernel.leaks_mounts")->b == c->leaks, "%s: leaks_mounts", c->release);
                ck_assert_int_eq(findings_evaluate(&rs, &f, &fs), 0);
                got[0] = status_char(&fs, "kernel-leaks-mounts");
                got[1] = status_char(&fs, "detach-mounts-disabled");
                got[2] = status_char(&fs, "may-detach-mounts-not-persistent");
                got[3] = status_char(&fs, "mountflags-slave-on-fixed-kernel");
                ck_assert_msg(streq(got, want), "%s (may_detach %d, persistent %d): %s, expected %s",
                        c->release, c->may_detach, c->persistent, got, want);
        }
}
END_TEST

/* The message of may-detach-mounts-not-persistent names each fact's source and the daemons. */
START_TEST(test_not_persistent_message)
{
        char *dirs[] = {(char *) SHIPPED, NULL};
        _cleanup_(rule_set_done) RuleSet rs = {};
        _cleanup_facts_ Facts f = {};
        _cleanup_(findings_done) Findings fs = {};
        _cleanup_free_ char *err = NULL;
        const Finding *x = NULL;

        ck_assert_msg(rule_set_load(&rs, dirs, &err) == 0, "%s", err);
        kernel_case_facts(&(KernelCase){.release = "3.10.0-1160.119.1.el7.x86_64", .may_detach = 1}, &f);
        ck_assert_int_eq(facts_set_version(&f, "docker.server_version", "28.0.1", "GET /version"), 0);
        ck_assert_int_eq(findings_evaluate(&rs, &f, &fs), 0);
        for (size_t i = 0; i < fs.n; i++)
                if (streq(fs.v[i].rule->id, "may-detach-mounts-not-persistent"))
                        x = &fs.v[i];
        ck_assert(x && x->status == FINDING_FAIL && x->fix);
        ck_assert_msg(
                strstr(x->message,
                        "fs.may_detach_mounts is 1 now (/proc/sys/fs/may_detach_mounts) on kernel "
                        "3.10.0-1160.119.1.el7.x86_64") &&
                        strstr(x->message, "(boot setting: 0, /etc/sysctl.d/99-docker.conf:1 (sysctl.d, "
                                           "applied at boot))") &&
                        strstr(x->message, "dockerd here: 28.0.1, GET /version"),
                "%s", x->message);
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("collect_kernel");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_derive_absent_only);
        tcase_add_test(tc, test_derive_non_rhel);
        tcase_add_test(tc, test_derive_el_tagged_third_party);
        tcase_add_test(tc, test_derive_unknown_release);
        tcase_add_test(tc, test_collect_offline);
        tcase_add_test(tc, test_collect_offline_installed);
        tcase_add_test(tc, test_collect_host);
        tcase_add_test(tc, test_collect_host_sysctls);
        tcase_add_test(tc, test_kernel_rules);
        tcase_add_test(tc, test_not_persistent_message);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
