/* SPDX-License-Identifier: MIT */
#include <check.h>

#include "check-run.h"

#include "collect/collect.h"
#include "formats/kernel-release.h"

typedef struct Expect {
        const char *release, *version, *build, *el;
        bool leaks;
} Expect;

/* One entry for every line of fixtures/kernels/releases.txt (checked below). */
static const Expect corpus[] = {
        {"3.10.0-123.8.1.el7.x86_64", "3.10.0", "123.8.1", "el7", true},
        {"3.10.0-229.1.2.el7.x86_64", "3.10.0", "229.1.2", "el7", true},
        {"3.10.0-327.el7.x86_64", "3.10.0", "327", "el7", true},
        {"3.10.0-514.el7.x86_64", "3.10.0", "514", "el7", true},
        {"3.10.0-693.el7.x86_64", "3.10.0", "693", "el7", false},
        {"3.10.0-862.9.1.el7.x86_64", "3.10.0", "862.9.1", "el7", false},
        {"3.10.0-957.el7.x86_64", "3.10.0", "957", "el7", false},
        {"3.10.0-957.27.2.el7.x86_64", "3.10.0", "957.27.2", "el7", false},
        {"3.10.0-1127.19.1.el7.x86_64", "3.10.0", "1127.19.1", "el7", false},
        {"3.10.0-1160.81.1.el7.x86_64", "3.10.0", "1160.81.1", "el7", false},
        {"3.10.0-1160.119.1.el7.x86_64", "3.10.0", "1160.119.1", "el7", false},
        {"3.10.0-1062.el7.x86_64", "3.10.0", "1062", "el7", false},
        {"4.14.181-142.260.amzn2.x86_64", "4.14.181", NULL, NULL, false},
        {"4.14.26-54.32.amzn2.x86_64", "4.14.26", NULL, NULL, false},
        {"4.14.94-73.73.amzn1.x86_64", "4.14.94", NULL, NULL, false},
        {"4.4.0-47-generic", "4.4.0", NULL, NULL, false},
        {"4.15.0-1023-azure", "4.15.0", NULL, NULL, false},
        {"4.15.0-1115-aws", "4.15.0", NULL, NULL, false},
        {"4.15.0-1030-gke", "4.15.0", NULL, NULL, false},
        {"4.19.0-17-amd64", "4.19.0", NULL, NULL, false},
        {"4.19.0-27-cloud-amd64", "4.19.0", NULL, NULL, false},
        {"5.3.7-301.fc31.x86_64", "5.3.7", NULL, NULL, false},
        {"5.8.18-100.fc31.x86_64", "5.8.18", NULL, NULL, false},
        {"4.18.0-147.el8.x86_64", "4.18.0", "147", "el8", false},
        {"4.18.0-240.22.1.el8.x86_64", "4.18.0", "240.22.1", "el8", false},
};

/* Shapes not in the corpus file, written after the distributions' naming schemes. */
static const Expect synthetic[] = {
        /* Oracle Linux RHCK with Oracle's ".0.1" suffix (btfhub-archive ol/7/x86_64 file names). */
        {"3.10.0-1062.0.0.0.1.el7.x86_64", "3.10.0", "1062.0.0.0.1", "el7", false},
        {"3.10.0-514.26.2.el7.x86_64", "3.10.0", "514.26.2", "el7", true},
        /* CentOS plus kernels append ".centos.plus" after the dist tag. */
        {"3.10.0-693.21.1.el7.centos.plus.x86_64", "3.10.0", "693.21.1", "el7", false},
        {"3.10.0-229.el7_1.x86_64", "3.10.0", "229", "el7", true},
        {"3.10.0-692.99.el7", "3.10.0", "692.99", "el7", true},
        /* Oracle UEK: "elNuek" is not a RHEL dist tag; the mainline version decides. */
        {"4.14.35-1902.3.2.el7uek.x86_64", "4.14.35", NULL, NULL, false},
        {"4.1.12-124.48.6.el7uek.x86_64", "4.1.12", NULL, NULL, false},
        {"3.8.13-118.el7uek.x86_64", "3.8.13", NULL, NULL, true},
        {"2.6.39-400.el6uek.x86_64", "2.6.39", NULL, NULL, true},
        /* RHEL-alt (4.14 based) has "el7a": not el7, not leaking. */
        {"4.14.0-115.el7a.aarch64", "4.14.0", NULL, NULL, false},
        {"2.6.32-754.el6.x86_64", "2.6.32", "754", "el6", true},
        {"3.17.8", "3.17.8", NULL, NULL, true},
        {"3.18", "3.18", NULL, NULL, false},
        {"3.18.0", "3.18.0", NULL, NULL, false},
        {"6.18.44-fc-v782", "6.18.44", NULL, NULL, false},
        {"3.10.0-el7", "3.10.0", NULL, NULL, true},
        {"3.10.0-.el7", "3.10.0", NULL, NULL, true},
};

static void check_one(const Expect *e)
{
        KernelRelease k = {};

        ck_assert_msg(kernel_release_parse(e->release, &k) == 0, "%s", e->release);
        ck_assert_str_eq(k.version, e->version);
        if (e->build)
                ck_assert_msg(k.rhel_build && streq(k.rhel_build, e->build), "%s: build %s", e->release,
                        k.rhel_build ? k.rhel_build : "(null)");
        else
                ck_assert_msg(!k.rhel_build, "%s: unexpected build %s", e->release, k.rhel_build);
        if (e->el)
                ck_assert_msg(k.el && streq(k.el, e->el), "%s: el", e->release);
        else
                ck_assert_msg(!k.el, "%s: unexpected el %s", e->release, k.el);
        ck_assert_msg(k.leaks_mounts == e->leaks, "%s: leaks_mounts %d", e->release, k.leaks_mounts);
        kernel_release_done(&k);
}

START_TEST(test_corpus)
{
        _cleanup_free_ char *data = NULL;
        size_t size, seen = 0;
        char *line, *save = NULL;

        ck_assert_int_eq(read_full_file(FIXTURES "/kernels/releases.txt", &data, &size), 0);
        for (line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char *bar;
                const Expect *e = NULL;

                if (line[0] == '#')
                        continue;
                bar = strchr(line, '|');
                ck_assert_ptr_nonnull(bar);
                *bar = 0;
                for (size_t i = 0; i < ELEMENTSOF(corpus); i++)
                        if (streq(corpus[i].release, line))
                                e = &corpus[i];
                ck_assert_msg(e, "no expectation for corpus release %s", line);
                check_one(e);
                seen++;
        }
        ck_assert_uint_eq(seen, ELEMENTSOF(corpus));
}
END_TEST

START_TEST(test_synthetic)
{
        for (size_t i = 0; i < ELEMENTSOF(synthetic); i++)
                check_one(&synthetic[i]);
}
END_TEST

START_TEST(test_invalid)
{
        static const char *const bad[] = {"", "3", "3.", "x3.10", ".3.10", "-3.10", "3.x", "abc"};
        KernelRelease k = {};

        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                ck_assert_int_eq(kernel_release_parse(bad[i], &k), -EINVAL);
}
END_TEST

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
        Suite *s = suite_create("kernel");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_corpus);
        tcase_add_test(tc, test_synthetic);
        tcase_add_test(tc, test_invalid);
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
