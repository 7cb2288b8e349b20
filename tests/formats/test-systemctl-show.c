/* SPDX-License-Identifier: MIT */
/* `systemctl show` output (src/formats/systemctl-show.c) and the UnitInfo made of it
 * (src/formats/unit-show.c): systemd 252's layout (tests/fixtures/sos, made with it) and
 * systemd 219's (RHEL 7: MountFlags as a number, EnvironmentFile=), and bad input. */
#include <check.h>
#include <sys/mount.h>

#include "check-run.h"

#include "formats/unit-show.h"

/* Two services as sos keeps them (blocks separated by an empty line; Id= in the middle). */
static const char show_252[] =
        "Type=simple\n"
        "MainPID=0\n"
        "ExecStart={ path=/usr/bin/gpg-agent ; argv[]=/usr/bin/gpg-agent --supervised ; ignore_errors=no ; "
        "start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ; status=0/0 }\n"
        "Id=gpg-agent.service\n"
        "LoadState=loaded\n"
        "ActiveState=inactive\n"
        "\n"
        "Type=notify\n"
        "MainPID=17367\n"
        "ExecStart={ path=/usr/sbin/dockerd ; argv[]=/usr/sbin/dockerd -H fd:// $DOCKER_OPTS ; "
        "ignore_errors=no ; "
        "start_time=[Mon 2026-11-30 09:22:52 UTC] ; stop_time=[n/a] ; pid=17367 ; code=(null) ; status=0/0 "
        "}\n"
        "Environment=\"HTTP_PROXY=http://proxy:3128\" A=1\n"
        "EnvironmentFiles=/etc/default/docker (ignore_errors=yes)\n"
        "EnvironmentFiles=/etc/sysconfig/docker-storage (ignore_errors=no)\n"
        "MountFlags=slave\n"
        "Id=docker.service\n"
        "Names=docker.service moby.service\n"
        "LoadState=loaded\n"
        "ActiveState=active\n"
        "FragmentPath=/lib/systemd/system/docker.service\n"
        "DropInPaths=/etc/systemd/system/docker.service.d/http-proxy.conf "
        "/run/systemd/system/docker.service.d/x.conf\n"
        "NeedDaemonReload=no\n"
        "LimitNOFILE=infinity\n"
        "LimitNOFILESoft=1024\n"
        "TasksMax=4915\n"
        "TasksCurrent=[not set]\n"
        "KillMode=process\n"
        "BindsTo=containerd.service\n"
        "After=network-online.target docker.socket containerd.service\n"
        "TriggeredBy=docker.socket\n"
        "UnitFileState=enabled\n";

/* systemd 219 (RHEL 7.x) prints MountFlags as the number and EnvironmentFile= per file. */
static const char show_219[] =
        "Id=docker.service\n"
        "Names=docker.service\n"
        "LoadState=loaded\n"
        "ActiveState=active\n"
        "MainPID=1234\n"
        "MountFlags=524288\n"
        "EnvironmentFile=/etc/sysconfig/docker (ignore_errors=yes)\n"
        "ExecStart={ path=/usr/bin/dockerd-current ; argv[]=/usr/bin/dockerd-current "
        "--add-runtime docker-runc=/usr/libexec/docker/docker-runc-current $OPTIONS ; "
        "ignore_errors=no ; start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ; "
        "status=0/0 }\n"
        "FragmentPath=/usr/lib/systemd/system/docker.service\n"
        "DropInPaths=\n"
        "NeedDaemonReload=yes\n";

START_TEST(test_parse_blocks)
{
        _cleanup_(systemctl_show_done) SystemctlShow s = {};
        _cleanup_free_ char *err = NULL;
        const ShowBlock *b;
        const ShowProperty *p;

        ck_assert_int_eq(systemctl_show_parse(show_252, strlen(show_252), &s, &err), 0);
        ck_assert_uint_eq(s.n, 2);
        b = systemctl_show_find(&s, "docker.service");
        ck_assert_ptr_eq(b, &s.v[1]);
        ck_assert_ptr_eq(systemctl_show_find(&s, "moby.service"), &s.v[1]);
        ck_assert_ptr_eq(systemctl_show_find(&s, "gpg-agent.service"), &s.v[0]);
        ck_assert_ptr_null(systemctl_show_find(&s, "docker"));
        p = show_block_get(b, "EnvironmentFiles");
        ck_assert_str_eq(p->value, "/etc/default/docker (ignore_errors=yes)");
        ck_assert_uint_eq(p->line, 12);
        p = show_block_next(b, p);
        ck_assert_str_eq(p->value, "/etc/sysconfig/docker-storage (ignore_errors=no)");
        ck_assert_ptr_null(show_block_next(b, p));
        ck_assert_ptr_null(show_block_get(b, "NoSuchKey"));
}
END_TEST

START_TEST(test_unit_252)
{
        _cleanup_(systemctl_show_done) SystemctlShow s = {};
        _cleanup_(unit_info_done) UnitInfo u = {};
        _cleanup_free_ char *err = NULL;
        unsigned line;

        ck_assert_int_eq(systemctl_show_parse(show_252, strlen(show_252), &s, &err), 0);
        ck_assert_int_eq(unit_info_from_show(systemctl_show_find(&s, "docker.service"), &u, &err, &line), 0);
        ck_assert_str_eq(u.name, "docker.service");
        ck_assert_str_eq(u.load_state, "loaded");
        ck_assert_str_eq(u.active_state, "active");
        ck_assert_ptr_null(u.load_error);
        ck_assert_str_eq(u.fragment_path, "/lib/systemd/system/docker.service");
        ck_assert_str_eq(u.dropin_paths[0], "/etc/systemd/system/docker.service.d/http-proxy.conf");
        ck_assert_str_eq(u.dropin_paths[1], "/run/systemd/system/docker.service.d/x.conf");
        ck_assert_ptr_null(u.dropin_paths[2]);
        ck_assert(!u.need_daemon_reload);
        ck_assert_int_eq(u.main_pid, 17367);
        ck_assert_uint_eq(u.mount_flags, MS_SLAVE);
        ck_assert_uint_eq(u.n_exec_start, 1);
        ck_assert_str_eq(u.exec_start[0].path, "/usr/sbin/dockerd");
        ck_assert_str_eq(u.exec_start[0].argv[0], "/usr/sbin/dockerd");
        ck_assert_str_eq(u.exec_start[0].argv[2], "fd://");
        ck_assert_str_eq(u.exec_start[0].argv[3], "$DOCKER_OPTS");
        ck_assert_ptr_null(u.exec_start[0].argv[4]);
        ck_assert_str_eq(u.environment[0], "HTTP_PROXY=http://proxy:3128");
        ck_assert_str_eq(u.environment[1], "A=1");
        ck_assert_ptr_null(u.environment[2]);
        ck_assert_uint_eq(u.n_environment_files, 2);
        ck_assert_str_eq(u.environment_files[0].path, "/etc/default/docker");
        ck_assert(u.environment_files[0].ignore_missing);
        ck_assert_str_eq(u.environment_files[1].path, "/etc/sysconfig/docker-storage");
        ck_assert(!u.environment_files[1].ignore_missing);
        ck_assert(!u.offline);
        ck_assert_int_eq(u.manager_pid, 0);
        /* the limits, KillMode and dependencies the D-Bus reader reads too */
        ck_assert(u.limit_nofile.set && u.limit_nofile.v == UINT64_MAX);
        ck_assert(u.limit_nofile_soft.set && u.limit_nofile_soft.v == 1024);
        ck_assert(u.tasks_max.set && u.tasks_max.v == 4915);
        ck_assert(!u.tasks_current.set); /* [not set]: not accounted */
        ck_assert_str_eq(u.kill_mode, "process");
        ck_assert_str_eq(u.deps[UNIT_DEP_BINDS_TO][0], "containerd.service");
        ck_assert_str_eq(u.deps[UNIT_DEP_AFTER][2], "containerd.service");
        ck_assert_ptr_null(u.deps[UNIT_DEP_WANTS]); /* not in the output: not reported */
        ck_assert_str_eq(u.triggered_by[0], "docker.socket");
        ck_assert_str_eq(u.unit_file_state, "enabled");
}
END_TEST

START_TEST(test_unit_219)
{
        _cleanup_(systemctl_show_done) SystemctlShow s = {};
        _cleanup_(unit_info_done) UnitInfo u = {};
        _cleanup_free_ char *err = NULL;
        unsigned line;

        ck_assert_int_eq(systemctl_show_parse(show_219, strlen(show_219), &s, &err), 0);
        ck_assert_int_eq(unit_info_from_show(systemctl_show_find(&s, "docker.service"), &u, &err, &line), 0);
        ck_assert_uint_eq(u.mount_flags, MS_SLAVE);
        ck_assert(u.need_daemon_reload);
        ck_assert_ptr_null(u.dropin_paths[0]);
        ck_assert_uint_eq(u.n_environment_files, 1);
        ck_assert_str_eq(u.environment_files[0].path, "/etc/sysconfig/docker");
        ck_assert_str_eq(u.exec_start[0].argv[2], "docker-runc=/usr/libexec/docker/docker-runc-current");
        ck_assert_ptr_null(u.environment[0]);
}
END_TEST

START_TEST(test_not_found)
{
        static const char text[] =
                "Id=docker.service\nLoadState=not-found\nActiveState=inactive\n"
                "LoadError=org.freedesktop.systemd1.NoSuchUnit \"Unit docker.service not found.\"\n"
                "FragmentPath=\nExecStart=\n";
        _cleanup_(systemctl_show_done) SystemctlShow s = {};
        _cleanup_(unit_info_done) UnitInfo u = {};
        _cleanup_free_ char *err = NULL;
        unsigned line;

        ck_assert_int_eq(systemctl_show_parse(text, strlen(text), &s, &err), 0);
        ck_assert_int_eq(unit_info_from_show(&s.v[0], &u, &err, &line), 0);
        ck_assert_str_eq(u.load_state, "not-found");
        ck_assert_str_eq(u.fragment_path, "");
        ck_assert_uint_eq(u.n_exec_start, 0);
        ck_assert_ptr_nonnull(strstr(u.load_error, "not found"));
}
END_TEST

/* Input that is not systemctl show, and values that cannot be read: the key and line named. */
START_TEST(test_bad)
{
        static const struct {
                const char *text, *error;
                unsigned line;
        } bad[] = {
                {"Id=docker.service\nMountFlags=sideways\nLoadState=loaded\nActiveState=active\n",
                        "MountFlags=: cannot read 'sideways'", 2},
                {"Id=docker.service\nLoadState=loaded\nActiveState=active\nMainPID=-1\n", "MainPID=", 4},
                {"Id=docker.service\nLoadState=loaded\nActiveState=active\nNeedDaemonReload=maybe\n",
                        "NeedDaemonReload=", 4},
                {"Id=docker.service\nLoadState=loaded\nActiveState=active\nExecStart={ path=/x }\n",
                        "ExecStart=", 4},
                {"Id=docker.service\nLoadState=loaded\nActiveState=active\nEnvironmentFiles=/etc/x\n",
                        "EnvironmentFiles=", 4},
                {"Id=docker.service\nLoadState=loaded\nActiveState=active\nEnvironment=\"A=1\n",
                        "Environment=", 4},
                {"Id=docker.service\nActiveState=active\n", "LoadState= missing", 0},
        };

        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                _cleanup_(systemctl_show_done) SystemctlShow s = {};
                _cleanup_(unit_info_done) UnitInfo u = {};
                _cleanup_free_ char *err = NULL;
                unsigned line = 99;

                ck_assert_int_eq(systemctl_show_parse(bad[i].text, strlen(bad[i].text), &s, &err), 0);
                ck_assert_int_eq(unit_info_from_show(&s.v[0], &u, &err, &line), -EBADMSG);
                ck_assert_msg(strstr(err, bad[i].error), "case %zu: %s", i, err);
                ck_assert_uint_eq(line, bad[i].line);
        }
}
END_TEST

START_TEST(test_parse_errors)
{
        static const char nul[] = "Id=a\0b\n";
        _cleanup_(systemctl_show_done) SystemctlShow s = {};
        char *err = NULL;

        ck_assert_int_eq(systemctl_show_parse("Id=x\nno equals\n", 15, &s, &err), -EBADMSG);
        ck_assert_str_eq(err, "line 2: not Key=Value");
        free(err);
        err = NULL;
        ck_assert_int_eq(systemctl_show_parse("=value\n", 7, &s, &err), -EBADMSG);
        free(err);
        err = NULL;
        ck_assert_int_eq(systemctl_show_parse(nul, sizeof nul - 1, &s, &err), -EBADMSG);
        free(err);
        err = NULL;
        /* Empty output, CRLF, blank lines only: no error. */
        ck_assert_int_eq(systemctl_show_parse("", 0, &s, &err), 0);
        ck_assert_uint_eq(s.n, 0);
        ck_assert_int_eq(systemctl_show_parse("\n\nId=x\r\n\n\n", 10, &s, &err), 0);
        ck_assert_uint_eq(s.n, 1);
        ck_assert_str_eq(s.v[0].v[0].value, "x");
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("systemctl-show");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_parse_blocks);
        tcase_add_test(tc, test_unit_252);
        tcase_add_test(tc, test_unit_219);
        tcase_add_test(tc, test_not_found);
        tcase_add_test(tc, test_bad);
        tcase_add_test(tc, test_parse_errors);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
