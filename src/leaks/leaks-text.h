/* SPDX-License-Identifier: MIT */
/* Strings from processes and mount tables (a process names itself, a mount point holds any
 * byte but NUL and '/') made safe to print: nothing that a terminal would act on, nothing
 * that is not UTF-8 (jansson refuses such strings). */
#pragma once

#include "basic/util.h"

/* s with bytes written as \xNN: with controls, as utf8_escape_non_printable() (invalid UTF-8,
 * C0 and C1 controls, DEL: what a terminal would act on); without, as utf8_escape_invalid()
 * (invalid UTF-8 only, for JSON, which escapes controls itself). NULL on ENOMEM; NULL s gives
 * NULL. */
char *leaks_escape(const char *s, bool controls);
