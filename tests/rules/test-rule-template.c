/* SPDX-License-Identifier: MIT */
/* Message templates (rule-template.c): rendering against facts, and the check of each line
 * of a message when a rule file is read. */
#include <check.h>

#include "check-run.h"

#include "rules/rules.h"

START_TEST(test_render_template)
{
        _cleanup_facts_ Facts f = {};
        char *list[] = {(char *) "live-restore", (char *) "hosts", NULL};
        _cleanup_free_ char *s = NULL;

        ck_assert_int_eq(facts_set_string(&f, "unit.mount_flags", "slave",
                                 "/etc/systemd/system/docker.service.d/mountflags-slave.conf:2"),
                0);
        ck_assert_int_eq(facts_set_bool(&f, "dockerd.live_restore", true, NULL), 0);
        ck_assert_int_eq(
                facts_set_list(&f, "dockerd.conflicting_options", list, "/etc/docker/daemon.json"), 0);
        ck_assert_int_eq(facts_set_unknown(&f, "kernel.release", "permission denied"), 0);
        ck_assert_int_eq(
                facts_set_number(&f, "kernel.may_detach_mounts", 0, "/proc/sys/fs/may_detach_mounts"), 0);

        ck_assert_int_eq(
                rule_render_template("MountFlags=${unit.mount_flags} (${unit.mount_flags@source})", &f, &s),
                0);
        ck_assert_str_eq(
                s, "MountFlags=slave (/etc/systemd/system/docker.service.d/mountflags-slave.conf:2)");
        free(s);

        ck_assert_int_eq(
                rule_render_template(
                        "live-restore ${dockerd.live_restore}   from\t${dockerd.live_restore@source}"
                        "\n  costs $$5, options: ${dockerd.conflicting_options}",
                        &f, &s),
                0);
        ck_assert_str_eq(s, "live-restore true from unknown source costs $5, options: live-restore, hosts");
        free(s);

        ck_assert_int_eq(
                rule_render_template("${kernel.release} ${kernel.release@source} ${unit.name} "
                                     "${kernel.may_detach_mounts}=${kernel.may_detach_mounts@source}",
                        &f, &s),
                0);
        ck_assert_str_eq(s, "unknown (permission denied) unknown source unknown (not collected) "
                            "0=/proc/sys/fs/may_detach_mounts");
        free(s);
        s = NULL;

        ck_assert_int_eq(rule_render_template("$", &f, &s), -EINVAL);
        ck_assert_int_eq(rule_render_template("${unit.name", &f, &s), -EINVAL);
        ck_assert_int_eq(rule_render_template("${unit.name@where}", &f, &s), -EINVAL);
        ck_assert_int_eq(rule_render_template("cost $5", &f, &s), -EINVAL);
        ck_assert_ptr_null(s);

        ck_assert_int_eq(rule_render_template("", &f, &s), 0);
        ck_assert_str_eq(s, "");
}
END_TEST

START_TEST(test_template_check)
{
        _cleanup_free_ char *err = NULL;

        ck_assert_int_eq(
                rule_template_check("costs $$5: ${unit.mount_flags} (${unit.mount_flags@source})", &err), 0);
        ck_assert_ptr_null(err);
        ck_assert_int_eq(rule_template_check("", NULL), 0);

        ck_assert_int_eq(rule_template_check("cost $5", &err), -EINVAL);
        ck_assert_str_eq(err, "message: '$' must start ${fact} or ${fact@source} (write $$ for a '$')");
        ck_assert_int_eq(rule_template_check("${unit.name", &err), -EINVAL);
        ck_assert_str_eq(err, "message: '${' without a closing '}'");
        ck_assert_int_eq(rule_template_check("${unit.name@value}", &err), -EINVAL);
        ck_assert_str_eq(
                err, "message: unknown suffix '@value' in ${unit.name@value} (only @source exists)");
        ck_assert_int_eq(rule_template_check("ok ${unit.mountflags@source}", &err), -EINVAL);
        ck_assert_str_eq(err, "message: unknown fact 'unit.mountflags'");
        ck_assert_int_eq(rule_template_check("$", NULL), -EINVAL);
}
END_TEST

static Suite *rule_template_suite(void)
{
        Suite *s = suite_create("rule-template");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_render_template);
        tcase_add_test(tc, test_template_check);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(rule_template_suite());
}
