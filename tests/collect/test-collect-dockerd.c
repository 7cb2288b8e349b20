/* SPDX-License-Identifier: MIT */
/* dockerd's default daemon.json (src/collect/collect-dockerd.c): rootless, it follows the
 * environment dockerd runs with, the user manager's, not dockaudit's own. dockerd.version and
 * dockerd.validate_message (collect-dockerd-exec.c) asked of a stand-in dockerd: a script that
 * prints what dockerd prints (moby v23.0.0 cmd/dockerd/docker.go and daemon.go: "Docker version
 * X, build Y" for --version; for --validate "configuration OK" on stderr, exit 0, or the
 * error on stderr, exit 1). This machine's dockerd is 20.10, which has no --validate. */
#include <check.h>
#include <limits.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check-run.h"
#include "test-util.h"

#include "collect/collect-dockerd.h"
#include "formats/docker-api.h"

START_TEST(test_default_daemon_json_follows_manager_env)
{
        char root[64];
        char *env[] = {(char *) "HOME=/home/u", (char *) "XDG_CONFIG_HOME=", NULL};
        char *env_xdg[] = {(char *) "HOME=/home/u", (char *) "XDG_CONFIG_HOME=/cfg", NULL};
        _cleanup_facts_ Facts f = {}, g = {}, h = {};

        tmpdir_make(root, sizeof root, "collect-dockerd");
        put(root, "/home/u/.config/docker/daemon.json", "{\"live-restore\": true}\n");
        ck_assert_int_eq(setenv("HOME", "/elsewhere", 1), 0);
        ck_assert_int_eq(
                collect_dockerd_without_unit(&f,
                        &(CollectOptions){
                                .unit = "docker.service", .user = true, .root = root, .manager_env = env}),
                0);
        ck_assert_str_eq(facts_get_string(&f, "daemon_json.path"), "/home/u/.config/docker/daemon.json");
        ck_assert_int_eq(facts_get_bool(&f, "daemon_json.present"), 1);
        ck_assert_int_eq(collect_dockerd_without_unit(&g, &(CollectOptions){.unit = "docker.service",
                                                                  .user = true,
                                                                  .root = root,
                                                                  .manager_env = env_xdg}),
                0);
        ck_assert_str_eq(facts_get_string(&g, "daemon_json.path"), "/cfg/docker/daemon.json");
        /* the system manager's dockerd: always /etc/docker */
        ck_assert_int_eq(
                collect_dockerd_without_unit(
                        &h, &(CollectOptions){.unit = "docker.service", .root = root, .manager_env = env}),
                0);
        ck_assert_str_eq(facts_get_string(&h, "daemon_json.path"), "/etc/docker/daemon.json");
        ck_assert_int_eq(rm_rf(root), 0);
}
END_TEST

/* A stand-in dockerd at DIR/usr/bin/dockerd: prints version for --version; for --validate,
 * validate_out on stderr and exits validate_rc. */
static char *fake_dockerd(
        const char *dir, const char *version_line, const char *validate_out, int validate_rc)
{
        _cleanup_free_ char *script = strdupf("#!/bin/sh\n"
                                              "for a in \"$@\"; do\n"
                                              "  case $a in\n"
                                              "  --version) echo '%s'; exit 0 ;;\n"
                                              "  --validate) echo '%s' >&2; exit %d ;;\n"
                                              "  esac\n"
                                              "done\n"
                                              "sleep 30\n",
                version_line, validate_out, validate_rc);
        char *path = strdupf("%s/usr/bin/dockerd", dir);

        put(dir, "/usr/bin/dockerd", script);
        ck_assert_int_eq(chmod(path, 0755), 0);
        return path;
}

static void daemon_json_present(Facts *f)
{
        char *none[] = {NULL}, *unknown[] = {(char *) "log-format", NULL};

        ck_assert_int_eq(facts_set_bool(f, "daemon_json.present", true, "/etc/docker/daemon.json"), 0);
        ck_assert_int_eq(facts_set_bool(f, "daemon_json.valid", false, "/etc/docker/daemon.json"), 0);
        ck_assert_int_eq(facts_set_string(f, "daemon_json.error", "x", "/etc/docker/daemon.json"), 0);
        ck_assert_int_eq(facts_set_list(f, "daemon_json.unknown_keys", unknown, "table"), 0);
        (void) none;
}

START_TEST(test_version_from_binary)
{
        char dir[64];
        _cleanup_facts_ Facts f = {};
        _cleanup_free_ char *bin = NULL, *src = NULL;
        const Fact *v;

        tmpdir_make(dir, sizeof dir, "collect-dockerd-version");
        bin = fake_dockerd(dir, "Docker version 20.10.24+dfsg1, build 5d6db84", "", 0);
        ck_assert_int_eq(dockerd_version_fact(&f, &(CollectOptions){.unit = "docker.service"}, bin), 0);
        v = facts_get(&f, "dockerd.version");
        ck_assert(v->known);
        ck_assert_str_eq(v->str, "20.10.24+dfsg1");
        src = strdupf("`%s --version`", bin);
        ck_assert_str_eq(v->source, src);
        /* dockerd 20.10 has no --validate: not run */
        ck_assert_int_eq(dockerd_validate_facts(&f, &(CollectOptions){.unit = "docker.service"},
                                 (char *[]){bin, (char *) "--config-file", (char *) "/x.json", NULL}),
                0);
        ck_assert(!facts_get(&f, "dockerd.validate_message")->known);
        ck_assert_ptr_nonnull(strstr(facts_get(&f, "dockerd.validate_message")->reason, "23.0"));
        ck_assert_int_eq(rm_rf(dir), 0);
}
END_TEST

/* A binary that does not answer: killed at the deadline, and the version comes from elsewhere
 * (this host's dpkg database or nothing), never from the binary. Offline nothing is run. */
START_TEST(test_version_binary_hangs)
{
        char dir[64];
        _cleanup_facts_ Facts f = {}, g = {};
        _cleanup_free_ char *bin = NULL;
        struct timespec a, b;
        const Fact *v;

        tmpdir_make(dir, sizeof dir, "collect-dockerd-hang");
        bin = fake_dockerd(dir, "", "", 0);
        put(dir, "/usr/bin/dockerd", "#!/bin/sh\nexec sleep 30\n");
        clock_gettime(CLOCK_MONOTONIC, &a);
        ck_assert_int_eq(dockerd_version_fact(&f,
                                 &(CollectOptions){.unit = "docker.service",
                                         .deadline_usec = deadline_now_usec() + 300000ULL},
                                 bin),
                0);
        clock_gettime(CLOCK_MONOTONIC, &b);
        ck_assert_int_lt(b.tv_sec - a.tv_sec, 3);
        v = facts_get(&f, "dockerd.version");
        ck_assert(!v->known || !startswith(v->source, "`"));
        if (!v->known)
                ck_assert_ptr_nonnull(strstr(v->reason, "did not answer in time"));
        /* --root: the image's binary is never run; no dpkg database there: unknown */
        ck_assert_int_eq(
                dockerd_version_fact(&g, &(CollectOptions){.unit = "docker.service", .root = dir}, bin), 0);
        ck_assert(!facts_get(&g, "dockerd.version")->known);
        ck_assert_ptr_nonnull(strstr(facts_get(&g, "dockerd.version")->reason, "offline"));
        ck_assert_int_eq(rm_rf(dir), 0);
}
END_TEST

/* Engine 23+: `dockerd ... --validate` is the final word on the keys. */
START_TEST(test_validate_unknown_keys)
{
        char dir[64];
        _cleanup_facts_ Facts f = {};
        _cleanup_free_ char *bin = NULL;
        const Fact *k;

        tmpdir_make(dir, sizeof dir, "collect-dockerd-validate");
        /* the shell quotes the apostrophe: '...don'\''t...' */
        bin = fake_dockerd(dir, "Docker version 25.0.3, build 4debf41",
                "unable to configure the Docker daemon with file /etc/docker/daemon.json: the following "
                "directives don'\\''t match any configuration option: containerd-plugin-namespace, foo",
                1);
        ck_assert_int_eq(dockerd_version_fact(&f, &(CollectOptions){.unit = "docker.service"}, bin), 0);
        ck_assert_str_eq(facts_get_string(&f, "dockerd.version"), "25.0.3");
        daemon_json_present(&f);
        ck_assert_int_eq(dockerd_validate_facts(&f, &(CollectOptions){.unit = "docker.service"},
                                 (char *[]){bin, (char *) "-H", (char *) "fd://", NULL}),
                0);
        ck_assert_str_eq(facts_get_string(&f, "dockerd.validate_message"),
                "unable to configure the Docker daemon with file /etc/docker/daemon.json: the following "
                "directives don't match any configuration option: containerd-plugin-namespace, foo");
        k = facts_get(&f, "daemon_json.unknown_keys");
        ck_assert_uint_eq(strv_length(k->list), 2);
        ck_assert_str_eq(k->list[0], "containerd-plugin-namespace");
        ck_assert_str_eq(k->list[1], "foo");
        ck_assert_ptr_nonnull(strstr(k->source, "--validate"));
        ck_assert_int_eq(facts_get_bool(&f, "daemon_json.valid"), 0);
        ck_assert_int_eq(rm_rf(dir), 0);
}
END_TEST

/* "configuration OK": dockerd accepts the file, whatever our table said. */
START_TEST(test_validate_ok)
{
        char dir[64];
        _cleanup_facts_ Facts f = {};
        _cleanup_free_ char *bin = NULL;

        tmpdir_make(dir, sizeof dir, "collect-dockerd-validate-ok");
        bin = fake_dockerd(dir, "Docker version 27.5.1, build 9f9e405", "configuration OK", 0);
        ck_assert_int_eq(dockerd_version_fact(&f, &(CollectOptions){.unit = "docker.service"}, bin), 0);
        daemon_json_present(&f);
        ck_assert_int_eq(dockerd_validate_facts(
                                 &f, &(CollectOptions){.unit = "docker.service"}, (char *[]){bin, NULL}),
                0);
        ck_assert_str_eq(facts_get_string(&f, "dockerd.validate_message"), "");
        ck_assert_uint_eq(strv_length(facts_get(&f, "daemon_json.unknown_keys")->list), 0);
        ck_assert_int_eq(facts_get_bool(&f, "daemon_json.valid"), 1);
        ck_assert_str_eq(facts_get_string(&f, "daemon_json.error"), "");
        ck_assert_int_eq(rm_rf(dir), 0);
}
END_TEST

/* dpkg's database under --root gives the version offline, when the package ships the unit's
 * binary (its file list names it); a dockerd of another origin is not the package's. */
START_TEST(test_version_from_dpkg)
{
        char dir[64];
        _cleanup_facts_ Facts f = {};

        tmpdir_make(dir, sizeof dir, "collect-dockerd-dpkg");
        put(dir, "/var/lib/dpkg/status",
                "Package: docker-ce\nStatus: install ok installed\nVersion: "
                "5:24.0.7-1~ubuntu.22.04~jammy\n");
        put(dir, "/var/lib/dpkg/info/docker-ce.list", "/.\n/usr\n/usr/bin\n/usr/bin/dockerd\n");
        ck_assert_int_eq(dockerd_version_fact(&f, &(CollectOptions){.unit = "docker.service", .root = dir},
                                 "/usr/bin/dockerd"),
                0);
        ck_assert_str_eq(facts_get_string(&f, "dockerd.version"), "24.0.7");
        ck_assert_str_eq(
                facts_get(&f, "dockerd.version")->source, "/var/lib/dpkg/status, package docker-ce");

        ck_assert_int_eq(dockerd_version_fact(&f, &(CollectOptions){.unit = "docker.service", .root = dir},
                                 "/usr/local/bin/dockerd"),
                0);
        ck_assert_ptr_null(facts_get_string(&f, "dockerd.version"));
        ck_assert_int_eq(rm_rf(dir), 0);
}
END_TEST

/* The running dockerd (unit.main_pid) runs the unit's binary as it is on disk: its
 * ServerVersion is the installed version, and nothing is run. Here the "dockerd" is this test
 * program itself (its name says dockerd). */
START_TEST(test_version_from_running)
{
        _cleanup_facts_ Facts f = {};
        char self[PATH_MAX], proc[64];
        ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
        struct stat a, b;

        ck_assert_int_gt(n, 0);
        self[n] = 0;
        /* under valgrind this process runs valgrind's tool (/proc/PID/exe), whatever readlink of
         * /proc/self/exe says: nothing to compare with */
        ck_assert_int_eq(stat(self, &a), 0);
        snprintf(proc, sizeof proc, "/proc/%d/exe", (int) getpid());
        if (stat(proc, &b) < 0 || a.st_ino != b.st_ino || a.st_dev != b.st_dev)
                return;
        ck_assert_int_eq(facts_set_number(&f, "unit.main_pid", getpid(), NULL), 0);
        ck_assert_int_eq(facts_set_version(&f, "docker.server_version", "20.10.24+dfsg1",
                                 "docker-api:/v1.41/info ServerVersion"),
                0);
        ck_assert_int_eq(dockerd_version_fact(&f, &(CollectOptions){.unit = "docker.service"}, self), 0);
        ck_assert_str_eq(facts_get_string(&f, "dockerd.version"), "20.10.24+dfsg1");
        ck_assert_ptr_nonnull(strstr(facts_get(&f, "dockerd.version")->source, "the running dockerd"));
}
END_TEST

int main(void)
{
        Suite *s = suite_create("collect-dockerd");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_default_daemon_json_follows_manager_env);
        tcase_add_test(tc, test_version_from_binary);
        tcase_add_test(tc, test_version_binary_hangs);
        tcase_add_test(tc, test_validate_unknown_keys);
        tcase_add_test(tc, test_validate_ok);
        tcase_add_test(tc, test_version_from_dpkg);
        tcase_add_test(tc, test_version_from_running);
        suite_add_tcase(s, tc);
        return check_run(s);
}
