/* SPDX-License-Identifier: MIT */
/* The name-based MESSAGE_IDs (src/basic/id128-name.c; SHA-256 itself: test-sha256.c). */
#include <check.h>

#include "check-run.h"
#include "test-util.h"

#include "basic/id128-name.h"
#include "basic/util.h"

/* RFC 9562 appendix B.2: the name-based UUIDv8 (SHA-256) of www.example.com in the DNS
 * namespace is 5c146b14-3c52-8afd-938a-375d0df1fbf6. */
START_TEST(test_id128_rfc9562)
{
        static const uint8_t dns[16] = {0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00,
                0xc0, 0x4f, 0xd4, 0x30, 0xc8};
        uint8_t id[16];
        char s[ID128_STRING_MAX];

        id128_from_name(dns, "www.example.com", id);
        ck_assert_str_eq(id128_to_string(id, s), "5c146b143c528afd938a375d0df1fbf6");
}
END_TEST

/* The MESSAGE_IDs are part of the interface (saved journalctl queries, alerting): they must
 * never change. Values cross-checked with Python's hashlib (see basic/id128-name.h). */
START_TEST(test_id128_dockaudit_stable)
{
        char a[ID128_STRING_MAX], b[ID128_STRING_MAX];

        ck_assert_str_eq(id128_for_rule("detach-mounts-disabled", a), "efda73365a508309b00027a671a456a0");
        ck_assert_str_eq(
                id128_for_rule("mountflags-slave-with-live-restore", a), "a3104e6cda3586cca45643f258fda525");
        ck_assert_str_eq(id128_for_event(ID128_EVENT_FIX_APPLIED, a), "463fb561edd6850f8540de79e5a9a2aa");
        /* rule and event names never share an id; version 8, variant 10 */
        ck_assert_str_ne(id128_for_rule("fix-applied", a), id128_for_event("fix-applied", b));
        ck_assert_int_eq(a[12], '8');
        ck_assert(strchr("89ab", a[16]));
        ck_assert_int_eq(strlen(a), 32);
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("id128-name");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_id128_rfc9562);
        tcase_add_test(tc, test_id128_dockaudit_stable);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
