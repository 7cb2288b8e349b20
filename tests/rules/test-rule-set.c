/* SPDX-License-Identifier: MIT */
/* Rule sets (rule-set.c): the shipped set, override and disable by file name, ids that
 * clash, a bad file failing the whole set. */
#include <check.h>

#include "check-run.h"
#include "test-util.h"
#include <sys/stat.h>

#include "rules/rules.h"

#define BAD FIXTURES "/rules/bad/"
#define SHIPPED FIXTURES "/../../rules"

START_TEST(test_shipped_rules)
{
        static const struct {
                const char *id;
                Severity severity;
                size_t n_fixes;
        } expect[] = {
                {"containers-exec-broken-after-restart", SEVERITY_MEDIUM, 0},
                {"daemon-json-invalid", SEVERITY_HIGH, 0},
                {"dead-containers", SEVERITY_MEDIUM, 0},
                {"detach-mounts-disabled", SEVERITY_HIGH, 1},
                {"kernel-leaks-mounts", SEVERITY_HIGH, 0},
                {"leaked-container-mounts", SEVERITY_HIGH, 0},
                {"leaked-container-mounts-fixed-kernel", SEVERITY_LOW, 0},
                {"live-restore-with-swarm", SEVERITY_MEDIUM, 1},
                {"mountflags-slave-on-fixed-kernel", SEVERITY_MEDIUM, 1},
                {"mountflags-slave-with-live-restore", SEVERITY_HIGH, 2},
                {"option-set-twice", SEVERITY_HIGH, 0},
                {"restart-pending", SEVERITY_MEDIUM, 0},
                {"unit-needs-daemon-reload", SEVERITY_MEDIUM, 0},
        };
        char *dirs[] = {(char *) SHIPPED, NULL};
        _cleanup_(rule_set_done) RuleSet set = {};
        _cleanup_free_ char *err = NULL;
        const Rule *r;
        const RuleFix *fx;

        ck_assert_msg(rule_set_load(&set, dirs, &err) == 0, "%s", err);
        ck_assert_uint_eq(set.n, ELEMENTSOF(expect));
        ck_assert_uint_eq(strv_length(set.disabled), 0);
        for (size_t i = 0; i < set.n; i++) {
                r = set.rules[i];
                ck_assert_str_eq(r->id, expect[i].id);
                ck_assert_int_eq(r->severity, expect[i].severity);
                ck_assert_uint_eq(r->n_fixes, expect[i].n_fixes);
                ck_assert_ptr_nonnull(r->rationale);
                ck_assert_ptr_nonnull(r->when);
                ck_assert_uint_ge(strv_length(r->references), 1);
                for (char **u = r->references; *u; u++)
                        ck_assert_ptr_nonnull(startswith(*u, "https://"));
                ck_assert_ptr_eq(rule_set_find(&set, expect[i].id), r);
        }
        ck_assert_ptr_null(rule_set_find(&set, "no-such-rule"));

        r = rule_set_find(&set, "mountflags-slave-with-live-restore");
        fx = &r->fixes[0];
        ck_assert_ptr_null(fx->name);
        ck_assert_str_eq(fx->when_text, "!kernel.leaks_mounts");
        ck_assert(fx->restart_needed);
        ck_assert_ptr_nonnull(strstr(fx->note, "recreated"));
        ck_assert_uint_eq(fx->n_actions, 1);
        ck_assert_int_eq(fx->actions[0].type, FIX_ACTION_DROPIN);
        ck_assert_str_eq(fx->actions[0].section, "Service");
        ck_assert_str_eq(fx->actions[0].key, "MountFlags");
        ck_assert_str_eq(fx->actions[0].value, "shared");
        fx = &r->fixes[1];
        ck_assert_str_eq(fx->name, "keep-slave");
        ck_assert(!fx->restart_needed);
        ck_assert_uint_eq(fx->n_actions, 1);
        ck_assert_int_eq(fx->actions[0].type, FIX_ACTION_DAEMON_JSON);
        ck_assert_str_eq(fx->actions[0].key, "live-restore");
        ck_assert_str_eq(fx->actions[0].value, "false");

        r = rule_set_find(&set, "detach-mounts-disabled");
        ck_assert_int_eq(r->fixes[0].actions[0].type, FIX_ACTION_SYSCTL);
        ck_assert_str_eq(r->fixes[0].actions[0].key, "fs.may_detach_mounts");
        ck_assert_str_eq(r->fixes[0].actions[0].value, "1");
        ck_assert_ptr_nonnull(strstr(r->message, "28"));

        r = rule_set_find(&set, "mountflags-slave-on-fixed-kernel");
        ck_assert_str_eq(r->fixes[0].actions[0].value, "shared");
        ck_assert(r->fixes[0].restart_needed);

        r = rule_set_find(&set, "kernel-leaks-mounts");
        ck_assert_ptr_nonnull(strstr(r->message, "${kernel.release}"));
        r = rule_set_find(&set, "daemon-json-invalid");
        ck_assert_ptr_nonnull(strstr(r->message, "${daemon_json.error}"));
}
END_TEST

static void assert_rule(const RuleSet *set, size_t i, const char *id, const char *title, const char *dir)
{
        ck_assert_str_eq(set->rules[i]->id, id);
        ck_assert_str_eq(set->rules[i]->title, title);
        ck_assert_ptr_nonnull(startswith(set->rules[i]->path, dir));
}

START_TEST(test_override_by_name)
{
        char *dirs[] = {(char *) FIXTURES "/rules/high", (char *) FIXTURES "/rules/low",
                (char *) FIXTURES "/rules/no-such-dir", NULL};
        _cleanup_(rule_set_done) RuleSet set = {};
        _cleanup_free_ char *err = NULL;

        ck_assert_msg(rule_set_load(&set, dirs, &err) == 0, "%s", err);
        ck_assert_uint_eq(set.n, 4);
        assert_rule(&set, 0, "alpha", "alpha from low", FIXTURES "/rules/low/");
        assert_rule(&set, 1, "beta", "beta from high", FIXTURES "/rules/high/");
        ck_assert_int_eq(set.rules[1]->severity, SEVERITY_HIGH);
        assert_rule(&set, 2, "delta", "delta from high", FIXTURES "/rules/high/");
        assert_rule(&set, 3, "gamma", "gamma from low", FIXTURES "/rules/low/");
        ck_assert_uint_eq(strv_length(set.disabled), 0);

        /* Priority is the order given: low first now wins for beta. */
        rule_set_done(&set);
        dirs[0] = (char *) FIXTURES "/rules/low";
        dirs[1] = (char *) FIXTURES "/rules/high";
        ck_assert_msg(rule_set_load(&set, dirs, &err) == 0, "%s", err);
        ck_assert_uint_eq(set.n, 4);
        assert_rule(&set, 1, "beta", "beta from low", FIXTURES "/rules/low/");
}
END_TEST

START_TEST(test_disable_by_dev_null_and_empty_file)
{
        char tmp[64];
        _cleanup_free_ char *link = NULL, *err = NULL;
        _cleanup_(rule_set_done) RuleSet set = {};
        char *dirs[] = {tmp, (char *) FIXTURES "/rules/high", (char *) FIXTURES "/rules/low", NULL};

        tmpdir_make(tmp, sizeof tmp, "rules");
        link = strdupf("%s/gamma.rule", tmp);
        ck_assert_int_eq(symlink("/dev/null", link), 0);
        put(tmp, "alpha.rule", "");

        ck_assert_int_eq(rule_file_disables(link), 1);
        ck_assert_int_eq(rule_file_disables(FIXTURES "/rules/low/gamma.rule"), 0);

        ck_assert_msg(rule_set_load(&set, dirs, &err) == 0, "%s", err);
        ck_assert_uint_eq(set.n, 2);
        ck_assert_str_eq(set.rules[0]->id, "beta");
        ck_assert_str_eq(set.rules[1]->id, "delta");
        ck_assert_uint_eq(strv_length(set.disabled), 2);
        ck_assert_str_eq(set.disabled[0], "alpha");
        ck_assert_str_eq(set.disabled[1], "gamma");
        ck_assert_ptr_null(rule_set_find(&set, "gamma"));

        ck_assert_int_eq(rm_rf(tmp), 0);
}
END_TEST

/* Two file names cannot declare one id: the id must be the file name, so a copy under
 * another name is refused, naming its file and line. */
START_TEST(test_duplicate_id_refused)
{
        char tmp[64];
        _cleanup_free_ char *err = NULL, *want = NULL;
        _cleanup_(rule_set_done) RuleSet set = {};
        char *dirs[] = {tmp, (char *) FIXTURES "/rules/low", NULL};

        tmpdir_make(tmp, sizeof tmp, "rules");
        put(tmp, "dup.rule", "[rule]\nid = alpha\ntitle = t\nseverity = low\nwhen = true\nmessage = m\n");
        ck_assert_int_eq(rule_set_load(&set, dirs, &err), -EINVAL);
        want = strdupf("%s/dup.rule:2: id 'alpha' does not match the file name dup.rule (a rule file is "
                       "named ID.rule)",
                tmp);
        ck_assert_str_eq(err, want);
        ck_assert_uint_eq(set.n, 0);
        ck_assert_ptr_null(set.rules);
        ck_assert_int_eq(rm_rf(tmp), 0);
}
END_TEST

START_TEST(test_bad_file_fails_the_set)
{
        char *dirs[] = {(char *) FIXTURES "/rules/low", (char *) FIXTURES "/rules/bad", NULL};
        _cleanup_(rule_set_done) RuleSet set = {};
        _cleanup_free_ char *err = NULL;

        ck_assert_int_eq(rule_set_load(&set, dirs, &err), -EINVAL);
        /* Files load in name order: bad-fix-name.rule is the first. */
        ck_assert_str_eq(err,
                BAD "bad-fix-name.rule:4: bad section header: expected [fix] or [fix \"NAME\"] "
                    "(NAME: letters, digits, '_', '.', '-')");
        ck_assert_uint_eq(set.n, 0);
}
END_TEST

START_TEST(test_directory_named_rule)
{
        char tmp[64];
        _cleanup_free_ char *sub = NULL, *err = NULL, *want = NULL;
        _cleanup_(rule_set_done) RuleSet set = {};
        char *dirs[] = {tmp, NULL};

        tmpdir_make(tmp, sizeof tmp, "rules");
        sub = strdupf("%s/sub.rule", tmp);
        ck_assert_int_eq(mkdir(sub, 0755), 0);
        ck_assert_int_eq(rule_set_load(&set, dirs, &err), -EISDIR);
        want = strdupf("%s: cannot read: Is a directory", sub);
        ck_assert_str_eq(err, want);
        ck_assert_int_eq(rm_rf(tmp), 0);
}
END_TEST

START_TEST(test_empty_dir_list)
{
        char *dirs[] = {NULL};
        _cleanup_(rule_set_done) RuleSet set = {};

        ck_assert_int_eq(rule_set_load(&set, dirs, NULL), 0);
        ck_assert_uint_eq(set.n, 0);
        ck_assert_ptr_nonnull(set.disabled);
        ck_assert_ptr_null(rule_set_find(&set, "alpha"));
}
END_TEST

static Suite *rule_set_suite(void)
{
        Suite *s = suite_create("rule-set");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_shipped_rules);
        tcase_add_test(tc, test_override_by_name);
        tcase_add_test(tc, test_disable_by_dev_null_and_empty_file);
        tcase_add_test(tc, test_duplicate_id_refused);
        tcase_add_test(tc, test_bad_file_fails_the_set);
        tcase_add_test(tc, test_directory_named_rule);
        tcase_add_test(tc, test_empty_dir_list);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(rule_set_suite());
}
