/* SPDX-License-Identifier: MIT */
/* The steps of a fix, run on an offline image in a temporary directory (no bus): the shipped
 * rules, a v1.11.2 unit (MountFlags=slave) on a CentOS 7.9 kernel with live-restore on. */
#include <check.h>

#include "check-run.h"
#include <ftw.h>
#include <sys/stat.h>

#include "basic/atomic-write.h"
#include "fix/fix-engine.h"
#include "fix/fix-paths.h"

#ifndef SRC_RULESDIR
#define SRC_RULESDIR FIXTURES "/../../rules"
#endif

#define KERNEL "3.10.0-1160.81.1.el7.x86_64"

static char *const rules_dirs[] = {(char *) SRC_RULESDIR, NULL};

static void copy_into(const char *root, const char *from, const char *to)
{
        _cleanup_free_ char *text = NULL, *path = strdupf("%s%s", root, to), *err = NULL;
        size_t n;

        ck_assert_int_ge(read_full_file(from, &text, &n), 0);
        ck_assert_msg(atomic_write_file(path, text, n, 0644, &err) == 0, "%s", strempty(err));
}

/* The image test-cli.sh fixes too. */
static void image_make(char *root)
{
        _cleanup_free_ char *modules = NULL, *dj = NULL, *err = NULL;
        const char *json = "{\n  \"log-driver\": \"journald\",\n  \"live-restore\": true\n}\n";

        strcpy(root, "/tmp/check-fix-engine.XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(root));
        copy_into(root, FIXTURES "/units/moby-v1.11.2-docker.service", "/lib/systemd/system/docker.service");
        /* its -H fd:// needs it (fd-without-socket) */
        copy_into(root, FIXTURES "/units/moby-v1.11.2-docker.socket", "/lib/systemd/system/docker.socket");
        copy_into(root, FIXTURES "/os-release/centos-7.1.1503-etc-os-release", "/etc/os-release");
        modules = strdupf("%s/lib/modules", root);
        ck_assert_int_eq(mkdir(modules, 0755), 0);
        free(modules);
        modules = strdupf("%s/lib/modules/" KERNEL, root);
        ck_assert_int_eq(mkdir(modules, 0755), 0);
        dj = strdupf("%s/etc/docker/daemon.json", root);
        ck_assert_msg(atomic_write_file(dj, json, strlen(json), 0644, &err) == 0, "%s", strempty(err));
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
        return remove(path);
}

static void image_remove(const char *root)
{
        ck_assert_int_eq(nftw(root, remove_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

static void engine_init(FixEngine *e, const char *root, bool dry_run)
{
        fix_engine_init(e, &(FixOptions){.unit = "docker.service",
                                   .root = root,
                                   .rules_dirs = rules_dirs,
                                   .dry_run = dry_run});
}

static FindingStatus status_of(const FixEngine *e, const Findings *fs, const char *id)
{
        const Rule *rule = rule_set_find(&e->rules, id);
        const Finding *f = rule ? findings_find(fs, rule) : NULL;

        ck_assert_msg(f, "no finding for %s", id);
        return f->status;
}

/* load, plan, prove, changes: the steps every run takes. */
static void engine_prepare(FixEngine *e)
{
        _cleanup_(fix_simulation_done) FixSimulation sim = {};
        _cleanup_free_ char *err = NULL;

        ck_assert_msg(fix_engine_load(e, &err) == 0, "%s", strempty(err));
        ck_assert(strv_isempty(e->problems));
        ck_assert_msg(fix_engine_plan(e, NULL, 0, &err) == 0, "%s", strempty(err));
        ck_assert_int_eq(fix_engine_prove(e, &sim), 0);
        ck_assert_msg(strv_isempty(sim.refusals), "refused: %s", sim.refusals[0]);
        ck_assert_msg(fix_engine_changes(e, &err) == 0, "%s", strempty(err));
}

START_TEST(test_fix_image)
{
        _cleanup_(fix_engine_done) FixEngine e = {}, again = {};
        _cleanup_free_ char *err = NULL, *dropin = NULL, *text = NULL;
        char root[64];
        size_t n;

        image_make(root);
        engine_init(&e, root, false);
        engine_prepare(&e);
        ck_assert_int_ge(e.lock_fd, 0);
        ck_assert(!e.restart_pending);
        ck_assert_int_eq(status_of(&e, &e.before, "mountflags-slave-with-live-restore"), FINDING_FAIL);
        ck_assert_uint_eq(e.plan.n_items, 3);
        ck_assert(e.plan.restart_needed);
        ck_assert_int_eq(fix_paths_dropin("docker.service", false, NULL, root, &dropin, &err), 0);
        ck_assert_str_eq(e.dropin_path, dropin);
        /* the drop-in and sysctl.d; an image is never reloaded, restarted or sysctl'd live */
        ck_assert_uint_eq(e.changes.n, 2);
        ck_assert_int_eq(e.changes.v[0].type, FIX_ACTION_DROPIN);
        ck_assert_int_eq(e.changes.v[1].type, FIX_ACTION_SYSCTL);
        ck_assert(e.dropin_changed && !e.dropin_stale);
        ck_assert(!e.reload && !e.restart);
        ck_assert(!fix_engine_nothing_to_do(&e));

        for (size_t i = 0; i < e.changes.n; i++)
                ck_assert_msg(fix_engine_apply(&e, i, &err) == 0, "%s", strempty(err));
        ck_assert(e.wrote_dropin);
        ck_assert_int_ge(read_full_file(dropin, &text, &n), 0);
        ck_assert_ptr_nonnull(strstr(text, "\nMountFlags=shared\n"));
        ck_assert_int_eq(fix_engine_connect(&e, &err), 0);
        ck_assert_ptr_null(e.bus);
        ck_assert_int_eq(fix_engine_reaudit(&e), 0);
        ck_assert_int_eq(status_of(&e, &e.after, "mountflags-slave-with-live-restore"), FINDING_PASS);
        ck_assert_int_eq(status_of(&e, &e.after, "detach-mounts-disabled"), FINDING_PASS);
        ck_assert_uint_eq(findings_count_failed(&e.after, SEVERITY_INFO), 0);
        fix_engine_done(&e);

        /* the second run finds nothing to do */
        engine_init(&again, root, false);
        engine_prepare(&again);
        ck_assert_uint_eq(again.plan.n_items, 0);
        ck_assert(fix_engine_nothing_to_do(&again));
        fix_engine_done(&again);
        image_remove(root);
}
END_TEST

/* One fixer at a time on an image; a dry run takes no lock. */
START_TEST(test_lock)
{
        _cleanup_(fix_engine_done) FixEngine first = {}, second = {}, dry = {};
        _cleanup_free_ char *err = NULL;
        char root[64];

        image_make(root);
        engine_init(&first, root, false);
        ck_assert_msg(fix_engine_load(&first, &err) == 0, "%s", strempty(err));
        engine_init(&second, root, false);
        ck_assert_int_eq(fix_engine_load(&second, &err), -EBUSY);
        ck_assert_ptr_nonnull(strstr(err, "another dockaudit fix is running"));
        free(err);
        err = NULL;
        engine_init(&dry, root, true);
        ck_assert_msg(fix_engine_load(&dry, &err) == 0, "%s", strempty(err));
        ck_assert_int_lt(dry.lock_fd, 0);
        fix_engine_done(&first);
        fix_engine_done(&second);
        engine_init(&second, root, false);
        ck_assert_msg(fix_engine_load(&second, &err) == 0, "%s", strempty(err));
        image_remove(root);
}
END_TEST

/* A choice that does not apply fails and keeps the plan there was. */
START_TEST(test_bad_choice_keeps_plan)
{
        _cleanup_(fix_engine_done) FixEngine e = {};
        _cleanup_free_ char *err = NULL;
        const FixChoice keep_slave = {"mountflags-slave-with-live-restore", "keep-slave"};
        char root[64];

        image_make(root);
        engine_init(&e, root, true);
        engine_prepare(&e);
        ck_assert_uint_eq(e.plan.n_items, 3);
        /* keep-slave is for leaking kernels only */
        ck_assert_int_eq(fix_engine_plan(&e, &keep_slave, 1, &err), -EINVAL);
        ck_assert_ptr_nonnull(strstr(err, "keep-slave"));
        ck_assert_uint_eq(e.plan.n_items, 3);
        ck_assert_uint_eq(e.changes.n, 2);
        image_remove(root);
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("fix-engine");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_fix_image);
        tcase_add_test(tc, test_lock);
        tcase_add_test(tc, test_bad_choice_keeps_plan);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
