/* SPDX-License-Identifier: MIT */
/* ns.* facts: the mount namespaces of the manager and dockerd (src/collect/collect-namespaces.c). */
#include <check.h>

#include "check-run.h"

#include "collect/collect.h"

static const Fact *get(const Facts *f, const char *name)
{
        const Fact *x = facts_get(f, name);

        ck_assert_msg(x, "%s not set", name);
        return x;
}

START_TEST(test_namespaces)
{
        _cleanup_facts_ Facts f = {};
        const Fact *x;

        ck_assert_int_eq(collect_namespaces(&f, getpid(), 0), 0);
        x = get(&f, "ns.manager_mnt");
        ck_assert(x->known && startswith(x->str, "mnt:["));
        ck_assert_str_eq(get(&f, "ns.dockerd_mnt")->reason, "dockerd is not running");
        ck_assert(!get(&f, "ns.dockerd_private")->known);

        facts_done(&f);
        ck_assert_int_eq(collect_namespaces(&f, getpid(), getpid()), 0);
        x = get(&f, "ns.dockerd_private");
        ck_assert(x->known && !x->b);

        facts_done(&f);
        /* A pid that cannot exist (above pid_max's limit). */
        ck_assert_int_eq(collect_namespaces(&f, getpid(), 2147483647), 0);
        x = get(&f, "ns.dockerd_mnt");
        ck_assert(!x->known && strstr(x->reason, "no such process"));
        ck_assert(!get(&f, "ns.dockerd_private")->known);
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("collect_namespaces");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_namespaces);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
