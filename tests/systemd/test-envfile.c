/* SPDX-License-Identifier: MIT */
#include <check.h>

#include "check-run.h"

#include "systemd/envfile.h"

static void env_block_donep(EnvBlock *e)
{
        env_block_done(e);
}
#define _cleanup_env_block_ _cleanup_(env_block_donep)

/* Parses data (strlen) as /etc/default/docker; asserts success. */
static void parse_ok(const char *data, EnvBlock *e, char ***warnings)
{
        _cleanup_free_ char *err = NULL;

        ck_assert_int_eq(env_file_parse("/etc/default/docker", data, strlen(data), e, warnings, &err), 0);
        ck_assert_ptr_null(err);
}

static void assert_var(const EnvBlock *e, const char *name, const char *value, unsigned line)
{
        const EnvVar *v = env_block_get(e, name);

        ck_assert_msg(v != NULL, "%s not set", name);
        ck_assert_str_eq(v->value, value);
        ck_assert_uint_eq(v->line, line);
}

START_TEST(test_block)
{
        _cleanup_env_block_ EnvBlock e = {};

        ck_assert_ptr_null(env_block_get(&e, "A"));
        ck_assert_int_eq(env_block_set(&e, "A", "1", "/f", 3), 0);
        ck_assert_int_eq(env_block_set(&e, "B", "2", NULL, 0), 0);
        ck_assert_int_eq(env_block_set(&e, "A", "3", "/g", 7), 0);
        ck_assert_uint_eq(e.n, 2);
        /* replaced in place */
        ck_assert_str_eq(e.v[0].name, "A");
        ck_assert_str_eq(e.v[0].value, "3");
        ck_assert_str_eq(e.v[0].file, "/g");
        ck_assert_uint_eq(e.v[0].line, 7);
        ck_assert_ptr_null(env_block_get(&e, "B")->file);
        ck_assert_ptr_null(env_block_get(&e, "a"));
        env_block_done(&e);
        ck_assert_uint_eq(e.n, 0);
        ck_assert_ptr_null(e.v);
}
END_TEST

START_TEST(test_name_is_valid)
{
        ck_assert(env_name_is_valid("DOCKER_OPTS"));
        ck_assert(env_name_is_valid("_x1"));
        ck_assert(env_name_is_valid("a"));
        ck_assert(!env_name_is_valid(""));
        ck_assert(!env_name_is_valid(NULL));
        ck_assert(!env_name_is_valid("1X"));
        ck_assert(!env_name_is_valid("FOO.BAR"));
        ck_assert(!env_name_is_valid("export K"));
        ck_assert(!env_name_is_valid("A-B"));
        ck_assert(!env_name_is_valid("caf\xc3\xa9"));
}
END_TEST

START_TEST(test_basic)
{
        _cleanup_env_block_ EnvBlock e = {};
        _cleanup_strv_free_ char **w = NULL;

        parse_ok("# comment\n"
                 "  ; comment\n"
                 "A=1\n"
                 "  B = two words  \n"
                 "C=v # not a comment\n"
                 "NOEQUALS\n"
                 "A=again\n"
                 "E=\n"
                 "F=a\"b\"c\n"
                 "G=last",
                &e, &w);
        ck_assert(strv_isempty(w));
        ck_assert_uint_eq(e.n, 6);
        assert_var(&e, "A", "again", 7);
        assert_var(&e, "B", "two words", 4);
        assert_var(&e, "C", "v # not a comment", 5);
        assert_var(&e, "E", "", 8);
        assert_var(&e, "F", "a\"b\"c", 9);
        assert_var(&e, "G", "last", 10);
        ck_assert_str_eq(env_block_get(&e, "A")->file, "/etc/default/docker");
}
END_TEST

START_TEST(test_comment_backslash_quirk)
{
        /* v252: a comment ending in a backslash swallows the next line */
        _cleanup_env_block_ EnvBlock e = {}, f = {};

        parse_ok("# c \\\nCONT=1\nB=2\n", &e, NULL);
        ck_assert_ptr_null(env_block_get(&e, "CONT"));
        assert_var(&e, "B", "2", 3);
        ck_assert_uint_eq(e.n, 1);
        /* the escape eats one byte only: with CRLF the \n ends the comment */
        parse_ok("# c \\\r\nCONT=1\r\n", &f, NULL);
        assert_var(&f, "CONT", "1", 2);
}
END_TEST

START_TEST(test_export_dropped)
{
        _cleanup_env_block_ EnvBlock e = {};
        _cleanup_strv_free_ char **w = NULL;

        /* "=x=1": the first "=" is part of the key (systemd starts a key at any non-blank) */
        parse_ok("export K=v\n1X=y\nFOO.BAR=x\n=x=1\n=y\nOK=1\n", &e, &w);
        ck_assert_uint_eq(e.n, 1);
        assert_var(&e, "OK", "1", 6);
        ck_assert_ptr_null(env_block_get(&e, "K"));
        ck_assert_ptr_null(env_block_get(&e, "export K"));
        ck_assert_uint_eq(strv_length(w), 4);
        ck_assert_str_eq(
                w[0], "/etc/default/docker:1: Ignoring invalid environment variable name 'export K'.");
        ck_assert_str_eq(w[1], "/etc/default/docker:2: Ignoring invalid environment variable name '1X'.");
        ck_assert_str_eq(w[3], "/etc/default/docker:4: Ignoring invalid environment variable name '=x'.");
}
END_TEST

START_TEST(test_quotes)
{
        _cleanup_env_block_ EnvBlock e = {};

        parse_ok("K=\"a\" \"b\"\n"
                 "S='a\\b $X \"q\"'\n"
                 "D=\"\\\"\\\\\\`\\$\\n\\x\"\n"
                 "M='x\n"
                 "y'\n"
                 "T=\"a  \"  \n"
                 "J='a'b\"c\"  \n"
                 "N=after\n",
                &e, NULL);
        assert_var(&e, "K", "ab", 1);
        assert_var(&e, "S", "a\\b $X \"q\"", 2);
        /* \" \\ \` \$ unescape; other escapes keep the backslash */
        assert_var(&e, "D", "\"\\`$\\n\\x", 3);
        assert_var(&e, "M", "x\ny", 4);
        assert_var(&e, "T", "a  ", 6);
        /* after the closing quote: joined; a '"' inside an unquoted run is literal */
        assert_var(&e, "J", "ab\"c\"", 7);
        assert_var(&e, "N", "after", 8);
}
END_TEST

START_TEST(test_default_docker_example)
{
        _cleanup_env_block_ EnvBlock e = {};

        parse_ok("# /etc/default/docker\n"
                 "DOCKER_OPTS=\"--dns 8.8.8.8 \\\n"
                 "  --log-level=warn\"\n"
                 "NEXT=1\n",
                &e, NULL);
        assert_var(&e, "DOCKER_OPTS", "--dns 8.8.8.8   --log-level=warn", 2);
        assert_var(&e, "NEXT", "1", 4);
}
END_TEST

START_TEST(test_unquoted_escapes)
{
        _cleanup_env_block_ EnvBlock e = {};

        parse_ok("A=a\\ b\n"
                 "B=x\\\n"
                 "y\n"
                 "C=tail\\ \n"
                 "D=sp  \t\n"
                 "E=\\n\\$\\\\\n"
                 "F=\\\n"
                 "G=1\n",
                &e, NULL);
        assert_var(&e, "A", "a b", 1);
        assert_var(&e, "B", "xy", 2);
        assert_var(&e, "C", "tail ", 4); /* an escaped space is not trailing whitespace */
        assert_var(&e, "D", "sp", 5);
        assert_var(&e, "E", "n$\\", 6);
        /* "F=\" + newline: the newline is eaten, G=1 becomes part of F's value */
        assert_var(&e, "F", "G=1", 7);
        ck_assert_ptr_null(env_block_get(&e, "G"));
}
END_TEST

START_TEST(test_eof_states)
{
        _cleanup_env_block_ EnvBlock a = {}, b = {}, c = {}, d = {};

        parse_ok("A=x  ", &a, NULL);
        assert_var(&a, "A", "x", 1);
        parse_ok("A=\"open  ", &b, NULL);
        assert_var(&b, "A", "open  ", 1);
        parse_ok("A=", &c, NULL);
        assert_var(&c, "A", "", 1);
        parse_ok("A", &d, NULL);
        ck_assert_uint_eq(d.n, 0);
}
END_TEST

START_TEST(test_nul_ends_file)
{
        static const char data[] = "A=1\nB=2\0C=3\n";
        _cleanup_env_block_ EnvBlock e = {};

        ck_assert_int_eq(env_file_parse("/f", data, sizeof data - 1, &e, NULL, NULL), 0);
        ck_assert_uint_eq(e.n, 2);
        assert_var(&e, "B", "2", 2);
        ck_assert_ptr_null(env_block_get(&e, "C"));
}
END_TEST

START_TEST(test_invalid_utf8_fails_file)
{
        _cleanup_env_block_ EnvBlock e = {};
        _cleanup_strv_free_ char **w = NULL;
        _cleanup_free_ char *err = NULL, *err2 = NULL;
        const char *latin1 = "A=1\nexport X=1\nB=caf\xe9\nC=3\n";
        const char *key = "K\xff=1\n";

        ck_assert_int_eq(env_block_set(&e, "PRE", "x", NULL, 0), 0);
        ck_assert_int_eq(
                env_file_parse("/etc/sysconfig/docker", latin1, strlen(latin1), &e, &w, &err), -EINVAL);
        ck_assert_str_eq(err, "/etc/sysconfig/docker:3: Invalid UTF-8 in the value of B, ignoring file.");
        /* nothing of the file is applied, no warnings either */
        ck_assert_uint_eq(e.n, 1);
        ck_assert(strv_isempty(w));
        ck_assert_int_eq(env_file_parse("/f", key, strlen(key), &e, &w, &err2), -EINVAL);
        ck_assert_str_eq(err2, "/f:1: Invalid UTF-8 in variable name, ignoring file.");
        /* a noncharacter counts as invalid, as in systemd's utf8_is_valid() */
        ck_assert_int_eq(env_file_parse("/f", "A=\xef\xbf\xbf", 5, &e, NULL, NULL), -EINVAL);
        ck_assert_uint_eq(e.n, 1);
}
END_TEST

START_TEST(test_invalid_utf8_ignored_places)
{
        _cleanup_env_block_ EnvBlock e = {};

        /* comments and lines without '=' are never checked */
        parse_ok("# caf\xe9\nNOEQ\xe9\nA=caf\xc3\xa9\n", &e, NULL);
        ck_assert_uint_eq(e.n, 1);
        assert_var(&e, "A", "caf\xc3\xa9", 3);
}
END_TEST

START_TEST(test_line_numbers)
{
        _cleanup_env_block_ EnvBlock e = {};

        parse_ok("A=1\r\nB=\"x\r\ny\"\r\n\r\nC=3\rD=4\n\n   E=5\n", &e, NULL);
        assert_var(&e, "A", "1", 1);
        assert_var(&e, "B", "x\r\ny", 2);
        assert_var(&e, "C", "3", 5);
        assert_var(&e, "D", "4", 6);
        assert_var(&e, "E", "5", 8);
}
END_TEST

START_TEST(test_merge_across_files)
{
        _cleanup_env_block_ EnvBlock e = {};

        ck_assert_int_eq(env_file_parse("/a", "X=1\nY=1\n", 8, &e, NULL, NULL), 0);
        ck_assert_int_eq(env_file_parse("/b", "\nY=2\n", 5, &e, NULL, NULL), 0);
        ck_assert_uint_eq(e.n, 2);
        assert_var(&e, "X", "1", 1);
        assert_var(&e, "Y", "2", 2);
        ck_assert_str_eq(env_block_get(&e, "X")->file, "/a");
        ck_assert_str_eq(env_block_get(&e, "Y")->file, "/b");
}
END_TEST

static void parse_fixture(const char *name, EnvBlock *e, char ***w)
{
        _cleanup_free_ char *p = strdupf("%s/sysconfig/%s", FIXTURES, name), *data = NULL, *err = NULL;
        size_t n;

        ck_assert_int_eq(read_full_file(p, &data, &n), 0);
        ck_assert_int_eq(env_file_parse(p, data, n, e, w, &err), 0);
        ck_assert_ptr_null(err);
}

START_TEST(test_fixtures)
{
        _cleanup_env_block_ EnvBlock deb = {}, deb_old = {}, rh = {}, centos = {};
        _cleanup_strv_free_ char **w = NULL;

        /* everything is commented out in Debian's default file */
        parse_fixture("moby-master-etc-default-docker", &deb, &w);
        ck_assert_uint_eq(deb.n, 0);
        parse_fixture("moby-v1.11.2-etc-default-docker", &deb_old, &w);
        ck_assert_uint_eq(deb_old.n, 0);

        parse_fixture("moby-v1.11.2-sysvinit-redhat-docker.sysconfig", &rh, &w);
        ck_assert_uint_eq(rh.n, 1);
        assert_var(&rh, "other_args", "", 7);

        /* a shell "if" block: the if/fi lines have no '=' and vanish, the body is assigned */
        parse_fixture("centos-virt7-docker-2-1.13.1-2-etc-sysconfig-docker", &centos, &w);
        ck_assert_uint_eq(centos.n, 3);
        assert_var(&centos, "OPTIONS", "--selinux-enabled --log-driver=journald", 4);
        assert_var(&centos, "DOCKER_CERT_PATH", "/etc/docker", 6);
        assert_var(&centos, "ADD_REGISTRY", "--add-registry registry.access.redhat.com", 13);
        ck_assert(endswith(env_block_get(&centos, "OPTIONS")->file,
                "/sysconfig/centos-virt7-docker-2-1.13.1-2-etc-sysconfig-docker"));
        ck_assert(strv_isempty(w));
}
END_TEST

/* Thousands of variables: found by name, replaced in place (first position kept), in order. */
START_TEST(test_block_many)
{
        _cleanup_(env_block_done) EnvBlock e = {};
        char name[32], value[32];

        for (int i = 0; i < 20000; i++) {
                snprintf(name, sizeof name, "A%d", i);
                snprintf(value, sizeof value, "%d", i);
                ck_assert_int_eq(env_block_set(&e, name, value, NULL, (unsigned) i), 0);
        }
        ck_assert_int_eq(env_block_set(&e, "A7", "again", "/f", 1), 0);
        ck_assert_uint_eq(e.n, 20000);
        ck_assert_str_eq(e.v[7].value, "again");
        ck_assert_str_eq(env_block_get(&e, "A19999")->value, "19999");
        ck_assert_str_eq(env_block_get(&e, "A7")->file, "/f");
        ck_assert_ptr_null(env_block_get(&e, "A20000"));
        for (int i = 0; i < 20000; i += 997) {
                snprintf(name, sizeof name, "A%d", i);
                ck_assert_str_eq(e.v[i].name, name);
        }
}
END_TEST

static Suite *envfile_suite(void)
{
        Suite *s = suite_create("envfile");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_block);
        tcase_add_test(tc, test_block_many);
        tcase_add_test(tc, test_name_is_valid);
        tcase_add_test(tc, test_basic);
        tcase_add_test(tc, test_comment_backslash_quirk);
        tcase_add_test(tc, test_export_dropped);
        tcase_add_test(tc, test_quotes);
        tcase_add_test(tc, test_default_docker_example);
        tcase_add_test(tc, test_unquoted_escapes);
        tcase_add_test(tc, test_eof_states);
        tcase_add_test(tc, test_nul_ends_file);
        tcase_add_test(tc, test_invalid_utf8_fails_file);
        tcase_add_test(tc, test_invalid_utf8_ignored_places);
        tcase_add_test(tc, test_line_numbers);
        tcase_add_test(tc, test_merge_across_files);
        tcase_add_test(tc, test_fixtures);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(envfile_suite());
}
