/* SPDX-License-Identifier: MIT */
#include <check.h>

#include "check-run.h"

#include "formats/daemon-json.h"

#define EKS FIXTURES "/daemon-json/amazon-eks-ami-dedf096-docker-daemon.json"
#define FULL FIXTURES "/daemon-json/moby-v17.03.0-ce-docs-dockerd-full-example-linux.json"

static void parse_ok(const char *text, DaemonJson *d)
{
        _cleanup_free_ char *err = NULL;

        ck_assert_msg(
                daemon_json_parse("daemon.json", text, strlen(text), d, &err) == 0, "%s", strempty(err));
}

static void parse_fails(const char *text, const char *expect)
{
        DaemonJson d = {};
        _cleanup_free_ char *err = NULL;

        ck_assert_int_eq(
                daemon_json_parse("/etc/docker/daemon.json", text, strlen(text), &d, &err), -EINVAL);
        ck_assert_ptr_null(d.root);
        ck_assert_str_eq(err, expect);
}

START_TEST(test_eks)
{
        DaemonJson d = {};
        _cleanup_strv_free_ char **keys = NULL;
        _cleanup_free_ char *joined = NULL;
        bool b = false;

        ck_assert_int_eq(daemon_json_load(EKS, &d, NULL), 0);
        ck_assert_int_eq(daemon_json_keys(&d, &keys), 0);
        joined = strv_join(keys, ",");
        ck_assert_str_eq(joined, "bridge,log-driver,log-opts,live-restore");
        ck_assert_uint_eq(daemon_json_key_line(&d, "bridge"), 2);
        ck_assert_uint_eq(daemon_json_key_line(&d, "log-opts"), 4);
        ck_assert_uint_eq(daemon_json_key_line(&d, "live-restore"), 8);
        /* Nested keys are not top-level keys. */
        ck_assert_uint_eq(daemon_json_key_line(&d, "max-size"), 0);
        ck_assert_uint_eq(daemon_json_key_line(&d, "json-file"), 0);
        ck_assert_int_eq(daemon_json_get_bool(&d, "live-restore", &b, NULL), 1);
        ck_assert(b);
        ck_assert_int_eq(daemon_json_get_bool(&d, "debug", &b, NULL), 0);
        daemon_json_done(&d);
}
END_TEST

START_TEST(test_full_example)
{
        DaemonJson d = {};
        _cleanup_strv_free_ char **keys = NULL;
        _cleanup_free_ char *err = NULL;
        bool b = false;

        ck_assert_int_eq(daemon_json_load(FULL, &d, NULL), 0);
        ck_assert_int_eq(daemon_json_keys(&d, &keys), 0);
        ck_assert_uint_eq(strv_length(keys), 61);
        ck_assert_str_eq(keys[0], "authorization-plugins");
        ck_assert_str_eq(keys[60], "runtimes");
        ck_assert_uint_eq(daemon_json_key_line(&d, "storage-opts"), 10);
        ck_assert_uint_eq(daemon_json_key_line(&d, "live-restore"), 12);
        ck_assert_uint_eq(daemon_json_key_line(&d, "graph"), 17);
        ck_assert_uint_eq(daemon_json_key_line(&d, "hosts"), 25);
        ck_assert_uint_eq(daemon_json_key_line(&d, "runtimes"), 62);
        ck_assert_uint_eq(daemon_json_key_line(&d, "path"), 0);
        ck_assert_uint_eq(daemon_json_key_line(&d, "runc"), 0);
        ck_assert_int_eq(daemon_json_get_bool(&d, "live-restore", &b, NULL), 1);
        ck_assert(b);
        ck_assert_int_eq(daemon_json_get_bool(&d, "experimental", &b, NULL), 1);
        ck_assert(!b);
        /* Type errors name the key's line. */
        ck_assert_int_eq(daemon_json_get_bool(&d, "hosts", &b, &err), -EINVAL);
        ck_assert_str_eq(err, FULL ":25: \"hosts\" must be true or false, not an array");
        daemon_json_done(&d);
}
END_TEST

START_TEST(test_missing)
{
        DaemonJson d = {};
        char *err = NULL;

        ck_assert_int_eq(daemon_json_load("/nonexistent/daemon.json", &d, &err), -ENOENT);
        ck_assert_ptr_null(err);
        ck_assert_int_eq(daemon_json_load(FIXTURES "/daemon-json", &d, &err), -EISDIR);
        ck_assert_ptr_nonnull(err);
        ck_assert_ptr_nonnull(startswith(err, FIXTURES "/daemon-json: "));
        free(err);
}
END_TEST

START_TEST(test_invalid)
{
        /* Trailing comma: the most common hand-editing mistake. */
        parse_fails("{\n  \"live-restore\": true,\n}\n",
                "/etc/docker/daemon.json:3:1: string or '}' expected near '}'");
        /* Missing comma between two keys (tab-indented like the docs example). */
        parse_fails(
                "{\n\t\"a\": 1\n\t\"b\": 2\n}", "/etc/docker/daemon.json:3:4: '}' expected near '\"b\"'");
        parse_fails("{\"live-restore\": tru}", "/etc/docker/daemon.json:1:20: invalid token near 'tru'");
        parse_fails("{'a': 1}", "/etc/docker/daemon.json:1:2: string or '}' expected near '''");
        parse_fails("{", "/etc/docker/daemon.json:1:1: string or '}' expected near end of file");
        /* Invalid UTF-8 outside a string: Go reads U+FFFD there, a syntax error too. */
        parse_fails("{\"a\": \xff}", "/etc/docker/daemon.json:1:7: invalid token near '\xef\xbf\xbd'");
        /* Not an object: reported where the value starts. */
        parse_fails("[1,2]",
                "/etc/docker/daemon.json:1:1: the configuration must be a JSON object, not an array");
        parse_fails("\n\n  true",
                "/etc/docker/daemon.json:3:3: the configuration must be a JSON object, not a boolean");
        /* Columns after a UTF-8 byte order mark count visible characters. */
        parse_fails("\xef\xbb\xbf{\"a\" 1}", "/etc/docker/daemon.json:1:6: ':' expected near '1'");
}
END_TEST

/* What Go's json.Decoder (dockerd) reads differently from a strict JSON parser: one value and
 * nothing after it, null as an empty configuration, invalid UTF-8 in a string as U+FFFD
 * (issue 9: trailing data was called invalid; dockerd 20.10.24 accepts each of these). */
START_TEST(test_go_decoder)
{
        DaemonJson d = {};
        bool b;

        parse_ok("{\"live-restore\": true}\ntrailing words\n", &d);
        ck_assert_int_eq(daemon_json_get_bool(&d, "live-restore", &b, NULL), 1);
        ck_assert(b);
        daemon_json_done(&d);
        parse_ok("{\"a\":1}}", &d);
        daemon_json_done(&d);
        parse_ok("{\"a\":1} {\"a\": 2, \"b\": 3}", &d);
        ck_assert_int_eq(json_integer_value(json_object_get(d.root, "a")), 1);
        /* keys after the value are never read: no line for them */
        ck_assert_uint_eq(daemon_json_key_line(&d, "b"), 0);
        daemon_json_done(&d);
        parse_ok("null", &d);
        ck_assert(json_is_object(d.root));
        ck_assert_uint_eq(json_object_size(d.root), 0);
        daemon_json_done(&d);
        parse_ok("{\"labels\": [\"owner=caf\xe9\"], \"a\xff\": {}}", &d);
        ck_assert_str_eq(json_string_value(json_array_get(json_object_get(d.root, "labels"), 0)),
                "owner=caf\xef\xbf\xbd");
        ck_assert_ptr_nonnull(json_object_get(d.root, "a\xef\xbf\xbd"));
        daemon_json_done(&d);
        /* A NUL after the value is never read; inside it, it is an error. */
        {
                static const char text[] = "{\"debug\": true}\n\0\0";
                char *err = NULL;

                ck_assert_int_eq(daemon_json_parse("daemon.json", text, sizeof text - 1, &d, &err), 0);
                daemon_json_done(&d);
        }
}
END_TEST

START_TEST(test_empty_and_bom)
{
        DaemonJson d = {};
        _cleanup_strv_free_ char **keys = NULL;
        bool b;

        /* dockerd 23+ trims whitespace: an empty file is an empty configuration, flagged for
         * dockerd_config_check() (dockerd 20.10 refuses it). */
        parse_ok(" \n\t\n", &d);
        ck_assert(json_is_object(d.root));
        ck_assert(d.empty && !d.bom);
        ck_assert_int_eq(daemon_json_get_bool(&d, "live-restore", &b, NULL), 0);
        daemon_json_done(&d);
        parse_ok("", &d);
        daemon_json_done(&d);
        parse_ok("\xef\xbb\xbf{\"live-restore\": false}", &d);
        ck_assert(d.bom && !d.empty);
        ck_assert_int_eq(daemon_json_get_bool(&d, "live-restore", &b, NULL), 1);
        ck_assert(!b);
        ck_assert_uint_eq(daemon_json_key_line(&d, "live-restore"), 1);
        ck_assert_int_eq(daemon_json_keys(&d, &keys), 0);
        ck_assert_uint_eq(strv_length(keys), 1);
        daemon_json_done(&d);
}
END_TEST

/* Found by fuzz-daemonjson: jansson stopped at the NUL and accepted the file, while the key
 * scanner read past the copy. dockerd rejects a NUL byte, and so do we, with its position. */
START_TEST(test_nul_byte)
{
        static const char text[] = "{\n  \"live-restore\": true\0}\n";
        DaemonJson d = {};
        char *err = NULL;

        ck_assert_int_eq(
                daemon_json_parse("/etc/docker/daemon.json", text, sizeof text - 1, &d, &err), -EINVAL);
        ck_assert_str_eq(err, "/etc/docker/daemon.json:2:23: NUL byte in the file");
        free(err);
}
END_TEST

START_TEST(test_key_lines)
{
        DaemonJson d = {};
        _cleanup_free_ char *err = NULL;
        bool b = true;

        /* Strings that look like keys, escapes, nesting, duplicates (the last one counts). */
        parse_ok("{\n"
                 "  \"labels\": [\"live-restore\", \"a,\\\"live-restore\\\":\"],\n"
                 "  \"x\": {\"live-restore\": true, \"y\": [{\"live-restore\": 1}]},\n"
                 "  \"log-opts\": {\"}\": \"{\"},\n"
                 "  \"live\\u002drestore\": \"yes\",\n"
                 "  \"debug\": true, \"live-restore\"\n"
                 "  : false\n"
                 "}\n",
                &d);
        ck_assert_uint_eq(daemon_json_key_line(&d, "labels"), 2);
        ck_assert_uint_eq(daemon_json_key_line(&d, "x"), 3);
        ck_assert_uint_eq(daemon_json_key_line(&d, "y"), 0);
        ck_assert_uint_eq(daemon_json_key_line(&d, "}"), 0);
        ck_assert_uint_eq(daemon_json_key_line(&d, "debug"), 6);
        ck_assert_uint_eq(daemon_json_key_line(&d, "live-restore"), 6);
        ck_assert_uint_eq(daemon_json_key_line(&d, "a,\"live-restore\":"), 0);
        ck_assert_int_eq(daemon_json_get_bool(&d, "live-restore", &b, &err), 1);
        ck_assert(!b);
        daemon_json_done(&d);

        parse_ok("{\"live\\u002drestore\": \"true\"}", &d);
        ck_assert_uint_eq(daemon_json_key_line(&d, "live-restore"), 1);
        ck_assert_int_eq(daemon_json_get_bool(&d, "live-restore", &b, &err), -EINVAL);
        ck_assert_str_eq(err, "daemon.json:1: \"live-restore\" must be true or false, not a string");
        daemon_json_done(&d);
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("daemonjson");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_eks);
        tcase_add_test(tc, test_nul_byte);
        tcase_add_test(tc, test_full_example);
        tcase_add_test(tc, test_missing);
        tcase_add_test(tc, test_invalid);
        tcase_add_test(tc, test_empty_and_bom);
        tcase_add_test(tc, test_go_decoder);
        tcase_add_test(tc, test_key_lines);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
