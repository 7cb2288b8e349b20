/* SPDX-License-Identifier: MIT */
/* Debian's package database (/var/lib/dpkg/status, deb822 paragraphs): the version of an
 * installed package, read without running anything (the dockerd of an offline --root image). */
#pragma once

#include "basic/util.h"

/* The Version: of package in text (size bytes, no NUL needed) when its Status: is
 * "install ok installed"; in *ret_version its upstream part (no "EPOCH:", no "-REVISION":
 * "5:24.0.7-1~ubuntu.22.04~jammy" -> "24.0.7"). Returns 1 found, 0 not installed, -ENOMEM. */
int dpkg_status_version(const char *text, size_t size, const char *package, char **ret_version);

/* "EPOCH:UPSTREAM-REVISION" -> a new string with UPSTREAM (Debian policy 5.6.12: the epoch ends at
 * the first ':', the revision starts at the last '-'); NULL on ENOMEM. */
char *dpkg_version_upstream(const char *version);
