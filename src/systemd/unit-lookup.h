/* SPDX-License-Identifier: MIT */
/* Finding a unit's files offline as systemd 252 would (systemd-reference.md 2): the search
 * path, the fragment (linked units, aliases, self-aliases, masks, templates) and the drop-ins
 * in applied order. Every path is resolved inside root: symlinks cannot climb out of it. */
#pragma once

#include <dirent.h>

#include "basic/util.h"

typedef struct UnitLookup {
        char *root; /* NULL or "/" for the host; else the image directory */
        char **search_path; /* absolute paths inside root, highest priority first */
} UnitLookup;

/* The search path of the system manager (2.1, Debian's v252 list; $SYSTEMD_UNIT_PATH replaces
 * it, a trailing ':' appends the default) or of the user manager (2.2, from $HOME and $XDG_*).
 * env is a NAME=value list to take the variables from; NULL means the process environment. */
int unit_lookup_init(UnitLookup *l, const char *root, bool user, char *const *env);
void unit_lookup_done(UnitLookup *l);

typedef struct UnitLookupResult {
        char *fragment_path; /* inside root; NULL when not found */
        bool masked; /* fragment is /dev/null, a char device or empty */
        char **aliases; /* other names resolving to the same fragment (sorted) */
        char **dropin_paths; /* inside root, applied order (masked ones included) */
} UnitLookupResult;

void unit_lookup_result_done(UnitLookupResult *r);

/* Resolves name. A unit without a fragment is not an error (fragment_path NULL).
 * Returns 0, -EINVAL for an invalid unit name, -ENOMEM. */
int unit_lookup_resolve(const UnitLookup *l, const char *name, UnitLookupResult *ret);

/* Whether name may have a fragment: 0 when no search directory has an entry called name (or,
 * for an instance, its template's name), so that unit_lookup_resolve() would find none; 1
 * when one has (it may still be no unit file: a directory, a self-alias). Costs an lstat()
 * per search directory, not the name map. -EINVAL for an invalid unit name, -ENOMEM. */
int unit_lookup_may_exist(const UnitLookup *l, const char *name);

/* Resolves path inside root (symlinks followed as if root were "/", ".." stops at root).
 * *ret is the canonical path inside root. -ENOENT etc. when a component is missing. */
int unit_lookup_chase(const char *root, const char *path, char **ret);

/* null_or_empty_path_with_root(): a /dev/null link (even dangling), a char device or an empty
 * regular file, following links inside root. */
bool unit_lookup_is_mask(const char *root, const char *path);

/* conf_files_list_strv(): the *.conf files (no hidden or backup names) of dirs, canonical paths
 * inside root (see unit_lookup_chase(); missing ones are skipped), first directory winning each
 * base name, sorted by base name (strcmp). Symlinked or empty (masked) entries are listed;
 * what is neither a regular file nor a symlink (a directory, a FIFO) is passed over, as systemd
 * does. */
int unit_lookup_conf_files(const char *root, char *const *dirs, char ***ret);

/* The type of the entry name of the directory dir_fd, as a DT_* value: d_type as readdir()
 * gave it, or, when that is DT_UNKNOWN (a file system that does not fill it in), from the
 * entry's own lstat(); DT_UNKNOWN when that fails too. What systemd's dirent_ensure_type()
 * does, so the name map reads the type of each entry without a system call. */
unsigned char unit_lookup_entry_type(int dir_fd, const char *name, unsigned char d_type);

/* systemd's unit_name_is_valid(name, UNIT_NAME_ANY). */
bool unit_name_valid(const char *name);
/* hidden_or_backup_file(): a leading '.', or a backup/package-manager suffix. */
bool unit_hidden_or_backup(const char *name);
