/* SPDX-License-Identifier: MIT */
/* Looking through shell wrappers ("/bin/sh -c '...'", src/systemd/exec-shell.c): words,
 * quotes, parameters, operators and redirections of the script's first command, with the
 * origin of every word, and the CentOS unit that wraps dockerd in sh -c (tests/fixtures). */
#include <check.h>

#include "check-run.h"

#include "exec-test-util.h"

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
        /* Only a pipe with nothing before it: the next stage is the script's command. */
        unwrap("/bin/sh -c '2>&1 | x'", &e, 1, ARGV("x"), NULL);
        unwrap("/bin/sh -c '2>&1'", &e, 1, NONE, NULL);
        /* The command that runs the daemon, wherever it is in the script (issue 9: "set -e"
         * was taken for dockerd); else the first command. */
        unwrap("/bin/sh -c 'set -e; mkdir -p /run/x; exec /usr/bin/dockerd --live-restore'", &e, 1,
                ARGV("/usr/bin/dockerd", "--live-restore"), NULL);
        unwrap("/bin/sh -c 'echo start | logger\n/usr/bin/dockerd-current $A 2>&1 | logger'", &e, 1,
                ARGV("/usr/bin/dockerd-current", "one", "two"), NULL);
        unwrap("/bin/sh -c 'test -d /x && docker daemon -D'", &e, 1, ARGV("docker", "daemon", "-D"), NULL);
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

/* Shells inside shells, as wrappers are written in the wild: each level is looked through
 * (issue 9: only the first was, so "--live-restore" two levels down was never seen). */
START_TEST(test_unwrap_nested)
{
        _cleanup_(env_block_done) EnvBlock e = {};

        add(&e, "OPTS", "--debug --live-restore", 1);
        unwrap("/bin/sh -c \"exec /bin/sh -c '/usr/bin/dockerd -H fd:// --live-restore'\"", &e, 1,
                ARGV("/usr/bin/dockerd", "-H", "fd://", "--live-restore"), NULL);
        /* bash around sh, the inner one piping into logger. */
        unwrap("/bin/bash -c \"exec /bin/sh -ec 'exec /usr/bin/dockerd --live-restore 2>&1 | logger -t "
               "docker'\"",
                &e, 1, ARGV("/usr/bin/dockerd", "--live-restore"), NULL);
        /* Three levels, the innermost expanding the service's environment. */
        unwrap("/bin/sh -c \"exec sh -c 'exec bash -c \\\"dockerd \\\\$OPTS\\\"'\"", &e, 1,
                ARGV("dockerd", "--debug", "--live-restore"), NULL);
        /* An inner script the shell would refuse stops at the level that runs it. */
        unwrap("/bin/sh -c \"exec /bin/sh -c 'dockerd \\\"x'\"", &e, 1, ARGV("/bin/sh", "-c", "dockerd \"x"),
                NULL);
}
END_TEST

/* Built from the inside out: depth levels of "exec sh -c '...'" around dockerd. */
static char *nested_script(unsigned depth)
{
        _cleanup_free_ char *s = strdup("dockerd --live-restore");

        for (unsigned i = 0; s && i < depth; i++) {
                _cleanup_free_ char *q = NULL;
                size_t n = 0;

                /* Single-quote s: each ' becomes '\''. */
                q = malloc(strlen(s) * 4 + 3);
                if (!q)
                        return NULL;
                q[n++] = '\'';
                for (const char *c = s; *c; c++)
                        if (*c == '\'') {
                                memcpy(q + n, "'\\''", 4);
                                n += 4;
                        } else
                                q[n++] = *c;
                q[n++] = '\'';
                q[n] = 0;
                free(s);
                s = strdupf("exec sh -c %s", q);
        }
        return TAKE_PTR(s);
}

START_TEST(test_unwrap_depth_limit)
{
        _cleanup_(env_block_done) EnvBlock e = {};

        for (unsigned depth = 0; depth <= EXEC_SHELL_MAX_DEPTH; depth++) {
                _cleanup_free_ char *script = nested_script(depth);
                _cleanup_(expanded_argv_done) ExpandedArgv u = {};
                ExpandedWord w[] = {{.text = (char *) "/bin/sh"}, {.text = (char *) "-c"}, {.text = script}};
                ExpandedArgv a = {w, 3};
                int r = exec_unwrap_shell(&a, &e, &u);

                ck_assert_ptr_nonnull(script);
                if (depth + 1 <= EXEC_SHELL_MAX_DEPTH) {
                        ck_assert_msg(r == 1, "depth %u: %d", depth + 1, r);
                        ck_assert_uint_eq(u.n, 2);
                        ck_assert_str_eq(u.v[0].text, "dockerd");
                        ck_assert_str_eq(u.v[1].text, "--live-restore");
                } else
                        ck_assert_msg(r == -ELOOP, "depth %u: %d", depth + 1, r);
        }
        /* A script that runs itself again: bounded, not a pass. */
        {
                _cleanup_(expanded_argv_done) ExpandedArgv u = {};
                const char *self = "exec sh -c \"$0\" \"$0\"";
                ExpandedWord w[] = {{.text = (char *) "/bin/sh"}, {.text = (char *) "-c"},
                        {.text = (char *) self}, {.text = (char *) self}};
                ExpandedArgv a = {w, 4};

                ck_assert_int_eq(exec_unwrap_shell(&a, &e, &u), -ELOOP);
        }
}
END_TEST

/* ---- real units ---- */

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
        Suite *s = suite_create("exec-shell");
        TCase *exec = tcase_create("exec"), *real = tcase_create("real");

        tcase_add_test(exec, test_unwrap_basic);
        tcase_add_test(exec, test_unwrap_origin);
        tcase_add_test(exec, test_unwrap_nested);
        tcase_add_test(exec, test_unwrap_depth_limit);
        tcase_add_test(real, test_real_centos_sh_wrapper);
        suite_add_tcase(s, exec);
        suite_add_tcase(s, real);
        return s;
}

int main(void)
{
        return check_run(suite());
}
