/* SPDX-License-Identifier: MIT */
/* rpm's version ordering (rpmvercmp), used wherever a version is compared. */
#pragma once

/* Returns <0, 0, >0 as a sorts before, equal to, after b. Same results as rpm's
 * rpmvercmp(): alternating digit/alpha segments, digits beat letters, "~" sorts
 * before everything (also the end), "^" after the end but before anything else. */
int rpmvercmp(const char *a, const char *b);
