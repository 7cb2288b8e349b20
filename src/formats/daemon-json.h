/* SPDX-License-Identifier: MIT */
/* dockerd's configuration file (/etc/docker/daemon.json or --config-file), read with
 * jansson (which keeps key order), plus the line each top-level key is on so that
 * evidence can cite "daemon.json:4". */
#pragma once

#include <jansson.h>

#include "basic/util.h"

typedef struct DaemonJson {
        char *path;
        json_t *root; /* always a JSON object after a successful load */
        char *text; /* the file's contents (NUL-terminated), for key lines */
        size_t size;
        bool empty; /* nothing but whitespace (after a byte order mark) */
        bool bom; /* starts with a UTF-8 byte order mark */
} DaemonJson;

void daemon_json_done(DaemonJson *d);

/* Parses contents as dockerd's decoder (Go's json.Decoder) reads them: one JSON value, and
 * whatever follows it is ignored (dockerd never reads it); a top-level null is an empty
 * configuration; invalid UTF-8 inside strings reads as U+FFFD. Leniencies of later dockerd
 * versions (Engine 23+) are kept, and flagged for dockerd_config_check(): a file that is empty
 * or only whitespace is an empty configuration (->empty) and a leading UTF-8 byte order mark
 * is skipped (->bom). Not JSON, a NUL byte inside the value, or not an object: -EINVAL with
 * "PATH:LINE:COL: message" (jansson's line and column; for a value that is not an object,
 * where it starts). */
int daemon_json_parse(const char *path, const char *data, size_t size, DaemonJson *ret, char **ret_error);

/* Reads and parses the file. Missing: -ENOENT (no message). Other read errors: negative
 * errno with "PATH: strerror". */
int daemon_json_load(const char *path, DaemonJson *ret, char **ret_error);

/* Top-level keys in file order (a key given twice is listed once). */
int daemon_json_keys(const DaemonJson *d, char ***ret);

/* Line (1-based) of the top-level key; the last occurrence when it appears twice (its value
 * is the one that counts). 0 when the key is not a top-level key. Keys are compared after
 * JSON unescaping ("live\u002drestore" is "live-restore"). */
unsigned daemon_json_key_line(const DaemonJson *d, const char *key);

/* Calls cb for each top-level member in file order, a key given twice included (dockerd decodes
 * every occurrence, so a wrong type in the first one counts too), with the line of its key.
 * Stops at the first nonzero return of cb and returns it; -EINVAL when a member cannot be
 * read again on its own (invalid UTF-8, which the parse replaced). */
typedef int (*daemon_json_member_cb)(const char *key, json_t *value, unsigned line, void *userdata);
int daemon_json_foreach_member(const DaemonJson *d, daemon_json_member_cb cb, void *userdata);

/* Reads a top-level boolean ("live-restore"). Returns 1 and sets *ret when present, 0 when
 * absent, -EINVAL when it is not true/false (dockerd refuses to start then), with
 * "PATH:LINE: "KEY" must be true or false, not a string" in *ret_error. */
int daemon_json_get_bool(const DaemonJson *d, const char *key, bool *ret, char **ret_error);
