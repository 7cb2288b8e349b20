/* SPDX-License-Identifier: MIT */
/* Report output to a file (src/basic/output.c). */
#include <check.h>

#include "check-run.h"

#include "basic/output.h"
#include "basic/util.h"

/* -o FILE: the report appears whole or not at all; a failure leaves the old file alone. */
START_TEST(test_output_atomic)
{
        char dir[] = "/tmp/check-output.XXXXXX";
        _cleanup_free_ char *p = NULL, *s = NULL, *err = NULL;
        Output o;
        size_t n;
        FILE *f;

        ck_assert_ptr_nonnull(mkdtemp(dir));
        p = strdupf("%s/report.json", dir);
        f = fopen(p, "w");
        fputs("old", f);
        fclose(f);

        ck_assert_int_eq(output_open(&o, p, &err), 0);
        fputs("new report", o.f);
        output_done(&o); /* not committed: old content stays, no temp file left */
        ck_assert_int_eq(read_full_file(p, &s, &n), 0);
        ck_assert_str_eq(s, "old");
        free(s);
        s = NULL;

        ck_assert_int_eq(output_open(&o, p, &err), 0);
        fputs("new report", o.f);
        ck_assert_int_eq(output_commit(&o, &err), 0);
        output_done(&o);
        ck_assert_int_eq(read_full_file(p, &s, &n), 0);
        ck_assert_str_eq(s, "new report");

        unlink(p);
        ck_assert_int_eq(rmdir(dir), 0); /* fails if a temp file was left behind */

        ck_assert_int_lt(output_open(&o, "/nonexistent-dir/x.json", &err), 0);
        ck_assert_ptr_nonnull(strstr(err, "/nonexistent-dir/x.json"));
        output_done(&o);
}
END_TEST

int main(void)
{
        Suite *s = suite_create("output");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_output_atomic);
        suite_add_tcase(s, tc);
        return check_run(s);
}
