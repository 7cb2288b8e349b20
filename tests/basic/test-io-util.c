/* SPDX-License-Identifier: MIT */
#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>

#include "check-run.h"

#include "basic/deadline.h"
#include "basic/io-util.h"
#include "basic/util.h"

/* What is in the pipe, then the end of the pipe; a reader that waits past the deadline for
 * nothing; a child writing late. */
START_TEST(test_read_until)
{
        int p[2];
        char buf[16];
        uint64_t t0;
        pid_t child;

        ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
        ck_assert_int_eq(write(p[1], "abc", 3), 3);
        ck_assert_int_eq(io_read_until(p[0], buf, sizeof buf, deadline_in(1000 * 1000ULL)), 3);
        ck_assert_int_eq(memcmp(buf, "abc", 3), 0);

        /* nothing there: -ETIME at the deadline, not before, not long after */
        t0 = deadline_now_usec();
        ck_assert_int_eq(io_read_until(p[0], buf, sizeof buf, t0 + 200000), -ETIME);
        ck_assert_uint_ge(deadline_now_usec() - t0, 200000);
        ck_assert_uint_lt(deadline_now_usec() - t0, 1000000);
        /* a deadline already past: no wait at all, even with data there */
        ck_assert_int_eq(write(p[1], "x", 1), 1);
        ck_assert_int_eq(io_read_until(p[0], buf, sizeof buf, deadline_now_usec() - 1), -ETIME);

        /* data that comes late, then the end */
        child = fork();
        ck_assert_int_ge(child, 0);
        if (child == 0) {
                usleep(100 * 1000);
                _exit(write(p[1], "yz", 2) == 2 ? 0 : 1);
        }
        close(p[1]);
        ck_assert_int_eq(io_read_until(p[0], buf, sizeof buf, deadline_in(2000 * 1000ULL)), 1); /* the "x" */
        ck_assert_int_eq(io_read_until(p[0], buf, sizeof buf, deadline_in(2000 * 1000ULL)), 2);
        ck_assert_int_eq(memcmp(buf, "yz", 2), 0);
        ck_assert_int_eq(io_read_until(p[0], buf, sizeof buf, deadline_in(2000 * 1000ULL)), 0);
        ck_assert_int_eq(waitpid(child, NULL, 0), child);
        close(p[0]);

        /* not a descriptor */
        ck_assert_int_eq(io_read_until(p[0], buf, sizeof buf, deadline_in(1000 * 1000ULL)), -EBADF);
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("io_util");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_read_until);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
