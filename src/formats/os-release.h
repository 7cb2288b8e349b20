/* SPDX-License-Identifier: MIT */
/* os-release(5) and /etc/redhat-release. os-release is read with the environment-file
 * parser (env_file_parse()), as systemd itself reads it (parse_env_file()), so quoting,
 * escapes and comments match. */
#pragma once

#include "basic/util.h"

typedef struct OsRelease {
        char *path; /* the file read */
        char *id; /* ID=, NULL if absent */
        char **id_like; /* ID_LIKE= split on whitespace; never NULL after a successful parse */
        char *version_id; /* VERSION_ID= */
        char *pretty_name; /* PRETTY_NAME= */
        unsigned id_line, id_like_line, version_id_line, pretty_name_line; /* 0: absent */
} OsRelease;

void os_release_done(OsRelease *o);

/* Parses os-release contents. Errors from the env-file parser (invalid UTF-8) are
 * returned with "PATH:LINE: message" in *ret_error. */
int os_release_parse(const char *path, const char *data, size_t size, OsRelease *ret, char **ret_error);

/* RHEL 7 family, decided from os-release: ID is one of rhel centos ol scientific almalinux
 * rocky, or ID_LIKE names "rhel" or "centos" (Amazon Linux 1/2 say "rhel fedora" and
 * "centos rhel fedora" and count; Fedora, whose ID_LIKE is empty, does not).
 * *ret_line (may be NULL) gets the line of the deciding key (ID or ID_LIKE), 0 if neither. */
bool os_release_is_rhel_family(const OsRelease *o, unsigned *ret_line);

/* First line of /etc/redhat-release contents, trailing whitespace removed ("CentOS Linux
 * release 7.1.1503 (Core)"). -ENODATA for an empty file. */
int redhat_release_first_line(const char *data, char **ret);

/* Fallback when there is no os-release: the line names RHEL or a rebuild ("Red Hat
 * Enterprise Linux", "CentOS", "Scientific Linux", "Oracle Linux", "AlmaLinux", "Rocky
 * Linux"). Fedora's redhat-release ("Fedora release 31 (Thirty One)") does not count. */
bool redhat_release_is_rhel_family(const char *line);
