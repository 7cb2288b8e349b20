/* SPDX-License-Identifier: MIT */
/* The unit as systemd would load it from the files of an offline root (src/systemd/unit-offline.c),
 * against fake roots built in temp dirs. */
#include <check.h>

#include "check-run.h"
#include "test-util.h"
#include <fcntl.h>
#include <sys/stat.h>

#include "systemd/unit-offline.h"

#define FIXTURE_UNIT FIXTURES "/units/docker-ce-packaging-20.10-docker.service"
#define HAXOROF FIXTURES "/units/dropins/haxorof-mountflags-slave.conf"

static char root[64];

static void setup(void)
{
        tmpdir_make(root, sizeof root, "unit-offline");
}

static void teardown(void)
{
        rm_rf(root);
}

static char *const sys_env[] = {NULL};

START_TEST(test_fragment_link_stays_in_root)
{
        _cleanup_(unit_info_done) UnitInfo u = {};

        /* a fragment linked to /etc/hostname of the host would escape: resolved in root instead */
        put(root, "/etc/hostname", "[Service]\nExecStart=/bin/inside\n");
        put_link(root, "/etc/hostname", "/etc/systemd/system/esc.service");
        ck_assert_int_eq(unit_info_read_offline_env(root, false, "esc.service", sys_env, &u, NULL, NULL), 0);
        ck_assert_str_eq(u.load_state, "loaded");
        ck_assert_uint_eq(u.n_exec_start, 1);
        ck_assert_str_eq(u.exec_start[0].path, "/bin/inside");
}
END_TEST

START_TEST(test_offline_info)
{
        _cleanup_(unit_info_done) UnitInfo u = {};
        _cleanup_(unit_settings_done) UnitSettings s = {};
        _cleanup_free_ char *err = NULL;

        put_file(root, "/lib/systemd/system/docker.service", FIXTURE_UNIT);
        put_file(root, "/etc/systemd/system/docker.service.d/mountflags-slave.conf", HAXOROF);
        put(root, "/etc/systemd/system/docker.service.d/override.conf",
                "[Service]\nExecStart=\nExecStart=/usr/bin/dockerd -H fd:// --live-restore\n"
                "Environment=\"A=x y\" B=%n\nEnvironmentFile=-/etc/default/docker\n");
        put(root, "/var/lib/dpkg/status",
                "Package: udev\nVersion: 1\n\nPackage: systemd\nStatus: install ok\n"
                "Version: 252.39-1~deb12u1\n\n");
        ck_assert_int_eq(
                unit_info_read_offline_env(root, false, "docker.service", sys_env, &u, &s, &err), 0);
        ck_assert_str_eq(u.load_state, "loaded");
        ck_assert_str_eq(u.active_state, "inactive");
        ck_assert_str_eq(u.fragment_path, "/lib/systemd/system/docker.service");
        ck_assert_uint_eq(strv_length(u.dropin_paths), 2);
        ck_assert_uint_eq(u.mount_flags, MOUNT_FLAGS_SLAVE);
        ck_assert_uint_eq(u.n_exec_start, 1);
        ck_assert_str_eq(u.exec_start[0].argv[3], "--live-restore");
        ck_assert_str_eq(u.environment[0], "A=x y");
        ck_assert_str_eq(u.environment[1], "B=docker.service");
        ck_assert_uint_eq(u.n_environment_files, 1);
        ck_assert_str_eq(u.environment_files[0].path, "/etc/default/docker");
        ck_assert(u.environment_files[0].ignore_missing);
        ck_assert_str_eq(u.manager_version, "252.39-1~deb12u1");
        ck_assert(u.offline);
        ck_assert_int_eq(u.main_pid, 0);
        /* file:line of the value, named as inside the image */
        ck_assert_str_eq(s.mount_flags_file, "/etc/systemd/system/docker.service.d/mountflags-slave.conf");
        unit_info_done(&u);

        /* no ExecStart= reset: two commands without Type=oneshot */
        put(root, "/etc/systemd/system/docker.service.d/override.conf", "[Service]\nExecStart=/bin/true\n");
        ck_assert_int_eq(
                unit_info_read_offline_env(root, false, "docker.service", sys_env, &u, NULL, &err), 0);
        ck_assert_str_eq(u.load_state, "bad-setting");
        ck_assert_ptr_nonnull(u.load_error);
        unit_info_done(&u);

        ck_assert_int_eq(
                unit_info_read_offline_env(root, false, "nope.service", sys_env, &u, NULL, &err), 0);
        ck_assert_str_eq(u.load_state, "not-found");
        ck_assert_str_eq(u.fragment_path, "");
        unit_info_done(&u);

        put_link(root, "/dev/null", "/etc/systemd/system/docker.service");
        ck_assert_int_eq(
                unit_info_read_offline_env(root, false, "docker.service", sys_env, &u, NULL, &err), 0);
        ck_assert_str_eq(u.load_state, "masked");
        /* drop-ins are still parsed for a masked unit */
        ck_assert_uint_eq(u.mount_flags, MOUNT_FLAGS_SLAVE);
}
END_TEST

/* systemd's version from dpkg's status file: the Version: of the stanza whose Package: is
 * systemd (blanks around the name allowed), not one of a later stanza, not a look-alike's. */
START_TEST(test_manager_version_dpkg)
{
        _cleanup_free_ char *v = NULL;

        put(root, "/var/lib/dpkg/status",
                "Package: systemd-sysv\nVersion: 9\n\nPackage: systemd\nStatus: install ok\n\n"
                "Package: udev\nVersion: 8\n");
        ck_assert_int_eq(unit_offline_manager_version(root, &v), 0);
        ck_assert_ptr_null(v);
        put(root, "/var/lib/dpkg/status",
                "Package: systemd \r\nStatus: install ok\n\n\nVersion:  252.1 \r\nPackage: udev\n");
        ck_assert_int_eq(unit_offline_manager_version(root, &v), 0);
        ck_assert_str_eq(v, "252.1");
        free(TAKE_PTR(v));
        put(root, "/var/lib/dpkg/status",
                "Version: 1\nPackage: systemd\nXVersion: 2\n Version: 3\nVersion: 4");
        ck_assert_int_eq(unit_offline_manager_version(root, &v), 0);
        ck_assert_str_eq(v, "4");
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("unit_offline");
        TCase *tc = tcase_create("core");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_fragment_link_stays_in_root);
        tcase_add_test(tc, test_offline_info);
        tcase_add_test(tc, test_manager_version_dpkg);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
