/* SPDX-License-Identifier: MIT */
/* Kernel release strings (src/formats/kernel-release.c): a corpus of real ones, synthetic and
 * invalid ones. */
#include <check.h>

#include "check-run.h"

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

static Suite *suite(void)
{
        Suite *s = suite_create("kernel");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_corpus);
        tcase_add_test(tc, test_synthetic);
        tcase_add_test(tc, test_invalid);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
