/* SPDX-License-Identifier: MIT */
/* The text of the files `dockaudit fix` writes: the unit drop-in, daemon.json edits, the
 * sysctl.d file. Pure functions (text in, text out) except backup_file(); the caller compares
 * old and new text and writes with atomic_write_file() only when they differ. */
#pragma once

#include "basic/util.h"

/* Header of every file we own; the rule ids follow it. */
#define FIX_HEADER_PREFIX "# Written by dockaudit "
#define FIX_HEADER_RULES " for rules: "
#define FIX_HEADER_LINE2 "# Do not edit: dockaudit fix rewrites this file."

typedef struct DropinSetting {
        char *section;
        char *key;
        char *value;
} DropinSetting;

/* Renders the whole 50-dockaudit.conf:
 *   # Written by dockaudit VERSION for rules: a, b
 *   # Do not edit: dockaudit fix rewrites this file.
 *   <blank line, then each section: "[Section]" and KEY=VALUE lines, blank line between>
 * Sections: Unit first, Install last, others by name; keys by name within a section.
 * old_text (NULL when the file does not exist) is parsed with unit_file_parse(); its settings
 * are kept, except that the settings of the plan replace every old assignment of the same
 * section+key (several plan entries with one key are kept in order, e.g. "ExecStart=" then
 * "ExecStart=..."). Rule ids: those of the old header, then new ones (no duplicates).
 * When the merged settings equal the old ones and every rule id is already in the old
 * header, *ret_text is a copy of old_text (no rewrite just for a new version number).
 * Values must read back verbatim: no control characters, no leading/trailing whitespace,
 * no trailing backslash, no '%' (specifier); MountFlags must be shared, slave or private.
 * Sections/keys: [A-Za-z0-9_-] (sections may also hold '.' and ':'). Rule ids:
 * [A-Za-z0-9._-]. Errors: -EINVAL with a message ("50-dockaudit.conf:LINE: ..." for a
 * broken old file). */
int dropin_render(const char *old_text, const DropinSetting *settings, size_t n, const char *version,
        char *const *rule_ids, char **ret_text, char **ret_error);

typedef struct JsonEdit {
        char *key;
        char *json_value; /* NULL = remove */
} JsonEdit;

/* Edits daemon.json text: old_text NULL or only whitespace => "{}". Parsed with
 * daemon_json_parse() (BOM and whitespace rules as dockerd). The edits apply in order to
 * top-level keys, or with "parent.child" (split at the first dot: no dockerd key has one) to a
 * member of the object under parent, created when missing; its other members are kept
 * ("log-opts.max-size" keeps the "log-opts" already there). Removing the last member leaves
 * an empty object. Other keys keep their order, new keys are appended; dumped with
 * JSON_INDENT(2)|JSON_PRESERVE_ORDER plus a trailing newline. If the edits change nothing
 * semantically, *ret_text is a copy of old_text (NULL when old_text is NULL: no file needed).
 * Invalid JSON -> -EINVAL "PATH:LINE:COL: message"; an edit whose json_value is not valid
 * JSON -> -EINVAL "KEY: invalid JSON value: ..."; a parent that is not an object -> -EINVAL
 * "PATH:LINE: ..."; nothing is produced on error. */
int daemon_json_edit(const char *path, const char *old_text, const JsonEdit *edits, size_t n,
        char **ret_text, char **ret_error);

/* /etc/sysctl.d/50-dockaudit.conf: the same header, then "key = value" lines sorted by key,
 * merged with old_text like dropin_render() (same key => new value). section is ignored.
 * Keys as sysctl_key_is_valid(); values: no control characters, not empty, no leading or
 * trailing whitespace. Old lines that are not comments, blank or "key = value": -EINVAL
 * "50-dockaudit.conf:LINE: ...". */
int sysctl_render(const char *old_text, const DropinSetting *settings, size_t n, const char *version,
        char *const *rule_ids, char **ret_text, char **ret_error);

/* Copies path to "PATH.dockaudit-bak" beside it (overwritten each time with
 * atomic_write_file_full(): our stale temp files for it removed first; the same owner, group
 * and mode as the original). path must be a regular file, read as basic/fileio.h reads:
 * -ELOOP a symlink, -EBADFD a FIFO, socket or device (never opened for reading), -EISDIR,
 * -EFBIG, -ENOENT when it is missing; each with "PATH: message". */
int backup_file(const char *path, char **ret_error);
