/* SPDX-License-Identifier: MIT */
/* unified_diff() against the real `diff -u` (and `patch`), run here in the test only. */
#include <check.h>

#include "check-run.h"
#include <sys/stat.h>

#include "basic/diff.h"

static char dir[] = "/tmp/check-diff-XXXXXX";

static void setup(void)
{
        ck_assert_ptr_nonnull(mkdtemp(strcpy(dir, "/tmp/check-diff-XXXXXX")));
}

static void teardown(void)
{
        const char *names[] = {"A", "B", "P", "OUT"};
        for (size_t i = 0; i < ELEMENTSOF(names); i++) {
                _cleanup_free_ char *p = strdupf("%s/%s", dir, names[i]);
                unlink(p);
        }
        rmdir(dir);
}

static void write_file(const char *name, const char *s)
{
        _cleanup_free_ char *p = strdupf("%s/%s", dir, name);
        FILE *f = fopen(p, "we");
        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(fputs(s, f) >= 0 || !*s, 1);
        ck_assert_int_eq(fclose(f), 0);
}

static char *run(const char *cmd)
{
        _cleanup_sb_ StrBuf o = {};
        char buf[4096];
        size_t k;
        FILE *p = popen(cmd, "re");

        ck_assert_ptr_nonnull(p);
        while ((k = fread(buf, 1, sizeof buf, p)) > 0)
                ck_assert_int_eq(sb_append_len(&o, buf, k), 0);
        int st = pclose(p);
        ck_assert_int_ne(st, -1);
        return sb_steal(&o);
}

/* GNU diff's output for the same pair (old NULL: a new file, compared with /dev/null). */
static char *gnu_diff(const char *old, const char *new)
{
        _cleanup_free_ char *cmd = NULL;

        write_file("B", new);
        if (old) {
                write_file("A", old);
                cmd = strdupf("LC_ALL=C diff -u --label a --label b %s/A %s/B", dir, dir);
        } else
                cmd = strdupf("LC_ALL=C diff -u --label /dev/null --label b /dev/null %s/B", dir);
        return run(cmd);
}

static void assert_same_as_gnu(const char *old, const char *new)
{
        _cleanup_free_ char *want = gnu_diff(old, new), *got = NULL;
        ck_assert_int_eq(unified_diff("a", old, "b", new, &got), 0);
        ck_assert_str_eq(got, want);
}

/* Our diff, applied with patch(1) to old, gives new. */
static void assert_patch_applies(const char *old, const char *new, const char *d)
{
        _cleanup_free_ char *cmd = NULL, *out = NULL, *res = NULL, *outp = NULL;

        if (!*d) {
                ck_assert_str_eq(old, new);
                return;
        }
        write_file("A", old);
        write_file("P", d);
        outp = strdupf("%s/OUT", dir);
        unlink(outp);
        cmd = strdupf("patch -s -o %s %s/A < %s/P 2>&1", outp, dir, dir);
        out = run(cmd);
        ck_assert_msg(streq(out, ""), "patch said: %s\n%s", out, d);
        ck_assert_int_eq(read_full_file(outp, &res, NULL), 0);
        ck_assert_str_eq(res, new);
}

static unsigned count_changes(const char *d)
{
        unsigned n = 0;
        bool header = true;
        for (const char *p = d; *p;) {
                if (startswith(p, "@@"))
                        header = false;
                else if (!header && (*p == '-' || *p == '+'))
                        n++;
                p = strchrnul(p, '\n');
                if (*p)
                        p++;
        }
        return n;
}

START_TEST(test_equal)
{
        _cleanup_free_ char *d = NULL, *d2 = NULL, *d3 = NULL;
        ck_assert_int_eq(unified_diff("a", "x\ny\n", "b", "x\ny\n", &d), 0);
        ck_assert_str_eq(d, "");
        ck_assert_int_eq(unified_diff("a", NULL, "b", NULL, &d2), 0);
        ck_assert_str_eq(d2, "");
        ck_assert_int_eq(unified_diff("a", NULL, "b", "", &d3), 0); /* new empty file */
        ck_assert_str_eq(d3, "");
}
END_TEST

START_TEST(test_simple_cases)
{
        assert_same_as_gnu("a\nb\nc\n", "a\nB\nc\n");
        assert_same_as_gnu("a\nb\nc\n", "a\nc\n");
        assert_same_as_gnu("a\nc\n", "a\nb\nc\n");
        assert_same_as_gnu("", "x\n");
        assert_same_as_gnu("x\n", "");
        assert_same_as_gnu("one\n", "two\n");
        /* Hunk merging: 6 unchanged lines between changes merge, 7 do not. */
        assert_same_as_gnu("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n",
                "1\nX\n3\n4\n5\n6\n7\n8\nY\n10\n11\n12\n13\n14\n15\n16\n");
        assert_same_as_gnu("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n",
                "1\nX\n3\n4\n5\n6\n7\n8\n9\nY\n11\n12\n13\n14\n15\n16\n");
        /* Ambiguous runs: GNU slides them down (shift_boundaries). */
        assert_same_as_gnu("a\nb\nb\nc\n", "a\nb\nc\n");
        assert_same_as_gnu("a\nb\nc\n", "a\nb\nb\nb\nc\n");
        assert_same_as_gnu("[Service]\nA=1\n\n[Service]\nA=1\n", "[Service]\nA=1\n");
}
END_TEST

START_TEST(test_no_newline)
{
        assert_same_as_gnu("a\nb", "a\nb\n");
        assert_same_as_gnu("a\nb\n", "a\nb");
        assert_same_as_gnu("a\nb", "a\nc");
        assert_same_as_gnu("x\na\nb", "y\na\nb");
        assert_same_as_gnu("1\n2\n3\n4\n5\n6\n7\n8\nlast", "1\nX\n3\n4\n5\n6\n7\n8\nlast");
        assert_same_as_gnu(NULL, "no newline");
        assert_same_as_gnu("only", "");
}
END_TEST

START_TEST(test_new_file)
{
        _cleanup_free_ char *d = NULL;
        assert_same_as_gnu(NULL, "[Service]\nMountFlags=shared\n");
        ck_assert_int_eq(unified_diff("a", NULL, "/etc/x.conf", "l1\nl2\n", &d), 0);
        ck_assert_str_eq(d, "--- /dev/null\n+++ /etc/x.conf\n@@ -0,0 +1,2 @@\n+l1\n+l2\n");
        free(d);
        ck_assert_int_eq(unified_diff("/etc/x.conf", "l1\n", "b", NULL, &d), 0);
        ck_assert_str_eq(d, "--- /etc/x.conf\n+++ /dev/null\n@@ -1 +0,0 @@\n-l1\n");
}
END_TEST

/* A real unit file and a real daemon.json, edited the way `dockaudit fix` would. */
START_TEST(test_real_files)
{
        _cleanup_free_ char *unit = NULL, *json = NULL, *u2 = NULL, *j2 = NULL;
        ck_assert_int_eq(
                read_full_file(FIXTURES "/units/docker-ce-packaging-20.10-docker.service", &unit, NULL), 0);
        ck_assert_int_eq(read_full_file(FIXTURES "/daemon-json/amazon-eks-ami-dedf096-docker-daemon.json",
                                 &json, NULL),
                0);

        /* Insert a line after [Service], drop the [Install] section. */
        const char *svc = strstr(unit, "[Service]\n");
        const char *inst = strstr(unit, "[Install]");
        ck_assert_ptr_nonnull(svc);
        ck_assert_ptr_nonnull(inst);
        u2 = strdupf("%.*sMountFlags=slave\n%.*s", (int) (svc + 10 - unit), unit, (int) (inst - svc - 10),
                svc + 10);
        assert_same_as_gnu(unit, u2);
        assert_same_as_gnu(u2, unit);

        const char *lr = strstr(json, "true");
        j2 = strdupf("%.*sfalse%s", (int) (lr - json), json, lr + 4);
        assert_same_as_gnu(json, j2);
        assert_same_as_gnu(NULL, json);
}
END_TEST

static char *random_text(unsigned *seed)
{
        static const char *words[] = {"a", "b", "c", "[Service]", "MountFlags=slave", ""};
        _cleanup_sb_ StrBuf b = {};
        int n = rand_r(seed) % 14;
        for (int i = 0; i < n; i++) {
                ck_assert_int_eq(sb_append(&b, words[rand_r(seed) % ELEMENTSOF(words)]), 0);
                if (i < n - 1 || rand_r(seed) % 5)
                        ck_assert_int_eq(sb_putc(&b, '\n'), 0);
        }
        return sb_steal(&b);
}

/* Random small inputs from few distinct lines: many equally short diffs exist. Ours must
 * apply with patch(1) and be no longer than GNU's (most are byte-identical, not all: GNU
 * picks among equal-cost alignments with its own search). */
START_TEST(test_random_against_gnu)
{
        unsigned seed = 12345, identical = 0, total = 120;
        for (unsigned i = 0; i < total; i++) {
                _cleanup_free_ char *a = random_text(&seed), *b = random_text(&seed), *mine = NULL,
                                    *gnu = NULL;
                gnu = gnu_diff(a, b);
                ck_assert_int_eq(unified_diff("a", a, "b", b, &mine), 0);
                ck_assert_uint_le(count_changes(mine), count_changes(gnu));
                if (streq(mine, gnu))
                        identical++;
                else /* spawning is slow: only check by patch(1) what GNU's output does not vouch for */
                        assert_patch_applies(a, b, mine);
        }
        ck_assert_uint_ge(identical, total * 8 / 10);
}
END_TEST

/* Past the edit-distance cap: still a correct diff, fast. */
START_TEST(test_large)
{
        _cleanup_sb_ StrBuf a = {}, b = {};
        _cleanup_free_ char *sa = NULL, *sb = NULL, *d = NULL;
        for (int i = 0; i < 6000; i++) {
                ck_assert_int_eq(sb_printf(&a, "line %d\n", i), 0);
                ck_assert_int_eq(sb_printf(&b, i % 3 ? "line %d\n" : "other %d\n", i % 5 ? i : -i), 0);
        }
        sa = sb_steal(&a);
        sb = sb_steal(&b);
        ck_assert_int_eq(unified_diff("a", sa, "b", sb, &d), 0);
        assert_patch_applies(sa, sb, d);
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("diff");
        TCase *tc = tcase_create("core");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_set_timeout(tc, 120);
        tcase_add_test(tc, test_equal);
        tcase_add_test(tc, test_simple_cases);
        tcase_add_test(tc, test_no_newline);
        tcase_add_test(tc, test_new_file);
        tcase_add_test(tc, test_real_files);
        tcase_add_test(tc, test_random_against_gnu);
        tcase_add_test(tc, test_large);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
