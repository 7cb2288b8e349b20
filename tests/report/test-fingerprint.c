/* SPDX-License-Identifier: MIT */
/* Finding fingerprints (src/report/fingerprint.c): the same across runs, values and line
 * numbers; different for another rule, unit, manager or source file. */
#include "check-run.h"
#include "report/fingerprint.h"

#define OK(x) ck_assert_int_eq((x), 0)

static const char rule_text[] =
        "[rule]\nid = slave\ntitle = t\nseverity = high\n"
        "when = unit.mount_flags == \"slave\" && dockerd.live_restore\nmessage = m\n";

/* The fingerprint of the one finding of rule_text on facts (unit docker.service unless given). */
static void fingerprint_of(const Facts *f, const char *unit, bool user, char fp[static SHA256_HEX_SIZE])
{
        _cleanup_free_ char *err = NULL;
        _cleanup_(findings_done) Findings fs = {};
        Rule *r = NULL;
        RuleSet set = {};

        ck_assert_msg(rule_parse_string("/x/slave.rule", rule_text, sizeof rule_text - 1, &r, &err) == 0,
                "%s", err);
        set.rules = &r;
        set.n = 1;
        OK(findings_evaluate(&set, f, &fs));
        OK(finding_fingerprint(&fs.v[0], f, unit, user, fp));
        ck_assert_uint_eq(strlen(fp), 64);
        ck_assert_uint_eq(strspn(fp, "0123456789abcdef"), 64);
        rule_free(r);
}

static void facts_make(Facts *f, const char *flags, const char *flags_src, bool lr, const char *lr_src)
{
        *f = (Facts){};
        OK(facts_set_string(f, "unit.mount_flags", flags, flags_src));
        OK(facts_set_bool(f, "dockerd.live_restore", lr, lr_src));
}

START_TEST(test_fingerprint_stable)
{
        _cleanup_facts_ Facts a = {}, b = {}, c = {}, d = {};
        char fa[SHA256_HEX_SIZE], fa2[SHA256_HEX_SIZE], fb[SHA256_HEX_SIZE], fc[SHA256_HEX_SIZE],
                fd[SHA256_HEX_SIZE];

        facts_make(&a, "slave", "/etc/systemd/system/docker.service.d/x.conf:3", true,
                "/etc/docker/daemon.json:2");
        fingerprint_of(&a, "docker.service", false, fa);
        fingerprint_of(&a, "docker.service", false, fa2);
        ck_assert_str_eq(fa, fa2); /* two runs */
        /* A drop-in edited above the setting, daemon.json reformatted: same finding. */
        facts_make(&b, "slave", "/etc/systemd/system/docker.service.d/x.conf:17", true,
                "/etc/docker/daemon.json:9");
        fingerprint_of(&b, "docker.service", false, fb);
        ck_assert_str_eq(fa, fb);
        /* Another value from the same place (private instead of slave): same fingerprint (the
         * finding then passes, but the id does not carry values). */
        facts_make(&c, "private", "/etc/systemd/system/docker.service.d/x.conf:3", true,
                "/etc/docker/daemon.json:2");
        fingerprint_of(&c, "docker.service", false, fc);
        ck_assert_str_eq(fa, fc);
        /* The setting moved to another drop-in: a new finding. */
        facts_make(&d, "slave", "/etc/systemd/system/docker.service.d/y.conf:3", true,
                "/etc/docker/daemon.json:2");
        fingerprint_of(&d, "docker.service", false, fd);
        ck_assert_str_ne(fa, fd);
        /* Another unit, the user manager. */
        fingerprint_of(&a, "docker2.service", false, fb);
        ck_assert_str_ne(fa, fb);
        fingerprint_of(&a, "docker.service", true, fc);
        ck_assert_str_ne(fa, fc);
        ck_assert_str_ne(fb, fc);
}
END_TEST

/* Version 1 is documented byte for byte: check it against an independent computation. */
START_TEST(test_fingerprint_definition)
{
        static const char input[] = "dockaudit-fingerprint/1\0slave\0system docker.service\0"
                                    "unit.mount_flags\0/etc/x.conf\0dockerd.live_restore\0\0";
        _cleanup_facts_ Facts a = {};
        char fp[SHA256_HEX_SIZE], want[SHA256_HEX_SIZE];

        OK(facts_set_string(&a, "unit.mount_flags", "slave", "/etc/x.conf:4"));
        OK(facts_set_unknown(&a, "dockerd.live_restore", "not collected"));
        fingerprint_of(&a, "docker.service", false, fp);
        sha256_hex(input, sizeof input - 1, want);
        ck_assert_str_eq(fp, want);
}
END_TEST

START_TEST(test_normalise_source)
{
        static const struct {
                const char *in, *out;
        } cases[] = {
                {"/etc/default/docker:3", "/etc/default/docker"},
                {"/etc/docker/daemon.json:12:7", "/etc/docker/daemon.json"},
                {"/usr/lib/systemd/system/docker.service:11 vs /etc/docker/daemon.json",
                        "/usr/lib/systemd/system/docker.service vs /etc/docker/daemon.json"},
                {"from the files: docker.socket /lib/x.service:6, containerd.service /lib/x.service:6",
                        "from the files: docker.socket /lib/x.service, containerd.service /lib/x.service"},
                {"dbus:org.freedesktop.systemd1.Service.MountFlags",
                        "dbus:org.freedesktop.systemd1.Service.MountFlags"},
                {"/proc/1234/ns/mnt vs /proc/1/ns/mnt", "/proc/PID/ns/mnt vs /proc/PID/ns/mnt"},
                {"docker-api:/v1.41/info LiveRestoreEnabled", "docker-api:/info LiveRestoreEnabled"},
                {"docker-api:/v1.26/info Swarm.LocalNodeState", "docker-api:/info Swarm.LocalNodeState"},
                {"/proc/sys/kernel/osrelease", "/proc/sys/kernel/osrelease"},
                {":5", ":5"},
                {"", ""},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_free_ char *got = fingerprint_normalise_source(cases[i].in);

                ck_assert_ptr_nonnull(got);
                ck_assert_msg(streq(got, cases[i].out), "'%s' -> '%s', expected '%s'", cases[i].in, got,
                        cases[i].out);
        }
}
END_TEST

int main(void)
{
        Suite *s = suite_create("fingerprint");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_fingerprint_stable);
        tcase_add_test(tc, test_fingerprint_definition);
        tcase_add_test(tc, test_normalise_source);
        suite_add_tcase(s, tc);
        return check_run(s);
}
