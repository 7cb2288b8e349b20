/* SPDX-License-Identifier: MIT */
/* The audited host's identity (src/collect/collect-host.c) under a scratch root, and on this
 * host; and its JSON round trip through a facts file (rules/facts-json.c), old files without
 * it included. */
#include "check-run.h"
#include "collect/collect.h"
#include "formats/json-util.h"
#include "rules/facts-json.h"
#include "test-util.h"

#define OK(x) ck_assert_int_eq((x), 0)
#define ID "0123456789abcdef0123456789abcdef"
#define T0 ((time_t) 1796030412) /* 2026-11-30T09:20:12Z */

START_TEST(test_host_root)
{
        char dir[64];
        _cleanup_(host_identity_done) HostIdentity h = {};
        _cleanup_free_ char *hostname = NULL;

        tmpdir_make(dir, sizeof dir, "host");
        hostname = path_in(dir, "etc/hostname");
        put(dir, "etc/hostname", "# set by the installer\n\n  web-07 \n");
        put(dir, "etc/machine-id", ID "\n");
        OK(collect_host_identity(&(CollectOptions){.root = dir}, T0, &h));
        ck_assert_str_eq(h.value[HOST_HOSTNAME], "web-07");
        ck_assert_str_eq(h.value[HOST_MACHINE_ID], ID);
        ck_assert_ptr_null(h.value[HOST_BOOT_ID]);
        ck_assert_str_eq(h.reason[HOST_BOOT_ID], "offline image (--root): it has no boot");
        ck_assert_str_eq(h.value[HOST_TIME], "2026-11-30T09:20:12Z");
        host_identity_done(&h);

        /* Missing, uninitialized (first boot), malformed, empty. */
        put(dir, "etc/machine-id", "uninitialized\n");
        (void) unlink(hostname);
        OK(collect_host_identity(&(CollectOptions){.root = dir}, T0, &h));
        ck_assert_ptr_null(h.value[HOST_HOSTNAME]);
        ck_assert(endswith(h.reason[HOST_HOSTNAME], "/etc/hostname: No such file or directory"));
        ck_assert_ptr_null(h.value[HOST_MACHINE_ID]);
        ck_assert(
                endswith(h.reason[HOST_MACHINE_ID], "/etc/machine-id: uninitialized (first boot pending)"));
        host_identity_done(&h);

        put(dir, "etc/machine-id", "0123\n");
        put(dir, "etc/hostname", "\n# only a comment\n");
        OK(collect_host_identity(&(CollectOptions){.root = dir}, T0, &h));
        ck_assert(endswith(h.reason[HOST_MACHINE_ID], "/etc/machine-id: not a 128-bit id"));
        ck_assert(endswith(h.reason[HOST_HOSTNAME], "/etc/hostname: empty"));
        host_identity_done(&h);

        /* A FIFO where the file should be: refused at once, not waited on. */
        (void) unlink(hostname);
        ck_assert_int_eq(mkfifo(hostname, 0600), 0);
        OK(collect_host_identity(&(CollectOptions){.root = dir}, T0, &h));
        ck_assert_ptr_null(h.value[HOST_HOSTNAME]);
        ck_assert_ptr_nonnull(h.reason[HOST_HOSTNAME]);
        ck_assert_int_eq(rm_rf(dir), 0);
}
END_TEST

START_TEST(test_host_this)
{
        _cleanup_(host_identity_done) HostIdentity h = {};
        char name[256] = "";
        _cleanup_free_ char *boot = NULL;

        OK(collect_host_identity(&(CollectOptions){}, T0, &h));
        ck_assert_int_eq(gethostname(name, sizeof name - 1), 0);
        ck_assert_str_eq(h.value[HOST_HOSTNAME], name);
        /* The boot id of this boot, dashes and all, as the kernel gives it. */
        if (read_one_line_file("/proc/sys/kernel/random/boot_id", &boot) >= 0)
                ck_assert_str_eq(h.value[HOST_BOOT_ID], strstrip(boot));
        ck_assert(h.value[HOST_MACHINE_ID] || h.reason[HOST_MACHINE_ID]);
}
END_TEST

static void write_doc(const char *path, const char *text)
{
        write_text(path, text);
}

START_TEST(test_host_facts_file)
{
        char dir[64];
        _cleanup_free_ char *p = NULL, *err = NULL, *text = NULL;
        _cleanup_json_ json_t *host = NULL, *doc = NULL;
        _cleanup_(host_identity_done) HostIdentity h = {}, back = {};
        _cleanup_facts_ Facts f = {};

        tmpdir_make(dir, sizeof dir, "hostjson");
        p = path_in(dir, "facts.json");
        OK(host_identity_set(&h, HOST_HOSTNAME, "web-07"));
        OK(host_identity_set(&h, HOST_MACHINE_ID, ID));
        OK(host_identity_set_unknown(&h, HOST_BOOT_ID, "offline"));
        OK(host_identity_set(&h, HOST_TIME, "2026-11-30T09:20:12Z"));
        host = host_identity_to_json(&h);
        ck_assert_ptr_nonnull(host);
        ck_assert(json_is_null(json_object_get(host, "boot_id")));
        ck_assert_str_eq(
                json_string_value(json_object_get(json_object_get(host, "reasons"), "boot_id")), "offline");
        doc = json_pack("{s:s, s:O, s:{}}", "schema", "dockaudit-facts/1", "host", host, "facts");
        text = json_dumps(doc, 0);
        write_doc(p, text);
        OK(facts_load_json_file_host(p, &f, &back, &err));
        ck_assert_str_eq(back.value[HOST_HOSTNAME], "web-07");
        ck_assert_str_eq(back.value[HOST_MACHINE_ID], ID);
        ck_assert_ptr_null(back.value[HOST_BOOT_ID]);
        ck_assert_str_eq(back.reason[HOST_BOOT_ID], "offline");
        ck_assert_str_eq(back.value[HOST_TIME], "2026-11-30T09:20:12Z");
        host_identity_done(&back);
        facts_done(&f);

        /* An older facts file: loads, every field unknown, the reason saying why. */
        write_doc(p, "{\"schema\":\"dockaudit-facts/1\",\"facts\":{}}");
        OK(facts_load_json_file_host(p, &f, &back, &err));
        for (int i = 0; i < _HOST_FIELD_MAX; i++) {
                ck_assert_ptr_null(back.value[i]);
                ck_assert_str_eq(
                        back.reason[i], "the facts file names no host (written by an older dockaudit)");
        }
        host_identity_done(&back);
        facts_done(&f);

        /* A "host" that is not one is bad content, naming the file. */
        write_doc(p, "{\"schema\":\"dockaudit-facts/1\",\"host\":{\"hostname\":7},\"facts\":{}}");
        ck_assert_int_eq(facts_load_json_file_host(p, &f, &back, &err), -EINVAL);
        ck_assert_msg(strstr(err, "\"host\": \"hostname\" must be a string or null") && startswith(err, p),
                "%s", err);
        free(err);
        err = NULL;
        write_doc(p, "{\"schema\":\"dockaudit-facts/1\",\"host\":[],\"facts\":{}}");
        ck_assert_int_eq(facts_load_json_file_host(p, &f, &back, &err), -EINVAL);
        ck_assert_ptr_nonnull(strstr(err, "\"host\" must be an object"));
        ck_assert_int_eq(rm_rf(dir), 0);
}
END_TEST

int main(void)
{
        Suite *s = suite_create("collect-host");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_host_root);
        tcase_add_test(tc, test_host_this);
        tcase_add_test(tc, test_host_facts_file);
        suite_add_tcase(s, tc);
        return check_run(s);
}
