/* SPDX-License-Identifier: MIT */
/* The shipped rules limitnofile-infinity and tasksmax-low over facts of real units, the fix
 * each picks, its simulation (the drop-in key rows of fix-plan.c) and the drop-in files it
 * writes, another unit's (containerd.service) included; the UNIT: prefix of a dropin
 * action (rules/rule-action.c). */
#include <check.h>

#include "check-run.h"
#include "test-util.h"

#include "basic/strv.h"
#include "fix/fix-changes.h"
#include "fix/fix-override.h"
#include "fix/fix-paths.h"
#include "fix/fix-plan.h"

#define SHIPPED FIXTURES "/../../rules"
#define INF 9223372036854775807LL
#define FRAG "/lib/systemd/system/docker.service"
#define CFRAG "/lib/systemd/system/containerd.service"
#define OK(expr) ck_assert_int_eq((expr), 0)

static RuleSet shipped;

static void load_shipped(void)
{
        char *dirs[] = {(char *) SHIPPED, NULL};
        _cleanup_free_ char *err = NULL;

        ck_assert_msg(rule_set_load(&shipped, dirs, &err) == 0, "%s", err);
}

static void unload_shipped(void)
{
        rule_set_done(&shipped);
}

/* docker-ce-packaging 20.10's docker.service with containerd v1.6.0's containerd.service on
 * systemd 252: both LimitNOFILE=infinity, TasksMax=infinity; dockerd and containerd run. */
static void host(Facts *f)
{
        char *none[] = {NULL};

        *f = (Facts){};
        OK(facts_set_string(f, "unit.name", "docker.service", "--unit"));
        OK(facts_set_string(f, "unit.load_state", "loaded", "dbus"));
        OK(facts_set_string(f, "unit.active_state", "active", "dbus"));
        OK(facts_set_list(f, "unit.dropin_paths", none, "dbus"));
        OK(facts_set_version(f, "systemd.version", "252.39", "dbus"));
        OK(facts_set_number(f, "unit.limit_nofile", INF, FRAG ":31"));
        OK(facts_set_number(f, "unit.limit_nofile_soft", INF, FRAG ":31"));
        OK(facts_set_number(f, "unit.tasks_max", INF, FRAG ":34"));
        OK(facts_set_number(
                f, "unit.tasks_current", 40, "dbus:org.freedesktop.systemd1.Service.TasksCurrent"));
        OK(facts_set_number(f, "unit.tasks_wanted", 296, "2 x ..."));
        OK(facts_set_string(f, "containerd_unit.load_state", "loaded", "dbus"));
        OK(facts_set_string(f, "containerd_unit.active_state", "active", "dbus"));
        OK(facts_set_number(f, "containerd_unit.limit_nofile", INF, CFRAG ":33"));
        OK(facts_set_number(f, "containerd_unit.limit_nofile_soft", INF, CFRAG ":33"));
        OK(facts_set_number(f, "containerd_unit.tasks_max", INF, CFRAG ":36"));
        OK(facts_set_number(f, "containerd_unit.tasks_current", 8, "dbus"));
}

static const Finding *finding(const Findings *fs, const char *id, FindingStatus want)
{
        const Rule *r = rule_set_find(&shipped, id);
        const Finding *x;

        ck_assert_ptr_nonnull(r);
        x = findings_find(fs, r);
        ck_assert_ptr_nonnull(x);
        ck_assert_msg(x->status == want, "%s: %s, expected %s (%s)", id, finding_status_to_string(x->status),
                finding_status_to_string(want), strempty(x->reason));
        return x;
}

static const char *fix_name(const Finding *x)
{
        ck_assert_ptr_nonnull(x->fix);
        return rule_fix_display_name(x->fix);
}

START_TEST(test_limitnofile_both_units)
{
        _cleanup_facts_ Facts f;
        _cleanup_(findings_done) Findings fs = {};
        const Finding *x;

        host(&f);
        OK(findings_evaluate(&shipped, &f, &fs));
        x = finding(&fs, "limitnofile-infinity", FINDING_FAIL);
        ck_assert_str_eq(fix_name(x), "with-containerd");
        ck_assert_uint_eq(x->fix->n_actions, 2);
        ck_assert_ptr_null(x->fix->actions[0].unit);
        ck_assert_str_eq(x->fix->actions[1].unit, "containerd.service");
        ck_assert_str_eq(x->fix->actions[1].value, "1024:524288");
        ck_assert_ptr_nonnull(strstr(x->message, "(soft:hard, " FRAG ":31)"));
        ck_assert_ptr_nonnull(strstr(x->message, "(" CFRAG ":33)"));
        finding(&fs, "tasksmax-low", FINDING_PASS);
}
END_TEST

START_TEST(test_limitnofile_cases)
{
        _cleanup_facts_ Facts f;
        Findings fs = {};

        /* only containerd: moby's unit of today (1024:524288) + containerd 1.6 */
        host(&f);
        OK(facts_set_number(&f, "unit.limit_nofile", 524288, FRAG ":20"));
        OK(facts_set_number(&f, "unit.limit_nofile_soft", 1024, FRAG ":20"));
        OK(findings_evaluate(&shipped, &f, &fs));
        ck_assert_str_eq(fix_name(finding(&fs, "limitnofile-infinity", FINDING_FAIL)), "containerd");
        findings_done(&fs);

        /* 1048576 is not above the line (moby 1.11, docker-ce 18.03) */
        OK(facts_set_number(&f, "containerd_unit.limit_nofile", 1048576, CFRAG ":17"));
        OK(facts_set_number(&f, "containerd_unit.limit_nofile_soft", 1048576, CFRAG ":17"));
        OK(findings_evaluate(&shipped, &f, &fs));
        finding(&fs, "limitnofile-infinity", FINDING_PASS);
        findings_done(&fs);

        /* only the soft limit too high; containerd.service absent */
        OK(facts_set_number(&f, "unit.limit_nofile_soft", 2000000, FRAG ":20"));
        OK(facts_set_number(&f, "unit.limit_nofile", INF, FRAG ":20"));
        OK(facts_set_string(&f, "containerd_unit.load_state", "not-found", "dbus"));
        OK(facts_set_unknown(&f, "containerd_unit.limit_nofile", "containerd.service is not-found"));
        OK(facts_set_unknown(&f, "containerd_unit.limit_nofile_soft", "containerd.service is not-found"));
        OK(findings_evaluate(&shipped, &f, &fs));
        ck_assert_str_eq(fix_name(finding(&fs, "limitnofile-infinity", FINDING_FAIL)), "default");
        findings_done(&fs);

        /* systemd 239 did not raise fs.nr_open, but someone may have: unknown, skip */
        OK(facts_set_version(&f, "systemd.version", "239", "dbus"));
        OK(findings_evaluate(&shipped, &f, &fs));
        finding(&fs, "limitnofile-infinity", FINDING_SKIP);
        findings_done(&fs);

        /* fs.nr_open decides when it is known: raised on 239, the kernel default on 252 */
        OK(facts_set_number(&f, "kernel.nr_open", 1073741816, "/proc/sys/fs/nr_open"));
        OK(findings_evaluate(&shipped, &f, &fs));
        ck_assert_ptr_nonnull(strstr(finding(&fs, "limitnofile-infinity", FINDING_FAIL)->message,
                "fs.nr_open: 1073741816 (/proc/sys/fs/nr_open"));
        findings_done(&fs);
        OK(facts_set_version(&f, "systemd.version", "252", "dbus"));
        OK(facts_set_number(&f, "kernel.nr_open", 1048576, "/proc/sys/fs/nr_open"));
        OK(findings_evaluate(&shipped, &f, &fs));
        finding(&fs, "limitnofile-infinity", FINDING_PASS);
        findings_done(&fs);
        OK(facts_set_unknown(&f, "kernel.nr_open", "offline"));

        /* unknown limit (offline, user manager): skip, not pass */
        OK(facts_set_version(&f, "systemd.version", "252", "dbus"));
        OK(facts_set_unknown(&f, "unit.limit_nofile", "the user manager's inherited limit"));
        OK(facts_set_unknown(&f, "unit.limit_nofile_soft", "the user manager's inherited limit"));
        OK(findings_evaluate(&shipped, &f, &fs));
        finding(&fs, "limitnofile-infinity", FINDING_SKIP);
        findings_done(&fs);
}
END_TEST

START_TEST(test_tasksmax_cases)
{
        _cleanup_facts_ Facts f;
        Findings fs = {};

        /* systemd 228's default on a unit without TasksMax= (moby 1.11) */
        host(&f);
        OK(facts_set_number(&f, "unit.tasks_max", 512, "default: not set in " FRAG));
        OK(findings_evaluate(&shipped, &f, &fs));
        ck_assert_str_eq(fix_name(finding(&fs, "tasksmax-low", FINDING_FAIL)), "default");
        findings_done(&fs);

        /* 4915 (15% of pid_max 32768), 3000 in use: below twice that */
        OK(facts_set_number(&f, "unit.tasks_max", 4915, "default"));
        OK(facts_set_number(&f, "unit.tasks_wanted", 6000, "2 x 3000"));
        OK(findings_evaluate(&shipped, &f, &fs));
        finding(&fs, "tasksmax-low", FINDING_FAIL);
        findings_done(&fs);

        /* 2000 in use: fine */
        OK(facts_set_number(&f, "unit.tasks_wanted", 4000, "2 x 2000"));
        OK(findings_evaluate(&shipped, &f, &fs));
        finding(&fs, "tasksmax-low", FINDING_PASS);
        findings_done(&fs);

        /* containerd.service capped at 512: its own fix */
        OK(facts_set_number(&f, "containerd_unit.tasks_max", 512, CFRAG ":20"));
        OK(findings_evaluate(&shipped, &f, &fs));
        ck_assert_str_eq(fix_name(finding(&fs, "tasksmax-low", FINDING_FAIL)), "containerd");
        findings_done(&fs);

        /* nothing known of the use, 4915 allowed: skip */
        OK(facts_set_number(&f, "containerd_unit.tasks_max", INF, CFRAG ":20"));
        OK(facts_set_unknown(&f, "unit.tasks_wanted", "offline"));
        OK(findings_evaluate(&shipped, &f, &fs));
        finding(&fs, "tasksmax-low", FINDING_SKIP);
        findings_done(&fs);
}
END_TEST

#define DROPIN "/etc/systemd/system/docker.service.d/50-dockaudit.conf"
#define CDROPIN "/etc/systemd/system/containerd.service.d/50-dockaudit.conf"

/* The plan for both units: the simulation sets the facts of each unit from its drop-in and
 * clears the finding; the changes are two files, one per unit. */
START_TEST(test_plan_simulate_both)
{
        _cleanup_facts_ Facts f;
        _cleanup_(findings_done) Findings fs = {};
        _cleanup_(fix_plan_done) FixPlan p = {};
        _cleanup_(fix_simulation_done) FixSimulation sim = {};
        _cleanup_(fix_changes_done) FixChanges ch = {};
        _cleanup_free_ char *err = NULL, *root = NULL, *dropin = NULL;
        char tmpl[64];
        const Fact *x;

        host(&f);
        OK(facts_set_number(&f, "unit.tasks_max", 512, "default"));
        OK(findings_evaluate(&shipped, &f, &fs));
        OK(fix_plan_build(&fs, &f, NULL, 0, &p, &err));
        ck_assert_uint_eq(p.n_actions, 3);
        OK(fix_plan_simulate(&p, &shipped, &f, &fs, DROPIN, true, true, &sim));
        ck_assert_msg(strv_isempty(sim.refusals), "%s", sim.refusals ? strempty(sim.refusals[0]) : "");
        x = facts_get(&sim.facts, "unit.limit_nofile");
        ck_assert_int_eq(x->num, 524288);
        ck_assert_str_eq(x->source, DROPIN);
        ck_assert_int_eq(facts_get(&sim.facts, "unit.limit_nofile_soft")->num, 1024);
        ck_assert_int_eq(facts_get(&sim.facts, "unit.tasks_max")->num, INF);
        x = facts_get(&sim.facts, "containerd_unit.limit_nofile");
        ck_assert_int_eq(x->num, 524288);
        ck_assert_str_eq(x->source, CDROPIN);
        finding(&sim.findings, "limitnofile-infinity", FINDING_PASS);
        finding(&sim.findings, "tasksmax-low", FINDING_PASS);

        /* the files: the unit's drop-in, then containerd's beside it */
        tmpdir_make(tmpl, sizeof tmpl, "fix-limits");
        root = strdup(tmpl);
        dropin = strdupf("%s%s", root, DROPIN);
        OK(fix_changes_plan(&p, &f, root, dropin, &ch, &err));
        ck_assert_uint_eq(ch.n, 2);
        ck_assert_str_eq(ch.v[0].path, dropin);
        ck_assert_ptr_null(ch.v[0].unit);
        ck_assert_ptr_nonnull(
                strstr(ch.v[0].new_text, "\n[Service]\nLimitNOFILE=1024:524288\nTasksMax=infinity\n"));
        ck_assert_ptr_nonnull(
                strstr(ch.v[1].path, "/etc/systemd/system/containerd.service.d/50-dockaudit.conf"));
        ck_assert_str_eq(ch.v[1].unit, "containerd.service");
        ck_assert_ptr_nonnull(strstr(ch.v[1].new_text, "\n[Service]\nLimitNOFILE=1024:524288\n"));
        ck_assert_ptr_null(strstr(ch.v[1].new_text, "TasksMax"));
        ck_assert_int_eq(rmdir(root), 0);
}
END_TEST

/* A later drop-in of the unit keeps our value from taking effect: the simulation does not
 * set the fact (and the plan is refused for a high rule; these are medium). */
START_TEST(test_simulate_later_dropin)
{
        _cleanup_facts_ Facts f;
        _cleanup_(findings_done) Findings fs = {};
        _cleanup_(fix_plan_done) FixPlan p = {};
        _cleanup_(fix_simulation_done) FixSimulation sim = {};
        _cleanup_free_ char *err = NULL;

        host(&f);
        OK(facts_set_number(&f, "containerd_unit.limit_nofile", 524288, CFRAG ":33"));
        OK(facts_set_number(&f, "containerd_unit.limit_nofile_soft", 1024, CFRAG ":33"));
        OK(facts_set_number(
                &f, "unit.limit_nofile", INF, "/etc/systemd/system/docker.service.d/override.conf:2"));
        OK(findings_evaluate(&shipped, &f, &fs));
        OK(fix_plan_build(&fs, &f, NULL, 0, &p, &err));
        OK(fix_plan_simulate(&p, &shipped, &f, &fs, DROPIN, true, true, &sim));
        ck_assert_int_eq(facts_get(&sim.facts, "unit.limit_nofile")->num, INF);
        finding(&sim.findings, "limitnofile-infinity", FINDING_FAIL);
}
END_TEST

/* The rows: each key sets its facts under the unit's prefix; unknown keys and units none. */
START_TEST(test_dropin_key_rows)
{
        _cleanup_facts_ Facts f;
        _cleanup_(findings_done) Findings fs = {};
        _cleanup_(fix_simulation_done) FixSimulation sim = {};
        char *after[] = {(char *) "network-online.target", NULL};
        PlanAction acts[] = {
                {.type = FIX_ACTION_DROPIN, .section = "Service", .key = "KillMode", .value = "process"},
                {.type = FIX_ACTION_DROPIN,
                        .section = "Unit",
                        .key = "After",
                        .value = "containerd.service  x.socket"},
                {.type = FIX_ACTION_DROPIN, .section = "Service", .key = "TasksMax", .value = "15%"},
                {.type = FIX_ACTION_DROPIN,
                        .unit = "containerd.service",
                        .section = "Service",
                        .key = "KillMode",
                        .value = "mixed"},
                {.type = FIX_ACTION_DROPIN,
                        .unit = "other.service",
                        .section = "Service",
                        .key = "LimitNOFILE",
                        .value = "1"},
        };
        FixPlan p = {.actions = acts, .n_actions = ELEMENTSOF(acts)};
        const Fact *x;

        host(&f);
        OK(facts_set_string(&f, "unit.kill_mode", "control-group", "default"));
        OK(facts_set_list(&f, "unit.after", after, "dbus:org.freedesktop.systemd1.Unit.After"));
        OK(findings_evaluate(&shipped, &f, &fs));
        OK(fix_plan_simulate(&p, &shipped, &f, &fs, DROPIN, true, false, &sim));
        ck_assert_str_eq(facts_get_string(&sim.facts, "unit.kill_mode"), "process");
        x = facts_get(&sim.facts, "unit.after");
        ck_assert_uint_eq(strv_length(x->list), 3);
        ck_assert_str_eq(x->list[1], "containerd.service");
        ck_assert_str_eq(x->list[2], "x.socket");
        /* a share of the kernel's limit is not predicted */
        ck_assert(!facts_get(&sim.facts, "unit.tasks_max")->known);
        /* no containerd_unit.kill_mode in the catalog; other.service has no facts */
        ck_assert_ptr_null(facts_get(&sim.facts, "containerd_unit.kill_mode"));
        ck_assert_int_eq(facts_get(&sim.facts, "containerd_unit.limit_nofile")->num, INF);
        ck_assert_ptr_nonnull(fix_plan_dropin_key("Service", "LimitNOFILE"));
        ck_assert_ptr_null(fix_plan_dropin_key("Service", "Nice"));
        ck_assert_ptr_null(fix_plan_dropin_key("Unit", "LimitNOFILE"));
}
END_TEST

/* A later drop-in of containerd.service setting LimitNOFILE: the plan is refused, naming it. */
START_TEST(test_override_other_unit_refused)
{
        _cleanup_facts_ Facts f;
        _cleanup_(findings_done) Findings fs = {};
        _cleanup_(fix_plan_done) FixPlan p = {};
        _cleanup_strv_free_ char **refusals = NULL;
        _cleanup_free_ char *err = NULL;
        char root[64];

        tmpdir_make(root, sizeof root, "fix-limits");
        put_file(root, "/lib/systemd/system/docker.service",
                FIXTURES "/units/docker-ce-packaging-20.10-docker.service");
        put_file(root, "/lib/systemd/system/containerd.service",
                FIXTURES "/units/containerd-v1.6.0-containerd.service");
        put(root, "/etc/systemd/system/containerd.service.d/override.conf",
                "[Service]\nLimitNOFILE=infinity\n");
        host(&f);
        OK(findings_evaluate(&shipped, &f, &fs));
        OK(fix_plan_build(&fs, &f, NULL, 0, &p, &err));
        ck_assert_int_eq(
                fix_override_check(&p, &(FixTarget){.root = root, .unit = "docker.service"}, &refusals), 1);
        ck_assert_ptr_nonnull(
                strstr(refusals[0], "/etc/systemd/system/containerd.service.d/override.conf:2 sets "
                                    "LimitNOFILE=infinity"));
        ck_assert_ptr_nonnull(strstr(refusals[0], "containerd.service.d/50-dockaudit.conf"));
        ck_assert_int_eq(rm_rf(root), 0);
}
END_TEST

START_TEST(test_dropin_sibling_path)
{
        _cleanup_free_ char *p = NULL, *err = NULL;

        OK(fix_paths_dropin_sibling(
                "/r/etc/systemd/system/docker.service.d/50-dockaudit.conf", "containerd.service", &p, &err));
        ck_assert_str_eq(p, "/r/etc/systemd/system/containerd.service.d/50-dockaudit.conf");
        free(p);
        p = NULL;
        OK(fix_paths_dropin_sibling(
                "/h/.config/systemd/user/docker.service.d/50-dockaudit.conf", NULL, &p, &err));
        ck_assert_str_eq(p, "/h/.config/systemd/user/docker.service.d/50-dockaudit.conf");
        ck_assert_int_eq(fix_paths_dropin_sibling("/a/b.d/c.conf", "../x.service", &p, &err), -EINVAL);
}
END_TEST

static int parse_rule(const char *action, Rule **ret, char **err)
{
        _cleanup_free_ char *text = strdupf("[rule]\nid = t\ntitle = t\nseverity = low\nrationale = "
                                            "r\nreferences = https://x\nwhen = true\n"
                                            "message = m\n[fix]\ndropin = %s\nrestart = no\n",
                action);
        return rule_parse_string("/x/t.rule", text, strlen(text), ret, err);
}

START_TEST(test_action_unit_prefix)
{
        _cleanup_rule_ Rule *r = NULL;
        _cleanup_free_ char *err = NULL;

        OK(parse_rule("containerd.service:Service.LimitNOFILE=1024:524288", &r, &err));
        ck_assert_str_eq(r->fixes[0].actions[0].unit, "containerd.service");
        ck_assert_str_eq(r->fixes[0].actions[0].section, "Service");
        ck_assert_str_eq(r->fixes[0].actions[0].key, "LimitNOFILE");
        ck_assert_str_eq(r->fixes[0].actions[0].value, "1024:524288");
        rule_free(r);
        r = NULL;
        OK(parse_rule("Service.LimitNOFILE=1024:524288", &r, &err));
        ck_assert_ptr_null(r->fixes[0].actions[0].unit);
        rule_free(r);
        r = NULL;
        ck_assert_int_eq(parse_rule("../x.service:Service.A=1", &r, &err), -EINVAL);
        ck_assert_ptr_nonnull(strstr(err, "is not a service or socket unit name"));
        free(err);
        err = NULL;
        ck_assert_int_eq(parse_rule("containerd.target:Unit.After=x", &r, &err), -EINVAL);
        free(err);
        err = NULL;
        ck_assert_int_eq(parse_rule("a@.service:Unit.After=x", &r, &err), -EINVAL);
}
END_TEST

static Suite *limits_suite(void)
{
        Suite *s = suite_create("fix-limits");
        TCase *tc = tcase_create("shipped");

        tcase_add_unchecked_fixture(tc, load_shipped, unload_shipped);
        tcase_add_test(tc, test_limitnofile_both_units);
        tcase_add_test(tc, test_limitnofile_cases);
        tcase_add_test(tc, test_tasksmax_cases);
        tcase_add_test(tc, test_plan_simulate_both);
        tcase_add_test(tc, test_simulate_later_dropin);
        tcase_add_test(tc, test_dropin_key_rows);
        tcase_add_test(tc, test_override_other_unit_refused);
        tcase_add_test(tc, test_dropin_sibling_path);
        tcase_add_test(tc, test_action_unit_prefix);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(limits_suite());
}
