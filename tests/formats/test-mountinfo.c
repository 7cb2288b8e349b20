/* SPDX-License-Identifier: MIT */
/* mountinfo.c: the kernel's escapes, real tables (this host, util-linux's test tables) and a
 * field-by-field comparison with libmount, the reference parser. */
#include <check.h>

#include "check-run.h"
#include <libmount.h>
#include <sys/sysmacros.h>

#include "formats/mountinfo.h"

#define FX FIXTURES "/mountinfo/"

START_TEST(test_unescape)
{
        static const struct {
                const char *in, *out;
        } t[] = {
                {"/a\\040b", "/a b"},
                {"tab\\011x", "tab\tx"},
                {"nl\\012x", "nl\nx"},
                {"back\\134slash", "back\\slash"},
                {"\\134\\134", "\\\\"},
                {"\\000", "\\000"}, /* would cut the string */
                {"\\777", "\\777"}, /* not a byte */
                {"\\08x", "\\08x"}, /* 8 is not octal */
                {"end\\04", "end\\04"},
                {"end\\", "end\\"},
                {"", ""},
        };

        for (size_t i = 0; i < ELEMENTSOF(t); i++) {
                char *s = mountinfo_unescape(t[i].in, strlen(t[i].in));

                ck_assert_ptr_nonnull(s);
                ck_assert_str_eq(s, t[i].out);
                free(s);
        }
}
END_TEST

START_TEST(test_parse_line)
{
        const char *l = "49 20 0:56 /sub\\040dir /mnt/test/foo\\011bar rw,relatime shared:323 master:7 - "
                        "tmpfs src\\040x "
                        "rw,size=64k";
        MountEntry e = {};
        char *err = NULL;

        ck_assert_int_eq(mountinfo_parse_line(l, strlen(l), &e, &err), 0);
        ck_assert_int_eq(e.mount_id, 49);
        ck_assert_int_eq(e.parent_id, 20);
        ck_assert_uint_eq(e.major, 0);
        ck_assert_uint_eq(e.minor, 56);
        ck_assert_str_eq(e.root, "/sub dir");
        ck_assert_str_eq(e.mount_point, "/mnt/test/foo\tbar");
        ck_assert_str_eq(e.options, "rw,relatime");
        ck_assert_uint_eq(e.shared, 323);
        ck_assert_uint_eq(e.master, 7);
        ck_assert_str_eq(e.fstype, "tmpfs");
        ck_assert_str_eq(e.source, "src x");
        ck_assert_str_eq(e.super_options, "rw,size=64k");
        mount_entry_done(&e);

        l = "21 20 0:53 / /mnt/test rw,relatime - tmpfs  rw"; /* empty source */
        ck_assert_int_eq(mountinfo_parse_line(l, strlen(l), &e, &err), 0);
        ck_assert_str_eq(e.source, "");
        ck_assert_str_eq(e.super_options, "rw");
        ck_assert_uint_eq(e.shared, 0);
        mount_entry_done(&e);
}
END_TEST

START_TEST(test_parse_bad)
{
        static const char *const bad[] = {
                "", "49 20 0:56 / /mnt rw", /* no separator */
                "49 20 0:56 / /mnt rw shared:1", /* no separator */
                "x 20 0:56 / /mnt rw - tmpfs t rw", /* id */
                "49 20 056 / /mnt rw - tmpfs t rw", /* major:minor */
                "49 20 0:56 / /mnt rw - tmpfs", /* fields after - */
                "49 20 0:56 / /mnt rw -", /* fields after - */
                "4999999999 20 0:56 / /mnt rw - tmpfs t rw", /* overflow */
                "49 20 0:56  /mnt rw - tmpfs t rw", /* empty root */
        };

        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                MountEntry e = {};
                char *err = NULL;

                ck_assert_msg(
                        mountinfo_parse_line(bad[i], strlen(bad[i]), &e, &err) == -EBADMSG, "%s", bad[i]);
                ck_assert_ptr_nonnull(err);
                free(err);
        }
}
END_TEST

START_TEST(test_parse_error_location)
{
        const char *t = "15 20 0:3 / /proc rw,relatime - proc /proc rw\n16 20 0:15 / /sys rw\n";
        MountTable tb = {};
        char *err = NULL;

        ck_assert_int_eq(mountinfo_parse(t, strlen(t), "/proc/7/mountinfo", NULL, &tb, &err), -EBADMSG);
        ck_assert_ptr_nonnull(strstr(err, "/proc/7/mountinfo:2: "));
        free(err);
}
END_TEST

static const MountEntry *find(const MountTable *t, const char *mp)
{
        for (size_t i = 0; i < t->n; i++)
                if (streq(t->v[i].mount_point, mp))
                        return &t->v[i];
        return NULL;
}

START_TEST(test_this_host_fixture)
{
        const char *d = "/tmp/dockaudit-mi-fixture";
        MountTable t = {};
        const MountEntry *e;
        char path[256];
        char *err = NULL;

        ck_assert_int_eq(mountinfo_read(FX "this-host-escapes.mountinfo", NULL, &t, &err), 0);
        ck_assert_uint_eq(t.n, 27);
        snprintf(path, sizeof path, "%s/a b", d);
        ck_assert_ptr_nonnull(e = find(&t, path));
        ck_assert_str_eq(e->source, "src with space");
        snprintf(path, sizeof path, "%s/tab\there", d);
        ck_assert_ptr_nonnull(find(&t, path));
        snprintf(path, sizeof path, "%s/nl\nthere", d);
        ck_assert_ptr_nonnull(find(&t, path));
        snprintf(path, sizeof path, "%s/back\\slash", d);
        ck_assert_ptr_nonnull(e = find(&t, path));
        ck_assert_str_eq(e->source, "tmp\\fs");
        snprintf(path, sizeof path, "%s/src dir", d);
        ck_assert_ptr_nonnull(e = find(&t, path));
        ck_assert_str_eq(e->root, "/sub dir");
        snprintf(path, sizeof path, "%s/lib/docker/containers/c1/mounts/shm", d);
        ck_assert_ptr_nonnull(e = find(&t, path));
        ck_assert_uint_eq(e->shared, 3);
        ck_assert_str_eq(e->super_options, "rw,size=64k");
        mount_table_done(&t);

        /* Only what is under the Docker-like root, and on a component boundary. */
        snprintf(path, sizeof path, "%s/lib/docker", d);
        ck_assert_int_eq(mountinfo_read(FX "this-host-escapes.mountinfo", path, &t, &err), 0);
        ck_assert_uint_eq(t.n, 2);
        ck_assert_str_eq(t.v[0].fstype, "overlay");
        mount_table_done(&t);
        snprintf(path, sizeof path, "%s/lib/dock", d);
        ck_assert_int_eq(mountinfo_read(FX "this-host-escapes.mountinfo", path, &t, &err), 0);
        ck_assert_uint_eq(t.n, 0);
        mount_table_done(&t);
        /* an "under" with a space cannot use the raw prefilter */
        snprintf(path, sizeof path, "%s/a b", d);
        ck_assert_int_eq(mountinfo_read(FX "this-host-escapes.mountinfo", path, &t, &err), 0);
        ck_assert_uint_eq(t.n, 1);
        mount_table_done(&t);
}
END_TEST

START_TEST(test_path_is_under)
{
        ck_assert(path_is_under("/var/lib/docker/x", "/var/lib/docker"));
        ck_assert(path_is_under("/var/lib/docker", "/var/lib/docker/"));
        ck_assert(!path_is_under("/var/lib/dockerx", "/var/lib/docker"));
        ck_assert(!path_is_under("/var/lib", "/var/lib/docker"));
        ck_assert(path_is_under("/anything", "/"));
}
END_TEST

/* Our table and libmount's must agree on every field both have. libmount strips a
 * " (deleted)" suffix from the target (and marks the fs deleted); we keep the kernel's text. */
static void compare_with_libmount(const char *path)
{
        struct libmnt_table *tb = mnt_new_table();
        struct libmnt_iter *itr = mnt_new_iter(MNT_ITER_FORWARD);
        struct libmnt_fs *fs;
        MountTable t = {};
        char *err = NULL;
        size_t i = 0;

        ck_assert_ptr_nonnull(tb);
        ck_assert_ptr_nonnull(itr);
        ck_assert_int_eq(mnt_table_parse_file(tb, path), 0);
        ck_assert_msg(mountinfo_read(path, NULL, &t, &err) == 0, "%s: %s", path, err);
        ck_assert_uint_eq(t.n, (size_t) mnt_table_get_nents(tb));
        while (mnt_table_next_fs(tb, itr, &fs) == 0) {
                const MountEntry *e = &t.v[i++];
                const char *target = mnt_fs_get_target(fs);
                dev_t dev = mnt_fs_get_devno(fs);

                ck_assert_int_eq(e->mount_id, mnt_fs_get_id(fs));
                ck_assert_int_eq(e->parent_id, mnt_fs_get_parent_id(fs));
                ck_assert_uint_eq(e->major, major(dev));
                ck_assert_uint_eq(e->minor, minor(dev));
                ck_assert_str_eq(e->root, mnt_fs_get_root(fs));
                if (!streq(e->mount_point, target)) {
                        char *del = strdupf("%s (deleted)", target);

                        ck_assert_msg(streq(e->mount_point, del), "%s: [%s] vs libmount [%s]", path,
                                e->mount_point, target);
                        free(del);
                }
                ck_assert_str_eq(e->fstype, mnt_fs_get_fstype(fs));
                ck_assert_str_eq(e->source, strempty(mnt_fs_get_source(fs)));
                ck_assert_str_eq(e->options, mnt_fs_get_vfs_options(fs));
        }
        mount_table_done(&t);
        mnt_free_iter(itr);
        mnt_unref_table(tb);
}

START_TEST(test_libmount_fixtures)
{
        compare_with_libmount(FX "this-host-escapes.mountinfo");
        compare_with_libmount(FX "util-linux-mountinfo");
        compare_with_libmount(FX "util-linux-mountinfo_nosrc");
}
END_TEST

START_TEST(test_libmount_live)
{
        /* This host's own table, whatever is mounted right now. */
        compare_with_libmount("/proc/self/mountinfo");
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("mountinfo");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_unescape);
        tcase_add_test(tc, test_parse_line);
        tcase_add_test(tc, test_parse_bad);
        tcase_add_test(tc, test_parse_error_location);
        tcase_add_test(tc, test_this_host_fixture);
        tcase_add_test(tc, test_path_is_under);
        tcase_add_test(tc, test_libmount_fixtures);
        tcase_add_test(tc, test_libmount_live);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
