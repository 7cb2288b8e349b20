/* SPDX-License-Identifier: MIT */
/* os-release and redhat-release files (src/formats/os-release.c). */
#include <check.h>

#include "check-run.h"

#include "formats/os-release.h"

typedef struct Expect {
        const char *file, *id, *id_like, *version_id, *pretty_name;
        unsigned id_line;
        bool rhel;
} Expect;

/* Every os-release file of fixtures/os-release (see SOURCES). */
static const Expect files[] = {
        {"amazonlinux-2016.03-etc-os-release", "amzn", "rhel fedora", "2016.03", "Amazon Linux AMI 2016.03",
                3, true},
        {"centos-7.1.1503-etc-os-release", "centos", "rhel fedora", "7", "CentOS Linux 7 (Core)", 3, true},
        {"debian-10-etc-os-release", "debian", "", "10", "Debian GNU/Linux 10 (buster)", 6, false},
        {"debian-8-etc-os-release", "debian", "", "8", "Debian GNU/Linux 8 (jessie)", 5, false},
        {"fedora-30-usr-lib-os-release", "fedora", "", "30", "Fedora 30 (Thirty)", 3, false},
        {"fedora-31-etc-os-release", "fedora", "", "31", "Fedora 31 (Workstation Edition)", 3, false},
        {"rhel-7.0-etc-os-release", "rhel", "fedora", "7.0", "Red Hat Enterprise Linux Server 7.0 (Maipo)",
                3, true},
        {"rhel-7.2-etc-os-release", "rhel", "fedora", "7.2", "Red Hat Enterprise Linux Server 7.2 (Maipo)",
                3, true},
        {"rhel-7.7-etc-os-release", "rhel", "fedora", "7.7", "Red Hat Enterprise Linux Server 7.7 (Maipo)",
                3, true},
        {"ubuntu-16.04-etc-os-release", "ubuntu", "debian", "16.04", "Ubuntu 16.04.1 LTS", 3, false},
        {"ubuntu-18.04-etc-os-release", "ubuntu", "debian", "18.04", "Ubuntu 18.04.3 LTS", 3, false},
        {"ubuntu-24.04-etc-os-release", "ubuntu", "debian", "24.04", "Ubuntu 24.04.3 LTS", 6, false},
        /* The "cat /etc/...release" output: the os-release part starts on line 2; the one-line release files
         * around it are not assignments and are ignored as systemd ignores them. */
        {"oraclelinux-7.1-cat-etc-star-release.txt", "ol", "", "7.1", "Oracle Linux Server 7.1", 4, true},
};

static void parse_fixture(const char *name, OsRelease *o)
{
        _cleanup_free_ char *path = strdupf("%s/os-release/%s", FIXTURES, name), *data = NULL, *err = NULL;
        size_t size;

        ck_assert_int_eq(read_full_file(path, &data, &size), 0);
        ck_assert_msg(os_release_parse(path, data, size, o, &err) == 0, "%s: %s", name, strempty(err));
}

START_TEST(test_fixtures)
{
        for (size_t i = 0; i < ELEMENTSOF(files); i++) {
                const Expect *e = &files[i];
                OsRelease o = {};
                _cleanup_free_ char *like = NULL;
                unsigned line;

                parse_fixture(e->file, &o);
                ck_assert_str_eq(o.id, e->id);
                like = strv_join(o.id_like, " ");
                ck_assert_str_eq(like, e->id_like);
                ck_assert_str_eq(o.version_id, e->version_id);
                ck_assert_str_eq(o.pretty_name, e->pretty_name);
                ck_assert_uint_eq(o.id_line, e->id_line);
                ck_assert_msg(os_release_is_rhel_family(&o, &line) == e->rhel, "%s", e->file);
                ck_assert_uint_gt(line, 0);
                os_release_done(&o);
        }
}
END_TEST

START_TEST(test_rhel_family_decider_line)
{
        OsRelease o = {};
        unsigned line;

        /* Amazon Linux: decided by ID_LIKE (line 4), not ID (line 3). */
        parse_fixture("amazonlinux-2016.03-etc-os-release", &o);
        ck_assert(os_release_is_rhel_family(&o, &line));
        ck_assert_uint_eq(line, 4);
        os_release_done(&o);
        parse_fixture("rhel-7.7-etc-os-release", &o);
        ck_assert(os_release_is_rhel_family(&o, &line));
        ck_assert_uint_eq(line, 3);
        os_release_done(&o);
}
END_TEST

START_TEST(test_redhat_release)
{
        static const struct {
                const char *file, *line;
                bool rhel;
        } rh[] = {
                {"centos-7.1.1503-etc-centos-release", "CentOS Linux release 7.1.1503 (Core)", true},
                {"rhel-7.0-etc-redhat-release", "Red Hat Enterprise Linux Server release 7.0 (Maipo)", true},
                {"rhel-7.2-etc-redhat-release", "Red Hat Enterprise Linux Server release 7.2 (Maipo)", true},
                {"rhel-7.7-etc-redhat-release", "Red Hat Enterprise Linux Server release 7.7 (Maipo)", true},
                {"fedora-31-etc-redhat-release", "Fedora release 31 (Thirty One)", false},
                {"fedora-30-etc-fedora-release", "Fedora release 30 (Thirty)", false},
                {"oraclelinux-7.1-cat-etc-star-release.txt", "Oracle Linux Server release 7.1", true},
        };

        for (size_t i = 0; i < ELEMENTSOF(rh); i++) {
                _cleanup_free_ char *path = strdupf("%s/os-release/%s", FIXTURES, rh[i].file), *data = NULL,
                                    *line = NULL;

                ck_assert_int_eq(read_full_file(path, &data, NULL), 0);
                ck_assert_int_eq(redhat_release_first_line(data, &line), 0);
                ck_assert_str_eq(line, rh[i].line);
                ck_assert(redhat_release_is_rhel_family(line) == rh[i].rhel);
        }
        {
                char *line = NULL;
                ck_assert_int_eq(redhat_release_first_line("\n", &line), -ENODATA);
                ck_assert_int_eq(redhat_release_first_line("", &line), -ENODATA);
        }
}
END_TEST

/* Every line of release-strings.txt: the one-line release files. */
START_TEST(test_release_strings)
{
        _cleanup_free_ char *data = NULL;
        char *l, *save = NULL;
        unsigned n = 0;

        ck_assert_int_eq(read_full_file(FIXTURES "/os-release/release-strings.txt", &data, NULL), 0);
        for (l = strtok_r(data, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
                char *content, *end, *first = NULL;
                bool expect;

                if (l[0] == '#')
                        continue;
                content = strchr(l, '|');
                ck_assert_ptr_nonnull(content);
                content++;
                end = strchr(content, '|');
                ck_assert_ptr_nonnull(end);
                *end = 0;
                expect = !startswith(content, "Fedora") && !startswith(content, "Amazon");
                ck_assert_int_eq(redhat_release_first_line(content, &first), 0);
                ck_assert_msg(redhat_release_is_rhel_family(first) == expect, "%s", content);
                ck_assert(!endswith(first, " "));
                free(first);
                n++;
        }
        ck_assert_uint_eq(n, 12);
}
END_TEST

START_TEST(test_parse_edge)
{
        static const char text[] = "# comment\nID=\"centos\"\nID_LIKE=\"  rhel   fedora \"\n";
        OsRelease o = {};

        ck_assert_int_eq(os_release_parse("/x/os-release", text, sizeof text - 1, &o, NULL), 0);
        ck_assert_str_eq(o.id, "centos");
        ck_assert_uint_eq(strv_length(o.id_like), 2);
        ck_assert_ptr_null(o.version_id);
        ck_assert_uint_eq(o.id_line, 2);
        os_release_done(&o);

        /* Invalid UTF-8: the whole file is refused with PATH:LINE. */
        {
                static const char bad[] = "ID=ce\xffntos\n";
                _cleanup_free_ char *err = NULL;

                ck_assert_int_eq(os_release_parse("/x/os-release", bad, sizeof bad - 1, &o, &err), -EINVAL);
                ck_assert_ptr_nonnull(startswith(err, "/x/os-release:1"));
        }
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("osrelease");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_fixtures);
        tcase_add_test(tc, test_rhel_family_decider_line);
        tcase_add_test(tc, test_redhat_release);
        tcase_add_test(tc, test_release_strings);
        tcase_add_test(tc, test_parse_edge);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
