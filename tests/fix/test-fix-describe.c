/* SPDX-License-Identifier: MIT */
/* A fix action in the two layouts: fix's plan (inline) and rules show (table). */
#include <check.h>

#include "check-run.h"

#include "fix/fix-describe.h"

static char *describe(const FixAction *a, FixDescribeLayout layout)
{
        char *text = NULL;
        size_t size;
        FILE *f = open_memstream(&text, &size);

        ck_assert_ptr_nonnull(f);
        fix_describe_action(f, a, layout);
        ck_assert_int_eq(fclose(f), 0);
        return text;
}

static void check(const FixAction *a, const char *inline_text, const char *table_text)
{
        _cleanup_free_ char *i = describe(a, FIX_DESCRIBE_INLINE), *t = describe(a, FIX_DESCRIBE_TABLE);

        ck_assert_str_eq(i, inline_text);
        ck_assert_str_eq(t, table_text);
}

START_TEST(test_layouts)
{
        check(&(FixAction){.type = FIX_ACTION_DROPIN,
                      .section = "Service",
                      .key = "MountFlags",
                      .value = "shared"},
                "drop-in Service.MountFlags=shared", "    dropin:      [Service] MountFlags=shared\n");
        check(&(FixAction){.type = FIX_ACTION_DROPIN, .section = "Service", .key = "ExecStart", .value = ""},
                "drop-in Service.ExecStart=", "    dropin:      [Service] ExecStart=\n");
        check(&(FixAction){.type = FIX_ACTION_DAEMON_JSON, .key = "live-restore", .value = "false"},
                "daemon.json live-restore=false", "    daemon-json: \"live-restore\": false\n");
        check(&(FixAction){.type = FIX_ACTION_DAEMON_JSON, .key = "live-restore"},
                "daemon.json remove live-restore", "    daemon-json: remove \"live-restore\"\n");
        check(&(FixAction){.type = FIX_ACTION_SYSCTL, .key = "fs.may_detach_mounts", .value = "1"},
                "sysctl fs.may_detach_mounts=1", "    sysctl:      fs.may_detach_mounts = 1\n");
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("fix-describe");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_layouts);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
