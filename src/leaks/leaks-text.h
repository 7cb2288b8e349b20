/* SPDX-License-Identifier: MIT */
/* Strings from processes and mount tables (a process names itself, a mount point holds any
 * byte but NUL and '/') made safe to print: nothing that a terminal would act on, nothing
 * that is not UTF-8 (jansson refuses such strings). */
#pragma once

#include "basic/util.h"

/* s with bytes written as \xNN: those of invalid UTF-8 sequences and, when controls is true,
 * C0 controls, DEL and C1 controls (U+0080..U+009F, which some terminals obey). A backslash
 * stays as it is. controls false suits JSON, which escapes controls itself. NULL on ENOMEM;
 * NULL s gives NULL. */
char *leaks_escape(const char *s, bool controls);
