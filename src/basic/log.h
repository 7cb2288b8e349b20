/* SPDX-License-Identifier: MIT */
/* Telling the person what went wrong: one prefix ("dockaudit: "), on stderr, in one place.
 * Values a person typed or that come from files are quoted 'like this'. */
#pragma once

#include "basic/util.h"

#define LOG_PREFIX "dockaudit: "

/* "dockaudit: MESSAGE\n" on stderr. */
void log_error(const char *fmt, ...) _printf_(1, 2);

/* "dockaudit: DETAIL\n", or strerror(-r) when detail is NULL or empty. Returns r (negative),
 * so that a failure is logged and propagated in one line:
 *         if (r < 0)
 *                 return log_error_errno(r, err);
 * where err is the message a lower layer set through its char **ret_error. */
int log_error_errno(int r, const char *detail);

/* The same with a printf format; "%m" in it stands for strerror(-r). Returns r. */
int log_errorf_errno(int r, const char *fmt, ...) _printf_(2, 3);

/* "dockaudit: out of memory"; returns -ENOMEM. */
int log_oom(void);
