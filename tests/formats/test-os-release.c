/* SPDX-License-Identifier: MIT */
#include <check.h>

#include "check-run.h"
#include <sys/stat.h>

#include "collect/collect.h"
#include "formats/os-release.h"
#include "basic/root-file.h"

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

static char *make_root(void)
{
        char *root = strdup("/tmp/check-osrelease-XXXXXX");

        ck_assert_ptr_nonnull(mkdtemp(root));
        return root;
}

static void write_file(const char *root, const char *rel, const char *fixture)
{
        _cleanup_free_ char *dst = strdupf("%s%s", root, rel),
                            *src = strdupf("%s/os-release/%s", FIXTURES, fixture), *data = NULL;
        size_t size;
        FILE *f;

        ck_assert_int_eq(read_full_file(src, &data, &size), 0);
        f = fopen(dst, "we");
        ck_assert_ptr_nonnull(f);
        ck_assert_uint_eq(fwrite(data, 1, size, f), size);
        fclose(f);
}

static void rm_root(const char *root)
{
        static const char *const paths[] = {
                "/etc/os-release", "/etc/redhat-release", "/usr/lib/os-release", "/usr/lib", "/usr", "/etc"};

        for (size_t i = 0; i < ELEMENTSOF(paths); i++) {
                _cleanup_free_ char *p = strdupf("%s%s", root, paths[i]);
                (void) (i < 3 ? unlink(p) : rmdir(p));
        }
        rmdir(root);
}

static const Fact *get(const Facts *f, const char *name)
{
        const Fact *x = facts_get(f, name);

        ck_assert_msg(x, "%s not set", name);
        return x;
}

START_TEST(test_collect_offline_centos)
{
        _cleanup_free_ char *root = make_root(), *etc = strdupf("%s/etc", root), *src = NULL;
        _cleanup_facts_ Facts f = {};
        CollectOptions o = {.unit = "docker.service"};
        const Fact *x;

        o.root = root;
        ck_assert_int_eq(mkdir(etc, 0755), 0);
        write_file(root, "/etc/os-release", "centos-7.1.1503-etc-os-release");
        write_file(root, "/etc/redhat-release", "centos-7.1.1503-etc-centos-release");
        ck_assert_int_eq(collect_distro(&f, &o), 0);
        src = strdupf("%s/etc/os-release:3", root);
        x = get(&f, "distro.id");
        ck_assert(x->known && streq(x->str, "centos"));
        ck_assert_str_eq(x->source, src);
        x = get(&f, "distro.version_id");
        ck_assert(x->known && x->type == FACT_VERSION && streq(x->str, "7"));
        x = get(&f, "distro.id_like");
        ck_assert(x->known && strv_length(x->list) == 2);
        x = get(&f, "distro.redhat_release");
        ck_assert(x->known && streq(x->str, "CentOS Linux release 7.1.1503 (Core)") &&
                  endswith(x->source, "/etc/redhat-release:1"));
        x = get(&f, "distro.rhel_family");
        ck_assert(x->known && x->b);
        ck_assert_str_eq(x->source, src);
        rm_root(root);
}
END_TEST

START_TEST(test_collect_offline_fallbacks)
{
        _cleanup_free_ char *root = make_root(), *d1 = strdupf("%s/usr", root),
                            *d2 = strdupf("%s/usr/lib", root), *etc = strdupf("%s/etc", root),
                            *lnk = strdupf("%s/etc/os-release", root);
        _cleanup_facts_ Facts f = {};
        CollectOptions o = {.unit = "docker.service"};
        const Fact *x;

        o.root = root;
        ck_assert_int_eq(mkdir(d1, 0755), 0);
        ck_assert_int_eq(mkdir(d2, 0755), 0);
        ck_assert_int_eq(mkdir(etc, 0755), 0);
        /* Nothing at all. */
        ck_assert_int_eq(collect_distro(&f, &o), 0);
        x = get(&f, "distro.id");
        ck_assert(!x->known && strstr(x->reason, "neither"));
        x = get(&f, "distro.rhel_family");
        ck_assert(!x->known);
        x = get(&f, "distro.redhat_release");
        ck_assert(!x->known && endswith(x->reason, "/etc/redhat-release: not present"));

        /* Only /usr/lib/os-release (Fedora layout without the /etc symlink). */
        write_file(root, "/usr/lib/os-release", "fedora-30-usr-lib-os-release");
        facts_done(&f);
        ck_assert_int_eq(collect_distro(&f, &o), 0);
        x = get(&f, "distro.id");
        ck_assert(x->known && streq(x->str, "fedora") && strstr(x->source, "/usr/lib/os-release:3"));
        x = get(&f, "distro.rhel_family");
        ck_assert(x->known && !x->b);

        /* An absolute symlink resolves inside the root, never to the host's file. */
        ck_assert_int_eq(symlink("/usr/lib/os-release", lnk), 0);
        facts_done(&f);
        ck_assert_int_eq(collect_distro(&f, &o), 0);
        x = get(&f, "distro.id");
        ck_assert(x->known && streq(x->str, "fedora") && strstr(x->source, "/etc/os-release:3"));
        unlink(lnk);
        ck_assert_int_eq(symlink("../../../../../../../../usr/lib/os-release", lnk), 0);
        facts_done(&f);
        ck_assert_int_eq(collect_distro(&f, &o), 0);
        x = get(&f, "distro.id");
        ck_assert(x->known && streq(x->str, "fedora"));

        /* Only redhat-release (RHEL 6 style). */
        unlink(lnk);
        {
                _cleanup_free_ char *p = strdupf("%s/usr/lib/os-release", root);
                unlink(p);
        }
        write_file(root, "/etc/redhat-release", "rhel-7.0-etc-redhat-release");
        facts_done(&f);
        ck_assert_int_eq(collect_distro(&f, &o), 0);
        x = get(&f, "distro.rhel_family");
        ck_assert(x->known && x->b && endswith(x->source, "/etc/redhat-release:1"));
        rm_root(root);
}
END_TEST

START_TEST(test_root_file_escape)
{
        _cleanup_free_ char *root = make_root(), *etc = strdupf("%s/etc", root),
                            *lnk = strdupf("%s/etc/passwd", root), *data = NULL;

        ck_assert_int_eq(mkdir(etc, 0755), 0);
        /* /etc/passwd -> /etc/passwd inside the root is a loop, not the host's file. */
        ck_assert_int_eq(symlink("/etc/passwd", lnk), 0);
        ck_assert_int_lt(root_read_file(root, "/etc/passwd", &data, NULL), 0);
        ck_assert_ptr_null(data);
        unlink(lnk);
        ck_assert_int_eq(symlink("../../../../etc/hostname-does-not-exist-here", lnk), 0);
        ck_assert_int_eq(root_read_file(root, "/etc/passwd", &data, NULL), -ENOENT);
        unlink(lnk);
        rm_root(root);
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
        tcase_add_test(tc, test_collect_offline_centos);
        tcase_add_test(tc, test_collect_offline_fallbacks);
        tcase_add_test(tc, test_root_file_escape);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
