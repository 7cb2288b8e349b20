/* SPDX-License-Identifier: MIT */
/* killmode-with-live-restore (rules/) over facts, and its fix proven by fix_plan_simulate():
 * the cells of the matrix observed on real dockerd (tests/integration/test-killmode.sh) as
 * facts, the message and its sources, the skip when where the shims live is not known. */
#include <check.h>

#include "check-run.h"

#include "fix/fix-plan.h"

#define SHIPPED_RULES FIXTURES "/../../rules"
#define RULE "killmode-with-live-restore"
#define UNIT_FILE "/lib/systemd/system/docker.service"
#define DAEMON_JSON "/etc/docker/daemon.json"
#define DROPIN "/etc/systemd/system/docker.service.d/50-dockaudit.conf"
#define SHIM_SRC "/proc/2210/cgroup (containerd-shim, in /system.slice/docker.service)"

typedef struct Host {
        const char *kill_mode; /* NULL: unknown */
        const char *kill_mode_source;
        bool live_restore;
        int shims; /* 1, 0, -1 unknown */
} Host;

#define OK(expr) ck_assert_int_eq((expr), 0)

/* A Debian 12 host with moby v1.11.2's unit (no KillMode=: the manager's default) and
 * live-restore in daemon.json, dockerd running with its own containerd. */
static void host_facts(const Host *h, Facts *f)
{
        char *empty[] = {NULL}, *keys[] = {"live-restore", NULL};

        *f = (Facts){};
        OK(facts_set_string(f, "unit.name", "docker.service", "--unit"));
        OK(facts_set_string(f, "unit.load_state", "loaded", "dbus"));
        OK(facts_set_string(f, "unit.active_state", "active", "dbus"));
        OK(facts_set_string(f, "unit.fragment_path", UNIT_FILE, "dbus"));
        OK(facts_set_number(f, "unit.main_pid", 2150, "dbus"));
        OK(facts_set_list(f, "unit.dropin_paths", empty, "dbus"));
        OK(facts_set_bool(f, "unit.need_daemon_reload", false, "dbus"));
        OK(facts_set_bool(f, "unit.changed_on_disk", false, "files"));
        OK(facts_set_string(f, "unit.mount_flags", "", "dbus"));
        if (h->kill_mode)
                OK(facts_set_string(f, "unit.kill_mode", h->kill_mode, h->kill_mode_source));
        else
                OK(facts_set_unknown(f, "unit.kill_mode", "the service manager is unreachable"));
        OK(facts_set_list(f, "dockerd.flags", empty, UNIT_FILE ":11"));
        OK(facts_set_list(f, "dockerd.conflicting_options", empty, DAEMON_JSON));
        OK(facts_set_bool(
                f, "dockerd.live_restore", h->live_restore, h->live_restore ? DAEMON_JSON ":2" : "default"));
        if (h->shims >= 0)
                OK(facts_set_bool(f, "dockerd.shims_in_unit_cgroup", h->shims,
                        h->shims ? SHIM_SRC
                                 : "/proc/1890/cgroup (containerd, in /system.slice/containerd.service, not "
                                   "in "
                                   "/system.slice/docker.service)"));
        else
                OK(facts_set_unknown(f, "dockerd.shims_in_unit_cgroup",
                        "docker.service is not running: without --containerd, dockerd picks its containerd "
                        "when "
                        "it starts"));
        OK(facts_set_string(f, "daemon_json.path", DAEMON_JSON, "default"));
        OK(facts_set_bool(f, "daemon_json.present", true, DAEMON_JSON));
        OK(facts_set_bool(f, "daemon_json.valid", true, DAEMON_JSON));
        OK(facts_set_string(f, "daemon_json.error", "", DAEMON_JSON));
        OK(facts_set_list(f, "daemon_json.keys", h->live_restore ? keys : empty, DAEMON_JSON));
        OK(facts_set_string(f, "ns.manager_mnt", "mnt:[4026531841]", "/proc/1/ns/mnt"));
        OK(facts_set_string(f, "ns.dockerd_mnt", "mnt:[4026531841]", "/proc/2150/ns/mnt"));
        OK(facts_set_bool(f, "ns.dockerd_private", false, "/proc/2150/ns/mnt"));
}

static RuleSet rules;

static void setup(void)
{
        char *dirs[] = {(char *) SHIPPED_RULES, NULL};
        _cleanup_free_ char *err = NULL;

        rules = (RuleSet){};
        ck_assert_msg(rule_set_load(&rules, dirs, &err) == 0, "%s", err);
        ck_assert_ptr_nonnull(rule_set_find(&rules, RULE));
}

static void teardown(void)
{
        rule_set_done(&rules);
}

static const Finding *finding(const Findings *fs, const char *id)
{
        for (size_t i = 0; i < fs->n; i++)
                if (streq(fs->v[i].rule->id, id))
                        return &fs->v[i];
        ck_abort_msg("no finding for %s", id);
        return NULL;
}

static FindingStatus status_of(const Host *h)
{
        _cleanup_facts_ Facts f = {};
        _cleanup_(findings_done) Findings fs = {};

        host_facts(h, &f);
        OK(findings_evaluate(&rules, &f, &fs));
        return finding(&fs, RULE)->status;
}

/* The matrix: control-group and mixed with the shims inside fail; everything else passes. */
START_TEST(test_matrix)
{
        static const char *const modes[] = {"control-group", "mixed", "process", "none"};

        for (size_t i = 0; i < ELEMENTSOF(modes); i++) {
                bool bad = i < 2;

                ck_assert_int_eq(
                        status_of(&(Host){modes[i], UNIT_FILE, true, 1}), bad ? FINDING_FAIL : FINDING_PASS);
                /* containerd as its own unit: its shims are out of reach */
                ck_assert_int_eq(status_of(&(Host){modes[i], UNIT_FILE, true, 0}), FINDING_PASS);
                /* without live-restore dockerd stops the containers itself */
                ck_assert_int_eq(status_of(&(Host){modes[i], UNIT_FILE, false, 1}), FINDING_PASS);
        }
}
END_TEST

/* Not known where the shims live (dockerd stopped, no --containerd): skipped with the reason;
 * live-restore off decides without it. */
START_TEST(test_unknown)
{
        _cleanup_facts_ Facts f = {};
        _cleanup_(findings_done) Findings fs = {};
        const Finding *x;

        host_facts(&(Host){"control-group", "default", true, -1}, &f);
        OK(findings_evaluate(&rules, &f, &fs));
        x = finding(&fs, RULE);
        ck_assert_int_eq(x->status, FINDING_SKIP);
        ck_assert_ptr_nonnull(strstr(x->reason, "not running"));

        ck_assert_int_eq(status_of(&(Host){NULL, NULL, false, -1}), FINDING_PASS);
        ck_assert_int_eq(status_of(&(Host){NULL, NULL, true, 1}), FINDING_SKIP);
}
END_TEST

/* The message names every fact's source; the fix is the drop-in, no restart; the plan is
 * proven on the facts after the reload alone, and the drop-in is what sets KillMode. */
START_TEST(test_fix)
{
        _cleanup_facts_ Facts f = {};
        _cleanup_(findings_done) Findings before = {};
        _cleanup_(fix_plan_done) FixPlan p = {};
        _cleanup_(fix_simulation_done) FixSimulation sim = {};
        _cleanup_free_ char *err = NULL;
        const Finding *x;
        const Fact *k;

        host_facts(&(Host){"mixed", "/etc/systemd/system/docker.service.d/10-kill.conf:2", true, 1}, &f);
        OK(findings_evaluate(&rules, &f, &before));
        x = finding(&before, RULE);
        ck_assert_int_eq(x->status, FINDING_FAIL);
        ck_assert_ptr_nonnull(strstr(x->message, "docker.service stops with KillMode=mixed "
                                                 "(/etc/systemd/system/docker.service.d/10-kill.conf:2)"));
        ck_assert_ptr_nonnull(strstr(x->message, "live-restore is on (" DAEMON_JSON ":2)"));
        ck_assert_ptr_nonnull(strstr(x->message, "(" SHIM_SRC ")"));

        ck_assert_msg(fix_plan_build(&before, &f, NULL, 0, &p, &err) == 0, "%s", strempty(err));
        ck_assert_uint_eq(p.n_actions, 1);
        ck_assert_int_eq(p.actions[0].type, FIX_ACTION_DROPIN);
        ck_assert_str_eq(p.actions[0].section, "Service");
        ck_assert_str_eq(p.actions[0].key, "KillMode");
        ck_assert_str_eq(p.actions[0].value, "process");
        ck_assert(!p.restart_needed);

        OK(fix_plan_simulate(&p, &rules, &f, &before, DROPIN, true, false, &sim));
        ck_assert_msg(strv_isempty(sim.refusals), "refused: %s", sim.refusals[0]);
        k = facts_get(&sim.facts, "unit.kill_mode");
        ck_assert_str_eq(k->str, "process");
        ck_assert_str_eq(k->source, DROPIN);
        ck_assert_int_eq(finding(&sim.findings, RULE)->status, FINDING_PASS);
        ck_assert_str_eq(facts_get(&f, "unit.kill_mode")->str, "mixed");
}
END_TEST

/* KillMode=mixed from a drop-in that sorts after ours (rootless-containers/rootlesskit#355's
 * setting in a "kill.conf"): ours would not win, the plan is refused. */
START_TEST(test_later_dropin)
{
        _cleanup_facts_ Facts f = {};
        _cleanup_(findings_done) Findings before = {};
        _cleanup_(fix_plan_done) FixPlan p = {};
        _cleanup_(fix_simulation_done) FixSimulation sim = {};
        _cleanup_free_ char *err = NULL;

        host_facts(&(Host){"mixed", "/etc/systemd/system/docker.service.d/kill.conf:2", true, 1}, &f);
        OK(findings_evaluate(&rules, &f, &before));
        ck_assert_msg(fix_plan_build(&before, &f, NULL, 0, &p, &err) == 0, "%s", strempty(err));
        OK(fix_plan_simulate(&p, &rules, &f, &before, DROPIN, true, false, &sim));
        ck_assert(!strv_isempty(sim.refusals));
        ck_assert_ptr_nonnull(strstr(sim.refusals[0], "killmode-with-live-restore (high) failing"));
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("killmode-with-live-restore");
        TCase *tc = tcase_create("core");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_matrix);
        tcase_add_test(tc, test_unknown);
        tcase_add_test(tc, test_fix);
        tcase_add_test(tc, test_later_dropin);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
