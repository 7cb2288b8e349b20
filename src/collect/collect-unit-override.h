/* SPDX-License-Identifier: MIT */
/* dockaudit's full override of a unit: a copy of the vendor unit file in the admin's unit
 * directory, written by `dockaudit fix` where a drop-in cannot do the change (taking a
 * dependency out: fix/fix-unit-override.h). Its header names the vendor file and the SHA-256
 * of the text it was made from:
 *
 *   # dockaudit-override-of: /lib/systemd/system/docker.service sha256:<64 hex digits>
 *
 * Here: reading that header back, and the facts that say whether the unit runs from such a
 * copy and whether the vendor file has changed since (the copy then hides the update). */
#pragma once

#include "collect/collect.h"

#define UNIT_OVERRIDE_MARK "# dockaudit-override-of: "
#define UNIT_OVERRIDE_DIGEST " sha256:"

/* Finds the mark in the leading comment block of text (lines starting with '#' or ';', or
 * blank, before the first other line). Returns 1 with *ret_vendor (an absolute path),
 * *ret_digest (64 hex digits) and *ret_line (1-based) set, 0 when text carries no such
 * header (or a malformed one), -ENOMEM. */
int unit_override_header_parse(const char *text, char **ret_vendor, char **ret_digest, unsigned *ret_line);

/* unit_override.present (the unit's fragment, unit.fragment_path, is such a copy),
 * unit_override.vendor_path and unit_override.stale (the vendor file's SHA-256 is no longer
 * the one recorded, or it is gone). Files are read under o->root. A fragment or vendor file
 * that cannot be read leaves the facts unknown with the reason. */
int collect_unit_override(Facts *f, const CollectOptions *o);
