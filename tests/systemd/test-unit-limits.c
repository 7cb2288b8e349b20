/* SPDX-License-Identifier: MIT */
/* LimitNOFILE=, TasksMax=, KillMode= and the dependency settings (src/systemd/unit-settings.c),
 * and the manager defaults the offline loader fills in (src/systemd/unit-offline.c). */
#include <check.h>

#include "check-run.h"
#include "test-util.h"

#include "basic/fileio.h"
#include "systemd/unit-offline.h"
#include "systemd/unit-settings.h"

#define INF UINT64_MAX

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

static void nofile_ok(const char *s, uint64_t soft, uint64_t hard)
{
        uint64_t a = 7, b = 7;

        ck_assert_msg(unit_parse_limit_nofile(s, &a, &b) == 0, "'%s' refused", s);
        ck_assert_msg(a == soft && b == hard, "'%s': %llu:%llu", s, (unsigned long long) a,
                (unsigned long long) b);
}

static void nofile_bad(const char *s, int err)
{
        uint64_t a = 7, b = 7;

        ck_assert_int_eq(unit_parse_limit_nofile(s, &a, &b), err);
        ck_assert(a == 7 && b == 7);
}

/* rlimit_parse(RLIMIT_NOFILE): the values of real units and the edges of the syntax. */
START_TEST(test_limit_nofile_parse)
{
        nofile_ok("infinity", INF, INF); /* docker-ce-packaging 20.10, containerd 1.6 */
        nofile_ok("1048576", 1048576, 1048576); /* moby 1.11, docker-ce 18.03 */
        nofile_ok("1024:524288", 1024, 524288); /* moby since PR 45534 */
        nofile_ok("1024:infinity", 1024, INF);
        nofile_ok("0", 0, 0);
        nofile_ok("5:5", 5, 5);
        nofile_bad("", -EINVAL);
        nofile_bad("524288:1024", -EILSEQ); /* soft above hard */
        nofile_bad("infinity:1024", -EILSEQ);
        nofile_bad("1024:", -EINVAL);
        nofile_bad(":1024", -EINVAL);
        nofile_bad("1:2:3", -EINVAL);
        nofile_bad("1k", -EINVAL); /* no size suffixes for NOFILE */
        nofile_bad("-1", -EINVAL);
        nofile_bad("Infinity", -EINVAL);
        nofile_bad("18446744073709551615", -ERANGE); /* RLIM_INFINITY itself is refused */
        nofile_bad("99999999999999999999", -ERANGE);
}
END_TEST

static void tasks_ok(const char *s, uint64_t value, uint64_t scale)
{
        TasksMax t = {7, 7};

        ck_assert_msg(unit_parse_tasks_max(s, &t) == 0, "'%s' refused", s);
        ck_assert_msg(t.value == value && t.scale == scale, "'%s': %llu/%llu", s,
                (unsigned long long) t.value, (unsigned long long) t.scale);
}

START_TEST(test_tasks_max_parse)
{
        TasksMax t;

        tasks_ok("infinity", INF, 0);
        tasks_ok("512", 512, 0); /* the systemd 228 default */
        tasks_ok("8192", 8192, 0); /* CentOS virt7 docker 1.13 */
        tasks_ok("15%", 1500, 10000); /* the default since systemd 231 */
        tasks_ok("12.5%", 1250, 10000);
        tasks_ok("0.01%", 1, 10000);
        tasks_ok("100%", 10000, 10000);
        tasks_ok("0%", 0, 10000);
        tasks_ok("25\xe2\x80\xb0", 250, 10000); /* 25 per mille */
        tasks_ok("2.5\xe2\x80\xb0", 25, 10000);
        tasks_ok("42\xe2\x80\xb1", 42, 10000); /* per ten thousand */
        ck_assert_int_lt(unit_parse_tasks_max("0", &t), 0); /* out of range */
        ck_assert_int_lt(unit_parse_tasks_max("101%", &t), 0);
        ck_assert_int_lt(unit_parse_tasks_max("1.234%", &t), 0);
        ck_assert_int_lt(unit_parse_tasks_max("1.%", &t), 0);
        ck_assert_int_lt(unit_parse_tasks_max("%", &t), 0);
        ck_assert_int_lt(unit_parse_tasks_max("2.55\xe2\x80\xb0", &t), 0);
        ck_assert_int_lt(unit_parse_tasks_max("1.5\xe2\x80\xb1", &t), 0);
        ck_assert_int_lt(unit_parse_tasks_max("max", &t), 0);
        ck_assert_int_lt(unit_parse_tasks_max("-5", &t), 0);
        ck_assert_int_lt(unit_parse_tasks_max("18446744073709551615", &t), 0);
}
END_TEST

/* cgroup_tasks_max_resolve() / system_tasks_max_scale(). */
START_TEST(test_tasks_max_resolve)
{
        ck_assert_uint_eq(unit_tasks_max_resolve(&(TasksMax){1500, 10000}, 32767), 4915);
        ck_assert_uint_eq(unit_tasks_max_resolve(&(TasksMax){1500, 10000}, 4194303), 629145);
        ck_assert_uint_eq(unit_tasks_max_resolve(&(TasksMax){10000, 10000}, 32767), 32767);
        ck_assert_uint_eq(unit_tasks_max_resolve(&(TasksMax){0, 10000}, 32767), 0);
        ck_assert_uint_eq(unit_tasks_max_resolve(&(TasksMax){512, 0}, 32767), 512);
        ck_assert(unit_tasks_max_resolve(&(TasksMax){INF, 0}, 32767) == INF);
}
END_TEST

#define FRAG "/lib/systemd/system/docker.service"
#define DROP "/etc/systemd/system/docker.service.d/50-dockaudit.conf"

/* The last valid assignment wins, with its line; a bad value keeps the earlier one. */
START_TEST(test_limits_apply)
{
        _cleanup_settings_ UnitSettings s;

        unit_settings_init(&s, &spec);
        apply(&s, FRAG,
                "[Service]\nLimitNOFILE=infinity\nTasksMax=infinity\nKillMode=process\nLimitNOFILE=2:1\n"
                "TasksMax=lots\nKillMode=Process\n",
                false);
        ck_assert(s.limit_nofile_set && s.limit_nofile_soft == INF && s.limit_nofile_hard == INF);
        ck_assert_str_eq(s.limit_nofile_origin.file, FRAG);
        ck_assert_uint_eq(s.limit_nofile_origin.line, 2);
        ck_assert(s.tasks_max_set && s.tasks_max.value == INF && s.tasks_max.scale == 0);
        ck_assert_uint_eq(s.tasks_max_origin.line, 3);
        ck_assert_str_eq(s.kill_mode, "process");
        ck_assert_uint_eq(strv_length(s.warnings), 3);
        ck_assert_str_eq(
                s.warnings[0], FRAG ":5: Soft resource limit chosen higher than hard limit, ignoring: 2:1");
        ck_assert_str_eq(s.warnings[1], FRAG ":6: Invalid maximum tasks value 'lots', ignoring.");
        ck_assert_str_eq(s.warnings[2], FRAG ":7: Failed to parse kill mode, ignoring: Process");

        apply(&s, DROP, "[Service]\nLimitNOFILE=1024:524288\nTasksMax=\nKillMode=mixed\n", true);
        ck_assert(s.limit_nofile_soft == 1024 && s.limit_nofile_hard == 524288);
        ck_assert_str_eq(s.limit_nofile_origin.file, DROP);
        ck_assert_uint_eq(s.limit_nofile_origin.line, 2);
        /* TasksMax= empty: back to the manager's DefaultTasksMax= */
        ck_assert(!s.tasks_max_set);
        ck_assert_ptr_null(s.tasks_max_origin.file);
        ck_assert_str_eq(s.kill_mode, "mixed");
        ck_assert_uint_eq(s.kill_mode_origin.line, 4);
        /* the [Unit] section does not know these */
        apply(&s, DROP, "[Unit]\nLimitNOFILE=5\n", true);
        ck_assert(s.limit_nofile_hard == 524288);
}
END_TEST

static void deps_are(const UnitDeps *d, const char *const *names)
{
        size_t n = 0;

        for (; names[n]; n++) {
                ck_assert_uint_gt(d->n, n);
                ck_assert_str_eq(d->v[n].name, names[n]);
        }
        ck_assert_uint_eq(d->n, n);
}

/* Dependencies accumulate across lines and files, nothing resets them, names are checked. */
START_TEST(test_deps_apply)
{
        _cleanup_settings_ UnitSettings s;

        unit_settings_init(&s, &spec);
        /* docker-ce-packaging 18.09 (BindsTo) */
        apply(&s, FRAG,
                "[Unit]\nAfter=network-online.target firewalld.service containerd.service\n"
                "Wants=network-online.target\nRequires=docker.socket\nBindsTo=containerd.service\n",
                false);
        deps_are(&s.deps[UNIT_DEP_AFTER], (const char *const[]){"network-online.target", "firewalld.service",
                                                  "containerd.service", NULL});
        deps_are(&s.deps[UNIT_DEP_BINDS_TO], (const char *const[]){"containerd.service", NULL});
        ck_assert_str_eq(s.deps[UNIT_DEP_BINDS_TO].v[0].file, FRAG);
        ck_assert_uint_eq(s.deps[UNIT_DEP_BINDS_TO].v[0].line, 5);

        apply(&s, DROP,
                "[Unit]\nBindsTo=\nAfter=containerd.service %p.socket\nAfter=foo@.service bad/name "
                "docker.service\n"
                "Wants=\"a b.service\"\n",
                true);
        /* empty: no reset; a repeated name keeps its first line; %p expanded; a template,
         * an invalid name and the unit itself are dropped */
        deps_are(&s.deps[UNIT_DEP_BINDS_TO], (const char *const[]){"containerd.service", NULL});
        deps_are(&s.deps[UNIT_DEP_AFTER], (const char *const[]){"network-online.target", "firewalld.service",
                                                  "containerd.service", "docker.socket", NULL});
        ck_assert_uint_eq(s.deps[UNIT_DEP_AFTER].v[2].line, 2);
        ck_assert_str_eq(s.deps[UNIT_DEP_AFTER].v[3].file, DROP);
        deps_are(&s.deps[UNIT_DEP_WANTS], (const char *const[]){"network-online.target", NULL});
        ck_assert_uint_eq(strv_length(s.warnings), 3);
        ck_assert_str_eq(s.deps[UNIT_DEP_REQUIRES].v[0].name, "docker.socket");
        ck_assert_str_eq(unit_dep_type_to_string(UNIT_DEP_BINDS_TO), "BindsTo");
        ck_assert_ptr_null(unit_dep_type_to_string(_UNIT_DEP_MAX));
}
END_TEST

static char *make_root(void)
{
        char dir[64];

        tmpdir_make(dir, sizeof dir, "unit-limits");
        return strdup(dir);
}

#define write_file(root, path, text) put(root, path, text)

static void remove_root(const char *root)
{
        ck_assert_int_eq(rm_rf(root), 0);
}

#define DPKG_252 "Package: systemd\nStatus: install ok installed\nVersion: 252.39-1~deb12u1\n\n"

/* Offline: a unit without the settings gets the manager's defaults for its version, and
 * system.conf overrides them; a share of the kernel's limit is not resolved for an image. */
START_TEST(test_offline_defaults)
{
        _cleanup_free_ char *root = make_root();
        _cleanup_(unit_info_done) UnitInfo u = {};
        _cleanup_free_ char *err = NULL, *status = NULL;

        write_file(root, "/lib/systemd/system/docker.service", "[Service]\nExecStart=/usr/bin/dockerd\n");
        write_file(root, "/var/lib/dpkg/status", DPKG_252);
        ck_assert_int_eq(unit_info_read_offline(root, false, "docker.service", &u, &err), 0);
        ck_assert_str_eq(u.load_state, "loaded");
        ck_assert(u.limit_nofile.set && u.limit_nofile.v == 524288);
        ck_assert(u.limit_nofile_soft.set && u.limit_nofile_soft.v == 1024);
        ck_assert_str_eq(u.limit_nofile_note, "default: systemd 252's DefaultLimitNOFILE=1024:524288 "
                                              "(fs.nr_open of the image assumed >= 524288)");
        ck_assert(!u.tasks_max.set); /* 15% of the image's kernel limit */
        ck_assert_ptr_nonnull(strstr(u.tasks_max_note, "not known offline"));
        ck_assert_str_eq(u.kill_mode, "control-group");
        unit_info_done(&u);

        /* systemd 228-230: 512; system.conf's DefaultLimitNOFILE= wins over the built-in */
        write_file(root, "/var/lib/dpkg/status", "Package: systemd\nVersion: 229-4ubuntu21\n\n");
        write_file(root, "/etc/systemd/system.conf",
                "[Manager]\n#DefaultTasksMax=\nDefaultLimitNOFILE=4096:8192\n");
        ck_assert_int_eq(unit_info_read_offline(root, false, "docker.service", &u, &err), 0);
        ck_assert(u.tasks_max.set && u.tasks_max.v == 512);
        ck_assert_str_eq(u.tasks_max_note, "default: systemd 229's DefaultTasksMax=512");
        ck_assert(u.limit_nofile.v == 8192 && u.limit_nofile_soft.v == 4096);
        ck_assert_ptr_nonnull(strstr(u.limit_nofile_note, "/etc/systemd/system.conf:3"));
        unit_info_done(&u);

        /* a drop-in of system.conf.d, and the unit's own values */
        write_file(root, "/usr/lib/systemd/system.conf.d/10-tasks.conf", "[Manager]\nDefaultTasksMax=700\n");
        write_file(root, "/etc/systemd/system/docker.service.d/x.conf",
                "[Service]\nLimitNOFILE=infinity\n[Unit]\nBindsTo=containerd.service\n");
        ck_assert_int_eq(unit_info_read_offline(root, false, "docker.service", &u, &err), 0);
        ck_assert(u.tasks_max.v == 700);
        ck_assert_ptr_nonnull(strstr(u.tasks_max_note, "/usr/lib/systemd/system.conf.d/10-tasks.conf:2"));
        ck_assert(u.limit_nofile.v == INF && u.limit_nofile_soft.v == INF);
        ck_assert_ptr_null(u.limit_nofile_note);
        ck_assert_str_eq(u.deps[UNIT_DEP_BINDS_TO][0], "containerd.service");
        ck_assert_uint_eq(strv_length(u.deps[UNIT_DEP_AFTER]), 0);
        unit_info_done(&u);

        /* no version anywhere: what system.conf does not say is unknown, with the reason */
        status = strdupf("%s/var/lib/dpkg/status", root);
        ck_assert_int_eq(unlink(status), 0);
        write_file(root, "/etc/systemd/system/docker.service.d/x.conf", "[Service]\nKillMode=process\n");
        ck_assert_int_eq(unit_info_read_offline(root, false, "docker.service", &u, &err), 0);
        ck_assert(u.tasks_max.v == 700); /* system.conf still says so */
        ck_assert(u.limit_nofile.v == 8192);
        ck_assert_str_eq(u.kill_mode, "process");
        free(status);
        status = strdupf("%s/etc/systemd/system.conf", root);
        ck_assert_int_eq(unlink(status), 0);
        unit_info_done(&u);
        ck_assert_int_eq(unit_info_read_offline(root, false, "docker.service", &u, &err), 0);
        ck_assert(!u.limit_nofile.set);
        ck_assert_str_eq(u.limit_nofile_note,
                "not set, and the systemd version of the image (its default) is unknown");
        unit_info_done(&u);
        remove_root(root);
}
END_TEST

/* The user manager: its hard limit is inherited (not in the files); user.conf of the config
 * home is read. */
START_TEST(test_offline_user_defaults)
{
        _cleanup_free_ char *root = make_root();
        _cleanup_(unit_info_done) UnitInfo u = {};
        _cleanup_free_ char *err = NULL;
        char *env[] = {(char *) "HOME=/home/u", (char *) "XDG_RUNTIME_DIR=/run/user/1000", NULL};

        write_file(root, "/home/u/.config/systemd/user/docker.service",
                "[Service]\nExecStart=/usr/bin/dockerd\n");
        write_file(root, "/var/lib/dpkg/status", DPKG_252);
        write_file(root, "/home/u/.config/systemd/user.conf", "[Manager]\nDefaultTasksMax=512\n");
        ck_assert_int_eq(unit_info_read_offline_env(root, true, "docker.service", env, &u, NULL, &err), 0);
        ck_assert_str_eq(u.load_state, "loaded");
        ck_assert(!u.limit_nofile.set);
        ck_assert_ptr_nonnull(strstr(u.limit_nofile_note, "user manager"));
        ck_assert(u.tasks_max.set && u.tasks_max.v == 512);
        ck_assert_str_eq(
                u.tasks_max_note, "default: DefaultTasksMax= at /home/u/.config/systemd/user.conf:2");
        remove_root(root);
}
END_TEST

static Suite *limits_suite(void)
{
        Suite *s = suite_create("unit-limits");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_limit_nofile_parse);
        tcase_add_test(tc, test_tasks_max_parse);
        tcase_add_test(tc, test_tasks_max_resolve);
        tcase_add_test(tc, test_limits_apply);
        tcase_add_test(tc, test_deps_apply);
        tcase_add_test(tc, test_offline_defaults);
        tcase_add_test(tc, test_offline_user_defaults);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(limits_suite());
}
