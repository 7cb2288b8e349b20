/* SPDX-License-Identifier: MIT */
/* $VAR / ${VAR} expansion at exec time (src/systemd/exec-expand.c; systemd-reference.md 3.4),
 * with the origin of every word, on examples observed on systemd 252 and on a real unit with
 * its /etc/sysconfig/docker (tests/fixtures). */
#include <check.h>

#include "check-run.h"

#include "exec-test-util.h"

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

/* ---- real units ---- */

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

static Suite *suite(void)
{
        Suite *s = suite_create("exec-expand");
        TCase *exec = tcase_create("exec"), *real = tcase_create("real");

        tcase_add_test(exec, test_expand_table);
        tcase_add_test(exec, test_expand_origin);
        tcase_add_test(real, test_real_centos_1_13);
        suite_add_tcase(s, exec);
        suite_add_tcase(s, real);
        return s;
}

int main(void)
{
        return check_run(suite());
}
