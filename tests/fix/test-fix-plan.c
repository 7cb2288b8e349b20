/* SPDX-License-Identifier: MIT */
/* Fix plans built from real Facts sets and the shipped rules (rules/ of the source tree). */
#include <check.h>

#include "check-run.h"
#include <sys/stat.h>

#include "collect/collect.h"
#include "fix/fix-plan.h"

#ifndef SRC_RULESDIR
#define SRC_RULESDIR FIXTURES "/../../rules"
#endif

#define UNIT_FILE "/usr/lib/systemd/system/docker.service"
#define DAEMON_JSON "/etc/docker/daemon.json"
#define DROPIN "/etc/systemd/system/docker.service.d/50-dockaudit.conf"

typedef struct Host {
        const char *release;
        int may_detach; /* -1: the sysctl does not exist */
        const char *mount_flags;
        const char *mount_flags_source;
        bool live_restore;
        bool live_restore_flag; /* from --live-restore rather than daemon.json */
        bool dockerd_private;
} Host;

static void host_facts(const Host *h, Facts *f)
{
        char *empty[] = {NULL}, *lr[] = {"live-restore", NULL},
             *keys[] = {"log-driver", "live-restore", NULL}, *keys_nolr[] = {"log-driver", NULL};

        ck_assert_int_eq(facts_set_string(f, "kernel.release", h->release, "/proc/sys/kernel/osrelease"), 0);
        ck_assert_int_eq(kernel_derive_facts(f), 0);
        if (h->may_detach >= 0)
                ck_assert_int_eq(facts_set_number(f, "kernel.may_detach_mounts", h->may_detach,
                                         "/proc/sys/fs/may_detach_mounts"),
                        0);
        else
                ck_assert_int_eq(facts_set_unknown(f, "kernel.may_detach_mounts", "no such sysctl"), 0);
        ck_assert_int_eq(facts_set_string(f, "unit.name", "docker.service", "--unit"), 0);
        ck_assert_int_eq(facts_set_string(f, "unit.active_state", "active", "dbus"), 0);
        ck_assert_int_eq(facts_set_string(f, "unit.load_state", "loaded", "dbus"), 0);
        ck_assert_int_eq(facts_set_string(f, "unit.fragment_path", UNIT_FILE, "dbus"), 0);
        ck_assert_int_eq(facts_set_number(f, "unit.main_pid", 4242, "dbus"), 0);
        ck_assert_int_eq(facts_set_list(f, "unit.dropin_paths", empty, "dbus"), 0);
        ck_assert_int_eq(facts_set_bool(f, "unit.need_daemon_reload", false, "dbus"), 0);
        ck_assert_int_eq(facts_set_bool(f, "unit.changed_on_disk", false, "files"), 0);
        ck_assert_int_eq(facts_set_string(f, "unit.mount_flags", h->mount_flags,
                                 h->mount_flags_source ? h->mount_flags_source : UNIT_FILE ":14"),
                0);
        ck_assert_int_eq(
                facts_set_list(f, "dockerd.flags", h->live_restore_flag ? lr : empty, UNIT_FILE ":12"), 0);
        ck_assert_int_eq(facts_set_bool(f, "dockerd.live_restore", h->live_restore,
                                 h->live_restore_flag ? UNIT_FILE ":12" : DAEMON_JSON ":3"),
                0);
        ck_assert_int_eq(facts_set_list(f, "dockerd.conflicting_options", empty, DAEMON_JSON), 0);
        ck_assert_int_eq(facts_set_string(f, "daemon_json.path", DAEMON_JSON, "default"), 0);
        ck_assert_int_eq(facts_set_bool(f, "daemon_json.present", true, DAEMON_JSON), 0);
        ck_assert_int_eq(facts_set_bool(f, "daemon_json.valid", true, DAEMON_JSON), 0);
        ck_assert_int_eq(facts_set_string(f, "daemon_json.error", "", DAEMON_JSON), 0);
        ck_assert_int_eq(facts_set_list(f, "daemon_json.keys",
                                 h->live_restore && !h->live_restore_flag ? keys : keys_nolr, DAEMON_JSON),
                0);
        ck_assert_int_eq(facts_set_string(f, "docker.swarm_state", "inactive", "/info"), 0);
        ck_assert_int_eq(facts_set_string(f, "ns.manager_mnt", "mnt:[4026531841]", "/proc/1/ns/mnt"), 0);
        ck_assert_int_eq(
                facts_set_string(f, "ns.dockerd_mnt",
                        h->dockerd_private ? "mnt:[4026532500]" : "mnt:[4026531841]", "/proc/4242/ns/mnt"),
                0);
        ck_assert_int_eq(
                facts_set_bool(f, "ns.dockerd_private", h->dockerd_private, "/proc/4242/ns/mnt"), 0);
}

static void load_rules(RuleSet *rs, const char *extra_dir)
{
        char *dirs[] = {(char *) extra_dir, SRC_RULESDIR, NULL};
        _cleanup_free_ char *err = NULL;
        int r = rule_set_load(rs, extra_dir ? dirs : dirs + 1, &err);

        ck_assert_msg(r >= 0, "rule_set_load: %s", err ? err : strerror(-r));
        ck_assert_ptr_nonnull(rule_set_find(rs, "mountflags-slave-with-live-restore"));
}

static const Finding *finding(const Findings *f, const char *id)
{
        for (size_t i = 0; i < f->n; i++)
                if (streq(f->v[i].rule->id, id))
                        return &f->v[i];
        ck_abort_msg("no finding for %s", id);
        return NULL;
}

static const PlanItem *item(const FixPlan *p, const char *id)
{
        for (size_t i = 0; i < p->n_items; i++)
                if (streq(p->items[i].rule->id, id))
                        return &p->items[i];
        return NULL;
}

/* A temp rules dir holding one rule file; returns the dir (to rmdir later). */
static char *rule_dir_with(const char *name, const char *text)
{
        char tmpl[] = "/tmp/check-fix-plan.XXXXXX";
        char *dir = mkdtemp(tmpl) ? strdup(tmpl) : NULL;
        _cleanup_free_ char *path = NULL;
        FILE *f;

        ck_assert_ptr_nonnull(dir);
        path = strdupf("%s/%s", dir, name);
        f = fopen(path, "we");
        ck_assert_ptr_nonnull(f);
        fputs(text, f);
        ck_assert_int_eq(fclose(f), 0);
        return dir;
}

static void rule_dir_remove(char *dir)
{
        _cleanup_free_ char *d = dir, *p1 = strdupf("%s/mountflags-slave-with-live-restore.rule", dir),
                            *p2 = strdupf("%s/want-private.rule", dir);

        (void) unlink(p1);
        (void) unlink(p2);
        ck_assert_int_eq(rmdir(d), 0);
}

START_TEST(test_fixed_kernel_dropin)
{
        _cleanup_(rule_set_done) RuleSet rs = {};
        _cleanup_facts_ Facts f = {};
        _cleanup_(findings_done) Findings before = {};
        _cleanup_(fix_plan_done) FixPlan p = {};
        _cleanup_(fix_simulation_done) FixSimulation sim = {}, sim_norestart = {};
        _cleanup_free_ char *err = NULL;
        const PlanItem *it;

        load_rules(&rs, NULL);
        host_facts(&(Host){.release = "5.10.0-28-amd64",
                           .may_detach = -1,
                           .mount_flags = "slave",
                           .live_restore = true,
                           .dockerd_private = true},
                &f);
        ck_assert_int_eq(findings_evaluate(&rs, &f, &before), 0);
        ck_assert_int_eq(finding(&before, "mountflags-slave-with-live-restore")->status, FINDING_FAIL);
        ck_assert_int_eq(finding(&before, "mountflags-slave-on-fixed-kernel")->status, FINDING_FAIL);

        ck_assert_int_eq(fix_plan_build(&before, &f, NULL, 0, &p, &err), 0);
        /* two rules want MountFlags=shared: one action */
        ck_assert_uint_eq(p.n_actions, 1);
        ck_assert_int_eq(p.actions[0].type, FIX_ACTION_DROPIN);
        ck_assert_str_eq(p.actions[0].section, "Service");
        ck_assert_str_eq(p.actions[0].key, "MountFlags");
        ck_assert_str_eq(p.actions[0].value, "shared");
        ck_assert_uint_eq(strv_length(p.actions[0].rule_ids), 2);
        ck_assert(strv_contains(p.actions[0].rule_ids, "mountflags-slave-with-live-restore"));
        ck_assert(strv_contains(p.actions[0].rule_ids, "mountflags-slave-on-fixed-kernel"));
        ck_assert(p.restart_needed);
        it = item(&p, "mountflags-slave-with-live-restore");
        ck_assert_ptr_nonnull(it);
        ck_assert_ptr_null(it->fix->name);
        ck_assert_uint_eq(it->n_alternatives, 0); /* keep-slave's when is false here */

        ck_assert_int_eq(fix_plan_simulate(&p, &rs, &f, &before, DROPIN, true, true, &sim), 0);
        ck_assert_msg(strv_isempty(sim.refusals), "refused: %s", sim.refusals[0]);
        ck_assert_str_eq(facts_get(&sim.facts, "unit.mount_flags")->str, "shared");
        ck_assert_str_eq(facts_get(&sim.facts, "unit.mount_flags")->source, DROPIN);
        ck_assert(!facts_get(&sim.facts, "ns.dockerd_private")->b);
        ck_assert_int_eq(finding(&sim.findings, "mountflags-slave-with-live-restore")->status, FINDING_PASS);
        ck_assert_int_eq(finding(&sim.findings, "restart-pending")->status, FINDING_PASS);
        /* the original facts are untouched */
        ck_assert_str_eq(facts_get(&f, "unit.mount_flags")->str, "slave");

        /* without the restart, restart-pending (which passed) would fail: not a plan to apply as is */
        ck_assert_int_eq(fix_plan_simulate(&p, &rs, &f, &before, DROPIN, true, false, &sim_norestart), 0);
        ck_assert(!strv_isempty(sim_norestart.refusals));
        ck_assert_ptr_nonnull(strstr(sim_norestart.refusals[0], "restart-pending"));
}
END_TEST

START_TEST(test_leaking_kernel_keep_slave)
{
        _cleanup_(rule_set_done) RuleSet rs = {};
        _cleanup_facts_ Facts f = {};
        _cleanup_(findings_done) Findings before = {};
        _cleanup_(fix_plan_done) FixPlan p = {};
        _cleanup_(fix_simulation_done) FixSimulation sim = {};
        _cleanup_free_ char *err = NULL;
        const PlanItem *it;
        const Fact *keys;

        load_rules(&rs, NULL);
        /* CentOS 7.3 kernel: leaks, no fs.may_detach_mounts */
        host_facts(&(Host){.release = "3.10.0-514.26.2.el7.x86_64",
                           .may_detach = -1,
                           .mount_flags = "slave",
                           .live_restore = true,
                           .dockerd_private = true},
                &f);
        ck_assert_int_eq(findings_evaluate(&rs, &f, &before), 0);
        ck_assert_int_eq(finding(&before, "mountflags-slave-with-live-restore")->status, FINDING_FAIL);
        ck_assert_int_eq(finding(&before, "kernel-leaks-mounts")->status, FINDING_FAIL);

        ck_assert_int_eq(fix_plan_build(&before, &f, NULL, 0, &p, &err), 0);
        it = item(&p, "mountflags-slave-with-live-restore");
        ck_assert_ptr_nonnull(it);
        ck_assert_str_eq(it->fix->name, "keep-slave");
        ck_assert_uint_eq(p.n_actions, 1);
        ck_assert_int_eq(p.actions[0].type, FIX_ACTION_DAEMON_JSON);
        ck_assert_str_eq(p.actions[0].key, "live-restore");
        ck_assert_str_eq(p.actions[0].value, "false");
        ck_assert(!p.restart_needed);
        /* no setting fixes the kernel */
        ck_assert_uint_eq(p.n_unfixable, 1);
        ck_assert_str_eq(p.unfixable[0]->id, "kernel-leaks-mounts");

        ck_assert_int_eq(fix_plan_simulate(&p, &rs, &f, &before, DROPIN, true, false, &sim), 0);
        ck_assert_msg(strv_isempty(sim.refusals), "refused: %s", sim.refusals[0]);
        ck_assert(!facts_get(&sim.facts, "dockerd.live_restore")->b);
        ck_assert_str_eq(facts_get(&sim.facts, "dockerd.live_restore")->source, DAEMON_JSON);
        ck_assert_str_eq(facts_get(&sim.facts, "unit.mount_flags")->str, "slave");
        keys = facts_get(&sim.facts, "daemon_json.keys");
        ck_assert(strv_contains(keys->list, "live-restore") && strv_contains(keys->list, "log-driver"));
        ck_assert_int_eq(finding(&sim.findings, "mountflags-slave-with-live-restore")->status, FINDING_PASS);

        /* the default fix is not applicable on this kernel: it cannot be chosen */
        fix_plan_done(&p);
        free(err);
        err = NULL;
        ck_assert_int_eq(
                fix_plan_build(&before, &f, (FixChoice[]){{"mountflags-slave-with-live-restore", "default"}},
                        1, &p, &err),
                -EINVAL);
        ck_assert_ptr_nonnull(strstr(err, "mountflags-slave-with-live-restore"));
}
END_TEST

START_TEST(test_flag_live_restore_refused)
{
        _cleanup_(rule_set_done) RuleSet rs = {}, rs2 = {};
        _cleanup_facts_ Facts f = {};
        _cleanup_(findings_done) Findings before = {}, before2 = {};
        _cleanup_(fix_plan_done) FixPlan p = {}, p2 = {};
        _cleanup_(fix_simulation_done) FixSimulation sim = {};
        _cleanup_free_ char *err = NULL;
        char *dir;

        load_rules(&rs, NULL);
        host_facts(&(Host){.release = "3.10.0-327.el7.x86_64",
                           .may_detach = -1,
                           .mount_flags = "slave",
                           .live_restore = true,
                           .live_restore_flag = true,
                           .dockerd_private = true},
                &f);
        ck_assert_int_eq(findings_evaluate(&rs, &f, &before), 0);
        ck_assert_int_eq(finding(&before, "mountflags-slave-with-live-restore")->status, FINDING_FAIL);
        ck_assert_ptr_null(finding(&before, "mountflags-slave-with-live-restore")->fix);
        /* the shipped rule offers no fix here: the failing rule is reported as unfixable */
        ck_assert_int_eq(fix_plan_build(&before, &f, NULL, 0, &p, &err), 0);
        ck_assert_ptr_null(item(&p, "mountflags-slave-with-live-restore"));
        ck_assert_uint_eq(p.n_actions, 0);
        ck_assert_uint_eq(p.n_unfixable, 2); /* and kernel-leaks-mounts */

        /* a local rule that forgets the flag guard: the simulation refuses the daemon.json edit */
        dir = rule_dir_with("mountflags-slave-with-live-restore.rule",
                "[rule]\nid = mountflags-slave-with-live-restore\ntitle = t\nseverity = high\n"
                "when = unit.mount_flags in [\"slave\", \"private\"] && dockerd.live_restore\nmessage = m\n"
                "[fix \"keep-slave\"]\nwhen = kernel.leaks_mounts\ndaemon-json = live-restore=false\n");
        load_rules(&rs2, dir);
        ck_assert_int_eq(findings_evaluate(&rs2, &f, &before2), 0);
        ck_assert_int_eq(fix_plan_build(&before2, &f, NULL, 0, &p2, &err), 0);
        ck_assert_uint_eq(p2.n_actions, 1);
        ck_assert_int_eq(fix_plan_simulate(&p2, &rs2, &f, &before2, DROPIN, true, false, &sim), 0);
        ck_assert(!strv_isempty(sim.refusals));
        ck_assert_msg(strstr(sim.refusals[0], "dockerd flag") && strstr(sim.refusals[0], UNIT_FILE ":12"),
                "%s", sim.refusals[0]);
        /* and the rule it was meant to fix still fails */
        ck_assert(strv_length(sim.refusals) >= 2);
        rule_dir_remove(dir);
}
END_TEST

START_TEST(test_sysctl)
{
        _cleanup_(rule_set_done) RuleSet rs = {};
        _cleanup_facts_ Facts f = {};
        _cleanup_(findings_done) Findings before = {};
        _cleanup_(fix_plan_done) FixPlan p = {};
        _cleanup_(fix_simulation_done) FixSimulation sim = {};
        _cleanup_free_ char *err = NULL;
        const Fact *md;

        load_rules(&rs, NULL);
        host_facts(&(Host){.release = "3.10.0-1160.el7.x86_64", .may_detach = 0, .mount_flags = ""}, &f);
        ck_assert_int_eq(findings_evaluate(&rs, &f, &before), 0);
        ck_assert_int_eq(finding(&before, "detach-mounts-disabled")->status, FINDING_FAIL);
        ck_assert_int_eq(fix_plan_build(&before, &f, NULL, 0, &p, &err), 0);
        ck_assert_uint_eq(p.n_actions, 1);
        ck_assert_int_eq(p.actions[0].type, FIX_ACTION_SYSCTL);
        ck_assert_str_eq(p.actions[0].key, "fs.may_detach_mounts");
        ck_assert_str_eq(p.actions[0].value, "1");
        ck_assert_uint_eq(p.n_unfixable, 0);
        ck_assert_int_eq(fix_plan_simulate(&p, &rs, &f, &before, DROPIN, true, false, &sim), 0);
        ck_assert(strv_isempty(sim.refusals));
        md = facts_get(&sim.facts, "kernel.may_detach_mounts");
        ck_assert_int_eq(md->num, 1);
        ck_assert_ptr_nonnull(strstr(md->source, "/proc/sys/fs/may_detach_mounts"));
        ck_assert_int_eq(finding(&sim.findings, "detach-mounts-disabled")->status, FINDING_PASS);
        ck_assert_uint_eq(findings_count_failed(&sim.findings, SEVERITY_INFO), 0);
}
END_TEST

/* fs.may_detach_mounts is 1 now but nothing sets it at boot: the same sysctl action (sysctl.d and
 * /proc) clears may-detach-mounts-not-persistent, and detach-mounts-disabled stays passed. */
START_TEST(test_sysctl_not_persistent)
{
        _cleanup_(rule_set_done) RuleSet rs = {};
        _cleanup_facts_ Facts f = {};
        _cleanup_(findings_done) Findings before = {};
        _cleanup_(fix_plan_done) FixPlan p = {};
        _cleanup_(fix_simulation_done) FixSimulation sim = {};
        _cleanup_free_ char *err = NULL;
        const Fact *x;

        load_rules(&rs, NULL);
        host_facts(
                &(Host){.release = "3.10.0-1160.119.1.el7.x86_64", .may_detach = 1, .mount_flags = ""}, &f);
        ck_assert_int_eq(
                facts_set_unknown(&f, "kernel.may_detach_mounts_persistent", "not set in sysctl.d"), 0);
        ck_assert_int_eq(facts_set_bool(&f, "kernel.sysctl_d_read", true, "sysctl.d"), 0);
        ck_assert_int_eq(findings_evaluate(&rs, &f, &before), 0);
        ck_assert_int_eq(finding(&before, "may-detach-mounts-not-persistent")->status, FINDING_FAIL);
        ck_assert_int_eq(finding(&before, "detach-mounts-disabled")->status, FINDING_PASS);
        ck_assert_int_eq(fix_plan_build(&before, &f, NULL, 0, &p, &err), 0);
        ck_assert_uint_eq(p.n_actions, 1);
        ck_assert_int_eq(p.actions[0].type, FIX_ACTION_SYSCTL);
        ck_assert_str_eq(p.actions[0].key, "fs.may_detach_mounts");
        ck_assert_str_eq(p.actions[0].value, "1");
        ck_assert_int_eq(fix_plan_simulate(&p, &rs, &f, &before, DROPIN, false, false, &sim), 0);
        ck_assert(strv_isempty(sim.refusals));
        x = facts_get(&sim.facts, "kernel.may_detach_mounts_persistent");
        ck_assert(x && x->known && x->num == 1 && streq(x->source, "/etc/sysctl.d/50-dockaudit.conf"));
        ck_assert_int_eq(finding(&sim.findings, "may-detach-mounts-not-persistent")->status, FINDING_PASS);
        ck_assert_int_eq(finding(&sim.findings, "detach-mounts-disabled")->status, FINDING_PASS);
        ck_assert_uint_eq(findings_count_failed(&sim.findings, SEVERITY_INFO), 0);
}
END_TEST

START_TEST(test_conflict)
{
        _cleanup_(rule_set_done) RuleSet rs = {};
        _cleanup_facts_ Facts f = {};
        _cleanup_(findings_done) Findings before = {};
        _cleanup_(fix_plan_done) FixPlan p = {};
        _cleanup_free_ char *err = NULL;
        char *dir;

        dir = rule_dir_with("want-private.rule", "[rule]\nid = want-private\ntitle = t\nseverity = low\n"
                                                 "when = unit.mount_flags == \"slave\"\nmessage = m\n"
                                                 "[fix]\ndropin = Service.MountFlags=private\n");
        load_rules(&rs, dir);
        host_facts(&(Host){.release = "5.10.0",
                           .may_detach = -1,
                           .mount_flags = "slave",
                           .live_restore = true,
                           .dockerd_private = true},
                &f);
        ck_assert_int_eq(findings_evaluate(&rs, &f, &before), 0);
        ck_assert_int_eq(fix_plan_build(&before, &f, NULL, 0, &p, &err), -EINVAL);
        ck_assert_ptr_nonnull(err);
        ck_assert_msg(strstr(err, "want-private") && strstr(err, "mountflags-slave-") &&
                              strstr(err, "MountFlags=private") && strstr(err, "MountFlags=shared"),
                "%s", err);
        rule_dir_remove(dir);
}
END_TEST

START_TEST(test_later_dropin_wins)
{
        _cleanup_(rule_set_done) RuleSet rs = {};
        _cleanup_facts_ Facts f = {};
        _cleanup_(findings_done) Findings before = {};
        _cleanup_(fix_plan_done) FixPlan p = {};
        _cleanup_(fix_simulation_done) FixSimulation sim = {};
        _cleanup_free_ char *err = NULL;

        load_rules(&rs, NULL);
        /* MountFlags=slave comes from a drop-in that sorts after ours: ours cannot win */
        host_facts(&(Host){.release = "5.10.0",
                           .may_detach = -1,
                           .mount_flags = "slave",
                           .mount_flags_source = "/etc/systemd/system/docker.service.d/90-slave.conf:2",
                           .live_restore = true,
                           .dockerd_private = true},
                &f);
        ck_assert_int_eq(findings_evaluate(&rs, &f, &before), 0);
        ck_assert_int_eq(fix_plan_build(&before, &f, NULL, 0, &p, &err), 0);
        ck_assert_int_eq(fix_plan_simulate(&p, &rs, &f, &before, DROPIN, true, true, &sim), 0);
        ck_assert(!strv_isempty(sim.refusals));
        ck_assert_ptr_nonnull(strstr(sim.refusals[0], "mountflags-slave-with-live-restore"));
}
END_TEST

START_TEST(test_choose_alternative)
{
        _cleanup_(rule_set_done) RuleSet rs = {};
        _cleanup_facts_ Facts f = {};
        _cleanup_(findings_done) Findings before = {};
        _cleanup_(fix_plan_done) FixPlan p = {}, p2 = {};
        _cleanup_free_ char *err = NULL;
        const PlanItem *it;
        char *dir;

        /* both fixes applicable: the first is picked, the other offered, and choosable */
        dir = rule_dir_with("mountflags-slave-with-live-restore.rule",
                "[rule]\nid = mountflags-slave-with-live-restore\ntitle = t\nseverity = high\n"
                "when = unit.mount_flags == \"slave\" && dockerd.live_restore\nmessage = m\n"
                "[fix]\ndropin = Service.MountFlags=shared\nrestart = needed\n"
                "[fix \"keep-slave\"]\ndaemon-json = live-restore=false\n"
                "[fix \"never\"]\nwhen = kernel.leaks_mounts\ndaemon-json = -live-restore\n");
        load_rules(&rs, dir);
        host_facts(&(Host){.release = "5.10.0",
                           .may_detach = -1,
                           .mount_flags = "slave",
                           .live_restore = true,
                           .dockerd_private = true},
                &f);
        ck_assert_int_eq(findings_evaluate(&rs, &f, &before), 0);
        ck_assert_int_eq(fix_plan_build(&before, &f, NULL, 0, &p, &err), 0);
        it = item(&p, "mountflags-slave-with-live-restore");
        ck_assert_ptr_nonnull(it);
        ck_assert_str_eq(rule_fix_display_name(it->fix), "default");
        ck_assert_uint_eq(it->n_alternatives, 1); /* "never" has a false condition */
        ck_assert_str_eq(it->alternatives[0]->name, "keep-slave");

        ck_assert_int_eq(
                fix_plan_build(&before, &f,
                        (FixChoice[]){{"mountflags-slave-with-live-restore", "keep-slave"}}, 1, &p2, &err),
                0);
        it = item(&p2, "mountflags-slave-with-live-restore");
        ck_assert_str_eq(it->fix->name, "keep-slave");
        ck_assert_uint_eq(it->n_alternatives, 1);
        ck_assert_ptr_null(it->alternatives[0]->name);
        /* mountflags-slave-on-fixed-kernel still wants the drop-in */
        ck_assert_uint_eq(p2.n_actions, 2);
        fix_plan_done(&p2);
        ck_assert_int_eq(
                fix_plan_build(&before, &f, (FixChoice[]){{"mountflags-slave-with-live-restore", "never"}},
                        1, &p2, &err),
                -EINVAL);
        free(err);
        err = NULL;
        ck_assert_int_eq(
                fix_plan_build(&before, &f, (FixChoice[]){{"restart-pending", "default"}}, 1, &p2, &err),
                -EINVAL);
        ck_assert_ptr_nonnull(strstr(err, "does not fail"));
        rule_dir_remove(dir);
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("fix-plan");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_fixed_kernel_dropin);
        tcase_add_test(tc, test_leaking_kernel_keep_slave);
        tcase_add_test(tc, test_flag_live_restore_refused);
        tcase_add_test(tc, test_sysctl);
        tcase_add_test(tc, test_sysctl_not_persistent);
        tcase_add_test(tc, test_conflict);
        tcase_add_test(tc, test_later_dropin_wins);
        tcase_add_test(tc, test_choose_alternative);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
