/* SPDX-License-Identifier: MIT */
/* dpkg's database (src/formats/dpkg-status.c): the version of dockerd's package without
 * running dockerd (the offline --root audit). */
#include <check.h>

#include "check-run.h"

#include "formats/dpkg-status.h"

/* Paragraphs as dpkg writes them (Debian 12's docker.io 20.10.24, Docker's docker-ce for
 * Ubuntu 22.04 and Debian 10), a removed package and one with its config files left. */
static const char status[] = "Package: containerd\n"
                             "Status: install ok installed\n"
                             "Version: 1.6.20~ds1-1+deb12u3\n"
                             "\n"
                             "Package: docker.io\n"
                             "Status: install ok installed\n"
                             "Priority: optional\n"
                             "Version: 20.10.24+dfsg1-1+deb12u1+b6\n"
                             "Description: Linux container runtime\n"
                             " Docker complements kernel namespacing with a high-level API.\n"
                             "\n"
                             "Package: docker-ce\n"
                             "Status: deinstall ok config-files\n"
                             "Version: 5:24.0.7-1~ubuntu.22.04~jammy\n"
                             "\n"
                             "Package: moby-engine\n"
                             "Status: install ok installed\n"
                             "Version: 5:19.03.5~3-0~debian-buster\n";

START_TEST(test_versions)
{
        _cleanup_free_ char *v = NULL, *w = NULL, *x = NULL;
        char *none = NULL;

        ck_assert_int_eq(dpkg_status_version(status, strlen(status), "docker.io", &v), 1);
        ck_assert_str_eq(v, "20.10.24+dfsg1");
        /* config files only: not installed */
        ck_assert_int_eq(dpkg_status_version(status, strlen(status), "docker-ce", &none), 0);
        ck_assert_int_eq(dpkg_status_version(status, strlen(status), "moby-engine", &w), 1);
        ck_assert_str_eq(w, "19.03.5~3-0~debian");
        ck_assert_int_eq(dpkg_status_version(status, strlen(status), "docker", &none), 0);
        ck_assert_int_eq(dpkg_status_version("", 0, "docker.io", &none), 0);
        /* the last paragraph without its final newline, and a prefix of another name */
        ck_assert_int_eq(dpkg_status_version(status, strlen(status) - 1, "moby-engine", &x), 1);
        ck_assert_str_eq(x, "19.03.5~3-0~debian");
        ck_assert_int_eq(dpkg_status_version(status, strlen(status), "moby", &none), 0);
        ck_assert_ptr_null(none);
}
END_TEST

/* Field names in any case, blanks around values, several empty lines between paragraphs, a
 * Package: that is not the paragraph's first line, and only the first of a repeated field. */
START_TEST(test_paragraph_forms)
{
        static const char text[] = "package: other\nStatus: install ok installed\nVersion: 1-1\n\n\n\n"
                                   "Status: install ok installed \r\nPACKAGE:\tdocker.io \r\n"
                                   "version:  2:20.10.5-1 \r\nVersion: 9-9\n\n"
                                   "Package: docker.io2\nStatus: install ok installed\nVersion: 3-3\n";
        _cleanup_free_ char *v = NULL;
        char *none = NULL;

        ck_assert_int_eq(dpkg_status_version(text, strlen(text), "docker.io", &v), 1);
        ck_assert_str_eq(v, "20.10.5");
        ck_assert_int_eq(dpkg_status_version(text, strlen(text), "docker", &none), 0);
        ck_assert_int_eq(dpkg_status_version(text, strlen(text), "", &none), 0);
        ck_assert_ptr_null(none);
}
END_TEST

START_TEST(test_upstream)
{
        static const char *const cases[][2] = {
                {"5:24.0.7-1~ubuntu.22.04~jammy", "24.0.7"},
                {"20.10.24+dfsg1-1+deb12u1+b6", "20.10.24+dfsg1"},
                {"1.2", "1.2"},
                {"1:2.0", "2.0"},
                {"18.09.1+dfsg1-7.1+deb10u3", "18.09.1+dfsg1"},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_free_ char *u = dpkg_version_upstream(cases[i][0]);
                ck_assert_str_eq(u, cases[i][1]);
        }
}
END_TEST

int main(void)
{
        Suite *s = suite_create("dpkg-status");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_versions);
        tcase_add_test(tc, test_paragraph_forms);
        tcase_add_test(tc, test_upstream);
        suite_add_tcase(s, tc);
        return check_run(s);
}
