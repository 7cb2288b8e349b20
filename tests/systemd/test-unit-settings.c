/* SPDX-License-Identifier: MIT */
/* The [Service] settings applied file by file, service_verify(), and loading the files by path
 * (src/systemd/unit-settings.c). */
#include <check.h>

#include "check-run.h"
#include <sys/stat.h>

#include "systemd/unit-settings.h"

static const SpecifierContext spec = {
        .unit_name = "docker.service",
        .runtime_dir = "/run",
        .home = "/root",
};

static void settings_donep(UnitSettings *s)
{
        unit_settings_done(s);
}
#define _cleanup_settings_ _cleanup_(settings_donep)

static void apply(UnitSettings *s, const char *path, const char *text, bool dropin)
{
        _cleanup_unit_file_ UnitFile *f = NULL;

        ck_assert_int_eq(unit_file_parse(path, text, strlen(text), &f), 0);
        ck_assert_int_eq(unit_settings_apply(s, f, dropin), 0);
}

static void apply_fixture(UnitSettings *s, const char *name, bool dropin)
{
        _cleanup_free_ char *p = strdupf("%s/units/%s", FIXTURES, name);
        _cleanup_unit_file_ UnitFile *f = NULL;

        ck_assert_int_eq(unit_file_load(p, &f), 0);
        ck_assert_int_eq(unit_settings_apply(s, f, dropin), 0);
}

static bool has_prefix(char **l, const char *prefix)
{
        for (; l && *l; l++)
                if (startswith(*l, prefix))
                        return true;
        return false;
}

#define FRAG "/lib/systemd/system/docker.service"
#define DROP "/etc/systemd/system/docker.service.d/override.conf"
#define DROP2 "/etc/systemd/system/docker.service.d/zz.conf"

START_TEST(test_mount_flags_strings)
{
        unsigned long long f = 99;

        ck_assert_str_eq(mount_flags_to_string(0), "");
        ck_assert_str_eq(mount_flags_to_string(1048576), "shared");
        ck_assert_str_eq(mount_flags_to_string(524288), "slave");
        ck_assert_str_eq(mount_flags_to_string(262144), "private");
        ck_assert_ptr_null(mount_flags_to_string(3));
        ck_assert_int_eq(mount_flags_from_string("", &f), 0);
        ck_assert_uint_eq(f, 0);
        ck_assert_int_eq(mount_flags_from_string("slave", &f), 0);
        ck_assert_uint_eq(f, 524288);
        ck_assert_int_eq(mount_flags_from_string("shared", &f), 0);
        ck_assert_uint_eq(f, MOUNT_FLAGS_SHARED);
        ck_assert_int_eq(mount_flags_from_string("private", &f), 0);
        ck_assert_uint_eq(f, MOUNT_FLAGS_PRIVATE);
        ck_assert_int_eq(mount_flags_from_string("SHARED", &f), -EINVAL);
        ck_assert_int_eq(mount_flags_from_string(" slave", &f), -EINVAL);
        ck_assert_int_eq(mount_flags_from_string("bogus", &f), -EINVAL);
        ck_assert_uint_eq(f, MOUNT_FLAGS_PRIVATE);
}
END_TEST

START_TEST(test_mount_flags_reset)
{
        _cleanup_settings_ UnitSettings s = {};

        unit_settings_init(&s, &spec);
        apply(&s, FRAG, "[Service]\nExecStart=/usr/bin/dockerd\nMountFlags=slave\nMountFlags=\n", false);
        ck_assert_uint_eq(s.mount_flags, 0);
        ck_assert_ptr_null(s.mount_flags_file);
        ck_assert_uint_eq(s.mount_flags_line, 0);
        ck_assert(strv_isempty(s.warnings));
}
END_TEST

START_TEST(test_mount_flags_bad_keeps_old)
{
        _cleanup_settings_ UnitSettings s = {};

        unit_settings_init(&s, &spec);
        apply(&s, FRAG, "[Service]\nMountFlags=slave\nMountFlags=SHARED\nMountFlags=bogus\n", false);
        ck_assert_uint_eq(s.mount_flags, MOUNT_FLAGS_SLAVE);
        ck_assert_str_eq(s.mount_flags_file, FRAG);
        ck_assert_uint_eq(s.mount_flags_line, 2);
        ck_assert_uint_eq(strv_length(s.warnings), 2);
        ck_assert_str_eq(s.warnings[0], FRAG ":3: Failed to parse mount flag SHARED, ignoring.");
        ck_assert_str_eq(s.load_state, "loaded");
}
END_TEST

START_TEST(test_mount_flags_dropin_wins)
{
        _cleanup_settings_ UnitSettings s = {};

        unit_settings_init(&s, &spec);
        apply_fixture(&s, "moby-v1.11.2-docker.service", false);
        ck_assert_uint_eq(s.mount_flags, MOUNT_FLAGS_SLAVE);
        ck_assert(endswith(s.mount_flags_file, "/units/moby-v1.11.2-docker.service"));
        ck_assert_uint_eq(s.mount_flags_line, 13);
        apply(&s, DROP, "[Service]\nMountFlags=shared\n", true);
        ck_assert_uint_eq(s.mount_flags, MOUNT_FLAGS_SHARED);
        ck_assert_str_eq(s.mount_flags_file, DROP);
        ck_assert_uint_eq(s.mount_flags_line, 2);
        /* a section-less assignment at the top of a drop-in is dropped */
        apply(&s, DROP2, "MountFlags=slave\n", true);
        ck_assert_uint_eq(s.mount_flags, MOUNT_FLAGS_SHARED);
        ck_assert(has_prefix(s.warnings, DROP2 ":1: Assignment outside of section"));
        ck_assert_int_eq(unit_settings_finish(&s), 0);
        ck_assert_str_eq(s.load_state, "loaded");
}
END_TEST

START_TEST(test_fixture_with_haxorof_dropin)
{
        _cleanup_settings_ UnitSettings s = {};

        unit_settings_init(&s, &spec);
        apply_fixture(&s, "moby-v1.12.0-docker.service", false);
        ck_assert_uint_eq(s.mount_flags, 0);
        apply_fixture(&s, "dropins/haxorof-mountflags-slave.conf", true);
        ck_assert_uint_eq(s.mount_flags, MOUNT_FLAGS_SLAVE);
        ck_assert(endswith(s.mount_flags_file, "/units/dropins/haxorof-mountflags-slave.conf"));
        ck_assert_uint_eq(s.mount_flags_line, 3);
        ck_assert_int_eq(unit_settings_finish(&s), 0);
        ck_assert_str_eq(s.load_state, "loaded");
        ck_assert_str_eq(s.type, "notify");
        ck_assert_uint_eq(s.n_exec_start, 1);
        ck_assert_str_eq(s.exec_start[0].path, "/usr/bin/dockerd");
}
END_TEST

START_TEST(test_fixture_units_load)
{
        static const char *const names[] = {
                "moby-v1.5.0-docker.service",
                "moby-v1.11.2-docker.service",
                "moby-v1.12.0-docker.service",
                "moby-v1.12.0-docker.service.rpm",
                "moby-v17.03.0-ce-docker.service",
                "moby-master-b985e23-docker.service",
                "docker-ce-packaging-v17.06.0-ce-rpm-docker.service",
                "docker-ce-packaging-v18.03.1-ce-deb-docker.service",
                "docker-ce-packaging-18.09-docker.service",
                "docker-ce-packaging-20.10-docker.service",
                "centos-virt7-docker-2-1.13.1-2-docker.service",
                "ubuntu-focal-docker.io-20.10.21-docker.io.docker.service",
        };

        for (size_t i = 0; i < ELEMENTSOF(names); i++) {
                _cleanup_settings_ UnitSettings s = {};

                unit_settings_init(&s, &spec);
                apply_fixture(&s, names[i], false);
                ck_assert_int_eq(unit_settings_finish(&s), 0);
                ck_assert_msg(streq(s.load_state, "loaded"), "%s: %s", names[i], s.load_state);
                ck_assert_uint_eq(s.n_exec_start, 1);
                ck_assert(strv_isempty(s.errors));
        }
}
END_TEST

START_TEST(test_fixture_centos)
{
        _cleanup_settings_ UnitSettings s = {};
        const ExecCommand *c;
        const EnvVar *v;

        unit_settings_init(&s, &spec);
        apply_fixture(&s, "centos-virt7-docker-2-1.13.1-2-docker.service", false);
        ck_assert_int_eq(unit_settings_finish(&s), 0);
        ck_assert_str_eq(s.load_state, "loaded");
        ck_assert_uint_eq(s.mount_flags, 0);
        ck_assert_uint_eq(s.n_environment_files, 3);
        ck_assert_str_eq(s.environment_files[0].path, "/etc/sysconfig/docker");
        ck_assert(s.environment_files[0].ignore_missing);
        ck_assert_uint_eq(s.environment_files[0].line, 10);
        ck_assert_str_eq(s.environment_files[2].path, "/etc/sysconfig/docker-network");
        v = env_block_get(&s.environment, "GOTRACEBACK");
        ck_assert_ptr_nonnull(v);
        ck_assert_str_eq(v->value, "crash");
        ck_assert_uint_eq(v->line, 13);
        c = &s.exec_start[0];
        ck_assert_str_eq(c->path, "/usr/bin/dockerd-current");
        ck_assert_uint_eq(c->line, 14);
        ck_assert_uint_eq(strv_length(c->argv), 17);
        ck_assert_str_eq(c->argv[11], "$OPTIONS");
        ck_assert_str_eq(c->argv[16], "$INSECURE_REGISTRY");
}
END_TEST

START_TEST(test_exec_start_reset_in_dropin)
{
        _cleanup_settings_ UnitSettings s = {};

        unit_settings_init(&s, &spec);
        apply(&s, FRAG, "[Service]\nType=notify\nExecStart=/usr/bin/dockerd -H fd://\n", false);
        apply(&s, DROP, "[Service]\nExecStart=\nExecStart=/usr/bin/dockerd --live-restore\n", true);
        ck_assert_uint_eq(s.n_exec_start, 1);
        ck_assert_str_eq(s.exec_start[0].argv[1], "--live-restore");
        ck_assert_str_eq(s.exec_start[0].file, DROP);
        ck_assert_uint_eq(s.exec_start[0].line, 3);
        ck_assert_int_eq(unit_settings_finish(&s), 0);
        ck_assert_str_eq(s.load_state, "loaded");
}
END_TEST

START_TEST(test_exec_start_dropin_appends)
{
        _cleanup_settings_ UnitSettings s = {};

        unit_settings_init(&s, &spec);
        apply(&s, FRAG, "[Service]\nType=notify\nExecStart=/usr/bin/dockerd -H fd://\n", false);
        apply(&s, DROP, "[Service]\nExecStart=/usr/bin/dockerd --live-restore\n", true);
        ck_assert_uint_eq(s.n_exec_start, 2);
        ck_assert_int_eq(unit_settings_finish(&s), 0);
        ck_assert_str_eq(s.load_state, "bad-setting");
        ck_assert_uint_eq(strv_length(s.errors), 1);
        /* the message points at the second command */
        ck_assert(startswith(s.errors[0], DROP ":2: docker.service: Service has more than one ExecStart="));
}
END_TEST

START_TEST(test_two_exec_start)
{
        _cleanup_settings_ UnitSettings a = {}, b = {}, c = {};

        unit_settings_init(&a, &spec);
        apply(&a, FRAG, "[Service]\nExecStart=/bin/true\nExecStart=/bin/false\n", false);
        ck_assert_int_eq(unit_settings_finish(&a), 0);
        ck_assert_str_eq(a.load_state, "bad-setting");

        /* ";" makes two commands as well */
        unit_settings_init(&b, &spec);
        apply(&b, FRAG, "[Service]\nExecStart=/bin/true ; /bin/false\n", false);
        ck_assert_uint_eq(b.n_exec_start, 2);
        ck_assert_int_eq(unit_settings_finish(&b), 0);
        ck_assert_str_eq(b.load_state, "bad-setting");

        unit_settings_init(&c, &spec);
        apply(&c, FRAG, "[Service]\nType=oneshot\nExecStart=/bin/true\nExecStart=/bin/false\n", false);
        ck_assert_int_eq(unit_settings_finish(&c), 0);
        ck_assert_str_eq(c.load_state, "loaded");
        ck_assert(strv_isempty(c.errors));
}
END_TEST

START_TEST(test_exec_start_bad_setting_fragment)
{
        _cleanup_settings_ UnitSettings s = {};

        unit_settings_init(&s, &spec);
        /* unbalanced quote in a later word: -ENOEXEC; the rest of the file is not parsed */
        apply(&s, FRAG, "[Service]\nMountFlags=private\nExecStart=/bin/x \"a\nMountFlags=slave\n", false);
        ck_assert_str_eq(s.load_state, "bad-setting");
        ck_assert_uint_eq(s.mount_flags, MOUNT_FLAGS_PRIVATE);
        ck_assert_uint_eq(strv_length(s.errors), 1);
        ck_assert(startswith(s.errors[0], FRAG ":3: "));
        /* drop-ins are not loaded after a failed fragment, and finish() keeps the state */
        apply(&s, DROP, "[Service]\nMountFlags=shared\n", true);
        ck_assert_uint_eq(s.mount_flags, MOUNT_FLAGS_PRIVATE);
        ck_assert_int_eq(unit_settings_finish(&s), 0);
        ck_assert_str_eq(s.load_state, "bad-setting");
        ck_assert_uint_eq(strv_length(s.errors), 1);
}
END_TEST

START_TEST(test_exec_start_bad_setting_dropin)
{
        _cleanup_settings_ UnitSettings s = {};

        unit_settings_init(&s, &spec);
        apply(&s, FRAG, "[Service]\nExecStart=/usr/bin/dockerd\n", false);
        /* the bad setting cuts this drop-in short; its earlier lines stay */
        apply(&s, DROP, "[Service]\nMountFlags=private\nExecStart=/bin/x %Q\nMountFlags=slave\nNoEq\n",
                true);
        ck_assert_str_eq(s.load_state, "loaded");
        ck_assert_uint_eq(s.mount_flags, MOUNT_FLAGS_PRIVATE);
        ck_assert_uint_eq(strv_length(s.errors), 1);
        ck_assert(startswith(s.errors[0], DROP ":3: "));
        /* the warning of a line after the stop is not reported */
        ck_assert(!has_prefix(s.warnings, DROP ":5:"));
        /* later drop-ins still load */
        apply(&s, DROP2, "[Service]\nMountFlags=shared\n", true);
        ck_assert_uint_eq(s.mount_flags, MOUNT_FLAGS_SHARED);
        ck_assert_int_eq(unit_settings_finish(&s), 0);
        ck_assert_str_eq(s.load_state, "loaded");
        ck_assert_uint_eq(s.n_exec_start, 1);
}
END_TEST

START_TEST(test_exec_start_ignored)
{
        _cleanup_settings_ UnitSettings s = {};

        unit_settings_init(&s, &spec);
        /* "-" turns a bad setting into an ignored line; a first-word quote error is only ignored */
        apply(&s, FRAG, "[Service]\nExecStart=-/bin/x \"a\nExecStart=\"/bin/y\nExecStart=/usr/bin/dockerd\n",
                false);
        ck_assert_str_eq(s.load_state, "loaded");
        ck_assert_uint_eq(s.n_exec_start, 1);
        ck_assert_str_eq(s.exec_start[0].path, "/usr/bin/dockerd");
        ck_assert(has_prefix(s.warnings, FRAG ":2: "));
        ck_assert(has_prefix(s.warnings, FRAG ":3: "));
        ck_assert(strv_isempty(s.errors));
        ck_assert_int_eq(unit_settings_finish(&s), 0);
        ck_assert_str_eq(s.load_state, "loaded");
}
END_TEST

START_TEST(test_rootless_template)
{
        _cleanup_settings_ UnitSettings s = {};

        /* the template as stored, before the script expands $BIN: not a valid path */
        unit_settings_init(&s, &spec);
        apply_fixture(&s, "moby-master-rootless-setuptool-template-docker.service", false);
        ck_assert_str_eq(s.load_state, "bad-setting");
        ck_assert_uint_eq(s.n_exec_start, 0);
        /* Environment= on line 7 came before the bad line and stays */
        ck_assert_str_eq(env_block_get(&s.environment, "PATH")->value, "$BIN:/sbin:/usr/sbin:$PATH");
}
END_TEST

START_TEST(test_environment_example)
{
        _cleanup_settings_ UnitSettings s = {};

        unit_settings_init(&s, &spec);
        apply(&s, FRAG,
                "[Service]\nEnvironment=\"A=one  two\" B=x\\x41 'C=it''s' D=$HOME E=%n F=\"--a --b\" "
                "DOCKER_OPTS=\"--a --b\"\n",
                false);
        ck_assert(strv_isempty(s.warnings));
        ck_assert_str_eq(env_block_get(&s.environment, "A")->value, "one  two");
        ck_assert_str_eq(env_block_get(&s.environment, "B")->value, "xA");
        ck_assert_str_eq(env_block_get(&s.environment, "C")->value, "its");
        ck_assert_str_eq(env_block_get(&s.environment, "D")->value, "$HOME");
        ck_assert_str_eq(env_block_get(&s.environment, "E")->value, "docker.service");
        ck_assert_str_eq(env_block_get(&s.environment, "DOCKER_OPTS")->value, "--a --b");
        ck_assert_str_eq(env_block_get(&s.environment, "A")->file, FRAG);
        ck_assert_uint_eq(env_block_get(&s.environment, "A")->line, 2);
}
END_TEST

START_TEST(test_environment_errors)
{
        _cleanup_settings_ UnitSettings s = {};

        unit_settings_init(&s, &spec);
        apply(&s, FRAG,
                "[Service]\n"
                "Environment=C FOO.BAR=x 1X=y G=ok\n" /* bad words dropped alone */
                "Environment=H=1 I=\\d J=2\n" /* unknown escape: rest of line dropped */
                "Environment=K=1 \"L=2\n" /* unbalanced quote: likewise */
                "Environment=M=%Q N=1\n" /* bad specifier: that word only */
                "Environment=O=caf\\xe9 P=1\n", /* value not UTF-8: that word only */
                false);
        ck_assert_str_eq(env_block_get(&s.environment, "G")->value, "ok");
        ck_assert_ptr_null(env_block_get(&s.environment, "C"));
        ck_assert_ptr_null(env_block_get(&s.environment, "FOO.BAR"));
        ck_assert_ptr_null(env_block_get(&s.environment, "1X"));
        ck_assert_str_eq(env_block_get(&s.environment, "H")->value, "1");
        ck_assert_ptr_null(env_block_get(&s.environment, "I"));
        ck_assert_ptr_null(env_block_get(&s.environment, "J"));
        ck_assert_str_eq(env_block_get(&s.environment, "K")->value, "1");
        ck_assert_ptr_null(env_block_get(&s.environment, "L"));
        ck_assert_ptr_null(env_block_get(&s.environment, "M"));
        ck_assert_str_eq(env_block_get(&s.environment, "N")->value, "1");
        ck_assert_ptr_null(env_block_get(&s.environment, "O"));
        ck_assert_str_eq(env_block_get(&s.environment, "P")->value, "1");
        ck_assert_uint_eq(s.environment.n, 5);
        ck_assert(has_prefix(s.warnings, FRAG ":2: Invalid environment assignment, ignoring: C"));
        ck_assert(has_prefix(s.warnings, FRAG ":3: Invalid syntax, ignoring: H=1 I=\\d J=2"));
        ck_assert(has_prefix(s.warnings, FRAG ":4: Invalid syntax"));
        ck_assert(has_prefix(s.warnings, FRAG ":5: Failed to resolve specifiers"));
        ck_assert(has_prefix(s.warnings, FRAG ":6: Invalid environment assignment"));
        ck_assert_str_eq(s.load_state, "loaded");
}
END_TEST

START_TEST(test_environment_replace_and_clear)
{
        _cleanup_settings_ UnitSettings s = {};

        unit_settings_init(&s, &spec);
        apply(&s, FRAG, "[Service]\nEnvironment=A=1 B=1\nEnvironment=A=2\n", false);
        ck_assert_str_eq(env_block_get(&s.environment, "A")->value, "2");
        ck_assert_uint_eq(env_block_get(&s.environment, "A")->line, 3);
        apply(&s, DROP, "[Service]\nEnvironment=B=3\n", true);
        ck_assert_str_eq(env_block_get(&s.environment, "B")->file, DROP);
        apply(&s, DROP2, "[Service]\nEnvironment=\nEnvironment=Z=9\n", true);
        ck_assert_uint_eq(s.environment.n, 1);
        ck_assert_str_eq(env_block_get(&s.environment, "Z")->value, "9");
}
END_TEST

START_TEST(test_environment_file)
{
        _cleanup_settings_ UnitSettings s = {};

        unit_settings_init(&s, &spec);
        apply(&s, FRAG,
                "[Service]\n"
                "EnvironmentFile=-/etc/default/docker\n" /* 2 */
                "EnvironmentFile=\"/etc/x\"\n" /* 3: not unquoted -> not absolute */
                "EnvironmentFile=/etc/a b\n" /* 4: one path with a space */
                "EnvironmentFile=-relative\n" /* 5 */
                "EnvironmentFile=/etc//x/./y/\n" /* 6: simplified */
                "EnvironmentFile=/etc/../x\n" /* 7: not normalized */
                "EnvironmentFile=%t/docker.env\n" /* 8: specifier */
                "EnvironmentFile=-\n" /* 9 */
                "EnvironmentFile=/etc/%Q\n", /* 10: bad specifier */
                false);
        ck_assert_uint_eq(s.n_environment_files, 4);
        ck_assert_str_eq(s.environment_files[0].path, "/etc/default/docker");
        ck_assert(s.environment_files[0].ignore_missing);
        ck_assert_str_eq(s.environment_files[0].file, FRAG);
        ck_assert_uint_eq(s.environment_files[0].line, 2);
        ck_assert_str_eq(s.environment_files[1].path, "/etc/a b");
        ck_assert(!s.environment_files[1].ignore_missing);
        ck_assert_str_eq(s.environment_files[2].path, "/etc/x/y");
        ck_assert_str_eq(s.environment_files[3].path, "/run/docker.env");
        ck_assert_uint_eq(s.environment_files[3].line, 8);
        ck_assert(has_prefix(
                s.warnings, FRAG ":3: EnvironmentFile= path is not absolute, ignoring: \"/etc/x\""));
        ck_assert(has_prefix(s.warnings, FRAG ":5: EnvironmentFile= path is not absolute"));
        ck_assert(has_prefix(s.warnings, FRAG ":7: EnvironmentFile= path is not normalized"));
        ck_assert(has_prefix(s.warnings, FRAG ":9: EnvironmentFile= path is not absolute"));
        ck_assert(has_prefix(s.warnings, FRAG ":10: Failed to resolve unit specifiers"));
        apply(&s, DROP, "[Service]\nEnvironmentFile=\n", true);
        ck_assert_uint_eq(s.n_environment_files, 0);
}
END_TEST

START_TEST(test_type)
{
        _cleanup_settings_ UnitSettings s = {};

        unit_settings_init(&s, &spec);
        apply(&s, FRAG, "[Service]\nType=notify\nType=Notify\nType=\nType=notify-reload\nExecStart=/bin/x\n",
                false);
        ck_assert_str_eq(s.type, "notify");
        ck_assert_uint_eq(strv_length(s.warnings), 3);
        ck_assert_str_eq(s.warnings[0], FRAG ":3: Failed to parse service type, ignoring: Notify");
}
END_TEST

START_TEST(test_fatal_syntax)
{
        _cleanup_settings_ UnitSettings a = {}, b = {};

        unit_settings_init(&a, &spec);
        apply(&a, FRAG, "[Service]\nExecStart=/bin/x\n[Service] # x\nMountFlags=slave\n", false);
        ck_assert_str_eq(a.load_state, "error");
        ck_assert_str_eq(a.errors[0], FRAG ":3: Invalid section header '[Service] # x'");
        ck_assert_int_eq(unit_settings_finish(&a), 0);
        ck_assert_str_eq(a.load_state, "error");

        unit_settings_init(&b, &spec);
        apply(&b, FRAG, "[Service]\nExecStart=/bin/x\n", false);
        apply(&b, DROP, "[Service]\nMountFlags=private\nDescription=caf\xe9\nMountFlags=slave\n", true);
        ck_assert_str_eq(b.load_state, "loaded");
        ck_assert_uint_eq(b.mount_flags, MOUNT_FLAGS_PRIVATE);
        ck_assert(startswith(b.errors[0], DROP ":3: "));
        apply(&b, DROP2, "[Service]\nMountFlags=shared\n", true);
        ck_assert_uint_eq(b.mount_flags, MOUNT_FLAGS_SHARED);
        ck_assert_int_eq(unit_settings_finish(&b), 0);
        ck_assert_str_eq(b.load_state, "loaded");
}
END_TEST

START_TEST(test_sections)
{
        _cleanup_settings_ UnitSettings s = {};

        unit_settings_init(&s, &spec);
        apply(&s, FRAG,
                "[service]\nMountFlags=slave\n[X-Mine]\nA=1\n[Service]\nExecStart=/bin/x\nexecstart=/bin/"
                "y\n",
                false);
        ck_assert_uint_eq(s.mount_flags, 0);
        ck_assert_uint_eq(s.n_exec_start, 1);
        ck_assert_uint_eq(strv_length(s.warnings), 1);
        ck_assert_str_eq(s.warnings[0], FRAG ":1: Unknown section 'service'. Ignoring.");
}
END_TEST

START_TEST(test_verify_oneshot)
{
        _cleanup_settings_ UnitSettings a = {}, b = {}, c = {}, d = {}, e = {}, f = {}, g = {}, h = {};

        /* no ExecStart=, no Type=: defaults to oneshot, which then needs more */
        unit_settings_init(&a, &spec);
        apply(&a, FRAG, "[Service]\nMountFlags=slave\n", false);
        ck_assert_int_eq(unit_settings_finish(&a), 0);
        ck_assert_str_eq(a.load_state, "bad-setting");
        ck_assert_str_eq(a.errors[0],
                "docker.service: Service has no ExecStart=, ExecStop=, or SuccessAction=. Refusing.");

        /* Type=notify without ExecStart= */
        unit_settings_init(&b, &spec);
        apply(&b, FRAG, "[Service]\nType=notify\nExecStop=/bin/true\nRemainAfterExit=yes\n", false);
        ck_assert_int_eq(unit_settings_finish(&b), 0);
        ck_assert_str_eq(b.load_state, "bad-setting");
        ck_assert(strstr(b.errors[0], "only allowed for Type=oneshot"));

        /* oneshot, ExecStop= and RemainAfterExit=yes: fine */
        unit_settings_init(&c, &spec);
        apply(&c, FRAG, "[Service]\nType=oneshot\nExecStop=/bin/true\nRemainAfterExit=yes\n", false);
        ck_assert_int_eq(unit_settings_finish(&c), 0);
        ck_assert_str_eq(c.load_state, "loaded");

        /* oneshot with ExecStop= but without RemainAfterExit= */
        unit_settings_init(&d, &spec);
        apply(&d, FRAG, "[Service]\nType=oneshot\nExecStop=/bin/true\n", false);
        ck_assert_int_eq(unit_settings_finish(&d), 0);
        ck_assert_str_eq(d.load_state, "bad-setting");

        /* SuccessAction= alone is enough */
        unit_settings_init(&e, &spec);
        apply(&e, FRAG, "[Unit]\nSuccessAction=exit\n[Service]\nType=oneshot\n", false);
        ck_assert_int_eq(unit_settings_finish(&e), 0);
        ck_assert_str_eq(e.load_state, "loaded");

        unit_settings_init(&f, &spec);
        apply(&f, FRAG, "[Service]\nType=oneshot\nExecStart=/bin/x\nRestart=always\n", false);
        ck_assert_int_eq(unit_settings_finish(&f), 0);
        ck_assert_str_eq(f.load_state, "bad-setting");

        unit_settings_init(&g, &spec);
        apply(&g, FRAG, "[Service]\nType=oneshot\nExecStart=/bin/x\nExitType=cgroup\nRestart=on-failure\n",
                false);
        ck_assert_int_eq(unit_settings_finish(&g), 0);
        ck_assert_str_eq(g.load_state, "bad-setting");
        ck_assert(strstr(g.errors[0], "ExitType=cgroup"));

        unit_settings_init(&h, &spec);
        apply(&h, FRAG, "[Service]\nType=dbus\nExecStart=/bin/x\n", false);
        ck_assert_int_eq(unit_settings_finish(&h), 0);
        ck_assert_str_eq(h.load_state, "bad-setting");
}
END_TEST

START_TEST(test_verify_more)
{
        _cleanup_settings_ UnitSettings a = {}, b = {}, c = {};

        /* Restart=on-failure and RestartForceExitStatus= reset: fine for oneshot */
        unit_settings_init(&a, &spec);
        apply(&a, FRAG,
                "[Service]\nType=oneshot\nExecStart=/bin/x\nRestart=on-failure\nRestartForceExitStatus=1\n"
                "RestartForceExitStatus=\n",
                false);
        ck_assert_int_eq(unit_settings_finish(&a), 0);
        ck_assert_str_eq(a.load_state, "loaded");

        unit_settings_init(&b, &spec);
        apply(&b, FRAG, "[Service]\nType=oneshot\nExecStart=/bin/x\nRestartForceExitStatus=SIGKILL\n",
                false);
        ck_assert_int_eq(unit_settings_finish(&b), 0);
        ck_assert_str_eq(b.load_state, "bad-setting");

        /* BusName= makes the default type dbus, which is then satisfied */
        unit_settings_init(&c, &spec);
        apply(&c, FRAG, "[Service]\nBusName=org.example.X\nExecStart=/bin/x\nRemainAfterExit=maybe\n",
                false);
        ck_assert_int_eq(unit_settings_finish(&c), 0);
        ck_assert_str_eq(c.load_state, "loaded");
        ck_assert(has_prefix(c.warnings, FRAG ":4: Failed to parse boolean value"));
}
END_TEST

START_TEST(test_warning_cap)
{
        _cleanup_settings_ UnitSettings s = {};
        _cleanup_sb_ StrBuf b = {};

        ck_assert_int_eq(sb_append(&b, "[Service]\nExecStart=/bin/x\n"), 0);
        for (int i = 0; i < 1500; i++)
                ck_assert_int_eq(sb_append(&b, "MountFlags=bogus\n"), 0);
        ck_assert_int_eq(sb_append(&b, "MountFlags=slave\n"), 0);
        unit_settings_init(&s, &spec);
        apply(&s, FRAG, b.buf, false);
        ck_assert_uint_eq(strv_length(s.warnings), 1000);
        ck_assert_str_eq(s.warnings[999], FRAG ":1002: Too many warnings, not showing more.");
        ck_assert_uint_eq(s.mount_flags, MOUNT_FLAGS_SLAVE);
        ck_assert_uint_eq(s.mount_flags_line, 1503);
}
END_TEST

/* unit_settings_load_paths(): the fragment then the drop-ins, masked drop-ins (empty, /dev/null)
 * skipped, unreadable files as warnings; the same paths on the host and inside a root. */
static void write_text(const char *path, const char *text)
{
        FILE *f = fopen(path, "we");

        ck_assert_ptr_nonnull(f);
        fputs(text, f);
        fclose(f);
}

static void check_load_paths(const char *root, const char *prefix)
{
        _cleanup_settings_ UnitSettings s = {};
        _cleanup_free_ char *frag = strdupf("%s/docker.service", prefix),
                            *d1 = strdupf("%s/d/10-slave.conf", prefix),
                            *d2 = strdupf("%s/d/20-empty.conf", prefix),
                            *d3 = strdupf("%s/d/30-null.conf", prefix),
                            *d4 = strdupf("%s/d/40-missing.conf", prefix),
                            *warn = strdupf("%s: cannot read: ", d4);
        char *dropins[] = {d1, d2, d3, d4, NULL};

        unit_settings_init(&s, &spec);
        ck_assert_int_eq(unit_settings_load_paths(&s, root, frag, dropins), 0);
        ck_assert_str_eq(s.load_state, "loaded");
        ck_assert_uint_eq(s.mount_flags, MOUNT_FLAGS_SLAVE);
        ck_assert_str_eq(s.mount_flags_file, d1);
        ck_assert_uint_eq(s.n_exec_start, 1);
        ck_assert_str_eq(s.exec_start[0].file, frag);
        ck_assert_uint_eq(strv_length(s.warnings), 0);
        ck_assert_uint_eq(strv_length(s.unreadable), 1);
        ck_assert_msg(startswith(s.unreadable[0], warn), "%s", s.unreadable[0]);
        /* Loading does not run service_verify(): a second ExecStart= is bad only after it. */
        ck_assert_int_eq(unit_settings_load_paths(&s, root, NULL, (char *[]){frag, NULL}), 0);
        ck_assert_str_eq(s.load_state, "loaded");
        ck_assert_int_eq(unit_settings_finish(&s), 0);
        ck_assert_str_eq(s.load_state, "bad-setting");
}

START_TEST(test_load_paths)
{
        char dir[] = "/tmp/check-unit-settings.XXXXXX";
        _cleanup_free_ char *frag = NULL, *d = NULL, *d1 = NULL, *d2 = NULL, *d3 = NULL, *cmd = NULL;
        _cleanup_settings_ UnitSettings s = {};

        ck_assert_ptr_nonnull(mkdtemp(dir));
        frag = strdupf("%s/docker.service", dir);
        d = strdupf("%s/d", dir);
        d1 = strdupf("%s/d/10-slave.conf", dir);
        d2 = strdupf("%s/d/20-empty.conf", dir);
        d3 = strdupf("%s/d/30-null.conf", dir);
        ck_assert_int_eq(mkdir(d, 0755), 0);
        write_text(frag, "[Service]\nMountFlags=shared\nExecStart=/usr/bin/dockerd\n");
        write_text(d1, "[Service]\nMountFlags=slave\n");
        write_text(d2, "");
        ck_assert_int_eq(symlink("/dev/null", d3), 0);

        check_load_paths(NULL, dir); /* the host: absolute paths */
        check_load_paths(dir, ""); /* the same files as paths inside the root dir */

        /* An empty fragment masks the unit: nothing is applied from it. */
        write_text(frag, "");
        unit_settings_init(&s, &spec);
        ck_assert_int_eq(unit_settings_load_paths(&s, NULL, frag, NULL), 0);
        ck_assert_uint_eq(s.n_exec_start, 0);
        ck_assert(strv_isempty(s.warnings));

        cmd = strdupf("rm -rf '%s'", dir);
        ck_assert_int_eq(system(cmd), 0);
}
END_TEST

static Suite *unit_settings_suite(void)
{
        Suite *s = suite_create("unit-settings");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_mount_flags_strings);
        tcase_add_test(tc, test_mount_flags_reset);
        tcase_add_test(tc, test_mount_flags_bad_keeps_old);
        tcase_add_test(tc, test_mount_flags_dropin_wins);
        tcase_add_test(tc, test_fixture_with_haxorof_dropin);
        tcase_add_test(tc, test_fixture_units_load);
        tcase_add_test(tc, test_fixture_centos);
        tcase_add_test(tc, test_exec_start_reset_in_dropin);
        tcase_add_test(tc, test_exec_start_dropin_appends);
        tcase_add_test(tc, test_two_exec_start);
        tcase_add_test(tc, test_exec_start_bad_setting_fragment);
        tcase_add_test(tc, test_exec_start_bad_setting_dropin);
        tcase_add_test(tc, test_exec_start_ignored);
        tcase_add_test(tc, test_rootless_template);
        tcase_add_test(tc, test_environment_example);
        tcase_add_test(tc, test_environment_errors);
        tcase_add_test(tc, test_environment_replace_and_clear);
        tcase_add_test(tc, test_environment_file);
        tcase_add_test(tc, test_type);
        tcase_add_test(tc, test_fatal_syntax);
        tcase_add_test(tc, test_sections);
        tcase_add_test(tc, test_verify_oneshot);
        tcase_add_test(tc, test_verify_more);
        tcase_add_test(tc, test_warning_cap);
        tcase_add_test(tc, test_load_paths);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(unit_settings_suite());
}
