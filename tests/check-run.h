/* SPDX-License-Identifier: MIT */
/* The main() of every check program: run the suite, exit 0 only when every test passed. */
#pragma once

#include <check.h>
#include <stdlib.h>

static inline int check_run(Suite *s)
{
        SRunner *sr = srunner_create(s);
        int failed;

        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
