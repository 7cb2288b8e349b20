/* SPDX-License-Identifier: MIT */
/* The full override of a unit: its text from the real docker-ce 18.09 and 19.03 units, what
 * it refuses, and the whole plan on the saved facts of a docker-ce 18.09 host in a temporary
 * root: only when chosen, proven by the simulation, written, read back as fresh, stale once
 * the vendor file changes, and refused when a drop-in sets the dependency too. */
#include <check.h>

#include "check-run.h"
#include "test-util.h"

#include "basic/sha256.h"
#include "collect/collect-unit-override.h"
#include "fix/fix-changes.h"
#include "fix/fix-paths.h"
#include "fix/fix-unit-override.h"
#include "rules/facts-json.h"

#ifndef SRC_RULESDIR
#define SRC_RULESDIR FIXTURES "/../../rules"
#endif

#define FACTS_FILE FIXTURES "/facts/docker-ce-18.09-dependencies.json"
#define UNIT_1809 FIXTURES "/units/docker-ce-packaging-18.09-docker.service"
#define UNIT_1903 FIXTURES "/units/docker-ce-packaging-19.03-docker.service"
#define VENDOR "/lib/systemd/system/docker.service"
#define OVERRIDE "/etc/systemd/system/docker.service"
#define BINDSTO "containerd-bindsto"

static const UnitOverrideRemoval bindsto = {.key = "BindsTo", .item = "containerd.service"};
static char *const ids[] = {(char *) BINDSTO, NULL};

static char *load(const char *path, size_t *ret_size)
{
        char *t = NULL;

        ck_assert_int_eq(read_full_file(path, &t, ret_size), 0);
        return t;
}

static char *render(const char *text, const UnitOverrideRemoval *rm, size_t n, int expect, char **ret_error)
{
        char *out = NULL;

        ck_assert_int_eq(
                unit_override_render(VENDOR, text, strlen(text), rm, n, "9", ids, &out, ret_error), expect);
        return out;
}

/* The vendor text with "BindsTo=containerd.service" (line 4) replaced by Wants= (After= is
 * there), under our header: every other byte as the vendor wrote it. */
START_TEST(test_render_1809)
{
        _cleanup_free_ char *text = NULL, *out = NULL, *want = NULL, *vendor = NULL, *digest = NULL;
        char hex[SHA256_HEX_SIZE];
        const char *bind;
        unsigned line;
        size_t size;

        text = load(UNIT_1809, &size);
        ck_assert_int_eq(unit_override_render(VENDOR, text, size, &bindsto, 1, "9", ids, &out, NULL), 0);
        sha256_hex(text, size, hex);
        ck_assert_str_eq(hex, "0a28c1132d52cd4a8dc61e35868b54cb645557dff4d98f444b65f919ee1c6f4f");
        bind = strstr(text, "BindsTo=containerd.service\n");
        ck_assert_ptr_nonnull(bind);
        want = strdupf(
                "# Written by dockaudit 9 for rules: " BINDSTO "\n" UNIT_OVERRIDE_MARK VENDOR " sha256:%s\n"
                "# A full copy of that file without BindsTo=containerd.service (a drop-in cannot take a "
                "dependency\n"
                "# out). systemd reads this file instead of that one, so package updates of it do not\n"
                "# apply here: dockaudit audit reports when it changes (unit-override-stale). Remove\n"
                "# this file (and reload) to go back to it. Drop-ins of the unit still apply.\n\n"
                "%.*sWants=containerd.service\n%s",
                hex, (int) (bind - text), text, bind + strlen("BindsTo=containerd.service\n"));
        ck_assert_str_eq(out, want);
        /* read back as the collector reads it */
        ck_assert_int_eq(unit_override_header_parse(out, &vendor, &digest, &line), 1);
        ck_assert_str_eq(vendor, VENDOR);
        ck_assert_str_eq(digest, hex);
        ck_assert_uint_eq(line, 2);
}
END_TEST

/* 19.03: the same trap, the same single-line change. */
START_TEST(test_render_1903)
{
        _cleanup_free_ char *text = NULL, *out = NULL;
        size_t size;

        text = load(UNIT_1903, &size);
        ck_assert_int_eq(unit_override_render(VENDOR, text, size, &bindsto, 1, "9", ids, &out, NULL), 0);
        ck_assert_ptr_null(strstr(out, "\nBindsTo="));
        ck_assert_ptr_nonnull(
                strstr(out, "\nWants=containerd.service\nAfter=network-online.target firewalld.service "
                            "containerd.service\n"));
        ck_assert_ptr_nonnull(strstr(out, "\nRequires=docker.socket\n"));
        ck_assert_ptr_nonnull(strstr(out,
                "\nExecStart=/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock\n"));
}
END_TEST

/* Only the item goes; other items stay; Wants= and After= are added where it was; other
 * sections are not touched. */
START_TEST(test_render_items)
{
        _cleanup_free_ char *out = NULL;

        out = render("# vendor\n[Unit]\nBindsTo=a.service containerd.service  b.service\nDescription=x\n"
                     "[Service]\nBindsTo=containerd.service\nExecStart=/bin/true",
                &bindsto, 1, 0, NULL);
        ck_assert_ptr_nonnull(strstr(out,
                "\n\n# vendor\n[Unit]\nBindsTo=a.service b.service\nWants=containerd.service\n"
                "After=containerd.service\nDescription=x\n[Service]\nBindsTo=containerd.service\n"
                "ExecStart=/bin/true\n"));
        free(out);
        /* two lines naming it: both lose it; Wants= there already (in any [Unit]) */
        out = render("[Unit]\nBindsTo=containerd.service\nWants=containerd.service\n[Unit]\nBindsTo="
                     "containerd.service\n",
                &bindsto, 1, 0, NULL);
        ck_assert_ptr_nonnull(
                strstr(out, "\n\n[Unit]\nAfter=containerd.service\nWants=containerd.service\n[Unit]\n"));
        ck_assert_ptr_null(strstr(out, "\nBindsTo"));
        free(out);
        /* After= is not a requirement: nothing is added for it */
        out = render("[Unit]\nAfter=a.target containerd.service\n",
                &(UnitOverrideRemoval){.key = "After", .item = "containerd.service"}, 1, 0, NULL);
        ck_assert_ptr_nonnull(strstr(out, "\n\n[Unit]\nAfter=a.target\n"));
        ck_assert_ptr_null(strstr(out, "Wants="));
}
END_TEST

START_TEST(test_render_refused)
{
        static const struct {
                const char *text;
                int r;
                const char *msg;
        } cases[] = {
                {"[Unit]\nBindsTo=containerd.service \\\n  other.service\n", -EINVAL,
                        VENDOR ":2: BindsTo= is quoted or continued"},
                {"[Unit]\nBindsTo=\"containerd.service\"\n", -EINVAL, "quoted or continued"},
                {"[Unit]\nRequires=containerd.service\n", -ENOENT,
                        "has no BindsTo=containerd.service in [Unit]"},
                {"[Service]\nBindsTo=containerd.service\n", -ENOENT, "has no BindsTo="},
                {"[Unit]\r\nBindsTo=containerd.service\r\n", -EINVAL, "NUL or CR"},
                {"[Unit\nBindsTo=containerd.service\n", -EINVAL, VENDOR ":1"},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_free_ char *err = NULL, *out = render(cases[i].text, &bindsto, 1, cases[i].r, &err);

                ck_assert_ptr_null(out);
                ck_assert_msg(err && strstr(err, cases[i].msg), "case %zu: %s", i, strempty(err));
        }
}
END_TEST

/* The saved 18.09 host with its vendor unit in a temporary root, the rules and findings. */
typedef struct Host {
        char root[64];
        RuleSet rules;
        Facts facts;
        Findings findings;
        FixPlan plan;
        char *dropin;
} Host;

static void host_setup(Host *h)
{
        _cleanup_free_ char *err = NULL;
        char *dirs[] = {(char *) SRC_RULESDIR, NULL};

        *h = (Host){};
        tmpdir_make(h->root, sizeof h->root, "fix-unit-override");
        put_file(h->root, VENDOR, UNIT_1809);
        ck_assert_msg(rule_set_load(&h->rules, dirs, &err) >= 0, "%s", strempty(err));
        ck_assert_msg(facts_load_json_file(FACTS_FILE, &h->facts, &err) >= 0, "%s", strempty(err));
        ck_assert_int_eq(findings_evaluate(&h->rules, &h->facts, &h->findings), 0);
        ck_assert_int_eq(fix_paths_dropin("docker.service", false, NULL, h->root, &h->dropin, &err), 0);
}

static void host_done(Host *h)
{
        fix_plan_done(&h->plan);
        findings_done(&h->findings);
        facts_done(&h->facts);
        rule_set_done(&h->rules);
        free(h->dropin);
        ck_assert_int_eq(rm_rf(h->root), 0);
}

static void host_plan(Host *h, bool choose)
{
        const FixChoice c = {.rule_id = BINDSTO, .fix_name = "override"};
        _cleanup_free_ char *err = NULL;

        fix_plan_done(&h->plan);
        ck_assert_msg(
                fix_plan_build(&h->findings, &h->facts, choose ? &c : NULL, choose, &h->plan, &err) == 0,
                "%s", strempty(err));
}

static const Finding *finding_of(const Findings *fs, const char *id)
{
        for (size_t i = 0; i < fs->n; i++)
                if (streq(fs->v[i].rule->id, id))
                        return &fs->v[i];
        ck_abort_msg("no finding for %s", id);
        return NULL;
}

/* Not chosen: the rule has no fix; the audit never picks the override on its own. */
START_TEST(test_plan_not_chosen)
{
        _cleanup_(host_done) Host h;

        host_setup(&h);
        ck_assert_int_eq(finding_of(&h.findings, BINDSTO)->status, FINDING_FAIL);
        ck_assert_ptr_null(finding_of(&h.findings, BINDSTO)->fix);
        host_plan(&h, false);
        ck_assert_uint_eq(h.plan.n_items, 0);
        ck_assert_uint_eq(h.plan.n_unfixable, 1);
        ck_assert_str_eq(h.plan.unfixable[0]->id, BINDSTO);
}
END_TEST

/* Chosen: proven by the simulation, written beside the drop-in directory, fresh when read
 * back, idempotent, and stale once the vendor file changes. */
START_TEST(test_plan_chosen_written)
{
        _cleanup_(host_done) Host h;
        _cleanup_(fix_simulation_done) FixSimulation sim = {};
        _cleanup_(fix_changes_done) FixChanges c = {};
        _cleanup_(findings_done) Findings after = {};
        _cleanup_free_ char *err = NULL, *text = NULL;
        _cleanup_strv_free_ char **refusals = NULL;
        const CollectOptions o = {.unit = "docker.service", .root = h.root};
        size_t size;

        host_setup(&h);
        host_plan(&h, true);
        ck_assert_uint_eq(h.plan.n_items, 1);
        ck_assert_uint_eq(h.plan.n_actions, 1);
        ck_assert_int_eq(h.plan.actions[0].type, FIX_ACTION_UNIT_OVERRIDE);
        ck_assert(!h.plan.restart_needed);
        ck_assert_int_eq(
                fix_plan_simulate(&h.plan, &h.rules, &h.facts, &h.findings, h.dropin, true, false, &sim), 0);
        ck_assert_msg(strv_isempty(sim.refusals), "%s", sim.refusals[0]);
        ck_assert_int_eq(finding_of(&sim.findings, BINDSTO)->status, FINDING_PASS);
        ck_assert(strv_contains(facts_get(&sim.facts, "unit.wants")->list, "containerd.service"));
        ck_assert_int_eq(fix_unit_override_check(&h.plan, &h.facts, h.root, &refusals), 0);

        ck_assert_msg(
                fix_changes_plan(&h.plan, &h.facts, h.root, h.dropin, &c, &err) == 0, "%s", strempty(err));
        ck_assert_uint_eq(c.n, 1);
        ck_assert_int_eq(c.v[0].type, FIX_ACTION_UNIT_OVERRIDE);
        ck_assert_str_eq(c.v[0].path + strlen(h.root), OVERRIDE);
        ck_assert_ptr_null(c.v[0].old_text);
        ck_assert_msg(fix_change_apply(&c.v[0], &err) == 0, "%s", strempty(err));

        /* the manager now loads the copy: the facts as the collectors see them */
        ck_assert_int_eq(facts_set_string(&h.facts, "unit.fragment_path", OVERRIDE, "test"), 0);
        ck_assert_int_eq(facts_set_list(&h.facts, "unit.binds_to", (char *[]){NULL}, "test"), 0);
        ck_assert_int_eq(collect_unit_override(&h.facts, &o), 0);
        ck_assert_int_eq(facts_get_bool(&h.facts, "unit_override.present"), 1);
        ck_assert_int_eq(facts_get_bool(&h.facts, "unit_override.stale"), 0);
        ck_assert_int_eq(findings_evaluate(&h.rules, &h.facts, &after), 0);
        ck_assert_int_eq(finding_of(&after, BINDSTO)->status, FINDING_PASS);
        ck_assert_int_eq(finding_of(&after, "unit-override-stale")->status, FINDING_PASS);

        /* chosen again while the copy is there: made from the vendor file its header names,
         * the same text, so no change */
        fix_changes_done(&c);
        ck_assert_msg(
                fix_changes_plan(&h.plan, &h.facts, h.root, h.dropin, &c, &err) == 0, "%s", strempty(err));
        ck_assert_uint_eq(c.n, 0);

        /* the package updates the vendor unit */
        text = load(UNIT_1903, &size);
        put(h.root, VENDOR, text);
        ck_assert_int_eq(collect_unit_override(&h.facts, &o), 0);
        findings_done(&after);
        ck_assert_int_eq(findings_evaluate(&h.rules, &h.facts, &after), 0);
        ck_assert_int_eq(finding_of(&after, "unit-override-stale")->status, FINDING_FAIL);
}
END_TEST

/* A drop-in that sets BindsTo=containerd.service too applies on top of any copy: refused,
 * naming it (a drop-in with "BindsTo=" alone does not reset the list, and is not named). */
START_TEST(test_plan_dropin_refused)
{
        _cleanup_(host_done) Host h;
        _cleanup_strv_free_ char **refusals = NULL;
        _cleanup_free_ char *where = NULL;

        host_setup(&h);
        put(h.root, "/etc/systemd/system/docker.service.d/10-bind.conf",
                "[Unit]\nBindsTo=\n# kubespray's bind\nBindsTo=other.service containerd.service\n");
        put(h.root, "/etc/systemd/system/docker.service.d/20-empty.conf", "[Unit]\nBindsTo=\n");
        ck_assert_int_eq(facts_set_list(&h.facts, "unit.dropin_paths",
                                 (char *[]){(char *) "/etc/systemd/system/docker.service.d/10-bind.conf",
                                         (char *) "/etc/systemd/system/docker.service.d/20-empty.conf",
                                         (char *) "/etc/systemd/system/docker.service.d/30-gone.conf", NULL},
                                 "test"),
                0);
        host_plan(&h, true);
        ck_assert_int_eq(fix_unit_override_check(&h.plan, &h.facts, h.root, &refusals), 2);
        where = path_in(h.root,
                "/etc/systemd/system/docker.service.d/10-bind.conf:4 sets BindsTo=containerd.service");
        ck_assert_msg(startswith(refusals[0], where), "%s", refusals[0]);
        ck_assert_ptr_nonnull(strstr(refusals[1], "30-gone.conf: cannot read"));
}
END_TEST

/* Where the copy must not go: over the admin's own copy, past a file in the way, or where
 * systemd would not read it first. */
START_TEST(test_plan_refused_targets)
{
        _cleanup_(host_done) Host h;
        _cleanup_free_ char *err = NULL, *path = NULL, *text = NULL;

        host_setup(&h);
        host_plan(&h, true);

        put_file(h.root, OVERRIDE, UNIT_1809);
        ck_assert_int_eq(
                fix_unit_override_plan(&h.plan, &h.facts, h.root, h.dropin, &path, &text, &err), -EEXIST);
        ck_assert_ptr_nonnull(strstr(err, "in the way"));
        free(err);
        err = NULL;

        ck_assert_int_eq(facts_set_string(&h.facts, "unit.fragment_path", OVERRIDE, "test"), 0);
        ck_assert_int_eq(
                fix_unit_override_plan(&h.plan, &h.facts, h.root, h.dropin, &path, &text, &err), -EEXIST);
        ck_assert_ptr_nonnull(strstr(err, "not written by dockaudit"));
        free(err);
        err = NULL;

        ck_assert_int_eq(facts_set_string(&h.facts, "unit.fragment_path",
                                 "/run/systemd/transient/docker.service", "test"),
                0);
        ck_assert_int_eq(
                fix_unit_override_plan(&h.plan, &h.facts, h.root, h.dropin, &path, &text, &err), -EINVAL);
        ck_assert_ptr_nonnull(strstr(err, "reads before"));
        free(err);
        err = NULL;

        ck_assert_int_eq(facts_set_string(&h.facts, "unit.fragment_path",
                                 "/lib/systemd/system/docker-ce.service", "test"),
                0);
        ck_assert_int_eq(
                fix_unit_override_plan(&h.plan, &h.facts, h.root, h.dropin, &path, &text, &err), -EINVAL);
        ck_assert_ptr_nonnull(strstr(err, "another name"));
        ck_assert_ptr_null(path);
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("fix-unit-override");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_render_1809);
        tcase_add_test(tc, test_render_1903);
        tcase_add_test(tc, test_render_items);
        tcase_add_test(tc, test_render_refused);
        tcase_add_test(tc, test_plan_not_chosen);
        tcase_add_test(tc, test_plan_chosen_written);
        tcase_add_test(tc, test_plan_dropin_refused);
        tcase_add_test(tc, test_plan_refused_targets);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
