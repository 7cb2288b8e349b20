/* SPDX-License-Identifier: MIT */
/* ExecStart= parsing (systemd-reference.md 3.1-3.3, with specifiers: 1.6), $VAR expansion (3.4)
 * and shell-wrapper unwrapping (src/systemd/execwords.c), on examples from the reference
 * (observed on systemd 252) and on the real units in tests/fixtures/units (sources in
 * tests/fixtures/units/SOURCES). */
#include <check.h>

#include "check-run.h"
#include <limits.h>
#include <sys/stat.h>

#include "systemd/execwords.h"

#ifdef LOCAL_ENVBLOCK
/* Only for building this test before src/envfile.c exists (-DLOCAL_ENVBLOCK). */
void env_block_done(EnvBlock *e)
{
        for (size_t i = 0; i < e->n; i++) {
                free(e->v[i].name);
                free(e->v[i].value);
                free(e->v[i].file);
        }
        free(e->v);
        *e = (EnvBlock){};
}
const EnvVar *env_block_get(const EnvBlock *e, const char *name)
{
        for (size_t i = 0; i < e->n; i++)
                if (streq(e->v[i].name, name))
                        return &e->v[i];
        return NULL;
}
int env_block_set(EnvBlock *e, const char *name, const char *value, const char *file, unsigned line)
{
        EnvVar *t = realloc(e->v, (e->n + 1) * sizeof(EnvVar));
        if (!t)
                return -ENOMEM;
        e->v = t;
        t[e->n++] = (EnvVar){strdup(name), strdup(value), file ? strdup(file) : NULL, line};
        return 0;
}
#endif

static const SpecifierContext spec = {.unit_name = "docker.service"};

typedef struct Parsed {
        ExecCommand *c;
        size_t n;
        char *error;
        char **warnings;
        int r;
} Parsed;

static void parsed_done(Parsed *p)
{
        for (size_t i = 0; i < p->n; i++)
                exec_command_done(&p->c[i]);
        free(p->c);
        free(p->error);
        strv_free(p->warnings);
        *p = (Parsed){};
}

static Parsed parse_ctx(const char *value, const SpecifierContext *ctx)
{
        Parsed p = {};

        p.r = exec_parse_line_full(value, ctx, "/u/docker.service", 7, &p.c, &p.n, &p.warnings, &p.error);
        return p;
}

static Parsed parse(const char *value)
{
        return parse_ctx(value, &spec);
}

/* Checks one command's argv against a NULL-terminated list. */
static void check_argv(char **argv, const char *const *want)
{
        size_t i;

        for (i = 0; want[i]; i++) {
                ck_assert_msg(argv[i], "argv too short at %zu (want %s)", i, want[i]);
                ck_assert_str_eq(argv[i], want[i]);
        }
        ck_assert_msg(!argv[i], "argv too long: extra %s", argv[i]);
}

#define ARGV(...) ((const char *const[]){__VA_ARGS__, NULL})

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

/* ---- exec time ---- */

static void add(EnvBlock *e, const char *name, const char *value, unsigned line)
{
        ck_assert_int_eq(env_block_set(e, name, value, "/etc/default/docker", line), 0);
}

/* Parses value, expands it and checks the words. */
static void check_expand(const char *value, const EnvBlock *env, const char *const *want)
{
        _cleanup_(parsed_done) Parsed p = parse(value);
        _cleanup_(expanded_argv_done) ExpandedArgv a = {};
        size_t i;

        ck_assert_msg(p.r == 0 && p.n == 1, "%s", value);
        ck_assert_int_eq(exec_expand(&p.c[0], env, &a), 0);
        for (i = 0; want[i]; i++) {
                ck_assert_msg(i < a.n, "%s: only %zu words", value, a.n);
                ck_assert_msg(streq(a.v[i].text, want[i]), "%s: word %zu is '%s', want '%s'", value, i,
                        a.v[i].text, want[i]);
        }
        ck_assert_msg(a.n == i, "%s: %zu words, want %zu", value, a.n, i);
}

START_TEST(test_expand_table)
{
        _cleanup_(env_block_done) EnvBlock e = {};

        add(&e, "A", "one  two", 1);
        add(&e, "B", "xA", 2);
        add(&e, "E", "", 3);
        add(&e, "Q", "a \"b c\" 'd' e\\ f \\x41", 4);
        add(&e, "K", "b=c", 5);

        /* Whole word: split on whitespace, honouring quotes (and backslash, no C escapes). */
        check_expand("/bin/x $A", &e, ARGV("/bin/x", "one", "two"));
        check_expand("/bin/x $Q", &e, ARGV("/bin/x", "a", "b c", "d", "e f", "x41"));
        /* Unset or empty: the word disappears. */
        check_expand("/bin/x a $UNSET b $E", &e, ARGV("/bin/x", "a", "b"));
        /* Text after the name: the name is "A/x" or "B.conf", never set. */
        check_expand("/bin/x $A/x $B.conf $A-", &e, ARGV("/bin/x"));
        /* Lone "$". */
        check_expand("/bin/x $ y", &e, ARGV("/bin/x", "y"));
        /* ${NAME} in place, one word, "" when unset. */
        check_expand(
                "/bin/x x${A}y ${UNSET} ${E} ${B}${B}", &e, ARGV("/bin/x", "xone  twoy", "", "", "xAxA"));
        /* $NAME not at the start stays literal. */
        check_expand("/bin/x --x=$A a$A", &e, ARGV("/bin/x", "--x=$A", "a$A"));
        /* $$ is a literal "$". */
        check_expand("/bin/x $$A $$ a$$b $${A} $$$", &e, ARGV("/bin/x", "$A", "$", "a$b", "${A}", "$$"));
        /* Extended syntax is not supported; unclosed braces stay. */
        check_expand("/bin/x ${A:-def} ${A ${}", &e, ARGV("/bin/x", "${A:-def}", "${A", ""));
        /* Quoting in the unit file does not protect a "$". */
        check_expand("/bin/x '$A' \"${B}\"", &e, ARGV("/bin/x", "one", "two", "xA"));
        /* ":" turns expansion off. */
        check_expand(":/bin/x $A ${B} $$", &e, ARGV("/bin/x", "$A", "${B}", "$$"));
        /* The program path and argv[0] are kept. */
        check_expand("@/bin/x $A", &e, ARGV("$A"));
        /* strv_env_get_n() matches "NAME=VALUE" text, so "$K=b" finds K="b=c" and gives "c". */
        check_expand("/bin/x $K=b ${K=b}", &e, ARGV("/bin/x", "c", "c"));
}
END_TEST

START_TEST(test_expand_origin)
{
        _cleanup_(env_block_done) EnvBlock e = {};
        _cleanup_(parsed_done) Parsed p = parse("/usr/bin/dockerd -H fd:// $DOCKER_OPTS x${DOCKER_OPTS}");
        _cleanup_(expanded_argv_done) ExpandedArgv a = {};

        /* Debian's docker.service with DOCKER_OPTS from EnvironmentFile=-/etc/default/docker. */
        add(&e, "DOCKER_OPTS", "--dns 8.8.8.8 --label 'a b'", 9);
        ck_assert_int_eq(exec_expand(&p.c[0], &e, &a), 0);
        ck_assert_uint_eq(a.n, 8);
        ck_assert_str_eq(a.v[0].text, "/usr/bin/dockerd");
        ck_assert_str_eq(a.v[2].text, "fd://");
        ck_assert_str_eq(a.v[2].file, "/u/docker.service");
        ck_assert_uint_eq(a.v[2].line, 7);
        ck_assert_str_eq(a.v[3].text, "--dns");
        ck_assert_str_eq(a.v[4].text, "8.8.8.8");
        ck_assert_str_eq(a.v[5].text, "--label");
        ck_assert_str_eq(a.v[6].text, "a b");
        for (size_t i = 3; i < 8; i++) {
                ck_assert_str_eq(a.v[i].file, "/etc/default/docker");
                ck_assert_uint_eq(a.v[i].line, 9);
        }
        ck_assert_str_eq(a.v[7].text, "x--dns 8.8.8.8 --label 'a b'");
        ck_assert_str_eq(a.v[0].file, "/u/docker.service");
        expanded_argv_done(&a);

        /* Missing file or variable: the word vanishes. */
        env_block_done(&e);
        ck_assert_int_eq(exec_expand(&p.c[0], &e, &a), 0);
        ck_assert_uint_eq(a.n, 4);
        ck_assert_str_eq(a.v[3].text, "x");
        ck_assert_str_eq(a.v[3].file, "/u/docker.service");
        expanded_argv_done(&a);
        ck_assert_int_eq(exec_expand(&p.c[0], NULL, &a), 0);
        ck_assert_uint_eq(a.n, 4);
}
END_TEST

/* ---- shell wrappers ---- */

static void unwrap(
        const char *value, const EnvBlock *env, int want_r, const char *const *want, ExpandedArgv *out)
{
        _cleanup_(parsed_done) Parsed p = parse(value);
        _cleanup_(expanded_argv_done) ExpandedArgv a = {};
        ExpandedArgv u = {};
        size_t i;
        int r;

        ck_assert_msg(p.r == 0 && p.n >= 1, "%s: %d %s", value, p.r, strempty(p.error));
        ck_assert_int_eq(exec_expand(&p.c[0], env, &a), 0);
        r = exec_unwrap_shell(&a, env, &u);
        ck_assert_msg(r == want_r, "%s: got %d", value, r);
        if (r == 0) {
                ck_assert_uint_eq(u.n, 0);
                return;
        }
        for (i = 0; want[i]; i++) {
                ck_assert_msg(i < u.n, "%s: only %zu words", value, u.n);
                ck_assert_msg(streq(u.v[i].text, want[i]), "%s: word %zu is '%s', want '%s'", value, i,
                        u.v[i].text, want[i]);
        }
        ck_assert_msg(
                u.n == i, "%s: %zu words, want %zu (extra '%s')", value, u.n, i, u.n > i ? u.v[i].text : "");
        if (out)
                *out = u;
        else
                expanded_argv_done(&u);
}

#define NONE ((const char *const[]){NULL})

START_TEST(test_unwrap_basic)
{
        _cleanup_(env_block_done) EnvBlock e = {};

        add(&e, "A", "one  two", 1);
        add(&e, "Q", "'x y'", 2);
        add(&e, "E", "", 3);

        unwrap("/bin/sh -c 'dockerd $A'", &e, 1, ARGV("dockerd", "one", "two"), NULL);
        unwrap("/usr/bin/bash -c \"dockerd \\\"$A\\\" ${A}\"", &e, 1,
                ARGV("dockerd", "one  two", "one", "two"), NULL);
        unwrap("sh -c 'dockerd $Q'", &e, 1, ARGV("dockerd", "'x", "y'"), NULL);
        unwrap("/bin/dash -ec 'dockerd '\"'\"'$A'\"'\"' \\$A'", &e, 1, ARGV("dockerd", "$A", "$A"), NULL);
        /* Field splitting mid-word, empty expansions, empty quoted words. */
        unwrap("/bin/sh -c 'd x$A $E \"\" \"$E\" y$E'", &e, 1, ARGV("d", "xone", "two", "", "", "y"), NULL);
        /* Operators end the first command; redirections are skipped with their target. */
        unwrap("/bin/sh -c 'd a 2>&1 b >/tmp/log c <in >>x 2> err | tee'", &e, 1, ARGV("d", "a", "b", "c"),
                NULL);
        unwrap("/bin/sh -c 'd a&&b'", &e, 1, ARGV("d", "a"), NULL);
        unwrap("/bin/sh -c 'd a||b'", &e, 1, ARGV("d", "a"), NULL);
        unwrap("/bin/sh -c 'd a;b'", &e, 1, ARGV("d", "a"), NULL);
        unwrap("/bin/sh -c 'd a & b'", &e, 1, ARGV("d", "a"), NULL);
        unwrap("/bin/bash -c 'd a &>/dev/null b'", &e, 1, ARGV("d", "a", "b"), NULL);
        unwrap("/bin/sh -c 'd # comment'", &e, 1, ARGV("d"), NULL);
        /* Assignment-only commands are applied, "exec" is dropped. */
        unwrap("/bin/sh -c 'B=\"$A x\"; exec dockerd $B'", &e, 1, ARGV("dockerd", "one", "two", "x"), NULL);
        unwrap("/bin/sh -c 'C=1 dockerd $C'", &e, 1, ARGV("dockerd"), NULL);
        /* Parameter forms. systemd replaces "${#A}" (no such variable) before the shell runs;
         * "${A:-x}" has a ':' so systemd leaves it to the shell; "$$" passes a "$" through. */
        unwrap("/bin/sh -c 'd ${U:-def} ${A:+set} ${U:+no} ${#A} $${#A} $1 $0' name p1", &e, 1,
                ARGV("d", "def", "set", "8", "p1", "name"), NULL);
        /* Only a pipe with nothing before it: empty. */
        unwrap("/bin/sh -c '2>&1 | x'", &e, 1, NONE, NULL);
        /* Not wrappers. */
        unwrap("/bin/sh /usr/bin/start-docker.sh", &e, 0, NULL, NULL);
        unwrap("/usr/bin/dockerd -c x", &e, 0, NULL, NULL);
        unwrap("/bin/sh -c", &e, 0, NULL, NULL);
        unwrap("/bin/sh -c 'dockerd \"x'", &e, 0, NULL, NULL);
        unwrap("/bin/sh -o pipefail -c 'dockerd x'", &e, 1, ARGV("dockerd", "x"), NULL);
}
END_TEST

START_TEST(test_unwrap_origin)
{
        _cleanup_(env_block_done) EnvBlock e = {};
        _cleanup_(expanded_argv_done) ExpandedArgv u = {};

        add(&e, "A", "one two", 4);
        unwrap("/bin/sh -c 'dockerd $A \"$A\" x'", &e, 1, ARGV("dockerd", "one", "two", "one two", "x"), &u);
        ck_assert_str_eq(u.v[0].file, "/u/docker.service");
        ck_assert_uint_eq(u.v[0].line, 7);
        for (size_t i = 1; i < 4; i++) {
                ck_assert_str_eq(u.v[i].file, "/etc/default/docker");
                ck_assert_uint_eq(u.v[i].line, 4);
        }
        ck_assert_uint_eq(u.v[4].line, 7);
}
END_TEST

/* ---- real units ---- */

/* Reads the n-th value of key from a unit file, joining continuation lines like systemd
 * (1.3: the final backslash becomes a space, the next line is appended as it is). */
static char *unit_value(const char *name, const char *key, unsigned *ret_line)
{
        _cleanup_free_ char *path = strdupf("%s/units/%s", FIXTURES, name), *data = NULL;
        _cleanup_sb_ StrBuf b = {};
        size_t klen = strlen(key);
        unsigned line = 0;
        bool in = false;

        ck_assert_int_eq(read_full_file(path, &data, NULL), 0);
        for (char *l = data, *next; l && *l; l = next) {
                size_t n;

                next = strchr(l, '\n');
                if (next)
                        *next++ = 0;
                line++;
                if (!in) {
                        if (strncmp(l, key, klen) != 0 || l[klen] != '=')
                                continue;
                        *ret_line = line;
                        l += klen + 1;
                        in = true;
                }
                n = strlen(l);
                if (n > 0 && l[n - 1] == '\\') {
                        ck_assert_int_eq(sb_append_len(&b, l, n - 1), 0);
                        ck_assert_int_eq(sb_putc(&b, ' '), 0);
                        continue;
                }
                ck_assert_int_eq(sb_append(&b, l), 0);
                break;
        }
        ck_assert(in);
        return strstrip(sb_steal(&b));
}

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

START_TEST(test_real_centos_1_13)
{
        _cleanup_(env_block_done) EnvBlock e = {};
        _cleanup_(expanded_argv_done) ExpandedArgv a = {}, u = {};
        unsigned line = 0;
        _cleanup_free_ char *v =
                unit_value("centos-virt7-docker-2-1.13.1-2-docker.service", "ExecStart", &line);
        _cleanup_(parsed_done) Parsed p = parse(v);
        const char *sc = FIXTURES "/sysconfig/centos-virt7-docker-2-1.13.1-2-etc-sysconfig-docker";

        ck_assert_uint_eq(line, 14);
        ck_assert_int_eq(p.r, 0);
        ck_assert_uint_eq(p.n, 1);
        check_argv(
                p.c[0].argv, ARGV("/usr/bin/dockerd-current", "--add-runtime",
                                     "oci=/usr/libexec/docker/docker-runc-current", "--default-runtime=oci",
                                     "--authorization-plugin=rhel-push-plugin", "--containerd",
                                     "/run/containerd.sock", "--exec-opt", "native.cgroupdriver=systemd",
                                     "--userland-proxy-path=/usr/libexec/docker/docker-proxy-current",
                                     "--init-path=/usr/libexec/docker/docker-init-current", "$OPTIONS",
                                     "$DOCKER_STORAGE_OPTIONS", "$DOCKER_NETWORK_OPTIONS", "$ADD_REGISTRY",
                                     "$BLOCK_REGISTRY", "$INSECURE_REGISTRY"));

        /* /etc/sysconfig/docker of the same package: OPTIONS (line 4), ADD_REGISTRY (line 13). */
        ck_assert_int_eq(env_block_set(&e, "OPTIONS", "--selinux-enabled --log-driver=journald", sc, 4), 0);
        ck_assert_int_eq(
                env_block_set(&e, "ADD_REGISTRY", "--add-registry registry.access.redhat.com", sc, 13), 0);
        ck_assert_int_eq(exec_expand(&p.c[0], &e, &a), 0);
        ck_assert_uint_eq(a.n, 15);
        ck_assert_str_eq(a.v[11].text, "--selinux-enabled");
        ck_assert_str_eq(a.v[12].text, "--log-driver=journald");
        ck_assert_uint_eq(a.v[12].line, 4);
        ck_assert_str_eq(a.v[12].file, sc);
        ck_assert_str_eq(a.v[13].text, "--add-registry");
        ck_assert_str_eq(a.v[14].text, "registry.access.redhat.com");
        ck_assert_uint_eq(a.v[14].line, 13);
        ck_assert_str_eq(a.v[10].file, "/u/docker.service");
        /* Not a shell wrapper. */
        ck_assert_int_eq(exec_unwrap_shell(&a, &e, &u), 0);
}
END_TEST

START_TEST(test_real_centos_sh_wrapper)
{
        _cleanup_(env_block_done) EnvBlock e = {};
        _cleanup_(expanded_argv_done) ExpandedArgv a = {}, u = {};
        unsigned line = 0;
        _cleanup_free_ char *v =
                unit_value("centos-virt7-docker-b0619e3-docker.service", "ExecStart", &line);
        _cleanup_(parsed_done) Parsed p = parse(v);
        const char *sc = "/etc/sysconfig/docker";

        ck_assert_int_eq(p.r, 0);
        ck_assert_uint_eq(p.n, 1);
        ck_assert_str_eq(p.c[0].path, "/bin/sh");
        ck_assert_uint_eq(strv_length(p.c[0].argv), 3);
        ck_assert_str_eq(p.c[0].argv[1], "-c");
        ck_assert(startswith(p.c[0].argv[2], "/usr/bin/docker daemon $OPTIONS "));
        ck_assert(endswith(p.c[0].argv[2], " 2>&1 | /usr/bin/forward-journald -tag docker"));

        ck_assert_int_eq(env_block_set(&e, "OPTIONS", "--selinux-enabled --log-driver=journald", sc, 4), 0);
        ck_assert_int_eq(env_block_set(&e, "DOCKER_STORAGE_OPTIONS", "--storage-driver overlay2",
                                 "/etc/sysconfig/docker-storage", 1),
                0);
        ck_assert_int_eq(
                env_block_set(&e, "ADD_REGISTRY", "--add-registry registry.access.redhat.com", sc, 13), 0);
        ck_assert_int_eq(exec_expand(&p.c[0], &e, &a), 0);
        /* $OPTIONS sits inside the quoted script: systemd leaves it to the shell. */
        ck_assert_uint_eq(a.n, 3);
        ck_assert_ptr_nonnull(strstr(a.v[2].text, "$OPTIONS"));

        ck_assert_int_eq(exec_unwrap_shell(&a, &e, &u), 1);
        ck_assert_uint_eq(u.n, 8);
        ck_assert_str_eq(u.v[0].text, "/usr/bin/docker");
        ck_assert_str_eq(u.v[1].text, "daemon");
        ck_assert_str_eq(u.v[2].text, "--selinux-enabled");
        ck_assert_str_eq(u.v[3].text, "--log-driver=journald");
        ck_assert_str_eq(u.v[4].text, "--storage-driver");
        ck_assert_str_eq(u.v[5].text, "overlay2");
        ck_assert_str_eq(u.v[6].text, "--add-registry");
        ck_assert_str_eq(u.v[7].text, "registry.access.redhat.com");
        ck_assert_str_eq(u.v[3].file, sc);
        ck_assert_uint_eq(u.v[3].line, 4);
        ck_assert_str_eq(u.v[5].file, "/etc/sysconfig/docker-storage");
        ck_assert_uint_eq(u.v[7].line, 13);
        ck_assert_str_eq(u.v[1].file, "/u/docker.service");
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("execwords");
        TCase *load = tcase_create("load"), *exec = tcase_create("exec"), *real = tcase_create("real");

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
        tcase_add_test(exec, test_expand_table);
        tcase_add_test(exec, test_expand_origin);
        tcase_add_test(exec, test_unwrap_basic);
        tcase_add_test(exec, test_unwrap_origin);
        tcase_add_test(real, test_real_units);
        tcase_add_test(real, test_real_rootless_template);
        tcase_add_test(real, test_real_centos_1_13);
        tcase_add_test(real, test_real_centos_sh_wrapper);
        suite_add_tcase(s, load);
        suite_add_tcase(s, exec);
        suite_add_tcase(s, real);
        return s;
}

int main(void)
{
        return check_run(suite());
}
