/* SPDX-License-Identifier: MIT */
/* Paths as strings, as systemd v252 treats them (src/basic/path-util.c): nothing here looks at
 * the file system. Limits are Linux's: PATH_MAX (4096, with the NUL) for a whole path, NAME_MAX
 * (255) for one component. libc only. */
#pragma once

#include <stdbool.h>

/* path_is_valid(): not empty (nor NULL), shorter than PATH_MAX, no component longer than
 * NAME_MAX. "." and ".." are fine. */
bool path_is_valid(const char *p);

/* path_is_normalized(): valid, and no "." or ".." component and no "//". A trailing '/' is
 * allowed ("/a/" is normalized, "/a/." is not). */
bool path_is_normalized(const char *p);

/* filename_is_valid(): one component: not empty, not "." or "..", no '/', at most NAME_MAX
 * bytes. */
bool filename_is_valid(const char *p);

/* path_simplify(): in place, drops duplicate '/', "." components and a trailing '/'; ".." is
 * kept (it is not ours to resolve). What everything was dropped from becomes "." ("./" -> "."),
 * "/" stays "/", "" stays "". Returns path.
 * Unlike systemd's, a component longer than NAME_MAX does not stop the simplification: every
 * caller rejects such a path anyway (path_is_valid()). */
char *path_simplify(char *path);

/* GNU basename() (string.h), which systemd calls where we call this: the text after the last
 * '/', the whole string without one, "" after a trailing '/'. Points into p. */
const char *path_basename(const char *p);

/* Resolves "." and ".." without looking at the file system, as an absolute path: "//" and "."
 * are dropped and ".." removes the component before it, never going above "/" ("" -> "/",
 * "/a/../../b" -> "/b", "a/./b/" -> "/a/b"). Unlike path_simplify() this changes what a path
 * names when a component is a symlink: it is what systemd's unit_file_build_name_map() gets from
 * chase_symlinks(..., CHASE_NOFOLLOW | CHASE_NONEXISTENT) for a link target whose directories
 * are plain. Returns a new string, NULL on ENOMEM. */
char *path_resolve_lexically(const char *path);
