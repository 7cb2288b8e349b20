/* SPDX-License-Identifier: MIT */
/* dockerd's default daemon.json (src/collect/collect-dockerd.c): rootless, it follows the
 * environment dockerd runs with, the user manager's, not dockaudit's own. */
#include <check.h>

#include "check-run.h"
#include "test-util.h"

#include "collect/collect-dockerd.h"

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

int main(void)
{
        Suite *s = suite_create("collect-dockerd");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_default_daemon_json_follows_manager_env);
        suite_add_tcase(s, tc);
        return check_run(s);
}
