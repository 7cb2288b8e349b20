/* SPDX-License-Identifier: MIT */
/* The plan turned into file changes in a temporary root, and written there: the saved facts
 * of a CentOS 7.3 host (tests/fixtures/facts) and the shipped rules make the plans. */
#include <check.h>

#include "check-run.h"
#include <ftw.h>
#include <sys/stat.h>

#include "basic/atomic-write.h"
#include "collect/collect.h"
#include "fix/fix-changes.h"
#include "fix/fix-paths.h"
#include "rules/facts-json.h"

#ifndef SRC_RULESDIR
#define SRC_RULESDIR FIXTURES "/../../rules"
#endif

#define FACTS_FILE FIXTURES "/facts/centos73-slave-live-restore.json"
#define DAEMON_JSON "/etc/docker/daemon.json"
#define DROPIN "/etc/systemd/system/docker.service.d/50-dockaudit.conf"
#define HDR(ids)                                                     \
        "# Written by dockaudit " PACKAGE_VERSION " for rules: " ids \
        "\n# Do not edit: dockaudit fix rewrites this file.\n"
#define OLD_JSON "{\n  \"log-driver\": \"journald\",\n  \"live-restore\": true\n}\n"

/* A temporary root, and the rules, facts, findings and plan of the CentOS 7.3 host. */
typedef struct Host {
        char root[64];
        RuleSet rules;
        Facts facts;
        Findings findings;
        FixPlan plan;
} Host;

static char *at(const Host *h, const char *path)
{
        char *p = strdupf("%s%s", h->root, path);

        ck_assert_ptr_nonnull(p);
        return p;
}

static void write_file(const Host *h, const char *path, const char *text, mode_t mode)
{
        _cleanup_free_ char *p = at(h, path), *err = NULL;

        ck_assert_msg(atomic_write_file(p, text, strlen(text), mode, &err) == 0, "%s", strempty(err));
}

static char *read_file(const Host *h, const char *path)
{
        _cleanup_free_ char *p = at(h, path);
        char *t = NULL;
        size_t n;

        ck_assert_msg(read_full_file(p, &t, &n) >= 0, "%s: %m", p);
        return t;
}

static mode_t mode_of(const Host *h, const char *path)
{
        _cleanup_free_ char *p = at(h, path);
        struct stat st;

        ck_assert_int_eq(lstat(p, &st), 0);
        return st.st_mode & 07777;
}

/* The saved facts; release (when not NULL) replaces the kernel, may_detach (>= 0) sets
 * fs.may_detach_mounts; daemon.json is at DAEMON_JSON. Then the rules and the plan. */
static void host_setup(Host *h, const char *release, int may_detach)
{
        _cleanup_free_ char *err = NULL;
        char *dirs[] = {(char *) SRC_RULESDIR, NULL};

        *h = (Host){};
        strcpy(h->root, "/tmp/check-fix-changes.XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(h->root));
        ck_assert_msg(rule_set_load(&h->rules, dirs, &err) >= 0, "%s", strempty(err));
        ck_assert_msg(facts_load_json_file(FACTS_FILE, &h->facts, &err) >= 0, "%s", strempty(err));
        if (release)
                ck_assert_int_eq(facts_set_string(&h->facts, "kernel.release", release, "test"), 0);
        /* as audit --facts does: the kernel facts derived from the release */
        ck_assert_int_eq(kernel_derive_facts(&h->facts), 0);
        if (may_detach >= 0)
                ck_assert_int_eq(
                        facts_set_number(&h->facts, "kernel.may_detach_mounts", may_detach, "test"), 0);
        ck_assert_int_eq(facts_set_string(&h->facts, "daemon_json.path", DAEMON_JSON, "test"), 0);
        ck_assert_int_eq(findings_evaluate(&h->rules, &h->facts, &h->findings), 0);
        ck_assert_msg(
                fix_plan_build(&h->findings, &h->facts, NULL, 0, &h->plan, &err) >= 0, "%s", strempty(err));
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
        return remove(path);
}

static void host_done(Host *h)
{
        fix_plan_done(&h->plan);
        findings_done(&h->findings);
        facts_done(&h->facts);
        rule_set_done(&h->rules);
        ck_assert_int_eq(nftw(h->root, remove_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

static void plan_changes(const Host *h, FixChanges *ret)
{
        _cleanup_free_ char *dropin = NULL, *err = NULL;

        ck_assert_int_eq(fix_paths_dropin("docker.service", false, NULL, h->root, &dropin, &err), 0);
        ck_assert_msg(
                fix_changes_plan(&h->plan, &h->facts, h->root, dropin, ret, &err) == 0, "%s", strempty(err));
}

static void apply_all(const FixChanges *c)
{
        for (size_t i = 0; i < c->n; i++) {
                _cleanup_free_ char *err = NULL;

                ck_assert_msg(fix_change_apply(&c->v[i], &err) == 0, "%s", strempty(err));
        }
}

/* A leaking kernel: keep-slave turns live-restore off in daemon.json, which keeps its other
 * keys and its mode and is backed up before it is replaced. */
START_TEST(test_daemon_json)
{
        _cleanup_(host_done) Host h;
        _cleanup_(fix_changes_done) FixChanges c = {}, again = {};
        _cleanup_free_ char *path = NULL, *diff = NULL, *now = NULL, *bak = NULL;

        host_setup(&h, NULL, -1);
        ck_assert_uint_eq(h.plan.n_actions, 1);
        write_file(&h, DAEMON_JSON, OLD_JSON, 0640);

        plan_changes(&h, &c);
        ck_assert_uint_eq(c.n, 1);
        path = at(&h, DAEMON_JSON);
        ck_assert_int_eq(c.v[0].type, FIX_ACTION_DAEMON_JSON);
        ck_assert(!c.v[0].proc_sys);
        ck_assert_str_eq(c.v[0].path, path);
        ck_assert_str_eq(c.v[0].old_text, OLD_JSON);
        ck_assert_str_eq(
                c.v[0].new_text, "{\n  \"log-driver\": \"journald\",\n  \"live-restore\": false\n}\n");
        ck_assert_uint_eq(c.v[0].mode, 0640);
        diff = strdupf("--- %s\n+++ %s\n@@ -1,4 +1,4 @@\n {\n   \"log-driver\": \"journald\",\n"
                       "-  \"live-restore\": true\n+  \"live-restore\": false\n }\n",
                path, path);
        ck_assert_str_eq(c.v[0].diff, diff);

        apply_all(&c);
        now = read_file(&h, DAEMON_JSON);
        ck_assert_str_eq(now, c.v[0].new_text);
        ck_assert_uint_eq(mode_of(&h, DAEMON_JSON), 0640);
        bak = read_file(&h, DAEMON_JSON ".dockaudit-bak");
        ck_assert_str_eq(bak, OLD_JSON);
        ck_assert_uint_eq(mode_of(&h, DAEMON_JSON ".dockaudit-bak"), 0640);

        /* the files hold the plan now: nothing more to change */
        plan_changes(&h, &again);
        ck_assert_uint_eq(again.n, 0);
}
END_TEST

/* A fixed kernel with fs.may_detach_mounts=0: the drop-in and the sysctl.d file, both new;
 * a temp file that a killed fixer left beside the drop-in goes. */
START_TEST(test_dropin_and_sysctl)
{
        _cleanup_(host_done) Host h;
        _cleanup_(fix_changes_done) FixChanges c = {}, again = {};
        _cleanup_free_ char *dropin = NULL, *sysctl = NULL, *head = NULL, *stale = NULL, *now = NULL;
        const char *dropin_text =
                HDR("mountflags-slave-on-fixed-kernel, mountflags-slave-with-live-restore") "\n[Service]"
                                                                                            "\nMountFlags="
                                                                                            "shared\n";
        const char *sysctl_text = HDR("detach-mounts-disabled") "\nfs.may_detach_mounts = 1\n";
        struct stat st;

        host_setup(&h, "3.10.0-1160.el7.x86_64", 0);
        write_file(&h, "/etc/systemd/system/docker.service.d/.#50-dockaudit.conf.dockaudit-AbC123",
                "partial", 0600);

        plan_changes(&h, &c);
        ck_assert_uint_eq(c.n, 2); /* and no live /proc/sys write in an image */
        dropin = at(&h, DROPIN);
        sysctl = at(&h, FIX_SYSCTL_FILE);
        ck_assert_int_eq(c.v[0].type, FIX_ACTION_DROPIN);
        ck_assert_str_eq(c.v[0].path, dropin);
        ck_assert_ptr_null(c.v[0].old_text);
        ck_assert_str_eq(c.v[0].new_text, dropin_text);
        ck_assert_uint_eq(c.v[0].mode, 0644);
        head = strdupf("--- /dev/null\n+++ %s\n@@ -0,0 +1,5 @@\n", dropin);
        ck_assert_msg(startswith(c.v[0].diff, head), "%s", c.v[0].diff);
        ck_assert_ptr_nonnull(strstr(c.v[0].diff, "\n+MountFlags=shared\n"));
        ck_assert_int_eq(c.v[1].type, FIX_ACTION_SYSCTL);
        ck_assert(!c.v[1].proc_sys);
        ck_assert_str_eq(c.v[1].path, sysctl);
        ck_assert_ptr_null(c.v[1].old_text);
        ck_assert_str_eq(c.v[1].new_text, sysctl_text);
        ck_assert_ptr_nonnull(strstr(c.v[1].diff, "\n+fs.may_detach_mounts = 1\n"));

        apply_all(&c);
        now = read_file(&h, DROPIN);
        ck_assert_str_eq(now, dropin_text);
        ck_assert_uint_eq(mode_of(&h, DROPIN), 0644);
        free(now);
        now = read_file(&h, FIX_SYSCTL_FILE);
        ck_assert_str_eq(now, sysctl_text);
        ck_assert_uint_eq(mode_of(&h, FIX_SYSCTL_FILE), 0644);
        stale = at(&h, "/etc/systemd/system/docker.service.d/.#50-dockaudit.conf.dockaudit-AbC123");
        ck_assert_int_eq(lstat(stale, &st), -1);

        plan_changes(&h, &again);
        ck_assert_uint_eq(again.n, 0);
}
END_TEST

/* A drop-in that is a symlink is never written through; a directory is not a file. */
START_TEST(test_refused_targets)
{
        _cleanup_(host_done) Host h;
        _cleanup_(fix_changes_done) FixChanges c = {};
        _cleanup_free_ char *dropin = NULL, *target = NULL, *dir = NULL, *err = NULL, *now = NULL;
        struct stat st;

        host_setup(&h, "3.10.0-1160.el7.x86_64", 0);
        write_file(&h, "/elsewhere.conf", "# the real file\n", 0644);
        write_file(&h, "/etc/systemd/system/docker.service.d/other.conf", "[Service]\n", 0644);
        dropin = at(&h, DROPIN);
        target = at(&h, "/elsewhere.conf");
        ck_assert_int_eq(symlink(target, dropin), 0);

        ck_assert_int_eq(fix_changes_plan(&h.plan, &h.facts, h.root, dropin, &c, &err), -ELOOP);
        ck_assert_msg(strstr(err, dropin) && strstr(err, "symbolic link"), "%s", err);
        ck_assert_uint_eq(c.n, 0);
        ck_assert_int_eq(lstat(dropin, &st), 0);
        ck_assert(S_ISLNK(st.st_mode));
        now = read_file(&h, "/elsewhere.conf");
        ck_assert_str_eq(now, "# the real file\n");

        ck_assert_int_eq(unlink(dropin), 0);
        dir = at(&h, FIX_SYSCTL_FILE);
        write_file(&h, FIX_SYSCTL_FILE "/x", "", 0644); /* the sysctl.d file is a directory */
        free(err);
        err = NULL;
        ck_assert_int_eq(fix_changes_plan(&h.plan, &h.facts, h.root, dropin, &c, &err), -EINVAL);
        ck_assert_msg(strstr(err, dir) && strstr(err, "not a regular file"), "%s", err);
        ck_assert_uint_eq(c.n, 0);
}
END_TEST

/* A daemon.json edit needs to know where the file is. */
START_TEST(test_daemon_json_path_unknown)
{
        _cleanup_(host_done) Host h;
        _cleanup_(fix_changes_done) FixChanges c = {};
        _cleanup_free_ char *dropin = NULL, *err = NULL;

        host_setup(&h, NULL, -1);
        ck_assert_int_eq(facts_set_unknown(&h.facts, "daemon_json.path", "test"), 0);
        dropin = at(&h, DROPIN);
        ck_assert_int_eq(fix_changes_plan(&h.plan, &h.facts, h.root, dropin, &c, &err), -ENOENT);
        ck_assert_ptr_nonnull(strstr(err, "path is unknown"));
        ck_assert_uint_eq(c.n, 0);
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("fix-changes");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_daemon_json);
        tcase_add_test(tc, test_dropin_and_sysctl);
        tcase_add_test(tc, test_refused_targets);
        tcase_add_test(tc, test_daemon_json_path_unknown);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
