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
                {"cgroup-driver-mismatch", SEVERITY_HIGH, 0},
                {"containerd-bindsto", SEVERITY_MEDIUM, 1},
                {"containerd-ordering", SEVERITY_MEDIUM, 1},
                {"containers-exec-broken-after-restart", SEVERITY_MEDIUM, 0},
                {"daemon-json-invalid", SEVERITY_HIGH, 0},
                {"daemon-json-unknown-key", SEVERITY_HIGH, 0},
                {"dead-containers", SEVERITY_MEDIUM, 0},
                {"detach-mounts-disabled", SEVERITY_HIGH, 1},
                {"fd-without-socket", SEVERITY_HIGH, 0},
                {"kernel-leaks-mounts", SEVERITY_HIGH, 0},
                {"killmode-with-live-restore", SEVERITY_HIGH, 1},
                {"leaked-container-mounts", SEVERITY_HIGH, 0},
                {"leaked-container-mounts-fixed-kernel", SEVERITY_LOW, 0},
                {"limitnofile-infinity", SEVERITY_MEDIUM, 3},
                {"live-restore-with-swarm", SEVERITY_MEDIUM, 1},
                {"log-size-unbounded", SEVERITY_LOW, 2},
                {"may-detach-mounts-not-persistent", SEVERITY_MEDIUM, 1},
                {"mountflags-slave-on-fixed-kernel", SEVERITY_MEDIUM, 1},
                {"mountflags-slave-with-live-restore", SEVERITY_HIGH, 2},
                {"option-set-twice", SEVERITY_HIGH, 0},
                {"overlay-without-dtype", SEVERITY_HIGH, 0},
                {"restart-pending", SEVERITY_MEDIUM, 0},
                {"tasksmax-low", SEVERITY_MEDIUM, 3},
                {"unit-needs-daemon-reload", SEVERITY_MEDIUM, 0},
                {"unit-override-stale", SEVERITY_MEDIUM, 0},
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
                (char *) "-" FIXTURES "/rules/no-such-dir", NULL};
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
        /* Each with the file that disabled it, for the reports. */
        ck_assert_uint_eq(strv_length(set.disabled_by), 2);
        ck_assert(startswith(set.disabled_by[0], tmp) && endswith(set.disabled_by[0], "/alpha.rule"));
        ck_assert_str_eq(set.disabled_by[1], link);
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
        _cleanup_free_ char *err = NULL;

        /* No rule at all: an audit of nothing must not pass (before: 0 rules, exit 0). */
        ck_assert_int_eq(rule_set_load(&set, dirs, &err), -ENOENT);
        ck_assert_str_eq(err, "no rules found (looked in: no directory)");
        ck_assert_uint_eq(set.n, 0);
        ck_assert_ptr_null(rule_set_find(&set, "alpha"));
}
END_TEST

static void expect_dirs_fail(char **dirs, int want, const char *want_error)
{
        _cleanup_(rule_set_done) RuleSet set = {};
        _cleanup_free_ char *err = NULL;

        ck_assert_int_eq(rule_set_load(&set, dirs, &err), want);
        ck_assert_str_eq(err, want_error);
}

/* A rules directory given on the command line that is missing, a file, /dev/null or holds no
 * rules; a binary copied out of the build tree that finds no bundled rules. */
START_TEST(test_unusable_dirs)
{
        char tmp[64], *missing = (char *) FIXTURES "/rules/no-such-dir";
        _cleanup_free_ char *file = NULL, *want = NULL, *want2 = NULL, *link = NULL;

        tmpdir_make(tmp, sizeof tmp, "rules");
        put(tmp, "README", "not a rule\n");
        file = strdupf("%s/README", tmp);

        want = strdupf("%s: cannot open the rules directory: No such file or directory (rules directories: "
                       "%s, %s)",
                missing, missing, FIXTURES "/rules/low");
        expect_dirs_fail((char *[]){missing, (char *) FIXTURES "/rules/low", NULL}, -ENOENT, want);
        free(want);
        want = strdupf("%s: cannot open the rules directory: Not a directory", file);
        expect_dirs_fail((char *[]){file, NULL}, -ENOTDIR, want);
        expect_dirs_fail((char *[]){(char *) "/dev/null", NULL}, -ENOTDIR,
                "/dev/null: cannot open the rules directory: Not a directory");
        /* "-DIR" may be missing, but not be a file. */
        free(want);
        want = strdupf("%s: cannot open the rules directory: Not a directory", file);
        want2 = strdupf("-%s", file);
        expect_dirs_fail((char *[]){want2, NULL}, -ENOTDIR, want);
        free(want);
        want = strdupf("no rules found (looked in: %s, %s)", missing, tmp);
        free(want2);
        want2 = strdupf("-%s", missing);
        expect_dirs_fail((char *[]){want2, tmp, NULL}, -ENOENT, want);

        /* Every rule disabled: nothing to evaluate either. */
        link = strdupf("%s/alpha.rule", tmp);
        ck_assert_int_eq(symlink("/dev/null", link), 0);
        free(want);
        want = strdupf("no rules to evaluate: all 1 rules are disabled (%s)", tmp);
        expect_dirs_fail((char *[]){tmp, NULL}, -ENOENT, want);
        ck_assert_int_eq(rm_rf(tmp), 0);
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
        tcase_add_test(tc, test_unusable_dirs);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(rule_set_suite());
}
