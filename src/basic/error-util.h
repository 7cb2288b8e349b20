/* SPDX-License-Identifier: MIT */
/* The "char **ret_error" convention: a lower layer that fails may hand its caller a message
 * ("file:line: message"), which the caller owns and passes to log_error_errno() (basic/log.h). */
#pragma once

#include "basic/util.h"

/* Sets *ret_error (if ret_error is not NULL) to a formatted message, freeing the message it
 * held, and returns err, which must be negative. Out of memory leaves *ret_error NULL (the
 * caller then logs strerror(err)). */
int error_setf(char **ret_error, int err, const char *fmt, ...) _printf_(3, 4);
