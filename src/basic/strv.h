/* SPDX-License-Identifier: MIT */
/* NULL-terminated string lists ("strv"), as in systemd. A list and every string in it belong
 * to its holder; strv_free() releases both. A NULL list is the empty list everywhere. */
#pragma once

#include "basic/util.h"

/* Frees the strings and the list; returns NULL (l = strv_free(l)). */
char **strv_free(char **l);
static inline void strv_freep(char ***l)
{
        strv_free(*l);
}
#define _cleanup_strv_free_ _cleanup_(strv_freep)
size_t strv_length(char *const *l);
/* Appends a copy of s. -ENOMEM leaves the list as it was. */
int strv_extend(char ***l, const char *s);
/* Appends s itself; frees it on failure. s NULL (a failed strdup) is -ENOMEM. */
int strv_consume(char ***l, char *s);
/* The same where the caller keeps the length (*n == strv_length(*l), incremented): appending
 * many items in a loop without counting the list each time. */
int strv_consume_at(char ***l, size_t *n, char *s);
bool strv_contains(char *const *l, const char *s);
static inline bool strv_isempty(char *const *l)
{
        return !l || !*l;
}
/* A deep copy (an empty list for NULL); NULL on ENOMEM. */
char **strv_copy(char *const *l);
/* Joins with sep; returns NULL on ENOMEM. */
char *strv_join(char *const *l, const char *sep);
