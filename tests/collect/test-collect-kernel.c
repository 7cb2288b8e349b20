/* SPDX-License-Identifier: MIT */
/* kernel.* facts (src/collect/collect-kernel.c): derived from kernel.release, from this host,
 * and from the kernels installed in an offline root. */
#include <check.h>

#include "check-run.h"

#include "collect/collect.h"

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

static Suite *suite(void)
{
        Suite *s = suite_create("collect_kernel");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_derive_absent_only);
        tcase_add_test(tc, test_derive_non_rhel);
        tcase_add_test(tc, test_derive_unknown_release);
        tcase_add_test(tc, test_collect_offline);
        tcase_add_test(tc, test_collect_offline_installed);
        tcase_add_test(tc, test_collect_host);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
