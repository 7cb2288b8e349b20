/* SPDX-License-Identifier: MIT */
/* SARIF (src/report/report-sarif.c): the locations made of evidence sources, URIs, and the
 * log of a report that carries the contract's fields from other parts of dockaudit (waived
 * results with their waiver, fingerprints, baseline states, stale waivers), made by hand. */
#include "check-run.h"
#include "formats/json-util.h"
#include "report-test-util.h"

static void check_source(const char *source, SarifSourceKind kind, const char *what, unsigned line)
{
        _cleanup_(sarif_source_done) SarifSource s = {};

        ck_assert_int_eq(sarif_source_parse(source, &s), 0);
        ck_assert_msg(s.kind == kind, "%s: kind %d, expected %d", strempty(source), s.kind, kind);
        if (kind == SARIF_SOURCE_FILE) {
                ck_assert_str_eq(s.path, what);
                ck_assert_uint_eq(s.line, line);
        } else if (kind == SARIF_SOURCE_LOGICAL)
                ck_assert_str_eq(s.name, what);
}

START_TEST(test_source_parse)
{
        check_source("/etc/docker/daemon.json:2", SARIF_SOURCE_FILE, "/etc/docker/daemon.json", 2);
        check_source("/etc/docker/daemon.json", SARIF_SOURCE_FILE, "/etc/docker/daemon.json", 0);
        check_source("/etc/systemd/system/docker.service.d/mountflags-slave.conf:3", SARIF_SOURCE_FILE,
                "/etc/systemd/system/docker.service.d/mountflags-slave.conf", 3);
        check_source("/usr/lib/systemd/system/docker.service:11 vs /etc/docker/daemon.json",
                SARIF_SOURCE_FILE, "/usr/lib/systemd/system/docker.service", 11);
        check_source("/etc/sysctl.d/99-docker.conf:4 (sysctl.d, applied at boot)", SARIF_SOURCE_FILE,
                "/etc/sysctl.d/99-docker.conf", 4);
        check_source("default: not set in /lib/systemd/system/docker.service "
                     "(dbus:org.freedesktop.systemd1.Service.KillMode)",
                SARIF_SOURCE_FILE, "/lib/systemd/system/docker.service", 0);
        check_source(
                "dockerd default: no --live-restore flag and no \"live-restore\" in /etc/docker/daemon.json",
                SARIF_SOURCE_FILE, "/etc/docker/daemon.json", 0);
        check_source(
                "/var/lib/dpkg/status, package docker-ce", SARIF_SOURCE_FILE, "/var/lib/dpkg/status", 0);
        check_source("/etc/default/docker:24", SARIF_SOURCE_FILE, "/etc/default/docker", 24);
        /* A colon in the name, a line that is no line. */
        check_source("/etc/a:b.conf:7", SARIF_SOURCE_FILE, "/etc/a:b.conf", 7);
        check_source("/etc/x.conf:0", SARIF_SOURCE_FILE, "/etc/x.conf:0", 0);
        check_source("/etc/x.conf:99999999999999999999", SARIF_SOURCE_FILE,
                "/etc/x.conf:99999999999999999999", 0);
        check_source("/etc/x.conf:", SARIF_SOURCE_FILE, "/etc/x.conf:", 0);
        check_source("/etc/x.conf:1a", SARIF_SOURCE_FILE, "/etc/x.conf:1a", 0);

        /* Not files. */
        check_source(
                "dbus:org.freedesktop.systemd1.Service.MountFlags", SARIF_SOURCE_LOGICAL, "MountFlags", 0);
        check_source("docker-api:/v1.41/info LiveRestoreEnabled", SARIF_SOURCE_LOGICAL,
                "/v1.41/info LiveRestoreEnabled", 0);
        check_source(
                "docker-api:/run/docker.sock /_ping", SARIF_SOURCE_LOGICAL, "/run/docker.sock /_ping", 0);
        check_source("/proc/sys/kernel/osrelease", SARIF_SOURCE_LOGICAL, "/proc/sys/kernel/osrelease", 0);
        check_source("/proc/1234/ns/mnt vs /proc/1/ns/mnt", SARIF_SOURCE_LOGICAL,
                "/proc/1234/ns/mnt vs /proc/1/ns/mnt", 0);
        check_source("/sys/fs/cgroup/cgroup.controllers", SARIF_SOURCE_LOGICAL,
                "/sys/fs/cgroup/cgroup.controllers", 0);
        check_source("--unit", SARIF_SOURCE_NONE, NULL, 0);
        check_source("uname(2)", SARIF_SOURCE_NONE, NULL, 0);
        check_source("unit files on disk vs the loaded unit", SARIF_SOURCE_NONE, NULL, 0);
        check_source("a/relative/path:3", SARIF_SOURCE_NONE, NULL, 0);
        check_source("", SARIF_SOURCE_NONE, NULL, 0);
        check_source(NULL, SARIF_SOURCE_NONE, NULL, 0);
}
END_TEST

static void check_uri(const char *path, const char *uri)
{
        _cleanup_free_ char *u = sarif_uri_from_path(path);

        ck_assert_ptr_nonnull(u);
        ck_assert_str_eq(u, uri);
}

START_TEST(test_uri)
{
        check_uri("/etc/docker/daemon.json", "etc/docker/daemon.json");
        check_uri("/etc/systemd/system/docker.service.d/50-x_y~z.conf",
                "etc/systemd/system/docker.service.d/50-x_y~z.conf");
        check_uri("//etc/a b.conf", "etc/a%20b.conf");
        check_uri("/etc/caf\xc3\xa9/%#?", "etc/caf%C3%A9/%25%23%3F");
        check_uri("/etc/default/\\xfe", "etc/default/%5Cxfe");
        check_uri("/etc/systemd/system/getty@tty1.service", "etc/systemd/system/getty%40tty1.service");
        check_uri("/", "");
}
END_TEST

static json_t *find_result(json_t *results, const char *key, const char *id)
{
        size_t i;
        json_t *e;

        json_array_foreach(results, i, e)
        {
                if (streq_ptr(json_string_value(json_object_get(e, key)), id))
                        return e;
        }
        return NULL;
}

static const char *str_path(json_t *v, const char *const *keys)
{
        for (; *keys; keys++)
                v = (*keys)[0] == '#' ? json_array_get(v, (size_t) atoi(*keys + 1))
                                      : json_object_get(v, *keys);
        ck_assert_msg(json_is_string(v), "not a string");
        return json_string_value(v);
}
#define STR(v, ...) str_path(v, (const char *const[]){__VA_ARGS__, NULL})

static json_t *run_of(json_t *log)
{
        ck_assert_str_eq(json_string_value(json_object_get(log, "version")), "2.1.0");
        ck_assert_uint_eq(json_array_size(json_object_get(log, "runs")), 1);
        return json_array_get(json_object_get(log, "runs"), 0);
}

/* Every result has a physical location with a line, as code scanning needs. */
static void assert_locations(json_t *run)
{
        size_t i;
        json_t *res;

        json_array_foreach(json_object_get(run, "results"), i, res)
        {
                json_t *pl = json_object_get(
                        json_array_get(json_object_get(res, "locations"), 0), "physicalLocation");
                ck_assert_uint_eq(json_array_size(json_object_get(res, "locations")), 1);
                ck_assert(json_is_string(json_object_get(json_object_get(pl, "artifactLocation"), "uri")));
                ck_assert_int_ge(
                        json_integer_value(json_object_get(json_object_get(pl, "region"), "startLine")), 1);
        }
}

/* The hostile report, with what a waiver, a fingerprint and a baseline add to it. */
static void add_contract_fields(json_t *doc)
{
        json_t *res = find_result(json_object_get(doc, "results"), "id", "hostile");

        ck_assert_ptr_nonnull(res);
        ck_assert_int_eq(json_object_set_new(res, "status", json_string("waived")), 0);
        ck_assert_int_eq(json_object_set_new(res, "fingerprint", json_string("0123abcd")), 0);
        ck_assert_int_eq(json_object_set_new(res, "baseline", json_string("unchanged")), 0);
        ck_assert_int_eq(json_object_set_new(res, "waiver",
                                 json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:b}", "file",
                                         "/etc/dockaudit/waivers.d/legacy.waiver", "line", 2, "rule",
                                         "hostile", "reason", "legacy host, replaced in Q3", "owner", "ops",
                                         "expires", "2027-06-30", "expired", 0)),
                0);
        ck_assert_int_eq(json_object_set_new(doc, "waivers",
                                 json_pack("{s:[{s:s, s:i, s:s}]}", "stale", "file",
                                         "/etc/dockaudit/waivers.d/old.waiver", "line", 1, "rule", "gone")),
                0);
}

START_TEST(test_sarif_contract)
{
        Hostile h;
        _cleanup_json_ json_t *doc = NULL, *log = NULL;
        json_t *run, *res, *sup, *notes, *n;

        hostile_make(&h, false);
        doc = report_to_json(&h.report);
        ck_assert_ptr_nonnull(doc);
        add_contract_fields(doc);
        log = sarif_from_report_json(doc, &h.findings);
        ck_assert_ptr_nonnull(log);
        run = run_of(log);
        assert_locations(run);

        res = find_result(json_object_get(run, "results"), "ruleId", "hostile");
        ck_assert_ptr_nonnull(res);
        ck_assert_str_eq(STR(res, "level"), "error");
        ck_assert(json_is_integer(json_object_get(res, "ruleIndex")));
        ck_assert_str_eq(json_string_value(json_object_get(
                                 json_array_get(json_object_get(json_object_get(json_object_get(run, "tool"),
                                                                        "driver"),
                                                        "rules"),
                                         (size_t) json_integer_value(json_object_get(res, "ruleIndex"))),
                                 "id")),
                "hostile");
        ck_assert_str_eq(STR(res, "partialFingerprints", "dockauditFingerprint/v1"), "0123abcd");
        ck_assert_str_eq(STR(res, "baselineState"), "unchanged");
        /* The evidence (unit.name over D-Bus) names no file: the rule file is the location, the
         * D-Bus property a related logical location. */
        ck_assert(endswith(STR(res, "locations", "#0", "physicalLocation", "artifactLocation", "uri"),
                "/hostile.rule"));
        ck_assert_str_eq(STR(res, "locations", "#0", "logicalLocations", "#0", "kind"), "module");
        ck_assert_str_eq(STR(res, "relatedLocations", "#0", "logicalLocations", "#0", "kind"), "property");
        ck_assert_str_eq(
                STR(res, "relatedLocations", "#0", "message", "text"), "unit.name = caf\\xe9\\xff.service");
        /* The waiver: an external suppression, on the waiver file's line. */
        ck_assert_uint_eq(json_array_size(json_object_get(res, "suppressions")), 1);
        sup = json_array_get(json_object_get(res, "suppressions"), 0);
        ck_assert_str_eq(STR(sup, "kind"), "external");
        ck_assert_str_eq(STR(sup, "status"), "accepted");
        ck_assert_str_eq(STR(sup, "justification"), "legacy host, replaced in Q3");
        ck_assert_str_eq(STR(sup, "location", "physicalLocation", "artifactLocation", "uri"),
                "etc/dockaudit/waivers.d/legacy.waiver");
        ck_assert_str_eq(STR(sup, "properties", "owner"), "ops");

        /* Not results: the skipped and the disabled rule, the problem, the stale waiver. */
        ck_assert_uint_eq(json_array_size(json_object_get(run, "results")), 1);
        n = json_array_get(json_object_get(run, "invocations"), 0);
        ck_assert(json_is_false(json_object_get(n, "executionSuccessful")));
        ck_assert_int_eq(json_integer_value(json_object_get(n, "exitCode")), 2);
        notes = json_object_get(n, "toolExecutionNotifications");
        ck_assert_str_eq(STR(notes, "#0", "level"), "error");
        ck_assert_str_eq(STR(notes, "#0", "message", "text"), "/etc/\033]0;x\007:1: caf\\xe9\\xff.service");
        ck_assert_str_eq(STR(notes, "#1", "associatedRule", "id"), "skipped");
        ck_assert_str_eq(STR(notes, "#1", "level"), "note");
        ck_assert(startswith(STR(notes, "#2", "message", "text"), "rule gone disabled: disabled by /"));
        ck_assert_str_eq(STR(notes, "#2", "associatedRule", "id"), "gone");
        ck_assert_ptr_null(
                json_object_get(json_object_get(json_array_get(notes, 2), "associatedRule"), "index"));
        ck_assert_str_eq(STR(notes, "#3", "level"), "warning");
        ck_assert_str_eq(STR(notes, "#3", "locations", "#0", "physicalLocation", "artifactLocation", "uri"),
                "etc/dockaudit/waivers.d/old.waiver");
        hostile_done(&h);
}
END_TEST

/* A waiver that expired does not suppress: the finding stays a failure, the waiver a property. */
START_TEST(test_sarif_expired_waiver)
{
        Hostile h;
        _cleanup_json_ json_t *doc = NULL, *log = NULL;
        json_t *res;

        hostile_make(&h, false);
        doc = report_to_json(&h.report);
        res = find_result(json_object_get(doc, "results"), "id", "hostile");
        ck_assert_int_eq(
                json_object_set_new(res, "waiver",
                        json_pack("{s:s, s:i, s:s, s:s, s:b}", "file", "/etc/dockaudit/waivers.d/a.waiver",
                                "line", 1, "rule", "hostile", "expires", "2020-01-01", "expired", 1)),
                0);
        /* The unit's fragment is where a result without a file goes when it is known. */
        ck_assert_int_eq(json_object_set_new(json_object_get(doc, "facts"), "unit.fragment_path",
                                 json_pack("{s:b, s:s, s:s}", "known", 1, "value",
                                         "/lib/systemd/system/docker.service", "source",
                                         "dbus:org.freedesktop.systemd1.Unit.FragmentPath")),
                0);
        log = sarif_from_report_json(doc, &h.findings);
        res = find_result(json_object_get(run_of(log), "results"), "ruleId", "hostile");
        ck_assert_ptr_nonnull(res);
        ck_assert_str_eq(STR(res, "locations", "#0", "physicalLocation", "artifactLocation", "uri"),
                "lib/systemd/system/docker.service");
        ck_assert_ptr_null(json_object_get(res, "suppressions"));
        /* the report carries fingerprints (report/fingerprint.h): SARIF keeps them */
        ck_assert_ptr_nonnull(
                json_object_get(json_object_get(res, "partialFingerprints"), "dockauditFingerprint/v1"));
        ck_assert(json_is_true(
                json_object_get(json_object_get(json_object_get(res, "properties"), "waiver"), "expired")));
        hostile_done(&h);
}
END_TEST

/* A waived result without its waiver object (a report from elsewhere): still a suppression. */
START_TEST(test_sarif_waived_bare)
{
        Hostile h;
        _cleanup_json_ json_t *doc = NULL, *log = NULL;
        json_t *res;

        hostile_make(&h, false);
        doc = report_to_json(&h.report);
        res = find_result(json_object_get(doc, "results"), "id", "hostile");
        ck_assert_int_eq(json_object_set_new(res, "status", json_string("waived")), 0);
        log = sarif_from_report_json(doc, &h.findings);
        res = find_result(json_object_get(run_of(log), "results"), "ruleId", "hostile");
        ck_assert_ptr_nonnull(res);
        ck_assert_str_eq(STR(res, "suppressions", "#0", "kind"), "external");
        ck_assert(json_is_object(
                json_object_get(json_array_get(json_object_get(res, "suppressions"), 0), "properties")));
        ck_assert_ptr_null(
                json_object_get(json_array_get(json_object_get(res, "suppressions"), 0), "justification"));
        hostile_done(&h);
}
END_TEST

/* Could not audit at all: a log without rules or results that says why. */
START_TEST(test_sarif_empty)
{
        Facts none = {};
        Findings nothing = {};
        char *problems[] = {(char *) "no rules found (looked in: /x)", NULL};
        Report r = {.unit = "docker.service",
                .facts = &none,
                .findings = &nothing,
                .problems = problems,
                .exit_status = 2};
        _cleanup_free_ char *out = NULL;
        _cleanup_json_ json_t *log = NULL;
        json_t *run, *inv;

        out = report_to_string(report_sarif, &r);
        log = json_loads(out, 0, NULL);
        ck_assert_ptr_nonnull(log);
        run = run_of(log);
        ck_assert_uint_eq(json_array_size(json_object_get(run, "results")), 0);
        ck_assert_uint_eq(json_array_size(json_object_get(
                                  json_object_get(json_object_get(run, "tool"), "driver"), "rules")),
                0);
        inv = json_array_get(json_object_get(run, "invocations"), 0);
        ck_assert(json_is_false(json_object_get(inv, "executionSuccessful")));
        ck_assert_str_eq(STR(inv, "toolExecutionNotifications", "#0", "message", "text"),
                "no rules found (looked in: /x)");
}
END_TEST

int main(void)
{
        Suite *s = suite_create("report-sarif");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_source_parse);
        tcase_add_test(tc, test_uri);
        tcase_add_test(tc, test_sarif_contract);
        tcase_add_test(tc, test_sarif_expired_waiver);
        tcase_add_test(tc, test_sarif_waived_bare);
        tcase_add_test(tc, test_sarif_empty);
        suite_add_tcase(s, tc);
        return check_run(s);
}
