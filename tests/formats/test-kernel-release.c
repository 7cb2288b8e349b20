/* SPDX-License-Identifier: MIT */
/* Kernel release strings (src/formats/kernel-release.c): a corpus of real ones, synthetic and
 * invalid ones. */
#include <check.h>

#include "check-run.h"

#include "formats/kernel-release.h"

typedef struct Expect {
        const char *release, *version, *build, *el;
        bool leaks;
        const char *dist; /* the elX tag of a kernel outside Red Hat's line; NULL: the same as el */
} Expect;

/* One entry for every line of fixtures/kernels/releases.txt (checked below). */
static const Expect corpus[] = {
        {"3.10.0-123.8.1.el7.x86_64", "3.10.0", "123.8.1", "el7", true, NULL},
        {"3.10.0-229.1.2.el7.x86_64", "3.10.0", "229.1.2", "el7", true, NULL},
        {"3.10.0-327.el7.x86_64", "3.10.0", "327", "el7", true, NULL},
        {"3.10.0-514.el7.x86_64", "3.10.0", "514", "el7", true, NULL},
        {"3.10.0-693.el7.x86_64", "3.10.0", "693", "el7", false, NULL},
        {"3.10.0-862.9.1.el7.x86_64", "3.10.0", "862.9.1", "el7", false, NULL},
        {"3.10.0-957.el7.x86_64", "3.10.0", "957", "el7", false, NULL},
        {"3.10.0-957.27.2.el7.x86_64", "3.10.0", "957.27.2", "el7", false, NULL},
        {"3.10.0-1127.19.1.el7.x86_64", "3.10.0", "1127.19.1", "el7", false, NULL},
        {"3.10.0-1160.81.1.el7.x86_64", "3.10.0", "1160.81.1", "el7", false, NULL},
        {"3.10.0-1160.119.1.el7.x86_64", "3.10.0", "1160.119.1", "el7", false, NULL},
        {"3.10.0-1062.el7.x86_64", "3.10.0", "1062", "el7", false, NULL},
        {"4.14.181-142.260.amzn2.x86_64", "4.14.181", NULL, NULL, false, NULL},
        {"4.14.26-54.32.amzn2.x86_64", "4.14.26", NULL, NULL, false, NULL},
        {"4.14.94-73.73.amzn1.x86_64", "4.14.94", NULL, NULL, false, NULL},
        {"4.4.0-47-generic", "4.4.0", NULL, NULL, false, NULL},
        {"4.15.0-1023-azure", "4.15.0", NULL, NULL, false, NULL},
        {"4.15.0-1115-aws", "4.15.0", NULL, NULL, false, NULL},
        {"4.15.0-1030-gke", "4.15.0", NULL, NULL, false, NULL},
        {"4.19.0-17-amd64", "4.19.0", NULL, NULL, false, NULL},
        {"4.19.0-27-cloud-amd64", "4.19.0", NULL, NULL, false, NULL},
        {"5.3.7-301.fc31.x86_64", "5.3.7", NULL, NULL, false, NULL},
        {"5.8.18-100.fc31.x86_64", "5.8.18", NULL, NULL, false, NULL},
        {"4.18.0-147.el8.x86_64", "4.18.0", "147", "el8", false, NULL},
        {"4.18.0-240.22.1.el8.x86_64", "4.18.0", "240.22.1", "el8", false, NULL},
};

/* One entry for every line of fixtures/kernels/el-tagged.txt. Only Red Hat's line of an EL major
 * (and its rebuilds) has a build and an el; only the RHEL 7 line is judged by its build. */
static const Expect el_tagged[] = {
        /* ELRepo kernel-ml/kernel-lt: the el7 tag on a mainline >= 3.18: no leak, whatever "1" is. */
        {"4.4.1-1.el7.elrepo.x86_64", "4.4.1", NULL, NULL, false, "el7"},
        {"5.4.219-1.el7.elrepo.x86_64", "5.4.219", NULL, NULL, false, "el7"},
        {"5.10.2-1.el7.elrepo.x86_64", "5.10.2", NULL, NULL, false, "el7"},
        {"6.0.2-1.el9.elrepo.aarch64", "6.0.2", NULL, NULL, false, "el9"},
        {"5.4.247-1.el7", "5.4.247", NULL, NULL, false, "el7"},
        /* Oracle UEK R3 is mainline 3.8.13: judged by that, it leaks. No public source shows the
         * 3.18 detach-on-rmdir change (commit 8ed936b5671b) in UEK R3, which has no
         * fs.may_detach_mounts either; Docker's docker-engine packages for Oracle Linux required
         * UEK R4 (moby/moby#20456: "Requires: kernel-uek >= 4.1"), and Oracle supported Docker only
         * on UEK R4 and later. A running UEK R3 that had the sysctl would make the rules judge by
         * it (kernel-leaks-mounts skips when kernel.may_detach_mounts is defined). */
        {"3.8.13-55.1.6.el7uek", "3.8.13", NULL, NULL, true, NULL},
        {"3.8.13-98.el6uek.x86_64", "3.8.13", NULL, NULL, true, NULL},
        {"4.1.12-37.4.1.el7uek.x86_64", "4.1.12", NULL, NULL, false, NULL},
        {"4.14.35-1902.8.4.el7uek.x86_64", "4.14.35", NULL, NULL, false, NULL},
        {"5.4.17-2011.0.7.el8uek.x86_64", "5.4.17", NULL, NULL, false, NULL},
        {"5.15.0-100.96.32.el8uek.x86_64", "5.15.0", NULL, NULL, false, NULL},
        {"5.15.0-101.103.2.1.el9uek.x86_64", "5.15.0", NULL, NULL, false, NULL},
        /* Red Hat's lines (rebuilds: Oracle RHCK, CentOS, Alma, CentOS Stream). */
        {"4.18.0-477.10.1.el8_8.x86_64", "4.18.0", "477.10.1", "el8", false, NULL},
        {"3.10.0-1160.119.1.0.1.el7.x86_64", "3.10.0", "1160.119.1.0.1", "el7", false, NULL},
        {"4.18.0-80.11.2.el8_0.x86_64", "4.18.0", "80.11.2", "el8", false, NULL},
        {"4.18.0-348.el8.x86_64", "4.18.0", "348", "el8", false, NULL},
        {"5.14.0-503.11.1.el9_5.x86_64", "5.14.0", "503.11.1", "el9", false, NULL},
        {"5.14.0-747.el9.x86_64", "5.14.0", "747", "el9", false, NULL},
        /* RHEL 6: mainline 2.6.32, no backport: leaks. */
        {"2.6.32-504.8.1.el6.x86_64", "2.6.32", "504.8.1", "el6", true, NULL},
        /* RHEL 7 kernel-alt (4.11, 4.14): "el7a" is not el7. */
        {"4.11.0-44.el7a.aarch64", "4.11.0", NULL, NULL, false, NULL},
        {"4.14.0-115.el7a.aarch64", "4.14.0", NULL, NULL, false, NULL},
        {"6.1.102-108.177.amzn2023.x86_64", "6.1.102", NULL, NULL, false, NULL},
        {"4.14.33-51.37.amzn1.x86_64", "4.14.33", NULL, NULL, false, NULL},
        /* OpenVZ 6: RHEL 6's 2.6.32 with its own tag. */
        {"2.6.32-042stab108.8", "2.6.32", NULL, NULL, true, NULL},
};

/* Shapes not in the corpus file, written after the distributions' naming schemes. */
static const Expect synthetic[] = {
        /* Oracle Linux RHCK with Oracle's ".0.1" suffix (btfhub-archive ol/7/x86_64 file names). */
        {"3.10.0-1062.0.0.0.1.el7.x86_64", "3.10.0", "1062.0.0.0.1", "el7", false, NULL},
        {"3.10.0-514.26.2.el7.x86_64", "3.10.0", "514.26.2", "el7", true, NULL},
        /* CentOS plus kernels append ".centos.plus" after the dist tag. */
        {"3.10.0-693.21.1.el7.centos.plus.x86_64", "3.10.0", "693.21.1", "el7", false, NULL},
        {"3.10.0-229.el7_1.x86_64", "3.10.0", "229", "el7", true, NULL},
        {"3.10.0-692.99.el7", "3.10.0", "692.99", "el7", true, NULL},
        /* Oracle UEK: "elNuek" is not a RHEL dist tag; the mainline version decides. */
        {"4.14.35-1902.3.2.el7uek.x86_64", "4.14.35", NULL, NULL, false, NULL},
        {"4.1.12-124.48.6.el7uek.x86_64", "4.1.12", NULL, NULL, false, NULL},
        {"3.8.13-118.el7uek.x86_64", "3.8.13", NULL, NULL, true, NULL},
        {"2.6.39-400.el6uek.x86_64", "2.6.39", NULL, NULL, true, NULL},
        /* RHEL-alt (4.14 based) has "el7a": not el7, not leaking. */
        {"4.14.0-115.el7a.aarch64", "4.14.0", NULL, NULL, false, NULL},
        {"2.6.32-754.el6.x86_64", "2.6.32", "754", "el6", true, NULL},
        {"3.17.8", "3.17.8", NULL, NULL, true, NULL},
        {"3.18", "3.18", NULL, NULL, false, NULL},
        {"3.18.0", "3.18.0", NULL, NULL, false, NULL},
        {"6.18.44-fc-v782", "6.18.44", NULL, NULL, false, NULL},
        {"3.10.0-el7", "3.10.0", NULL, NULL, true, NULL},
        /* CentOS Virt SIG kernels for EL7 carry el7 on mainline 4.9 (no ".elrepo" to tell them). */
        {"4.9.215-36.el7.x86_64", "4.9.215", NULL, NULL, false, "el7"},
        /* A 3.10 kernel that is not 3.10.0 is not Red Hat's, even with el7: mainline 3.10 leaks. */
        {"3.10.105-1.el7.elrepo.x86_64", "3.10.105", NULL, NULL, true, "el7"},
        {"3.10.0-1160.119.1.el7.centos.plus.x86_64", "3.10.0", "1160.119.1", "el7", false, NULL},
        /* RHEL 7 kernel-rt "3.10.0-N.rtNN.M.el7" (the CERN CentOS 7 RT repository's
         * kernel-rt-3.10.0-1127.rt56.1093.el7): its build is N. */
        {"3.10.0-1127.rt56.1093.el7.x86_64", "3.10.0", "1127", "el7", false, NULL},
        {"3.10.0-514.26.1.rt56.442.el7.x86_64", "3.10.0", "514.26.1", "el7", true, NULL},
        {"3.10.0-rt56.1.el7", "3.10.0", NULL, NULL, true, NULL},
        {"3.10.0-1.rt56.rt57.el7", "3.10.0", NULL, NULL, true, NULL},
        {"6.12.0-55.el10.x86_64", "6.12.0", "55", "el10", false, NULL},
        {"5.14.0-284.el8.x86_64", "5.14.0", NULL, NULL, false, "el8"},
        /* Amazon Linux 2's 5.10 and Virtuozzo 7 shapes. */
        {"5.10.68-62.173.amzn2.x86_64", "5.10.68", NULL, NULL, false, NULL},
        {"3.10.0-1160.80.1.vz7.191.4", "3.10.0", NULL, NULL, true, NULL},
        {"3.10.0-.el7", "3.10.0", NULL, NULL, true, NULL},
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
        ck_assert_msg(streq(strempty(k.dist_tag), strempty(e->dist ? e->dist : e->el)), "%s: dist tag %s",
                e->release, strempty(k.dist_tag));
        ck_assert_msg(k.leaks_mounts == e->leaks, "%s: leaks_mounts %d", e->release, k.leaks_mounts);
        kernel_release_done(&k);
}

/* Every release of a fixture file has exactly one expectation, and meets it. */
static void check_file(const char *path, const Expect *table, size_t n)
{
        _cleanup_free_ char *data = NULL;
        size_t size, seen = 0;
        char *line, *save = NULL;

        ck_assert_int_eq(read_full_file(path, &data, &size), 0);
        for (line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char *bar;
                const Expect *e = NULL;

                if (line[0] == '#')
                        continue;
                bar = strchr(line, '|');
                ck_assert_ptr_nonnull(bar);
                ck_assert_msg(strchr(bar + 1, '|'), "%s: no source", line);
                *bar = 0;
                for (size_t i = 0; i < n; i++)
                        if (streq(table[i].release, line))
                                e = &table[i];
                ck_assert_msg(e, "no expectation for release %s", line);
                check_one(e);
                seen++;
        }
        ck_assert_uint_eq(seen, n);
}

START_TEST(test_corpus)
{
        check_file(FIXTURES "/kernels/releases.txt", corpus, ELEMENTSOF(corpus));
}
END_TEST

START_TEST(test_el_tagged)
{
        check_file(FIXTURES "/kernels/el-tagged.txt", el_tagged, ELEMENTSOF(el_tagged));
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

static Suite *suite(void)
{
        Suite *s = suite_create("kernel");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_corpus);
        tcase_add_test(tc, test_el_tagged);
        tcase_add_test(tc, test_synthetic);
        tcase_add_test(tc, test_invalid);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
