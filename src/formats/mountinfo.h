/* SPDX-License-Identifier: MIT */
/* /proc/PID/mountinfo (proc(5)), parsed by hand rather than with libmount: we read one file
 * per mount namespace on hosts with thousands of mounts, need the propagation fields
 * (shared:N, master:N) as numbers, and keep libdacollect free of another shared library.
 * tests/check_mountinfo.c checks the parser against libmount on this host's tables. */
#pragma once

#include "basic/util.h"

typedef struct MountEntry {
        int mount_id, parent_id;
        unsigned major, minor;
        char *root; /* root of the mount within its filesystem, unescaped */
        char *mount_point; /* relative to the reading process's root, unescaped */
        char *options; /* per-mount options ("rw,relatime") */
        unsigned shared; /* peer group of "shared:N", 0 if none */
        unsigned master; /* peer group of "master:N", 0 if none */
        char *fstype; /* "overlay", "fuse.sshfs" */
        char *source; /* unescaped; "none" when the filesystem has none */
        char *super_options;
} MountEntry;

typedef struct MountTable {
        MountEntry *v;
        size_t n, cap;
} MountTable;

void mount_entry_done(MountEntry *e);
void mount_table_done(MountTable *t);

/* Undoes the kernel's mangle(): "\ooo" (three octal digits: \040 space, \011 tab, \012 newline,
 * \134 backslash) becomes that byte. Anything else, and "\000", stays as it is. */
char *mountinfo_unescape(const char *s, size_t n);

/* One line without its newline. -EBADMSG with "LINE: message" text in *ret_error (no path). */
int mountinfo_parse_line(const char *line, size_t len, MountEntry *ret, char **ret_error);

/* A whole table. When under is not NULL only mounts at under or below it are kept (prefix on
 * a path component boundary). path names the text in errors: "PATH:LINE: message". */
int mountinfo_parse(const char *text, size_t size, const char *path, const char *under, MountTable *ret,
        char **ret_error);
int mountinfo_read(const char *path, const char *under, MountTable *ret, char **ret_error);

/* true when path is dir or below it ("/a/b" is under "/a", "/ab" is not). */
bool path_is_under(const char *path, const char *dir);
