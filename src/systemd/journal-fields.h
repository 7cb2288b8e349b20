/* SPDX-License-Identifier: MIT */
/* Structured journal entries as a list of "NAME=VALUE" strings, sent with sd_journal_sendv():
 * the findings of `audit --journal` (report/report-journal.c) and the changes of `fix`
 * (fix/fix-journal.c). */
#pragma once

#include "basic/util.h"

/* Appends "NAME=VALUE" to *fields, the value escaped for people (control bytes and bytes that
 * are not UTF-8 as \xNN); a NULL value adds nothing. 0 or -ENOMEM. */
int journal_field_add(char ***fields, const char *name, const char *value);
/* Sends fields as one entry. Returns what sd_journal_sendv() returns, or -ENOMEM. */
int journal_send_strv(char **fields);
