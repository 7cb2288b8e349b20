/* SPDX-License-Identifier: MIT */
/* The daemon-json side of `dockaudit fix` for issue 10: nested edits (log-opts.max-size) in
 * daemon_json_edit() (src/fix/fix-files.c), their simulation (apply_daemon_json() in
 * src/fix/fix-plan.c) with the shipped log-size-unbounded rule, and the shipped rules over the
 * dockerd config facts (daemon-json-unknown-key, daemon-json-invalid, option-set-twice). */
#include <check.h>

#include "check-run.h"

#include "fix/fix-files.h"
#include "fix/fix-plan.h"

#define SRC_RULESDIR FIXTURES "/../../rules"
#define UNIT_FILE "/lib/systemd/system/docker.service"
#define DAEMON_JSON "/etc/docker/daemon.json"
#define DROPIN "/etc/systemd/system/docker.service.d/50-dockaudit.conf"

static void edit(const char *old, const JsonEdit *e, size_t n, const char *want)
{
        _cleanup_free_ char *t = NULL, *err = NULL;

        ck_assert_msg(daemon_json_edit(DAEMON_JSON, old, e, n, &t, &err) == 0, "%s", strempty(err));
        if (!want)
                ck_assert_ptr_null(t);
        else
                ck_assert_str_eq(t, want);
}

START_TEST(test_nested_edits)
{
        JsonEdit size = {(char *) "log-opts.max-size", (char *) "\"10m\""},
                 file = {(char *) "log-opts.max-file", (char *) "\"3\""},
                 rm = {(char *) "log-opts.max-file", NULL}, both[] = {size, file};
        _cleanup_free_ char *t = NULL, *t2 = NULL, *err = NULL;

        /* a new file, then the existing log-opts kept in order */
        edit(NULL, both, 2,
                "{\n  \"log-opts\": {\n    \"max-size\": \"10m\",\n    \"max-file\": \"3\"\n  }\n}\n");
        edit("{\"debug\": true, \"log-opts\": {\"labels\": \"a\", \"max-file\": \"5\"}}", &size, 1,
                "{\n  \"debug\": true,\n  \"log-opts\": {\n    \"labels\": \"a\",\n    \"max-file\": "
                "\"5\",\n"
                "    \"max-size\": \"10m\"\n  }\n}\n");
        /* idempotent: nothing changes, the old text comes back as it was */
        ck_assert_int_eq(daemon_json_edit(DAEMON_JSON, NULL, both, 2, &t, &err), 0);
        ck_assert_int_eq(daemon_json_edit(DAEMON_JSON, t, both, 2, &t2, &err), 0);
        ck_assert_str_eq(t, t2);
        /* removing a member keeps the object; removing what is not there changes nothing */
        edit("{\"log-opts\": {\"max-file\": \"3\"}}", &rm, 1, "{\n  \"log-opts\": {}\n}\n");
        edit("{\"log-opts\": {}}", &rm, 1, "{\"log-opts\": {}}");
        edit(NULL, &rm, 1, NULL);
        /* a top-level key still replaces the whole value */
        edit("{\"log-opts\": {\"a\": \"b\"}}",
                &(JsonEdit){(char *) "log-opts", (char *) "{\"max-size\":\"1m\"}"}, 1,
                "{\n  \"log-opts\": {\n    \"max-size\": \"1m\"\n  }\n}\n");
}
END_TEST

START_TEST(test_nested_edit_errors)
{
        JsonEdit size = {(char *) "log-opts.max-size", (char *) "\"10m\""};
        _cleanup_free_ char *t = NULL, *err = NULL;

        ck_assert_int_eq(daemon_json_edit(DAEMON_JSON, "{\n  \"log-opts\": \"max-size=10m\"\n}\n", &size, 1,
                                 &t, &err),
                -EINVAL);
        ck_assert_str_eq(err,
                DAEMON_JSON ":2: \"log-opts\" is a string, not an object: cannot set \"max-size\" in it");
        ck_assert_ptr_null(t);
}
END_TEST

/* A host whose dockerd logs with json-file: the default driver, the log options given. */
static void log_host(Facts *f, char **log_opts, const char *max_size, const char *max_file, bool opt_flags)
{
        char *none[] = {NULL}, *flags[] = {(char *) "log-opts", NULL}, *keys[] = {(char *) "debug", NULL};
        const char *lo_src = opt_flags ? "/etc/sysconfig/docker:3" : DAEMON_JSON ":2";

        ck_assert_int_eq(facts_set_string(f, "daemon_json.path", DAEMON_JSON, "dockerd default"), 0);
        ck_assert_int_eq(facts_set_bool(f, "daemon_json.present", true, DAEMON_JSON), 0);
        ck_assert_int_eq(facts_set_bool(f, "daemon_json.valid", true, DAEMON_JSON), 0);
        ck_assert_int_eq(facts_set_string(f, "daemon_json.error", "", DAEMON_JSON), 0);
        ck_assert_int_eq(facts_set_list(f, "daemon_json.keys", keys, DAEMON_JSON), 0);
        ck_assert_int_eq(facts_set_list(f, "daemon_json.unknown_keys", none, DAEMON_JSON), 0);
        ck_assert_int_eq(facts_set_list(f, "dockerd.flags", opt_flags ? flags : none, UNIT_FILE ":12"), 0);
        ck_assert_int_eq(facts_set_list(f, "dockerd.conflicting_options", none, UNIT_FILE ":12"), 0);
        ck_assert_int_eq(facts_set_string(f, "dockerd.log_driver", "json-file", "dockerd default"), 0);
        ck_assert_int_eq(facts_set_list(f, "dockerd.log_opts", log_opts, lo_src), 0);
        ck_assert_int_eq(facts_set_string(f, "dockerd.log_max_size", max_size, lo_src), 0);
        ck_assert_int_eq(facts_set_string(f, "dockerd.log_max_file", max_file, lo_src), 0);
}

static void load_rules(RuleSet *rs, const char *extra_dir)
{
        char *dirs[] = {(char *) extra_dir, (char *) SRC_RULESDIR, NULL};
        _cleanup_free_ char *err = NULL;
        int r = rule_set_load(rs, extra_dir ? dirs : dirs + 1, &err);

        ck_assert_msg(r >= 0, "rule_set_load: %s", err ? err : strerror(-r));
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

/* No max-size: the default fix sets max-size and max-file; the simulation (the rules re-run on
 * the predicted facts) clears the finding and keeps the labels option. */
START_TEST(test_log_fix_default)
{
        char *opts[] = {(char *) "labels=a", NULL};
        _cleanup_(rule_set_done) RuleSet rs = {};
        _cleanup_facts_ Facts f = {};
        _cleanup_(findings_done) Findings before = {};
        _cleanup_(fix_plan_done) FixPlan p = {};
        _cleanup_(fix_simulation_done) FixSimulation sim = {};
        _cleanup_free_ char *err = NULL;
        const Fact *lo;

        load_rules(&rs, NULL);
        log_host(&f, opts, "", "", false);
        ck_assert_int_eq(findings_evaluate(&rs, &f, &before), 0);
        ck_assert_int_eq(finding(&before, "log-size-unbounded")->status, FINDING_FAIL);
        ck_assert_int_eq(finding(&before, "log-size-unbounded")->rule->severity, SEVERITY_LOW);
        ck_assert_int_eq(fix_plan_build(&before, &f, NULL, 0, &p, &err), 0);
        ck_assert_ptr_null(item(&p, "log-size-unbounded")->fix->name); /* [fix] */
        ck_assert_uint_eq(p.n_actions, 2);
        ck_assert_str_eq(p.actions[0].key, "log-opts.max-size");
        ck_assert_str_eq(p.actions[0].value, "\"10m\"");
        ck_assert_str_eq(p.actions[1].key, "log-opts.max-file");
        ck_assert(p.restart_needed);
        ck_assert_int_eq(fix_plan_simulate(&p, &rs, &f, &before, DROPIN, true, true, &sim), 0);
        ck_assert_msg(strv_isempty(sim.refusals), "refused: %s", sim.refusals[0]);
        ck_assert_int_eq(finding(&sim.findings, "log-size-unbounded")->status, FINDING_PASS);
        lo = facts_get(&sim.facts, "dockerd.log_opts");
        ck_assert_uint_eq(strv_length(lo->list), 3);
        ck_assert_str_eq(lo->list[0], "labels=a");
        ck_assert_str_eq(lo->list[1], "max-size=10m");
        ck_assert_str_eq(lo->list[2], "max-file=3");
        ck_assert_str_eq(facts_get_string(&sim.facts, "dockerd.log_max_size"), "10m");
        ck_assert(strv_contains(facts_get(&sim.facts, "daemon_json.keys")->list, "log-opts"));
        ck_assert(strv_contains(facts_get(&sim.facts, "daemon_json.keys")->list, "debug"));
}
END_TEST

/* A max-file already there is kept: only max-size is added. */
START_TEST(test_log_fix_keeps_max_file)
{
        char *opts[] = {(char *) "max-file=5", NULL};
        _cleanup_(rule_set_done) RuleSet rs = {};
        _cleanup_facts_ Facts f = {};
        _cleanup_(findings_done) Findings before = {};
        _cleanup_(fix_plan_done) FixPlan p = {};
        _cleanup_(fix_simulation_done) FixSimulation sim = {};
        _cleanup_free_ char *err = NULL;

        load_rules(&rs, NULL);
        log_host(&f, opts, "", "5", false);
        ck_assert_int_eq(findings_evaluate(&rs, &f, &before), 0);
        ck_assert_int_eq(fix_plan_build(&before, &f, NULL, 0, &p, &err), 0);
        ck_assert_str_eq(item(&p, "log-size-unbounded")->fix->name, "keep-max-file");
        ck_assert_uint_eq(p.n_actions, 1);
        ck_assert_int_eq(fix_plan_simulate(&p, &rs, &f, &before, DROPIN, true, true, &sim), 0);
        ck_assert_msg(strv_isempty(sim.refusals), "refused: %s", sim.refusals[0]);
        ck_assert_int_eq(finding(&sim.findings, "log-size-unbounded")->status, FINDING_PASS);
        ck_assert_str_eq(facts_get_string(&sim.facts, "dockerd.log_max_file"), "5");
}
END_TEST

/* Log options given as --log-opt flags: no fix is offered; a local rule without that guard is
 * refused by the simulation (log-opts in daemon.json as well: dockerd refuses to start). */
START_TEST(test_log_fix_refused_with_flags)
{
        char *opts[] = {(char *) "max-file=2", NULL};
        _cleanup_(rule_set_done) RuleSet rs = {}, rs2 = {};
        _cleanup_facts_ Facts f = {};
        _cleanup_(findings_done) Findings before = {}, before2 = {};
        _cleanup_(fix_plan_done) FixPlan p = {}, p2 = {};
        _cleanup_(fix_simulation_done) FixSimulation sim = {};
        _cleanup_free_ char *err = NULL, *path = NULL;
        char dir[] = "/tmp/check-fix-daemon-json.XXXXXX";
        FILE *fp;

        load_rules(&rs, NULL);
        log_host(&f, opts, "", "2", true);
        ck_assert_int_eq(findings_evaluate(&rs, &f, &before), 0);
        ck_assert_int_eq(finding(&before, "log-size-unbounded")->status, FINDING_FAIL);
        ck_assert_ptr_null(finding(&before, "log-size-unbounded")->fix);
        ck_assert_int_eq(fix_plan_build(&before, &f, NULL, 0, &p, &err), 0);
        ck_assert_uint_eq(p.n_actions, 0);

        ck_assert_ptr_nonnull(mkdtemp(dir));
        path = strdupf("%s/log-size-unbounded.rule", dir);
        ck_assert_ptr_nonnull(fp = fopen(path, "we"));
        fputs("[rule]\nid = log-size-unbounded\ntitle = t\nseverity = low\n"
              "when = dockerd.log_max_size == \"\"\nmessage = m\n"
              "[fix]\ndaemon-json = log-opts.max-size=\"10m\"\nrestart = needed\n",
                fp);
        ck_assert_int_eq(fclose(fp), 0);
        load_rules(&rs2, dir);
        ck_assert_int_eq(unlink(path), 0);
        ck_assert_int_eq(rmdir(dir), 0);
        ck_assert_int_eq(findings_evaluate(&rs2, &f, &before2), 0);
        ck_assert_int_eq(fix_plan_build(&before2, &f, NULL, 0, &p2, &err), 0);
        ck_assert_uint_eq(p2.n_actions, 1);
        ck_assert_int_eq(fix_plan_simulate(&p2, &rs2, &f, &before2, DROPIN, true, true, &sim), 0);
        ck_assert(!strv_isempty(sim.refusals));
        ck_assert_msg(strstr(sim.refusals[0], "log-opts is set as a dockerd flag"), "%s", sim.refusals[0]);
}
END_TEST

/* The other drivers: local rotates by default, journald and the rest keep nothing on disk. */
START_TEST(test_log_rule_drivers)
{
        char *none[] = {NULL}, *sized[] = {(char *) "max-size=1m", NULL};
        static const char *const drivers[] = {"local", "journald", "syslog", "none", "fluentd"};
        _cleanup_(rule_set_done) RuleSet rs = {};

        load_rules(&rs, NULL);
        for (size_t i = 0; i < ELEMENTSOF(drivers); i++) {
                _cleanup_facts_ Facts f = {};
                _cleanup_(findings_done) Findings fs = {};

                log_host(&f, none, "", "", false);
                ck_assert_int_eq(
                        facts_set_string(&f, "dockerd.log_driver", drivers[i], DAEMON_JSON ":2"), 0);
                ck_assert_int_eq(findings_evaluate(&rs, &f, &fs), 0);
                ck_assert_int_eq(finding(&fs, "log-size-unbounded")->status, FINDING_PASS);
        }
        {
                _cleanup_facts_ Facts f = {};
                _cleanup_(findings_done) Findings fs = {};

                log_host(&f, sized, "1m", "", false);
                ck_assert_int_eq(findings_evaluate(&rs, &f, &fs), 0);
                ck_assert_int_eq(finding(&fs, "log-size-unbounded")->status, FINDING_PASS);
                /* daemon.json refused: the options are unknown, the rule is skipped */
                ck_assert_int_eq(facts_set_unknown(&f, "dockerd.log_max_size", "refused"), 0);
                findings_done(&fs);
                ck_assert_int_eq(findings_evaluate(&rs, &f, &fs), 0);
                ck_assert_int_eq(finding(&fs, "log-size-unbounded")->status, FINDING_SKIP);
        }
}
END_TEST

/* daemon-json-unknown-key owns unknown keys; daemon-json-invalid keeps the other refusals, and
 * fires when the keys cannot be judged (the file does not parse). */
START_TEST(test_unknown_key_rules)
{
        char *none[] = {NULL}, *unknown[] = {(char *) "disable-legacy-registry", NULL};
        _cleanup_(rule_set_done) RuleSet rs = {};
        _cleanup_facts_ Facts f = {};
        _cleanup_(findings_done) Findings a = {}, b = {}, c = {};
        const Finding *x;

        load_rules(&rs, NULL);
        log_host(&f, none, "10m", "", false);
        ck_assert_int_eq(facts_set_version(&f, "dockerd.version", "19.03.5",
                                 "/var/lib/dpkg/status, package docker-ce"),
                0);
        ck_assert_int_eq(facts_set_bool(&f, "daemon_json.valid", false, DAEMON_JSON), 0);
        ck_assert_int_eq(facts_set_string(&f, "daemon_json.error",
                                 "d.json:3: \"disable-legacy-registry\" ...", DAEMON_JSON),
                0);
        ck_assert_int_eq(facts_set_list(&f, "daemon_json.unknown_keys", unknown,
                                 DAEMON_JSON " against dockerd 19.03.5"),
                0);
        ck_assert_int_eq(findings_evaluate(&rs, &f, &a), 0);
        x = finding(&a, "daemon-json-unknown-key");
        ck_assert_int_eq(x->status, FINDING_FAIL);
        ck_assert_ptr_nonnull(strstr(x->message, "dockerd 19.03.5"));
        ck_assert_ptr_nonnull(strstr(x->message, "disable-legacy-registry"));
        ck_assert_int_eq(finding(&a, "daemon-json-invalid")->status, FINDING_PASS);

        /* another refusal: daemon-json-invalid's */
        ck_assert_int_eq(facts_set_list(&f, "daemon_json.unknown_keys", none, DAEMON_JSON), 0);
        ck_assert_int_eq(findings_evaluate(&rs, &f, &b), 0);
        ck_assert_int_eq(finding(&b, "daemon-json-unknown-key")->status, FINDING_PASS);
        ck_assert_int_eq(finding(&b, "daemon-json-invalid")->status, FINDING_FAIL);

        /* not JSON: the keys are unknown, the file is still refused */
        ck_assert_int_eq(facts_set_unknown(&f, "daemon_json.unknown_keys", "d.json:1:1: not JSON"), 0);
        ck_assert_int_eq(findings_evaluate(&rs, &f, &c), 0);
        ck_assert_int_eq(finding(&c, "daemon-json-unknown-key")->status, FINDING_SKIP);
        ck_assert_int_eq(finding(&c, "daemon-json-invalid")->status, FINDING_FAIL);
}
END_TEST

/* option-set-twice with an option other than hosts (docker/for-linux#327). */
START_TEST(test_option_set_twice_not_hosts)
{
        char *none[] = {NULL}, *both[] = {(char *) "insecure-registries", NULL};
        _cleanup_(rule_set_done) RuleSet rs = {};
        _cleanup_facts_ Facts f = {};
        _cleanup_(findings_done) Findings a = {};

        load_rules(&rs, NULL);
        log_host(&f, none, "10m", "", false);
        ck_assert_int_eq(facts_set_list(&f, "dockerd.argv", both, "/etc/sysconfig/docker:4"), 0);
        ck_assert_int_eq(
                facts_set_list(&f, "dockerd.conflicting_options", both, UNIT_FILE ":12 vs " DAEMON_JSON), 0);
        ck_assert_int_eq(findings_evaluate(&rs, &f, &a), 0);
        ck_assert_int_eq(finding(&a, "option-set-twice")->status, FINDING_FAIL);
        ck_assert_ptr_nonnull(strstr(finding(&a, "option-set-twice")->message, "insecure-registries"));
}
END_TEST

int main(void)
{
        Suite *s = suite_create("fix-daemon-json");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_nested_edits);
        tcase_add_test(tc, test_nested_edit_errors);
        tcase_add_test(tc, test_log_fix_default);
        tcase_add_test(tc, test_log_fix_keeps_max_file);
        tcase_add_test(tc, test_log_fix_refused_with_flags);
        tcase_add_test(tc, test_log_rule_drivers);
        tcase_add_test(tc, test_unknown_key_rules);
        tcase_add_test(tc, test_option_set_twice_not_hosts);
        suite_add_tcase(s, tc);
        return check_run(s);
}
