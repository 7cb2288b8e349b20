/* SPDX-License-Identifier: MIT */
/* distro.* facts (src/collect/collect-distro.c) from the os-release and redhat-release files of
 * an offline root. */
#include <check.h>

#include "check-run.h"
#include <sys/stat.h>

#include "collect/collect.h"

static char *make_root(void)
{
        char *root = strdup("/tmp/check-distro-XXXXXX");

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

START_TEST(test_offline_centos)
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

START_TEST(test_offline_fallbacks)
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

        /* /etc/os-release there but not a file we can read (a FIFO): no fallback (systemd uses
         * /usr/lib's only when /etc's does not exist), and the audit is incomplete. */
        unlink(lnk);
        ck_assert_int_eq(mkfifo(lnk, 0644), 0);
        facts_done(&f);
        ck_assert_int_eq(collect_distro(&f, &o), 0);
        x = get(&f, "distro.id");
        ck_assert(!x->known && strstr(x->reason, "not a regular file"));
        x = get(&f, "audit.problems");
        ck_assert(x->known && strstr(x->list[0], "/etc/os-release: cannot read: not a regular file"));

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

static Suite *suite(void)
{
        Suite *s = suite_create("collect_distro");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_offline_centos);
        tcase_add_test(tc, test_offline_fallbacks);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
