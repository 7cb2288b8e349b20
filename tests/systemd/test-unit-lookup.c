/* SPDX-License-Identifier: MIT */
/* Offline unit lookup (systemd-reference.md 2) against fake roots built in temp dirs. The
 * expected values are what systemd 252's manager reports for the same trees (observed with
 * tests/integration/test-fidelity.sh and the *(observed)* notes of the reference). */
#include <check.h>

#include "check-run.h"
#include "test-util.h"
#include <fcntl.h>
#include <sys/stat.h>

#include "systemd/unit-lookup.h"

#define FIXTURE_UNIT FIXTURES "/units/docker-ce-packaging-20.10-docker.service"

static char root[64];

static void setup(void)
{
        tmpdir_make(root, sizeof root, "unit-lookup");
}

static void teardown(void)
{
        rm_rf(root);
}

static char *const sys_env[] = {NULL};

/* Resolves name in the system scope of root; *l and *res are the caller's to free. */
static void resolve(const char *name, UnitLookup *l, UnitLookupResult *res)
{
        ck_assert_int_eq(unit_lookup_init(l, root, false, sys_env), 0);
        ck_assert_int_eq(unit_lookup_resolve(l, name, res), 0);
}

static char *joined(char *const *l)
{
        return strv_join(l, " ");
}

START_TEST(test_search_path_system)
{
        _cleanup_(unit_lookup_done) UnitLookup l = {};
        char *const env1[] = {"SYSTEMD_UNIT_PATH=/a:/b", NULL};
        char *const env2[] = {"SYSTEMD_UNIT_PATH=/a:", NULL};

        ck_assert_int_eq(unit_lookup_init(&l, NULL, false, sys_env), 0);
        ck_assert_uint_eq(strv_length(l.search_path), 13);
        ck_assert_str_eq(l.search_path[0], "/etc/systemd/system.control");
        ck_assert_str_eq(l.search_path[4], "/etc/systemd/system");
        ck_assert_str_eq(l.search_path[10], "/lib/systemd/system");
        ck_assert_str_eq(l.search_path[11], "/usr/lib/systemd/system");
        ck_assert_str_eq(l.search_path[12], "/run/systemd/generator.late");
        unit_lookup_done(&l);

        ck_assert_int_eq(unit_lookup_init(&l, NULL, false, env1), 0);
        ck_assert_uint_eq(strv_length(l.search_path), 2);
        unit_lookup_done(&l);
        ck_assert_int_eq(unit_lookup_init(&l, NULL, false, env2), 0);
        ck_assert_uint_eq(strv_length(l.search_path), 14);
        ck_assert_str_eq(l.search_path[0], "/a");
        ck_assert_str_eq(l.search_path[1], "/etc/systemd/system.control");
}
END_TEST

START_TEST(test_search_path_user)
{
        _cleanup_(unit_lookup_done) UnitLookup l = {};
        _cleanup_free_ char *all = NULL;
        char *const env[] = {"HOME=/home/u", "XDG_RUNTIME_DIR=/run/user/7", NULL};
        char *const env_noruntime[] = {
                "HOME=/home/u", "XDG_CONFIG_HOME=/cfg", "XDG_DATA_DIRS=/d1:/d2", NULL};

        ck_assert_int_eq(unit_lookup_init(&l, NULL, true, env), 0);
        all = joined(l.search_path);
        ck_assert_str_eq(all,
                "/home/u/.config/systemd/user.control /run/user/7/systemd/user.control "
                "/run/user/7/systemd/transient /run/user/7/systemd/generator.early "
                "/home/u/.config/systemd/user "
                "/etc/xdg/systemd/user /etc/systemd/user /run/user/7/systemd/user /run/systemd/user "
                "/run/user/7/systemd/generator /home/u/.local/share/systemd/user "
                "/usr/local/share/systemd/user /usr/share/systemd/user /usr/local/lib/systemd/user "
                "/usr/lib/systemd/user /run/user/7/systemd/generator.late");
        unit_lookup_done(&l);
        free(all);

        ck_assert_int_eq(unit_lookup_init(&l, NULL, true, env_noruntime), 0);
        all = joined(l.search_path);
        ck_assert_str_eq(all,
                "/cfg/systemd/user.control /cfg/systemd/user /etc/xdg/systemd/user /etc/systemd/user "
                "/run/systemd/user /home/u/.local/share/systemd/user /d1/systemd/user /d2/systemd/user "
                "/usr/local/lib/systemd/user /usr/local/share/systemd/user /usr/lib/systemd/user "
                "/usr/share/systemd/user");
}
END_TEST

START_TEST(test_fragment_precedence)
{
        _cleanup_(unit_lookup_done) UnitLookup l = {};
        _cleanup_(unit_lookup_result_done) UnitLookupResult res = {};

        put_file(root, "/lib/systemd/system/docker.service", FIXTURE_UNIT);
        put_file(root, "/etc/systemd/system/docker.service", FIXTURE_UNIT);
        resolve("docker.service", &l, &res);
        ck_assert_str_eq(res.fragment_path, "/etc/systemd/system/docker.service");
        ck_assert(!res.masked);
}
END_TEST

START_TEST(test_not_found)
{
        _cleanup_(unit_lookup_done) UnitLookup l = {};
        _cleanup_(unit_lookup_result_done) UnitLookupResult res = {};

        resolve("docker.service", &l, &res);
        ck_assert_ptr_null(res.fragment_path);
        ck_assert_int_eq(unit_lookup_resolve(&l, "no-type", &res), -EINVAL);
}
END_TEST

START_TEST(test_linked_unit)
{
        _cleanup_(unit_lookup_done) UnitLookup l = {};
        _cleanup_(unit_lookup_result_done) UnitLookupResult res = {};

        put_file(root, "/opt/x.service", FIXTURE_UNIT);
        put_link(root, "/opt/x.service", "/etc/systemd/system/docker.service");
        resolve("docker.service", &l, &res);
        /* outside the search path: FragmentPath is the link itself */
        ck_assert_str_eq(res.fragment_path, "/etc/systemd/system/docker.service");
        ck_assert(!res.masked);
}
END_TEST

START_TEST(test_self_alias_skipped)
{
        _cleanup_(unit_lookup_done) UnitLookup l = {};
        _cleanup_(unit_lookup_result_done) UnitLookupResult res = {};

        put_file(root, "/lib/systemd/system/docker.service", FIXTURE_UNIT);
        put_link(root, "/lib/systemd/system/docker.service", "/etc/systemd/system/docker.service");
        resolve("docker.service", &l, &res);
        ck_assert_str_eq(res.fragment_path, "/lib/systemd/system/docker.service");
}
END_TEST

START_TEST(test_alias)
{
        _cleanup_(unit_lookup_done) UnitLookup l = {};
        _cleanup_(unit_lookup_result_done) UnitLookupResult res = {};
        _cleanup_free_ char *d = NULL;

        put_file(root, "/lib/systemd/system/docker.service", FIXTURE_UNIT);
        /* the alias names the target in /lib, but the name resolves again by priority */
        put_link(root, "/lib/systemd/system/docker.service", "/etc/systemd/system/moby.service");
        put_link(root, "moby.service", "/etc/systemd/system/engine.service"); /* two hops */
        put(root, "/etc/systemd/system/moby.service.d/10-x.conf", "[Service]\n");
        put(root, "/etc/systemd/system/docker.service.d/20-y.conf", "[Service]\n");
        resolve("engine.service", &l, &res);
        ck_assert_str_eq(res.fragment_path, "/lib/systemd/system/docker.service");
        d = joined(res.aliases);
        ck_assert_str_eq(d, "docker.service moby.service");
        free(d);
        d = joined(res.dropin_paths);
        ck_assert_str_eq(d, "/etc/systemd/system/moby.service.d/10-x.conf "
                            "/etc/systemd/system/docker.service.d/20-y.conf");
        unit_lookup_result_done(&res);

        /* an alias to another type is invalid and ignored */
        put_link(root, "docker.service", "/etc/systemd/system/bad.socket");
        ck_assert_int_eq(unit_lookup_resolve(&l, "bad.socket", &res), 0);
        ck_assert_ptr_null(res.fragment_path);
}
END_TEST

START_TEST(test_masks)
{
        _cleanup_(unit_lookup_done) UnitLookup l = {};
        _cleanup_(unit_lookup_result_done) UnitLookupResult res = {};

        put_file(root, "/lib/systemd/system/docker.service", FIXTURE_UNIT);
        /* dangling under root (no ROOT/dev/null): still a mask */
        put_link(root, "/dev/null", "/etc/systemd/system/docker.service");
        resolve("docker.service", &l, &res);
        ck_assert_str_eq(res.fragment_path, "/etc/systemd/system/docker.service");
        ck_assert(res.masked);
        unit_lookup_result_done(&res);

        put_file(root, "/lib/systemd/system/containerd.service", FIXTURE_UNIT);
        put(root, "/run/systemd/system/containerd.service", "");
        ck_assert_int_eq(unit_lookup_resolve(&l, "containerd.service", &res), 0);
        ck_assert_str_eq(res.fragment_path, "/run/systemd/system/containerd.service");
        ck_assert(res.masked);
}
END_TEST

START_TEST(test_template_instance)
{
        _cleanup_(unit_lookup_done) UnitLookup l = {};
        _cleanup_(unit_lookup_result_done) UnitLookupResult res = {};
        _cleanup_free_ char *d = NULL;

        put_file(root, "/lib/systemd/system/getty@.service", FIXTURE_UNIT);
        put(root, "/etc/systemd/system/getty@.service.d/a.conf", "[Service]\n");
        put(root, "/etc/systemd/system/getty@tty1.service.d/b.conf", "[Service]\n");
        resolve("getty@tty1.service", &l, &res);
        ck_assert_str_eq(res.fragment_path, "/lib/systemd/system/getty@.service");
        d = joined(res.dropin_paths);
        ck_assert_str_eq(d, "/etc/systemd/system/getty@.service.d/a.conf "
                            "/etc/systemd/system/getty@tty1.service.d/b.conf");
}
END_TEST

START_TEST(test_dropins_order_and_shadowing)
{
        _cleanup_(unit_lookup_done) UnitLookup l = {};
        _cleanup_(unit_lookup_result_done) UnitLookupResult res = {};
        _cleanup_free_ char *d = NULL;

        put_file(root, "/lib/systemd/system/docker.service", FIXTURE_UNIT);
        put(root, "/etc/systemd/system/docker.service.d/2-b.conf", "[Service]\nMountFlags=shared\n");
        put(root, "/run/systemd/system/docker.service.d/10-a.conf", "[Service]\nMountFlags=private\n");
        /* shadowed by /etc's 2-b.conf */
        put(root, "/lib/systemd/system/docker.service.d/2-b.conf", "[Service]\nMountFlags=slave\n");
        /* the name-specific /lib file beats the top-level /etc one of the same name */
        put(root, "/lib/systemd/system/docker.service.d/20-x.conf", "[Service]\n");
        put(root, "/etc/systemd/system/service.d/20-x.conf", "[Service]\nMountFlags=slave\n");
        put(root, "/etc/systemd/system/service.d/30-top.conf", "[Service]\nEnvironment=TOP=1\n");
        /* masked drop-in: listed, contributes nothing */
        put_link(root, "/dev/null", "/etc/systemd/system/docker.service.d/40-masked.conf");
        put(root, "/lib/systemd/system/docker.service.d/40-masked.conf", "[Service]\nMountFlags=slave\n");
        put(root, "/etc/systemd/system/docker.service.d/.hidden.conf", "[Service]\nMountFlags=slave\n");
        put(root, "/etc/systemd/system/docker.service.d/50-x.conf~", "[Service]\nMountFlags=slave\n");
        put(root, "/etc/systemd/system/docker.service.d/60-x.conf.dpkg-old", "[Service]\n");
        put(root, "/etc/systemd/system/docker.service.d/notes.txt", "x");
        resolve("docker.service", &l, &res);
        d = joined(res.dropin_paths);
        ck_assert_str_eq(d, "/run/systemd/system/docker.service.d/10-a.conf "
                            "/etc/systemd/system/docker.service.d/2-b.conf "
                            "/lib/systemd/system/docker.service.d/20-x.conf "
                            "/etc/systemd/system/service.d/30-top.conf "
                            "/etc/systemd/system/docker.service.d/40-masked.conf");
}
END_TEST

START_TEST(test_prefix_dropins)
{
        _cleanup_(unit_lookup_done) UnitLookup l = {};
        _cleanup_(unit_lookup_result_done) UnitLookupResult res = {};
        _cleanup_free_ char *d = NULL;

        put_file(root, "/lib/systemd/system/docker-foo-bar.service", FIXTURE_UNIT);
        put(root, "/etc/systemd/system/docker-.service.d/p1.conf", "[Service]\n");
        put(root, "/etc/systemd/system/docker-foo-.service.d/p1.conf",
                "[Service]\n"); /* more specific wins */
        put(root, "/etc/systemd/system/docker-foo-.service.d/p2.conf", "[Service]\n");
        put(root, "/etc/systemd/system/docker-foo-bar.service.d/p2.conf", "[Service]\n"); /* name dir wins */
        /* search directories come first: /etc's prefix dir beats /lib's name dir */
        put(root, "/lib/systemd/system/docker-foo-bar.service.d/p1.conf", "[Service]\n");
        put(root, "/etc/systemd/system/-.service.d/p3.conf", "[Service]\n"); /* never a prefix */
        resolve("docker-foo-bar.service", &l, &res);
        d = joined(res.dropin_paths);
        ck_assert_str_eq(d, "/etc/systemd/system/docker-foo-.service.d/p1.conf "
                            "/etc/systemd/system/docker-foo-bar.service.d/p2.conf");
        unit_lookup_result_done(&res);
        free(TAKE_PTR(d));

        /* docker.service has no dash: no prefix directories */
        put_file(root, "/lib/systemd/system/docker.service", FIXTURE_UNIT);
        ck_assert_int_eq(unit_lookup_resolve(&l, "docker.service", &res), 0);
        ck_assert(strv_isempty(res.dropin_paths));
}
END_TEST

START_TEST(test_symlinks_stay_in_root)
{
        _cleanup_(unit_lookup_done) UnitLookup l = {};
        _cleanup_(unit_lookup_result_done) UnitLookupResult res = {};
        _cleanup_free_ char *c = NULL, *d = NULL;

        /* ../../../../.. from inside root and absolute targets both stay inside */
        put(root, "/etc/passwd-inside", "x");
        put_link(root, "../../../../../../../../etc", "/etc/systemd/system/escape");
        ck_assert_int_eq(unit_lookup_chase(root, "/etc/systemd/system/escape/passwd-inside", &c), 0);
        ck_assert_str_eq(c, "/etc/passwd-inside");
        free(TAKE_PTR(c));
        ck_assert_int_eq(unit_lookup_chase(root, "/etc/systemd/system/escape/../../..", &c), 0);
        ck_assert_str_eq(c, "/");

        /* a drop-in directory linked to an absolute path is resolved inside root */
        put_file(root, "/lib/systemd/system/docker.service", FIXTURE_UNIT);
        put(root, "/srv/dropins/50-x.conf", "[Service]\nMountFlags=slave\n");
        put_link(root, "/srv/dropins", "/etc/systemd/system/docker.service.d");
        resolve("docker.service", &l, &res);
        d = joined(res.dropin_paths);
        ck_assert_str_eq(d, "/srv/dropins/50-x.conf");
}
END_TEST

START_TEST(test_hidden_backup)
{
        ck_assert(unit_hidden_or_backup(".x.conf"));
        ck_assert(unit_hidden_or_backup("x.conf~"));
        ck_assert(unit_hidden_or_backup("x.conf.rpmnew"));
        ck_assert(!unit_hidden_or_backup("x.conf"));
        ck_assert(unit_name_valid("docker.service"));
        ck_assert(unit_name_valid("getty@tty1.service"));
        ck_assert(unit_name_valid("getty@.service"));
        ck_assert(!unit_name_valid("@x.service"));
        ck_assert(!unit_name_valid("docker.servic"));
        ck_assert(!unit_name_valid("a b.service"));
        ck_assert(!unit_name_valid("a@b@c.service"));
}
END_TEST

/* More names than the map's first allocation, spread over three directories with names of
 * higher directories sorting before, between and after the lower ones: each name resolves
 * to its first directory, and the aliases of one are found among all the others. */
START_TEST(test_map_many_names)
{
        _cleanup_(unit_lookup_done) UnitLookup l = {};
        _cleanup_(unit_lookup_result_done) UnitLookupResult res = {};
        _cleanup_free_ char *d = NULL;
        char name[64], path[128];

        for (int i = 0; i < 300; i++) {
                snprintf(path, sizeof path, "/lib/systemd/system/u%03d.service", i);
                put(root, path, "[Service]\nExecStart=/bin/true\n");
                if (i % 2 == 0) {
                        snprintf(path, sizeof path, "/etc/systemd/system/u%03d.service", i);
                        put(root, path, "[Service]\nExecStart=/bin/true\n");
                }
                if (i % 3 == 0) {
                        snprintf(path, sizeof path, "/run/systemd/system/u%03d.service", i);
                        put(root, path, "[Service]\nExecStart=/bin/true\n");
                }
        }
        put_link(root, "u007.service", "/etc/systemd/system/zz-alias.service");
        put_link(root, "/lib/systemd/system/u007.service", "/run/systemd/system/aa-alias.service");
        put_link(root, "../../../lib/systemd/system/u007.service", "/lib/systemd/system/mid-alias.service");
        ck_assert_int_eq(unit_lookup_init(&l, root, false, sys_env), 0);
        for (int i = 0; i < 300; i++) {
                snprintf(name, sizeof name, "u%03d.service", i);
                ck_assert_int_eq(unit_lookup_resolve(&l, name, &res), 0);
                snprintf(path, sizeof path, "/%s/systemd/system/%s",
                        i % 2 == 0   ? "etc"
                        : i % 3 == 0 ? "run"
                                     : "lib",
                        name);
                ck_assert_str_eq(res.fragment_path, path);
                unit_lookup_result_done(&res);
        }
        ck_assert_int_eq(unit_lookup_resolve(&l, "aa-alias.service", &res), 0);
        ck_assert_str_eq(res.fragment_path, "/lib/systemd/system/u007.service");
        d = joined(res.aliases);
        ck_assert_str_eq(d, "mid-alias.service u007.service zz-alias.service");
        unit_lookup_result_done(&res);
        ck_assert_int_eq(unit_lookup_resolve(&l, "u300.service", &res), 0);
        ck_assert_ptr_null(res.fragment_path);
}
END_TEST

/* The type of a directory entry: d_type when the file system gives one, the entry's own
 * lstat() when it says DT_UNKNOWN. */
START_TEST(test_entry_type)
{
        _cleanup_free_ char *dir = path_in(root, "/d");
        int fd;

        put(root, "/d/file.service", "x");
        put_link(root, "file.service", "/d/link.service");
        put_link(root, "/nowhere", "/d/dangling.service");
        put(root, "/d/sub.service/x", "x");
        fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ck_assert_int_ge(fd, 0);
        ck_assert_uint_eq(unit_lookup_entry_type(fd, "file.service", DT_UNKNOWN), DT_REG);
        ck_assert_uint_eq(unit_lookup_entry_type(fd, "link.service", DT_UNKNOWN), DT_LNK);
        ck_assert_uint_eq(unit_lookup_entry_type(fd, "dangling.service", DT_UNKNOWN), DT_LNK);
        ck_assert_uint_eq(unit_lookup_entry_type(fd, "sub.service", DT_UNKNOWN), DT_DIR);
        ck_assert_uint_eq(unit_lookup_entry_type(fd, "missing.service", DT_UNKNOWN), DT_UNKNOWN);
        /* a known d_type is taken as it is, without a look at the file */
        ck_assert_uint_eq(unit_lookup_entry_type(fd, "missing.service", DT_REG), DT_REG);
        close(fd);
}
END_TEST

/* What is neither a regular file nor a symlink is no unit file: a lower one still counts. */
START_TEST(test_non_file_entries)
{
        _cleanup_(unit_lookup_done) UnitLookup l = {};
        _cleanup_(unit_lookup_result_done) UnitLookupResult res = {};

        put_file(root, "/lib/systemd/system/docker.service", FIXTURE_UNIT);
        put(root, "/etc/systemd/system/docker.service/x", "x"); /* a directory */
        resolve("docker.service", &l, &res);
        ck_assert_str_eq(res.fragment_path, "/lib/systemd/system/docker.service");
}
END_TEST

/* /lib a symlink to usr/lib (merged /usr): /lib/systemd/system comes first and names the
 * fragment, drop-in directories are listed by their canonical paths, once each. A drop-in
 * "directory" that is a file, or a link to one, is no directory; a relative link to one is. */
START_TEST(test_symlinked_search_dir)
{
        _cleanup_(unit_lookup_done) UnitLookup l = {};
        _cleanup_(unit_lookup_result_done) UnitLookupResult res = {};
        _cleanup_free_ char *d = NULL;

        put_file(root, "/usr/lib/systemd/system/docker.service", FIXTURE_UNIT);
        put_link(root, "usr/lib", "/lib");
        put_link(root, "docker.service", "/usr/lib/systemd/system/moby.service");
        put(root, "/usr/lib/systemd/system/docker.service.d/a.conf", "[Service]\n");
        put(root, "/usr/lib/systemd/system/moby.service.d/b.conf", "[Service]\n");
        put(root, "/srv/d/c.conf", "[Service]\n");
        put_link(root, "../../../srv/d", "/etc/systemd/system/docker.service.d");
        put(root, "/srv/file", "[Service]\n");
        put_link(root, "/srv/file", "/run/systemd/system/docker.service.d");
        put(root, "/run/systemd/transient/docker.service.d", "[Service]\n");
        resolve("docker.service", &l, &res);
        ck_assert_str_eq(res.fragment_path, "/lib/systemd/system/docker.service");
        d = joined(res.aliases);
        ck_assert_str_eq(d, "moby.service");
        free(TAKE_PTR(d));
        d = joined(res.dropin_paths);
        ck_assert_str_eq(d, "/usr/lib/systemd/system/docker.service.d/a.conf "
                            "/usr/lib/systemd/system/moby.service.d/b.conf /srv/d/c.conf");
}
END_TEST

/* An instance's own file beats the template; another instance falls back to it. */
START_TEST(test_instance_own_file)
{
        _cleanup_(unit_lookup_done) UnitLookup l = {};
        _cleanup_(unit_lookup_result_done) UnitLookupResult res = {};

        put_file(root, "/lib/systemd/system/getty@.service", FIXTURE_UNIT);
        put_file(root, "/lib/systemd/system/getty@tty2.service", FIXTURE_UNIT);
        resolve("getty@tty2.service", &l, &res);
        ck_assert_str_eq(res.fragment_path, "/lib/systemd/system/getty@tty2.service");
        unit_lookup_result_done(&res);
        ck_assert_int_eq(unit_lookup_resolve(&l, "getty@tty3.service", &res), 0);
        ck_assert_str_eq(res.fragment_path, "/lib/systemd/system/getty@.service");
}
END_TEST

/* Whether a name may have a fragment, from the entries of the search directories alone; a
 * name without one still has its drop-ins listed (unit_files_moved() compares them). */
START_TEST(test_may_exist)
{
        _cleanup_(unit_lookup_done) UnitLookup l = {};
        _cleanup_(unit_lookup_result_done) UnitLookupResult res = {};
        _cleanup_free_ char *d = NULL;

        put(root, "/etc/systemd/system/kubelet.service.d/10-kubeadm.conf", "[Service]\n");
        put_file(root, "/lib/systemd/system/getty@.service", FIXTURE_UNIT);
        put(root, "/run/systemd/system/dir.service/x", "x");
        ck_assert_int_eq(unit_lookup_init(&l, root, false, sys_env), 0);
        ck_assert_int_eq(unit_lookup_may_exist(&l, "kubelet.service"), 0);
        ck_assert_int_eq(unit_lookup_may_exist(&l, "getty@.service"), 1);
        ck_assert_int_eq(unit_lookup_may_exist(&l, "getty@tty1.service"), 1);
        ck_assert_int_eq(unit_lookup_may_exist(&l, "other@tty1.service"), 0);
        ck_assert_int_eq(unit_lookup_may_exist(&l, "dir.service"), 1); /* an entry, if no file */
        ck_assert_int_eq(unit_lookup_may_exist(&l, "no-type"), -EINVAL);

        ck_assert_int_eq(unit_lookup_resolve(&l, "kubelet.service", &res), 0);
        ck_assert_ptr_null(res.fragment_path);
        ck_assert(strv_isempty(res.aliases));
        d = joined(res.dropin_paths);
        ck_assert_str_eq(d, "/etc/systemd/system/kubelet.service.d/10-kubeadm.conf");
        unit_lookup_result_done(&res);
        ck_assert_int_eq(unit_lookup_resolve(&l, "dir.service", &res), 0);
        ck_assert_ptr_null(res.fragment_path);
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("unit_lookup");
        TCase *tc = tcase_create("core");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_search_path_system);
        tcase_add_test(tc, test_search_path_user);
        tcase_add_test(tc, test_fragment_precedence);
        tcase_add_test(tc, test_not_found);
        tcase_add_test(tc, test_linked_unit);
        tcase_add_test(tc, test_self_alias_skipped);
        tcase_add_test(tc, test_alias);
        tcase_add_test(tc, test_masks);
        tcase_add_test(tc, test_template_instance);
        tcase_add_test(tc, test_dropins_order_and_shadowing);
        tcase_add_test(tc, test_prefix_dropins);
        tcase_add_test(tc, test_symlinks_stay_in_root);
        tcase_add_test(tc, test_hidden_backup);
        tcase_add_test(tc, test_map_many_names);
        tcase_add_test(tc, test_entry_type);
        tcase_add_test(tc, test_non_file_entries);
        tcase_add_test(tc, test_symlinked_search_dir);
        tcase_add_test(tc, test_instance_own_file);
        tcase_add_test(tc, test_may_exist);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
