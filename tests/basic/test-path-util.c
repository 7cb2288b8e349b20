/* SPDX-License-Identifier: MIT */
/* Paths as strings (src/basic/path-util.c): the answers of systemd v252's path_simplify(),
 * path_is_valid(), path_is_normalized() and filename_is_valid() on their edge cases, GNU
 * basename(), and the lexical ".." resolution of the offline unit lookup. */
#include <check.h>

#include "check-run.h"
#include <limits.h>

#include "basic/path-util.h"
#include "basic/util.h"

/* A path of exactly len bytes: "/" + 255 'a's, repeated, cut at len. */
static char *long_path(size_t len)
{
        char *p = malloc(len + 1);

        ck_assert_ptr_nonnull(p);
        for (size_t i = 0; i < len; i++)
                p[i] = i % (NAME_MAX + 1) == 0 ? '/' : 'a';
        p[len] = 0;
        return p;
}

/* A component of n 'x's after a leading '/' (or alone with slash false). */
static char *long_name(size_t n, bool slash)
{
        char *p = malloc(n + 2);

        ck_assert_ptr_nonnull(p);
        p[0] = '/';
        memset(p + 1, 'x', n);
        p[n + 1] = 0;
        if (!slash)
                memmove(p, p + 1, n + 1);
        return p;
}

static void check_simplify(const char *in, const char *want)
{
        _cleanup_free_ char *p = strdup(in);

        ck_assert_ptr_nonnull(p);
        ck_assert_ptr_eq(path_simplify(p), p);
        ck_assert_msg(streq(p, want), "path_simplify(\"%s\") = \"%s\", want \"%s\"", in, p, want);
}

START_TEST(test_path_simplify)
{
        check_simplify("", "");
        check_simplify("/", "/");
        check_simplify("//a//b/", "/a/b");
        check_simplify("a/../b", "a/../b");
        check_simplify("/./", "/");
        check_simplify("///./.", "/");
        check_simplify(".", ".");
        check_simplify("./", ".");
        check_simplify("./.", ".");
        check_simplify(".//./a/b/.", "a/b");
        check_simplify("/usr/bin/", "/usr/bin");
        check_simplify("aaa/bbb////ccc", "aaa/bbb/ccc");
        /* ".." is never resolved, only the "." and "//" around it go. */
        check_simplify("////.././///../.", "/../..");
        check_simplify("/aaa/./bbb/../././ccc", "/aaa/bbb/../ccc");
        check_simplify("/usr/../bin/.//x/.", "/usr/../bin/x");
        check_simplify(".../a./.b", ".../a./.b");
}
END_TEST

START_TEST(test_path_simplify_long)
{
        _cleanup_free_ char *comp = long_name(NAME_MAX + 1, true);
        _cleanup_free_ char *in = strdupf("/a//%s//./b/", comp + 1);
        _cleanup_free_ char *want = strdupf("/a/%s/b", comp + 1);
        _cleanup_free_ char *big = long_path(PATH_MAX + 10);

        /* Over NAME_MAX: we go on simplifying (systemd copies the rest as it is); every caller
         * rejects such a path with path_is_valid(). */
        check_simplify(in, want);
        ck_assert(!path_is_valid(want));
        /* Length is no limit for simplifying: a normal path stays as it is. */
        check_simplify(big, big);
}
END_TEST

START_TEST(test_path_is_valid)
{
        _cleanup_free_ char *at_limit = long_path(PATH_MAX - 1), *over = long_path(PATH_MAX);
        _cleanup_free_ char *c255 = long_name(NAME_MAX, true), *c256 = long_name(NAME_MAX + 1, true);
        _cleanup_free_ char *slashes = malloc(PATH_MAX);

        ck_assert(!path_is_valid(NULL));
        ck_assert(!path_is_valid(""));
        ck_assert(path_is_valid("/"));
        ck_assert(path_is_valid("//a//b/"));
        ck_assert(path_is_valid("a/../b"));
        ck_assert(path_is_valid("/./"));
        ck_assert(path_is_valid(".."));
        ck_assert(path_is_valid("a/"));
        /* PATH_MAX counts the NUL: 4095 bytes are fine, 4096 are not. */
        ck_assert_uint_eq(strlen(at_limit), PATH_MAX - 1);
        ck_assert(path_is_valid(at_limit));
        ck_assert(!path_is_valid(over));
        /* A component may have NAME_MAX bytes, not one more, also in the middle. */
        ck_assert(path_is_valid(c255));
        ck_assert(path_is_valid(c255 + 1));
        ck_assert(!path_is_valid(c256));
        ck_assert(!path_is_valid(c256 + 1));
        {
                _cleanup_free_ char *mid = strdupf("/a%s/b", c256);
                ck_assert(!path_is_valid(mid));
        }
        /* Only slashes: no component at all. */
        ck_assert_ptr_nonnull(slashes);
        memset(slashes, '/', PATH_MAX - 1);
        slashes[PATH_MAX - 1] = 0;
        ck_assert(path_is_valid(slashes));
}
END_TEST

START_TEST(test_path_is_normalized)
{
        _cleanup_free_ char *at_limit = long_path(PATH_MAX - 1), *over = long_path(PATH_MAX);
        _cleanup_free_ char *c256 = long_name(NAME_MAX + 1, true);

        ck_assert(!path_is_normalized(NULL));
        ck_assert(!path_is_normalized(""));
        ck_assert(path_is_normalized("/"));
        ck_assert(path_is_normalized("/a/b"));
        ck_assert(path_is_normalized("a/b"));
        ck_assert(path_is_normalized("/a/")); /* a trailing slash is allowed */
        ck_assert(path_is_normalized(".../.a/a."));
        ck_assert(!path_is_normalized("//a//b/"));
        ck_assert(!path_is_normalized("/a//b"));
        ck_assert(!path_is_normalized("a/../b"));
        ck_assert(!path_is_normalized("/.."));
        ck_assert(!path_is_normalized(".."));
        ck_assert(!path_is_normalized("/./"));
        ck_assert(!path_is_normalized("."));
        ck_assert(!path_is_normalized("./a"));
        ck_assert(!path_is_normalized("/a/."));
        ck_assert(!path_is_normalized("/a/./b"));
        ck_assert(path_is_normalized(at_limit));
        ck_assert(!path_is_normalized(over));
        ck_assert(!path_is_normalized(c256));
}
END_TEST

START_TEST(test_filename_is_valid)
{
        _cleanup_free_ char *n255 = long_name(NAME_MAX, false), *n256 = long_name(NAME_MAX + 1, false);

        ck_assert(!filename_is_valid(NULL));
        ck_assert(!filename_is_valid(""));
        ck_assert(!filename_is_valid("/"));
        ck_assert(!filename_is_valid("."));
        ck_assert(!filename_is_valid(".."));
        ck_assert(!filename_is_valid("a/b"));
        ck_assert(!filename_is_valid("a/"));
        ck_assert(!filename_is_valid("/a"));
        ck_assert(filename_is_valid("..."));
        ck_assert(filename_is_valid(".a"));
        ck_assert(filename_is_valid("dockerd"));
        ck_assert_uint_eq(strlen(n255), NAME_MAX);
        ck_assert(filename_is_valid(n255));
        ck_assert(!filename_is_valid(n256));
}
END_TEST

START_TEST(test_path_basename)
{
        const char *p = "/usr/lib/systemd/system/docker.service";

        ck_assert_str_eq(path_basename(p), "docker.service");
        ck_assert_ptr_eq(path_basename(p), p + strlen("/usr/lib/systemd/system/"));
        ck_assert_str_eq(path_basename("docker.service"), "docker.service");
        ck_assert_str_eq(path_basename("/a/"), "");
        ck_assert_str_eq(path_basename("/"), "");
        ck_assert_str_eq(path_basename(""), "");
        ck_assert_str_eq(path_basename("a/.."), "..");
}
END_TEST

static void check_resolve(const char *in, const char *want)
{
        _cleanup_free_ char *p = path_resolve_lexically(in);

        ck_assert_ptr_nonnull(p);
        ck_assert_msg(streq(p, want), "path_resolve_lexically(\"%s\") = \"%s\", want \"%s\"", in, p, want);
}

START_TEST(test_path_resolve_lexically)
{
        _cleanup_free_ char *big = long_path(PATH_MAX + 10);

        check_resolve("", "/");
        check_resolve("/", "/");
        check_resolve("//a//b/", "/a/b");
        check_resolve("/./", "/");
        check_resolve("a/../b", "/b");
        check_resolve("a", "/a");
        check_resolve("a/./b/", "/a/b");
        /* Never above "/". */
        check_resolve("/..", "/");
        check_resolve("/../..", "/");
        check_resolve("/a/../../b", "/b");
        check_resolve("/a/b/..", "/a");
        check_resolve("/a/b/../..", "/");
        /* A unit link's target as the lookup joins it: DIR/TARGET. */
        check_resolve("/etc/systemd/system/../../../lib/systemd/system/docker.service",
                "/lib/systemd/system/docker.service");
        check_resolve("/etc/systemd/system/./docker.service", "/etc/systemd/system/docker.service");
        check_resolve("/a/.../b/..x", "/a/.../b/..x");
        check_resolve(big, big);
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("path-util");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_path_simplify);
        tcase_add_test(tc, test_path_simplify_long);
        tcase_add_test(tc, test_path_is_valid);
        tcase_add_test(tc, test_path_is_normalized);
        tcase_add_test(tc, test_filename_is_valid);
        tcase_add_test(tc, test_path_basename);
        tcase_add_test(tc, test_path_resolve_lexically);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
