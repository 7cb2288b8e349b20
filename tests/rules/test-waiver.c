/* SPDX-License-Identifier: MIT */
/* Waivers (waiver-file.c, waiver-set.c, waiver.c): good and bad files with
 * their FILE:LINE, the expiry day in UTC around midnight whatever TZ says, matching by host
 * and evidence, applying a set to findings (waived, expired, stale). */
#include <check.h>
#include <stdlib.h>
#include <time.h>

#include "check-run.h"
#include "test-util.h"

#include "rules/waiver.h"

#define GOOD FIXTURES "/waivers/good/"
#define BAD FIXTURES "/waivers/bad/"
#define SHIPPED FIXTURES "/../../rules"

/* 2026-12-31T00:00:00Z and the first second of 2027 in UTC. */
#define DEC31 INT64_C(1798675200)
#define JAN1 INT64_C(1798761600)

static void load_rules(RuleSet *rules)
{
        char *dirs[] = {(char *) SHIPPED, NULL};
        _cleanup_free_ char *err = NULL;

        ck_assert_msg(rule_set_load(rules, dirs, &err) == 0, "%s", err);
}

START_TEST(test_good_files)
{
        _cleanup_(rule_set_done) RuleSet rules = {};
        _cleanup_(waiver_set_done) WaiverSet s = {};
        _cleanup_free_ char *err = NULL;
        char *dirs[] = {(char *) GOOD, NULL};
        const Waiver *w;

        load_rules(&rules);
        ck_assert_msg(waiver_set_load(&s, dirs, &rules, &err) == 0, "%s", err);
        ck_assert_uint_eq(s.n, 3);
        /* by file name: legacy-fleet.waiver, then minimal.waiver */
        w = &s.v[0];
        ck_assert_str_eq(w->rule, "mountflags-slave-with-live-restore");
        ck_assert_uint_eq(w->line, 2);
        ck_assert_str_eq(w->hosts[0], "legacy-*");
        ck_assert_str_eq(w->hosts[1], "web1");
        ck_assert_ptr_null(w->hosts[2]);
        ck_assert_str_eq(w->evidence, "/etc/docker/daemon.json:*");
        ck_assert_str_eq(w->reason,
                "docker exec after a daemon restart is not used on these hosts; containers are recreated on "
                "every deploy");
        ck_assert_str_eq(w->owner, "ops@example.com");
        ck_assert_str_eq(w->expires, "2026-12-31");
        ck_assert_int_eq(w->expires_end, JAN1);
        ck_assert_str_eq(s.v[1].rule, "kernel-leaks-mounts");
        ck_assert_uint_eq(s.v[1].line, 11);
        ck_assert_ptr_null(s.v[1].hosts);
        ck_assert_ptr_null(s.v[1].evidence);
        ck_assert_str_eq(s.v[2].rule, "option-set-twice");
        ck_assert_ptr_null(s.v[2].expires);
        ck_assert(!waiver_expired(&s.v[2], INT64_MAX));
}
END_TEST

static const struct {
        const char *file;
        const char *error; /* after "PATH:" */
} bad_cases[] = {
        {"unknown-key", "4: unknown key 'reasn' in [waiver] (expected rule, hosts, evidence, reason, owner, "
                        "expires)"},
        {"missing-rule", "2: [waiver] lacks the key 'rule'"},
        {"missing-reason", "2: [waiver] lacks the key 'reason'"},
        {"missing-owner", "2: [waiver] lacks the key 'owner'"},
        {"bad-date",
                "5: expires '2026-02-29' is not a date YYYY-MM-DD (the waiver holds through that day, UTC)"},
        {"bad-date-format",
                "6: expires '31/12/2026' is not a date YYYY-MM-DD (the waiver holds through that day, UTC)"},
        {"unknown-rule", "3: rule 'no-such-rule' is not loaded (see dockaudit rules list)"},
        {"duplicate", "7: duplicate waiver: the same rule, hosts and evidence as " BAD "duplicate.waiver:2"},
        {"duplicate-key", "5: duplicate key 'reason' (first set on line 4)"},
        {"unknown-section", "2: unknown section [rule] (expected [waiver])"},
        {"key-before-section", "2: key 'rule' before any section (a waiver file starts with [waiver])"},
        {"no-section", "1: no [waiver] section"},
        {"empty-reason", "4: 'reason' is empty"},
        {"continued-rule", "4: 'rule' does not continue on an indented line"},
        {"long-line", "3: line is longer than 198 bytes; continue the value on an indented line"},
        {"empty-hosts", "3: 'hosts' is empty"},
};

START_TEST(test_bad_file)
{
        _cleanup_(rule_set_done) RuleSet rules = {};
        _cleanup_(waiver_set_done) WaiverSet s = {};
        _cleanup_free_ char *path = strdupf(BAD "%s.waiver", bad_cases[_i].file), *err = NULL,
                            *want = strdupf("%s:%s", path, bad_cases[_i].error);

        load_rules(&rules);
        ck_assert_int_eq(waiver_load_file(&s, path, &rules, &err), -EINVAL);
        ck_assert_str_eq(err, want);
        ck_assert_uint_eq(s.n, 0);
}
END_TEST

/* A bad file in a directory fails the whole load, and leaves nothing loaded. */
START_TEST(test_set_load_errors)
{
        _cleanup_(rule_set_done) RuleSet rules = {};
        _cleanup_(waiver_set_done) WaiverSet s = {};
        _cleanup_free_ char *err = NULL;
        char *bad[] = {(char *) GOOD, (char *) BAD, NULL};
        char *missing_ok[] = {(char *) "-/nonexistent/waivers.d", NULL};
        char *missing[] = {(char *) "/nonexistent/waivers.d", NULL};
        char *file[] = {(char *) GOOD "minimal.waiver", NULL};

        load_rules(&rules);
        ck_assert_int_eq(waiver_set_load(&s, bad, &rules, &err), -EINVAL);
        ck_assert_ptr_nonnull(strstr(err, BAD "bad-date-format.waiver:6: "));
        ck_assert_uint_eq(s.n, 0);
        ck_assert_int_eq(waiver_set_load(&s, missing_ok, &rules, &err), 0);
        ck_assert_uint_eq(s.n, 0);
        ck_assert_int_eq(waiver_set_load(&s, missing, &rules, &err), -ENOENT);
        ck_assert_str_eq(
                err, "/nonexistent/waivers.d: cannot open the waivers directory: No such file or directory");
        ck_assert_int_eq(waiver_set_load(&s, file, &rules, &err), -ENOTDIR);
        /* the same file in two directories: both read, so the second is a duplicate */
        {
                char *twice[] = {(char *) GOOD, (char *) GOOD, NULL};
                ck_assert_int_eq(waiver_set_load(&s, twice, &rules, &err), -EINVAL);
                ck_assert_ptr_nonnull(strstr(err, "duplicate waiver"));
        }
}
END_TEST

/* What the rule reader refuses is refused here too: NUL, bad UTF-8, CRLF and a BOM are fine. */
START_TEST(test_reader_checks)
{
        _cleanup_(waiver_set_done) WaiverSet s = {};
        _cleanup_free_ char *err = NULL;
        static const char nul[] = "[waiver]\nrule = x\0y\nreason = r\nowner = o\n";
        static const char crlf[] =
                "\xEF\xBB\xBF[waiver]\r\nrule = x\r\nreason = r ; comment\r\nowner = o\r\n";

        ck_assert_int_eq(waiver_parse_string(&s, "/w/a.waiver", nul, sizeof nul - 1, NULL, &err), -EINVAL);
        ck_assert_str_eq(err, "/w/a.waiver:2: NUL byte");
        ck_assert_int_eq(
                waiver_parse_string(&s, "/w/a.waiver", "[waiver]\nrule = \xff\n", 18, NULL, &err), -EINVAL);
        ck_assert_str_eq(err, "/w/a.waiver:2: invalid UTF-8");
        ck_assert_int_eq(waiver_parse_string(&s, "/w/a.waiver", crlf, sizeof crlf - 1, NULL, &err), 0);
        ck_assert_uint_eq(s.n, 1);
        ck_assert_str_eq(s.v[0].reason, "r");
        /* a second file with the same waiver is a duplicate of the first file's */
        ck_assert_int_eq(waiver_parse_string(&s, "/w/b.waiver", crlf, sizeof crlf - 1, NULL, &err), -EINVAL);
        ck_assert_str_eq(
                err, "/w/b.waiver:1: duplicate waiver: the same rule, hosts and evidence as /w/a.waiver:1");
        ck_assert_uint_eq(s.n, 1);
}
END_TEST

START_TEST(test_dates)
{
        int64_t end;

        ck_assert_int_eq(waiver_parse_date("2026-12-31", &end), 0);
        ck_assert_int_eq(end, JAN1);
        ck_assert_int_eq(waiver_parse_date("1970-01-01", &end), 0);
        ck_assert_int_eq(end, 86400);
        ck_assert_int_eq(waiver_parse_date("2024-02-29", &end), 0); /* leap year */
        ck_assert_int_eq(waiver_parse_date("2000-02-29", &end), 0); /* divisible by 400 */
        ck_assert_int_eq(waiver_parse_date("2100-02-29", &end), -EINVAL);
        ck_assert_int_eq(waiver_parse_date("2026-13-01", &end), -EINVAL);
        ck_assert_int_eq(waiver_parse_date("2026-04-31", &end), -EINVAL);
        ck_assert_int_eq(waiver_parse_date("2026-1-01", &end), -EINVAL);
        ck_assert_int_eq(waiver_parse_date("2026-01-01T00", &end), -EINVAL);
        ck_assert_int_eq(waiver_parse_date("1969-12-31", &end), -EINVAL);
        ck_assert_int_eq(waiver_parse_date("", &end), -EINVAL);
        ck_assert_int_eq(waiver_parse_date("+026-01-01", &end), -EINVAL);
}
END_TEST

/* Expiry is the end of the day in UTC, whatever the machine's time zone: the same answer
 * under the first (UTC+14) and one of the last (UTC-10/-9) time zones. */
START_TEST(test_expiry_midnight_utc)
{
        static const char *const zones[] = {"UTC", "Pacific/Kiritimati", "America/Adak"};
        Waiver w = {.expires = (char *) "2026-12-31"};

        for (size_t i = 0; i < ELEMENTSOF(zones); i++) {
                setenv("TZ", zones[i], 1);
                tzset();
                ck_assert_int_eq(waiver_parse_date("2026-12-31", &w.expires_end), 0);
                ck_assert(!waiver_expired(&w, DEC31));
                ck_assert(!waiver_expired(&w, JAN1 - 1)); /* 23:59:59Z: still in force */
                ck_assert(waiver_expired(&w, JAN1)); /* 00:00:00Z: expired */
                ck_assert(waiver_expired(&w, JAN1 + 1));
        }
        unsetenv("TZ");
        tzset();
}
END_TEST

START_TEST(test_match_host)
{
        char *hosts[] = {(char *) "legacy-*", (char *) "web[0-9]", NULL};
        Waiver any = {}, some = {.hosts = hosts};

        ck_assert(waiver_matches_host(&any, NULL));
        ck_assert(waiver_matches_host(&any, "x"));
        ck_assert(waiver_matches_host(&some, "legacy-db1"));
        ck_assert(waiver_matches_host(&some, "LEGACY-db1")); /* host names ignore case */
        ck_assert(waiver_matches_host(&some, "web7"));
        ck_assert(!waiver_matches_host(&some, "web10"));
        ck_assert(!waiver_matches_host(&some, "db1"));
        ck_assert(!waiver_matches_host(&some, NULL)); /* unknown host: never waived */
}
END_TEST

/* A rule set of two rules and facts that make both fail. */
typedef struct Fixture {
        RuleSet rules;
        Facts facts;
        Findings findings;
} Fixture;

static void fixture_done(Fixture *x)
{
        findings_done(&x->findings);
        facts_done(&x->facts);
        rule_set_done(&x->rules);
}

static void fixture_init(Fixture *x)
{
        *x = (Fixture){};
        load_rules(&x->rules);
        ck_assert_int_eq(
                facts_set_string(&x->facts, "unit.mount_flags", "slave", "/etc/systemd/x.conf:3"), 0);
        ck_assert_int_eq(
                facts_set_bool(&x->facts, "dockerd.live_restore", true, "/etc/docker/daemon.json:2"), 0);
        ck_assert_int_eq(
                facts_set_bool(&x->facts, "kernel.leaks_mounts", true, "/proc/sys/kernel/osrelease"), 0);
        ck_assert_int_eq(findings_evaluate(&x->rules, &x->facts, &x->findings), 0);
}

static const Finding *find(const Fixture *x, const char *id)
{
        return findings_find(&x->findings, rule_set_find(&x->rules, id));
}

static const char waivers_text[] = "[waiver]\n"
                                   "rule = mountflags-slave-with-live-restore\n"
                                   "evidence = /etc/docker/daemon.json:*\n"
                                   "hosts = web*\n"
                                   "reason = accepted\n"
                                   "owner = ops\n"
                                   "expires = 2026-12-31\n"
                                   "[waiver]\n"
                                   "rule = kernel-leaks-mounts\n"
                                   "reason = old\n"
                                   "owner = k\n"
                                   "expires = 2026-06-30\n"
                                   "[waiver]\n"
                                   "rule = mountflags-slave-on-fixed-kernel\n" /* passes: stale */
                                   "reason = r\n"
                                   "owner = o\n"
                                   "[waiver]\n"
                                   "rule = mountflags-slave-with-live-restore\n"
                                   "evidence = /etc/default/docker:*\n" /* matches no evidence: stale */
                                   "reason = r\n"
                                   "owner = o\n"
                                   "[waiver]\n"
                                   "rule = containers-exec-broken-after-restart\n" /* skipped: undecided */
                                   "reason = r\n"
                                   "owner = o\n";

START_TEST(test_apply)
{
        _cleanup_(fixture_done) Fixture x;
        _cleanup_(waiver_set_done) WaiverSet s = {};
        _cleanup_free_ const Waiver **stale = NULL;
        _cleanup_free_ char *err = NULL, *d = NULL;
        const Finding *f;

        fixture_init(&x);
        ck_assert_msg(waiver_parse_string(
                              &s, "/w/a.waiver", waivers_text, sizeof waivers_text - 1, &x.rules, &err) == 0,
                "%s", err);
        ck_assert_int_eq(waivers_apply(&s, &x.findings, &x.facts,
                                 &(WaiverContext){.hostname = "web1", .now = JAN1 - 1}, &stale),
                0);
        f = find(&x, "mountflags-slave-with-live-restore");
        ck_assert_int_eq(f->status, FINDING_WAIVED);
        ck_assert_ptr_eq(f->waiver, &s.v[0]);
        ck_assert(!f->waiver_expired);
        ck_assert_str_eq(finding_status_to_string(f->status), "waived");
        f = find(&x, "kernel-leaks-mounts");
        ck_assert_int_eq(f->status, FINDING_FAIL);
        ck_assert_ptr_eq(f->waiver, &s.v[1]);
        ck_assert(f->waiver_expired);
        d = waiver_describe(f->waiver, true);
        ck_assert_str_eq(d, "old (owner k, expired 2026-06-30, /w/a.waiver:8)");
        /* a waived failure does not count; the expired one does */
        ck_assert_uint_eq(findings_count_failed(&x.findings, SEVERITY_INFO), 1);
        ck_assert_ptr_eq(stale[0], &s.v[2]);
        ck_assert_ptr_eq(stale[1], &s.v[3]);
        ck_assert_ptr_null(stale[2]);
}
END_TEST

/* The same waivers for another host, and one second later. */
START_TEST(test_apply_other_host_and_expiry)
{
        _cleanup_(fixture_done) Fixture x;
        _cleanup_(waiver_set_done) WaiverSet s = {};
        _cleanup_free_ const Waiver **stale = NULL;
        _cleanup_free_ char *err = NULL;

        fixture_init(&x);
        ck_assert_int_eq(waiver_parse_string(
                                 &s, "/w/a.waiver", waivers_text, sizeof waivers_text - 1, &x.rules, &err),
                0);
        ck_assert_int_eq(waivers_apply(&s, &x.findings, &x.facts,
                                 &(WaiverContext){.hostname = "db1", .now = 0}, &stale),
                0);
        ck_assert_int_eq(find(&x, "mountflags-slave-with-live-restore")->status, FINDING_FAIL);
        ck_assert_ptr_null(find(&x, "mountflags-slave-with-live-restore")->waiver);
        ck_assert_int_eq(find(&x, "kernel-leaks-mounts")->status, FINDING_WAIVED);
        ck_assert_ptr_eq(stale[0], &s.v[0]); /* hosts do not match */
        free(stale);
        stale = NULL;
        findings_done(&x.findings);
        ck_assert_int_eq(findings_evaluate(&x.rules, &x.facts, &x.findings), 0);
        ck_assert_int_eq(waivers_apply(&s, &x.findings, &x.facts,
                                 &(WaiverContext){.hostname = "WEB1", .now = JAN1}, &stale),
                0);
        ck_assert_int_eq(find(&x, "mountflags-slave-with-live-restore")->status, FINDING_FAIL);
        ck_assert(find(&x, "mountflags-slave-with-live-restore")->waiver_expired);
}
END_TEST

/* A waiver in force wins over an expired one of the same finding, wherever it is. */
START_TEST(test_apply_live_wins)
{
        _cleanup_(fixture_done) Fixture x;
        _cleanup_(waiver_set_done) WaiverSet s = {};
        _cleanup_free_ const Waiver **stale = NULL;
        _cleanup_free_ char *err = NULL;
        static const char text[] =
                "[waiver]\nrule = kernel-leaks-mounts\nreason = a\nowner = o\n"
                "expires = 2020-01-01\n"
                "[waiver]\nrule = kernel-leaks-mounts\nhosts = *\nreason = b\nowner = o\n";

        fixture_init(&x);
        ck_assert_int_eq(waiver_parse_string(&s, "/w/a.waiver", text, sizeof text - 1, &x.rules, &err), 0);
        ck_assert_int_eq(waivers_apply(&s, &x.findings, &x.facts,
                                 &(WaiverContext){.hostname = "h", .now = JAN1}, &stale),
                0);
        ck_assert_int_eq(find(&x, "kernel-leaks-mounts")->status, FINDING_WAIVED);
        ck_assert_ptr_eq(find(&x, "kernel-leaks-mounts")->waiver, &s.v[1]);
        ck_assert_ptr_null(stale[0]);
}
END_TEST

static Suite *waiver_suite(void)
{
        Suite *s = suite_create("waiver");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_good_files);
        tcase_add_loop_test(tc, test_bad_file, 0, (int) ELEMENTSOF(bad_cases));
        tcase_add_test(tc, test_set_load_errors);
        tcase_add_test(tc, test_reader_checks);
        tcase_add_test(tc, test_dates);
        tcase_add_test(tc, test_expiry_midnight_utc);
        tcase_add_test(tc, test_match_host);
        tcase_add_test(tc, test_apply);
        tcase_add_test(tc, test_apply_other_host_and_expiry);
        tcase_add_test(tc, test_apply_live_wins);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(waiver_suite());
}
