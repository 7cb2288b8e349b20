/* SPDX-License-Identifier: MIT */
#include <check.h>

#include "check-run.h"

#include "basic/util.h"
#include "basic/vercmp.h"

static int sign(int x)
{
        return x < 0 ? -1 : x > 0 ? 1 : 0;
}

/* The vectors of rpm's own test suite: tests/rpmvercmp.at in
 * rpm-software-management/rpm (commit 7f3fdf6868d72fbdef3386345ff39b3744fa4b14),
 * RPMVERCMP(a, b, expected) re-typed as data. */
static const struct {
        const char *a, *b;
        int expected;
} rpm_vectors[] = {
        {"1.0", "1.0", 0},
        {"1.0", "2.0", -1},
        {"2.0", "1.0", 1},

        {"2.0.1", "2.0.1", 0},
        {"2.0", "2.0.1", -1},
        {"2.0.1", "2.0", 1},

        {"2.0.1a", "2.0.1a", 0},
        {"2.0.1a", "2.0.1", 1},
        {"2.0.1", "2.0.1a", -1},

        {"5.5p1", "5.5p1", 0},
        {"5.5p1", "5.5p2", -1},
        {"5.5p2", "5.5p1", 1},

        {"5.5p10", "5.5p10", 0},
        {"5.5p1", "5.5p10", -1},
        {"5.5p10", "5.5p1", 1},

        {"10xyz", "10.1xyz", -1},
        {"10.1xyz", "10xyz", 1},

        {"xyz10", "xyz10", 0},
        {"xyz10", "xyz10.1", -1},
        {"xyz10.1", "xyz10", 1},

        {"xyz.4", "xyz.4", 0},
        {"xyz.4", "8", -1},
        {"8", "xyz.4", 1},
        {"xyz.4", "2", -1},
        {"2", "xyz.4", 1},

        {"5.5p2", "5.6p1", -1},
        {"5.6p1", "5.5p2", 1},

        {"5.6p1", "6.5p1", -1},
        {"6.5p1", "5.6p1", 1},

        {"6.0.rc1", "6.0", 1},
        {"6.0", "6.0.rc1", -1},

        {"10b2", "10a1", 1},
        {"10a2", "10b2", -1},

        {"1.0aa", "1.0aa", 0},
        {"1.0a", "1.0aa", -1},
        {"1.0aa", "1.0a", 1},

        {"10.0001", "10.0001", 0},
        {"10.0001", "10.1", 0},
        {"10.1", "10.0001", 0},
        {"10.0001", "10.0039", -1},
        {"10.0039", "10.0001", 1},

        {"4.999.9", "5.0", -1},
        {"5.0", "4.999.9", 1},

        {"20101121", "20101121", 0},
        {"20101121", "20101122", -1},
        {"20101122", "20101121", 1},

        {"2_0", "2_0", 0},
        {"2.0", "2_0", 0},
        {"2_0", "2.0", 0},

        /* RhBug:178798 */
        {"a", "a", 0},
        {"a+", "a+", 0},
        {"a+", "a_", 0},
        {"a_", "a+", 0},
        {"+a", "+a", 0},
        {"+a", "_a", 0},
        {"_a", "+a", 0},
        {"+_", "+_", 0},
        {"_+", "+_", 0},
        {"_+", "_+", 0},
        {"+", "_", 0},
        {"_", "+", 0},

        /* tilde */
        {"1.0~rc1", "1.0~rc1", 0},
        {"1.0~rc1", "1.0", -1},
        {"1.0", "1.0~rc1", 1},
        {"1.0~rc1", "1.0~rc2", -1},
        {"1.0~rc2", "1.0~rc1", 1},
        {"1.0~rc1~git123", "1.0~rc1~git123", 0},
        {"1.0~rc1~git123", "1.0~rc1", -1},
        {"1.0~rc1", "1.0~rc1~git123", 1},

        /* caret */
        {"1.0^", "1.0^", 0},
        {"1.0^", "1.0", 1},
        {"1.0", "1.0^", -1},
        {"1.0^git1", "1.0^git1", 0},
        {"1.0^git1", "1.0", 1},
        {"1.0", "1.0^git1", -1},
        {"1.0^git1", "1.0^git2", -1},
        {"1.0^git2", "1.0^git1", 1},
        {"1.0^git1", "1.01", -1},
        {"1.01", "1.0^git1", 1},
        {"1.0^20160101", "1.0^20160101", 0},
        {"1.0^20160101", "1.0.1", -1},
        {"1.0.1", "1.0^20160101", 1},
        {"1.0^20160101^git1", "1.0^20160101^git1", 0},
        {"1.0^20160102", "1.0^20160101^git1", 1},
        {"1.0^20160101^git1", "1.0^20160102", -1},

        /* tilde and caret */
        {"1.0~rc1^git1", "1.0~rc1^git1", 0},
        {"1.0~rc1^git1", "1.0~rc1", 1},
        {"1.0~rc1", "1.0~rc1^git1", -1},
        {"1.0^git1~pre", "1.0^git1~pre", 0},
        {"1.0^git1", "1.0^git1~pre", 1},
        {"1.0^git1~pre", "1.0^git1", -1},
};

START_TEST(test_rpm_vectors)
{
        for (size_t i = 0; i < ELEMENTSOF(rpm_vectors); i++) {
                int r = rpmvercmp(rpm_vectors[i].a, rpm_vectors[i].b);
                ck_assert_msg(sign(r) == rpm_vectors[i].expected,
                        "rpmvercmp(\"%s\", \"%s\") = %d, expected %d", rpm_vectors[i].a, rpm_vectors[i].b, r,
                        rpm_vectors[i].expected);
        }
}
END_TEST

/* Rules beyond rpm's suite, each reasoned from rpmvercmp's definition. */
START_TEST(test_edge_cases)
{
        /* Empty strings, and separators only. */
        ck_assert_int_eq(rpmvercmp("", ""), 0);
        ck_assert_int_eq(sign(rpmvercmp("", "1")), -1);
        ck_assert_int_eq(sign(rpmvercmp("1", "")), 1);
        ck_assert_int_eq(rpmvercmp("...", ""), 0);
        ck_assert_int_eq(rpmvercmp("1.0.", "1.0"), 0);
        /* "~" is older than the end of the string, also when leading. */
        ck_assert_int_eq(sign(rpmvercmp("~", "")), -1);
        ck_assert_int_eq(sign(rpmvercmp("~1", "999")), -1);
        ck_assert_int_eq(sign(rpmvercmp("2.1", "2.0~")), 1);
        /* "^" is newer than the end, older than any segment. */
        ck_assert_int_eq(sign(rpmvercmp("1", "999^")), -1);
        ck_assert_int_eq(sign(rpmvercmp("1^", "1")), 1);
        ck_assert_int_eq(sign(rpmvercmp("1^", "1a")), -1);
        ck_assert_int_eq(sign(rpmvercmp("1^", "1.1")), -1);
        /* Numbers: leading zeros ignored, longer is larger, zero equals all-zero. */
        ck_assert_int_eq(rpmvercmp("01", "1"), 0);
        ck_assert_int_eq(rpmvercmp("0", "000"), 0);
        ck_assert_int_eq(sign(rpmvercmp("1.100", "1.99")), 1);
        ck_assert_int_eq(
                sign(rpmvercmp("123456789012345678901234567890", "99999999999999999999999999999")), 1);
        ck_assert_int_eq(sign(rpmvercmp("4321", "4.3.2.1")), 1);
        /* Digits beat letters; letters compare bytewise (upper case first). */
        ck_assert_int_eq(sign(rpmvercmp("1.1", "1.a")), 1);
        ck_assert_int_eq(sign(rpmvercmp("1a", "1b")), -1);
        ck_assert_int_eq(sign(rpmvercmp("1.Z", "1.a")), -1);
        ck_assert_int_eq(rpmvercmp("1a", "1.a"), 0);
        ck_assert_int_eq(rpmvercmp("1.100.z", "1_100z"), 0);
        /* Non-ASCII bytes are separators. */
        ck_assert_int_eq(rpmvercmp("1.1.\xce\xb1", "1.1.\xce\xb2"), 0);
}
END_TEST

/* Every release string of the corpus, in the order rpm sorts them. */
static const char *const sorted_releases[] = {
        "3.10.0-123.8.1.el7.x86_64",
        "3.10.0-229.1.2.el7.x86_64",
        "3.10.0-327.el7.x86_64",
        "3.10.0-514.el7.x86_64",
        "3.10.0-693.el7.x86_64",
        "3.10.0-862.9.1.el7.x86_64",
        "3.10.0-957.el7.x86_64",
        "3.10.0-957.27.2.el7.x86_64", /* "27" (digits) beats "el" (letters) */
        "3.10.0-1062.el7.x86_64",
        "3.10.0-1127.19.1.el7.x86_64",
        "3.10.0-1160.81.1.el7.x86_64",
        "3.10.0-1160.119.1.el7.x86_64", /* 119 > 81 as numbers, not bytes */
        "4.4.0-47-generic",
        "4.14.26-54.32.amzn2.x86_64",
        "4.14.94-73.73.amzn1.x86_64",
        "4.14.181-142.260.amzn2.x86_64",
        "4.15.0-1023-azure",
        "4.15.0-1030-gke",
        "4.15.0-1115-aws",
        "4.18.0-147.el8.x86_64",
        "4.18.0-240.22.1.el8.x86_64",
        "4.19.0-17-amd64",
        "4.19.0-27-cloud-amd64",
        "5.3.7-301.fc31.x86_64",
        "5.8.18-100.fc31.x86_64",
};

/* The release strings of tests/fixtures/kernels/releases.txt, in file order. */
static char **read_releases(void)
{
        _cleanup_free_ char *text = NULL;
        char **l = NULL;
        char *line, *save = NULL;
        int r;

        r = read_full_file(FIXTURES "/kernels/releases.txt", &text, NULL);
        ck_assert_int_eq(r, 0);
        for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char *bar;

                if (line[0] == '#' || line[0] == '\0')
                        continue;
                bar = strchr(line, '|');
                ck_assert_ptr_nonnull(bar);
                *bar = '\0';
                ck_assert_int_eq(strv_extend(&l, line), 0);
        }
        return l;
}

static int cmp_releases(const void *a, const void *b)
{
        return rpmvercmp(*(char *const *) a, *(char *const *) b);
}

START_TEST(test_kernel_releases_sorted)
{
        _cleanup_strv_free_ char **l = read_releases();
        size_t n = strv_length(l);

        ck_assert_uint_eq(n, ELEMENTSOF(sorted_releases));
        qsort(l, n, sizeof(char *), cmp_releases);
        for (size_t i = 0; i < n; i++)
                ck_assert_str_eq(l[i], sorted_releases[i]);
}
END_TEST

/* A total order on real data: reflexive, antisymmetric, transitive. */
START_TEST(test_kernel_releases_order_laws)
{
        _cleanup_strv_free_ char **l = read_releases();
        size_t n = strv_length(l);

        for (size_t i = 0; i < n; i++) {
                ck_assert_int_eq(rpmvercmp(l[i], l[i]), 0);
                for (size_t j = 0; j < n; j++) {
                        int ij = sign(rpmvercmp(l[i], l[j]));

                        ck_assert_int_eq(ij, -sign(rpmvercmp(l[j], l[i])));
                        ck_assert_int_eq(ij == 0, i == j);
                        for (size_t k = 0; k < n; k++)
                                if (ij < 0 && sign(rpmvercmp(l[j], l[k])) < 0)
                                        ck_assert_int_lt(rpmvercmp(l[i], l[k]), 0);
                }
        }
}
END_TEST

/* The RHEL build numbers (N of 3.10.0-N.el7) as kernel.rhel_build holds them. */
START_TEST(test_rhel_builds)
{
        static const char *const builds[] = {
                "123.8.1",
                "229.1.2",
                "327",
                "514",
                "693",
                "862.9.1",
                "957",
                "957.27.2",
                "1062",
                "1127.19.1",
                "1160.81.1",
                "1160.119.1",
        };
        _cleanup_strv_free_ char **l = read_releases();
        _cleanup_strv_free_ char **found = NULL;

        /* Every build listed is in the corpus. */
        for (char **i = l; *i; i++) {
                const char *b = startswith(*i, "3.10.0-");
                const char *e = b ? strstr(b, ".el7") : NULL;

                if (e) {
                        char *s = strndup(b, (size_t) (e - b));
                        ck_assert_int_eq(strv_consume(&found, s), 0);
                }
        }
        ck_assert_uint_eq(strv_length(found), ELEMENTSOF(builds));
        for (size_t i = 0; i < ELEMENTSOF(builds); i++) {
                ck_assert(strv_contains(found, builds[i]));
                for (size_t j = 0; j < ELEMENTSOF(builds); j++)
                        ck_assert_int_eq(sign(rpmvercmp(builds[i], builds[j])), i < j ? -1 : i > j ? 1 : 0);
        }
        /* The 7.4 GA cut-off used by the rules. */
        ck_assert_int_lt(rpmvercmp("514", "693"), 0);
        ck_assert_int_gt(rpmvercmp("1160.81.1", "693"), 0);
        ck_assert_int_gt(rpmvercmp("693.1.1", "693"), 0);
}
END_TEST

START_TEST(test_mainline_versions)
{
        static const char *const v[] = {
                "3.10.0",
                "3.18",
                "4.4.0",
                "4.14.26",
                "4.14.94",
                "4.14.181",
                "4.15.0",
                "4.18.0",
                "4.19.0",
                "5.3.7",
                "5.8.18",
        };

        for (size_t i = 0; i < ELEMENTSOF(v); i++)
                for (size_t j = 0; j < ELEMENTSOF(v); j++)
                        ck_assert_int_eq(sign(rpmvercmp(v[i], v[j])), i < j ? -1 : i > j ? 1 : 0);
        /* Byte order would get these wrong. */
        ck_assert_int_gt(strcmp("3.9", "3.10.0"), 0);
        ck_assert_int_lt(rpmvercmp("3.9", "3.10.0"), 0);
}
END_TEST

static Suite *vercmp_suite(void)
{
        Suite *s = suite_create("vercmp");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_rpm_vectors);
        tcase_add_test(tc, test_edge_cases);
        tcase_add_test(tc, test_kernel_releases_sorted);
        tcase_add_test(tc, test_kernel_releases_order_laws);
        tcase_add_test(tc, test_rhel_builds);
        tcase_add_test(tc, test_mainline_versions);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(vercmp_suite());
}
