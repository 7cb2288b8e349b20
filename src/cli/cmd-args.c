/* SPDX-License-Identifier: MIT */
#include "cli/cmd-args.h"

#include "basic/log.h"

int parse_fail_on(const char *arg, Severity *ret)
{
        int r = severity_from_string(arg);

        if (r < 0)
                return log_errorf_errno(
                        -EINVAL, "--fail-on: expected info, low, medium or high, not '%s'", arg);
        *ret = (Severity) r;
        return 0;
}
