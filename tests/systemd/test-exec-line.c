/* SPDX-License-Identifier: MIT */
/* ExecStart= parsing at load time (src/systemd/exec-line.c; systemd-reference.md 3.1-3.3, with
 * specifiers: 1.6) on examples from the reference (observed on systemd 252) and on the real
 * units in tests/fixtures/units (sources in tests/fixtures/units/SOURCES). */
#include <check.h>

#include "check-run.h"
#include <limits.h>

#include "exec-test-util.h"

/* Expects bad-setting or ignored with a message that contains what. */
static void expect(const char *value, int r, const char *what)
{
        _cleanup_(parsed_done) Parsed p = parse(value);

        ck_assert_msg(p.r == r, "%s: got %d want %d (%s)", value, p.r, r, strempty(p.error));
        ck_assert_uint_eq(p.n, 0);
        ck_assert_ptr_nonnull(p.error);
        ck_assert_msg(strstr(p.error, what), "%s: message %s lacks %s", value, p.error, what);
        ck_assert(startswith(p.error, "/u/docker.service:7: "));
        if (r == 1)
                ck_assert_ptr_nonnull(strstr(p.error, "ignoring"));
}

START_TEST(test_reference_example)
{
        _cleanup_(parsed_done) Parsed p = parse("/bin/echo a\"b c\"d 'e f' $A g\\x41 \\; ; /bin/true");

        ck_assert_int_eq(p.r, 0);
        ck_assert_uint_eq(p.n, 2);
        ck_assert_str_eq(p.c[0].path, "/bin/echo");
        check_argv(p.c[0].argv, ARGV("/bin/echo", "ab cd", "e f", "$A", "gA", ";"));
        ck_assert_str_eq(p.c[1].path, "/bin/true");
        check_argv(p.c[1].argv, ARGV("/bin/true"));
        ck_assert_str_eq(p.c[0].file, "/u/docker.service");
        ck_assert_uint_eq(p.c[1].line, 7);
        ck_assert_int_eq(p.c[0].flags, 0);
        ck_assert_ptr_null(p.warnings);
}
END_TEST

START_TEST(test_simplify)
{
        _cleanup_(parsed_done) Parsed p = parse("/usr//bin/./echo x");
        _cleanup_(parsed_done) Parsed q = parse("/usr/../bin/.//x/. y");
        _cleanup_(parsed_done) Parsed r = parse("echo hi");

        ck_assert_int_eq(p.r, 0);
        ck_assert_str_eq(p.c[0].path, "/usr/bin/echo");
        check_argv(p.c[0].argv, ARGV("/usr//bin/./echo", "x"));
        /* ".." is kept. */
        ck_assert_str_eq(q.c[0].path, "/usr/../bin/x");
        /* A plain name stays relative (searched at exec time). */
        ck_assert_int_eq(r.r, 0);
        ck_assert_str_eq(r.c[0].path, "echo");
        check_argv(r.c[0].argv, ARGV("echo", "hi"));
}
END_TEST

START_TEST(test_prefixes)
{
        static const struct {
                const char *value;
                ExecFlags flags;
        } t[] = {
                {"-/bin/x", EXEC_IGNORE_FAILURE},
                {"\"-/bin/x\"", EXEC_IGNORE_FAILURE},
                {"-\"/bin/x\"", EXEC_IGNORE_FAILURE},
                {":/bin/x", EXEC_NO_ENV_EXPAND},
                {"+/bin/x", EXEC_PRIVILEGED},
                {"!/bin/x", EXEC_NO_SETUID},
                {"!!/bin/x", EXEC_AMBIENT},
                {"-:+/bin/x", EXEC_IGNORE_FAILURE | EXEC_NO_ENV_EXPAND | EXEC_PRIVILEGED},
                {":-!!/bin/x", EXEC_IGNORE_FAILURE | EXEC_NO_ENV_EXPAND | EXEC_AMBIENT},
                {"!-/bin/x", EXEC_IGNORE_FAILURE | EXEC_NO_SETUID},
        };

        for (size_t i = 0; i < ELEMENTSOF(t); i++) {
                _cleanup_(parsed_done) Parsed p = parse(t[i].value);

                ck_assert_msg(p.r == 0, "%s: %d", t[i].value, p.r);
                ck_assert_uint_eq(p.n, 1);
                ck_assert_str_eq(p.c[0].path, "/bin/x");
                check_argv(p.c[0].argv, ARGV("/bin/x"));
                ck_assert_msg(p.c[0].flags == t[i].flags, "%s: flags %d", t[i].value, p.c[0].flags);
        }
}
END_TEST

START_TEST(test_argv0)
{
        _cleanup_(parsed_done) Parsed p = parse("-@/usr/bin/printf argv0 x \"y z\"");
        _cleanup_(parsed_done) Parsed q = parse(":+/bin/true $A");

        ck_assert_int_eq(p.r, 0);
        ck_assert_str_eq(p.c[0].path, "/usr/bin/printf");
        check_argv(p.c[0].argv, ARGV("argv0", "x", "y z"));
        ck_assert_int_eq(p.c[0].flags, EXEC_IGNORE_FAILURE | EXEC_ARGV0);

        ck_assert_int_eq(q.r, 0);
        ck_assert_int_eq(q.c[0].flags, EXEC_NO_ENV_EXPAND | EXEC_PRIVILEGED);
        check_argv(q.c[0].argv, ARGV("/bin/true", "$A"));

        /* "@" with nothing after the path: no argv[0]. */
        expect("@/bin/echo", -ENOEXEC, "Empty executable name or zeroeth argument");
        expect("-@/usr/bin/printf", 1,
                "Empty executable name or zeroeth argument, ignoring: -@/usr/bin/printf");
        expect("@/bin/echo ; /bin/true", -ENOEXEC, "zeroeth argument");
}
END_TEST

START_TEST(test_bad_prefix_combos)
{
        /* The prefix loop stops; the rest becomes part of the path (observed: bad-setting). */
        expect("+!/bin/x", -ENOEXEC, "Neither a valid executable name nor an absolute path: !/bin/x");
        expect("!+/bin/x", -ENOEXEC, "+/bin/x");
        expect("!!+/bin/x", -ENOEXEC, "+/bin/x");
        expect("!!!/bin/echo", -ENOEXEC, "absolute path: !/bin/echo");
        expect("--/bin/x", 1, "-/bin/x");
        expect("@@/bin/x y", -ENOEXEC, "@/bin/x");
        expect("-+!/bin/x", 1, "!/bin/x");
}
END_TEST

START_TEST(test_path_errors)
{
        char long_comp[300];

        /* 3.2 row: empty path, bad characters, trailing "/", invalid path; "-" ignores. */
        expect("-", 1, "Empty path in command line");
        expect("@", -ENOEXEC, "Empty path in command line");
        expect("/bin/a\\x01b", -ENOEXEC, "Executable name contains special characters");
        expect("-/bin/a\\x01b", 1, "special characters, ignoring");
        expect("\"/bin/a'b\"", -ENOEXEC, "special characters");
        expect("/bin/a\\x7f", -ENOEXEC, "special characters");
        expect("/bin/", -ENOEXEC, "Executable path specifies a directory: /bin/");
        expect("-/bin/", 1, "specifies a directory, ignoring");
        expect("bin/x", -ENOEXEC, "Neither a valid executable name nor an absolute path: bin/x");
        expect("-bin/x", 1, "absolute path, ignoring: bin/x");
        expect(";/bin/true", -ENOEXEC, "absolute path: ;/bin/true");
        expect("..", -ENOEXEC, "absolute path");
        /* The rootless template installed without the heredoc expanding $BIN (observed). */
        expect("$BIN/dockerd-rootless.sh $DOCKERD_ROOTLESS_SH_FLAGS", -ENOEXEC,
                "Neither a valid executable name nor an absolute path: $BIN/dockerd-rootless.sh");

        memset(long_comp, 'a', sizeof(long_comp));
        long_comp[0] = '/';
        long_comp[257] = 0; /* a 256-byte component */
        expect(long_comp, -ENOEXEC, "absolute path");
        long_comp[256] = 0; /* 255 bytes is fine */
        {
                _cleanup_(parsed_done) Parsed p = parse(long_comp);
                ck_assert_int_eq(p.r, 0);
        }
}
END_TEST

START_TEST(test_unknown_escape)
{
        _cleanup_(parsed_done) Parsed p = parse("/bin/echo \\d \"h\\;\"");
        _cleanup_(parsed_done) Parsed q = parse("/bin/kill -s HUP \\$MAINPID");

        /* Kept verbatim with a warning (3.2 last row, same with or without "-"). */
        ck_assert_int_eq(p.r, 0);
        check_argv(p.c[0].argv, ARGV("/bin/echo", "\\d", "h\\;"));
        ck_assert_uint_eq(strv_length(p.warnings), 2);
        ck_assert_str_eq(p.warnings[0], "/u/docker.service:7: Ignoring unknown escape sequences: \"\\d\"");
        ck_assert_str_eq(p.warnings[1], "/u/docker.service:7: Ignoring unknown escape sequences: \"h\\;\"");
        ck_assert_ptr_null(p.error);
        /* The rootless template's ExecReload= (observed: warning, kept). */
        ck_assert_int_eq(q.r, 0);
        check_argv(q.c[0].argv, ARGV("/bin/kill", "-s", "HUP", "\\$MAINPID"));
        ck_assert_uint_eq(strv_length(q.warnings), 1);

        /* In the first word it ends up in the path. */
        expect("/bin/ec\\ho", -ENOEXEC, "special characters: /bin/ec\\ho");
        expect("-/bin/ec\\ho", 1, "special characters, ignoring: /bin/ec\\ho");
}
END_TEST

START_TEST(test_unbalanced)
{
        _cleanup_(parsed_done) Parsed p = parse("/bin/true ; -/bin/false \"x");
        _cleanup_(parsed_done) Parsed q = parse("/bin/true ; /bin/false \"x");

        /* First word: only ignored, even without "-". */
        expect("\"/bin/echo", 1, "Unbalanced quoting, ignoring: \"\"/bin/echo\"");
        expect("-\"/bin/echo", 1, "Unbalanced quoting");
        /* Later word: bad-setting, "-" makes it ignored. */
        expect("/bin/echo a\"b", -ENOEXEC, "Unbalanced quoting");
        expect("-/bin/echo 'a", 1, "Unbalanced quoting");
        /* A trailing backslash inside quotes is unbalanced too. */
        expect("/bin/echo \"a\\", -ENOEXEC, "Unbalanced quoting");

        /* Commands completed before the failing one stay (observed). */
        ck_assert_int_eq(p.r, 1);
        ck_assert_uint_eq(p.n, 1);
        ck_assert_str_eq(p.c[0].path, "/bin/true");
        ck_assert_str_eq(p.error, "/u/docker.service:7: Unbalanced quoting, ignoring: \"-/bin/false \"x\"");
        ck_assert_int_eq(q.r, -ENOEXEC);
        ck_assert_uint_eq(q.n, 1);
}
END_TEST

START_TEST(test_semicolons)
{
        _cleanup_(parsed_done) Parsed a = parse("/bin/echo a;b c; d ;");
        _cleanup_(parsed_done) Parsed b = parse("; ; /bin/true ; ; ; /bin/false");
        _cleanup_(parsed_done) Parsed c = parse("/bin/echo a # x ; y");
        _cleanup_(parsed_done) Parsed d = parse("/bin/echo \\\\; \";\" \\;x \\;");
        _cleanup_(parsed_done) Parsed e = parse("/bin/echo x\t;\t/bin/true");

        /* Only a lone unquoted ";" separates. */
        ck_assert_int_eq(a.r, 0);
        ck_assert_uint_eq(a.n, 1);
        check_argv(a.c[0].argv, ARGV("/bin/echo", "a;b", "c;", "d"));
        /* Empty commands are skipped. */
        ck_assert_int_eq(b.r, 0);
        ck_assert_uint_eq(b.n, 2);
        ck_assert_str_eq(b.c[0].path, "/bin/true");
        ck_assert_str_eq(b.c[1].path, "/bin/false");
        /* Shell syntax means nothing. */
        ck_assert_uint_eq(c.n, 2);
        check_argv(c.c[0].argv, ARGV("/bin/echo", "a", "#", "x"));
        check_argv(c.c[1].argv, ARGV("y"));
        ck_assert_str_eq(c.c[1].path, "y");
        /* "\\;" and "\";\"" are plain words; "\;x" is an unknown escape; lone "\;" is ";". */
        ck_assert_int_eq(d.r, 0);
        ck_assert_uint_eq(d.n, 1);
        check_argv(d.c[0].argv, ARGV("/bin/echo", "\\;", ";", "\\;x", ";"));
        ck_assert_uint_eq(strv_length(d.warnings), 1);
        ck_assert_uint_eq(e.n, 2);
}
END_TEST

START_TEST(test_specifiers_in_exec)
{
        const SpecifierContext tmpl = {.unit_name = "foo-bar\\x2dbaz@in\\x2dst.service"};
        _cleanup_(parsed_done) Parsed p = parse("/bin/%p %n %N 100%% %i %t a%- b%");
        _cleanup_(parsed_done) Parsed q = parse_ctx("/x/%I/%f %j %J %P %p %i", &tmpl);

        ck_assert_int_eq(p.r, 0);
        ck_assert_str_eq(p.c[0].path, "/bin/docker");
        check_argv(p.c[0].argv,
                ARGV("/bin/docker", "docker.service", "docker", "100%", "", "/run", "a%-", "b%"));
        /* Values checked with systemd-analyze verify (252.39). */
        ck_assert_int_eq(q.r, 0);
        ck_assert_str_eq(q.c[0].path, "/x/in-st/in-st");
        check_argv(q.c[0].argv, ARGV("/x/in-st//in-st", "bar\\x2dbaz", "bar-baz", "foo/bar-baz",
                                        "foo-bar\\x2dbaz", "in\\x2dst"));

        /* 3.2: unknown specifier, in the path or a later word; "-" ignores. */
        expect("/bin/%Q", -ENOEXEC, "Failed to resolve unit specifiers in '/bin/%Q'");
        expect("-/bin/%Q", 1, "ignoring");
        expect("/bin/echo %Q", -ENOEXEC, "Failed to resolve unit specifiers in %Q");
        expect("-/bin/echo x%9", 1, "Failed to resolve unit specifiers");
        /* %n cannot make a path with a backslash valid. */
        {
                _cleanup_(parsed_done) Parsed r = parse_ctx("/x/%n", &tmpl);
                ck_assert_int_eq(r.r, -ENOEXEC);
                ck_assert_ptr_nonnull(strstr(r.error, "special characters"));
        }
}
END_TEST

/* ---- real units ---- */

START_TEST(test_real_units)
{
        const struct {
                const char *file;
                const char *const *argv;
        } t[] = {
                {"moby-v1.5.0-docker.service", ARGV("/usr/bin/docker", "-d", "-H", "fd://")},
                {"moby-v1.11.2-docker.service", ARGV("/usr/bin/docker", "daemon", "-H", "fd://")},
                {"moby-v1.12.0-docker.service", ARGV("/usr/bin/dockerd", "-H", "fd://")},
                {"moby-v1.12.0-docker.service.rpm", ARGV("/usr/bin/dockerd")},
                {"moby-v17.03.0-ce-docker.service", ARGV("/usr/bin/dockerd", "-H", "fd://")},
                {"docker-ce-packaging-v17.06.0-ce-rpm-docker.service", ARGV("/usr/bin/dockerd")},
                {"docker-ce-packaging-v18.03.1-ce-deb-docker.service",
                        ARGV("/usr/bin/dockerd", "-H", "fd://")},
                {"docker-ce-packaging-18.09-docker.service",
                        ARGV("/usr/bin/dockerd", "-H", "fd://",
                                "--containerd=/run/containerd/containerd.sock")},
                {"docker-ce-packaging-20.10-docker.service",
                        ARGV("/usr/bin/dockerd", "-H", "fd://",
                                "--containerd=/run/containerd/containerd.sock")},
                {"moby-master-b985e23-docker.service",
                        ARGV("/usr/bin/dockerd", "-H", "fd://",
                                "--containerd=/run/containerd/containerd.sock")},
                {"ubuntu-focal-docker.io-20.10.21-docker.io.docker.service",
                        ARGV("/usr/bin/dockerd", "-H", "fd://",
                                "--containerd=/run/containerd/containerd.sock")},
        };

        for (size_t i = 0; i < ELEMENTSOF(t); i++) {
                unsigned line = 0;
                _cleanup_free_ char *v = unit_value(t[i].file, "ExecStart", &line);
                _cleanup_(parsed_done) Parsed p = parse(v);

                ck_assert_msg(p.r == 0 && p.n == 1, "%s: %d", t[i].file, p.r);
                check_argv(p.c[0].argv, t[i].argv);
                ck_assert_str_eq(p.c[0].path, t[i].argv[0]);
                ck_assert_ptr_null(p.warnings);
        }
}
END_TEST

START_TEST(test_real_rootless_template)
{
        unsigned line = 0;
        _cleanup_free_ char *v =
                unit_value("moby-master-rootless-setuptool-template-docker.service", "ExecStart", &line);
        _cleanup_free_ char *reload =
                unit_value("moby-master-rootless-setuptool-template-docker.service", "ExecReload", &line);
        _cleanup_(parsed_done) Parsed p = parse(v);
        _cleanup_(parsed_done) Parsed q = parse(reload);

        /* systemd-analyze verify: "Neither a valid executable name nor an absolute path". */
        ck_assert_int_eq(p.r, -ENOEXEC);
        ck_assert_ptr_nonnull(strstr(p.error, "$BIN/dockerd-rootless.sh"));
        ck_assert_int_eq(q.r, 0);
        check_argv(q.c[0].argv, ARGV("/bin/kill", "-s", "HUP", "\\$MAINPID"));
        ck_assert_uint_eq(strv_length(q.warnings), 1);
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("exec-line");
        TCase *load = tcase_create("load"), *real = tcase_create("real");

        tcase_add_test(load, test_reference_example);
        tcase_add_test(load, test_simplify);
        tcase_add_test(load, test_prefixes);
        tcase_add_test(load, test_argv0);
        tcase_add_test(load, test_bad_prefix_combos);
        tcase_add_test(load, test_path_errors);
        tcase_add_test(load, test_unknown_escape);
        tcase_add_test(load, test_unbalanced);
        tcase_add_test(load, test_semicolons);
        tcase_add_test(load, test_specifiers_in_exec);
        tcase_add_test(real, test_real_units);
        tcase_add_test(real, test_real_rootless_template);
        suite_add_tcase(s, load);
        suite_add_tcase(s, real);
        return s;
}

int main(void)
{
        return check_run(suite());
}
