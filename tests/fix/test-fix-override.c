/* SPDX-License-Identifier: MIT */
/* The prover's check of what is read after our files (src/fix/fix-override.c): a later
 * drop-in or sysctl file that would undo the plan refuses it, naming FILE:LINE. */
#include <check.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check-run.h"
#include "test-util.h"

#include "fix/fix-override.h"

static char root[64];

static void setup(void)
{
        tmpdir_make(root, sizeof root, "fix-override");
        put(root, "/lib/systemd/system/docker.service",
                "[Service]\nExecStart=/usr/bin/dockerd\nMountFlags=slave\n");
}

static void teardown(void)
{
        ck_assert_int_eq(rm_rf(root), 0);
}

/* A plan of one action. */
static FixPlan plan_of(PlanAction *a)
{
        return (FixPlan){.actions = a, .n_actions = 1};
}

/* The refusals of the one-action plan a on root: how many, and the first in *ret. */
static int refusals(PlanAction *a, char **ret)
{
        const FixTarget t = {.root = root, .unit = "docker.service"};
        FixPlan p = plan_of(a);
        _cleanup_strv_free_ char **l = NULL;
        int r = fix_override_check(&p, &t, &l);

        ck_assert_int_ge(r, 0);
        ck_assert_int_eq((int) strv_length(l), r);
        *ret = r > 0 ? strdup(l[0]) : NULL;
        return r;
}

static PlanAction mountflags = {.type = FIX_ACTION_DROPIN,
        .section = (char *) "Service",
        .key = (char *) "MountFlags",
        .value = (char *) "shared"};
static PlanAction detach = {
        .type = FIX_ACTION_SYSCTL, .key = (char *) "fs.may_detach_mounts", .value = (char *) "1"};

START_TEST(test_later_dropin)
{
        _cleanup_free_ char *none = NULL, *msg = NULL, *msg2 = NULL, *same = NULL, *earlier = NULL;
        _cleanup_free_ char *x60 = path_in(root, "/etc/systemd/system/docker.service.d/60-x.conf");
        _cleanup_free_ char *want =
                strdupf("%s/etc/systemd/system/docker.service.d/60-x.conf:3 sets MountFlags=slave", root);

        ck_assert_int_eq(refusals(&mountflags, &none), 0);
        /* the case: a 60-x.conf after our 50-dockaudit.conf */
        put(root, "/etc/systemd/system/docker.service.d/60-x.conf",
                "[Service]\n# admin\nMountFlags=slave\n");
        ck_assert_int_eq(refusals(&mountflags, &msg), 1);
        ck_assert_msg(strstr(msg, want), "%s", msg);
        ck_assert_ptr_nonnull(strstr(msg, "50-dockaudit.conf"));
        /* in any .d directory of the unit (here /run), by file name; the last one wins */
        put(root, "/run/systemd/system/docker.service.d/70-y.conf", "[Service]\nMountFlags=private\n");
        ck_assert_int_eq(refusals(&mountflags, &msg2), 1);
        ck_assert_ptr_nonnull(strstr(msg2, "70-y.conf:2 sets MountFlags=private"));
        /* a later file with our value, or in another section, does not undo it */
        put(root, "/run/systemd/system/docker.service.d/70-y.conf", "[Unit]\nMountFlags=private\n");
        put(root, "/etc/systemd/system/docker.service.d/60-x.conf", "[Service]\nMountFlags=shared\n");
        ck_assert_int_eq(refusals(&mountflags, &same), 0);
        /* an earlier file is overridden by ours */
        ck_assert_int_eq(unlink(x60), 0);
        put(root, "/etc/systemd/system/docker.service.d/10-x.conf", "[Service]\nMountFlags=slave\n");
        ck_assert_int_eq(refusals(&mountflags, &earlier), 0);
}
END_TEST

START_TEST(test_later_sysctl)
{
        _cleanup_free_ char *none = NULL, *msg = NULL, *conf = NULL, *same = NULL;

        put(root, "/usr/lib/sysctl.d/10-early.conf", "fs.may_detach_mounts = 0\n");
        ck_assert_int_eq(refusals(&detach, &none), 0);
        /* sorted by file name across the directories: /usr/lib's 60-x.conf is after ours */
        put(root, "/usr/lib/sysctl.d/60-x.conf", "# vendor\n\nfs/may_detach_mounts=0\n");
        ck_assert_int_eq(refusals(&detach, &msg), 1);
        ck_assert_ptr_nonnull(strstr(msg, "/usr/lib/sysctl.d/60-x.conf:3 sets fs.may_detach_mounts=0"));
        ck_assert_ptr_nonnull(strstr(msg, "/etc/sysctl.d/50-dockaudit.conf"));
        /* /etc/sysctl.conf comes last (sysctl --system; 99-sysctl.conf links to it) */
        put(root, "/etc/sysctl.conf", "-fs.may_detach_mounts = 0\n");
        ck_assert_int_eq(refusals(&detach, &conf), 1);
        ck_assert_ptr_nonnull(strstr(conf, "/etc/sysctl.conf:1"));
        /* the last assignment sets our value: nothing undone */
        put(root, "/etc/sysctl.conf", "fs.may_detach_mounts = 1\n");
        ck_assert_int_eq(refusals(&detach, &same), 0);
}
END_TEST

/* A later file that cannot be read (here a link to a FIFO) may undo ours: refused, named; a masked one
 * (a /dev/null link) is read as nothing. */
START_TEST(test_later_unreadable)
{
        _cleanup_free_ char *dmsg = NULL, *smsg = NULL, *masked = NULL;
        _cleanup_free_ char *fifo_d = path_in(root, "/etc/systemd/system/docker.service.d/60-x.conf");
        _cleanup_free_ char *fifo_elsewhere = path_in(root, "/etc/x-fifo");
        _cleanup_free_ char *fifo_s = path_in(root, "/etc/sysctl.d/60-x.conf");
        _cleanup_free_ char *mask = path_in(root, "/etc/sysctl.d/70-m.conf");

        put(root, "/etc/systemd/system/docker.service.d/10-x.conf", "[Service]\n");
        put(root, "/etc/sysctl.d/10-x.conf", "\n");
        /* (a FIFO in the .d directory is passed over, as by systemd: a symlink to one is read) */
        ck_assert_int_eq(mkfifo(fifo_elsewhere, 0644), 0);
        ck_assert_int_eq(symlink("/etc/x-fifo", fifo_d), 0);
        ck_assert_int_eq(symlink("/etc/x-fifo", fifo_s), 0);
        ck_assert_int_eq(refusals(&mountflags, &dmsg), 1);
        ck_assert_msg(strstr(dmsg, "60-x.conf: cannot read: not a regular file"), "%s", dmsg);
        ck_assert_int_eq(refusals(&detach, &smsg), 1);
        ck_assert_msg(strstr(smsg, "sysctl.d/60-x.conf: cannot read"), "%s", smsg);
        ck_assert_int_eq(unlink(fifo_s), 0);
        ck_assert_int_eq(symlink("/dev/null", mask), 0);
        ck_assert_int_eq(refusals(&detach, &masked), 0);
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("fix-override");
        TCase *tc = tcase_create("core");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_later_dropin);
        tcase_add_test(tc, test_later_sysctl);
        tcase_add_test(tc, test_later_unreadable);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
