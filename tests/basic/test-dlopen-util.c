/* SPDX-License-Identifier: MIT */
/* dlopen_symbols() against libc.so.6 (always there): its symbols resolve and work; a missing
 * symbol and a missing library fail with the error the header names, the message naming the
 * library, the symbol and dlerror()'s reason, and leave no slot set. */
#include <check.h>
#include <dlfcn.h>

#include "check-run.h"

#include "basic/dlopen-util.h"
#include "basic/util.h"

struct Libc {
        void *dl;
        __typeof__(strlen) *strlen;
        __typeof__(getpid) *getpid;
};

START_TEST(test_resolves)
{
        struct Libc c = {};
        const DlopenSymbol syms[] = {DLOPEN_SYMBOL(&c, strlen), DLOPEN_SYMBOL(&c, getpid)};
        _cleanup_free_ char *e = NULL;

        ck_assert_int_eq(dlopen_symbols("libc.so.6", syms, ELEMENTSOF(syms), &c.dl, &e), 0);
        ck_assert_ptr_null(e);
        ck_assert_ptr_nonnull(c.dl);
        ck_assert_uint_eq(c.strlen("dockaudit"), 9);
        ck_assert_int_eq(c.getpid(), getpid());
        ck_assert_int_eq(dlclose(c.dl), 0);
}
END_TEST

START_TEST(test_missing_symbol)
{
        struct {
                void *dl;
                __typeof__(strlen) *strlen;
                void (*dockaudit_no_such_symbol)(void);
        } c = {};
        const DlopenSymbol syms[] = {DLOPEN_SYMBOL(&c, strlen), DLOPEN_SYMBOL(&c, dockaudit_no_such_symbol)};
        _cleanup_free_ char *e = NULL;

        ck_assert_int_eq(dlopen_symbols("libc.so.6", syms, ELEMENTSOF(syms), &c.dl, &e), -ELIBBAD);
        ck_assert_ptr_nonnull(e);
        ck_assert_msg(startswith(e, "libc.so.6 has no symbol dockaudit_no_such_symbol: "), "%s", e);
        ck_assert_msg(strstr(e, "undefined symbol: dockaudit_no_such_symbol"), "%s", e);
        ck_assert_ptr_null(c.dl);
        ck_assert_ptr_null(c.strlen);
        /* No message asked for: the error only. */
        ck_assert_int_eq(dlopen_symbols("libc.so.6", syms, ELEMENTSOF(syms), &c.dl, NULL), -ELIBBAD);
}
END_TEST

START_TEST(test_missing_library)
{
        struct Libc c = {};
        const DlopenSymbol syms[] = {DLOPEN_SYMBOL(&c, strlen)};
        _cleanup_free_ char *e = NULL;

        ck_assert_int_eq(
                dlopen_symbols("libdockaudit-no-such-library.so.0", syms, ELEMENTSOF(syms), &c.dl, &e),
                -ELIBACC);
        ck_assert_ptr_nonnull(e);
        ck_assert_msg(startswith(e, "cannot load libdockaudit-no-such-library.so.0: "), "%s", e);
        ck_assert_msg(strstr(e, "cannot open shared object file"), "%s", e);
        ck_assert_ptr_null(c.dl);
        ck_assert_ptr_null(c.strlen);
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("dlopen-util");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_resolves);
        tcase_add_test(tc, test_missing_symbol);
        tcase_add_test(tc, test_missing_library);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
