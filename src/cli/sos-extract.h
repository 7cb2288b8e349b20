/* SPDX-License-Identifier: MIT */
/* An sos report archive (.tar.xz, .tar.gz, .tar.bz2, .tar), unpacked with libarchive (loaded
 * only then: sos-archive.h) into a private temporary directory, safely: no absolute path or
 * ".." in a name, no write through a link, no device node, FIFO, socket or hard link, at most
 * SOS_EXTRACT_MAX_BYTES in all and SOS_EXTRACT_MAX_ENTRIES entries. */
#pragma once

#include "basic/util.h"

#define SOS_EXTRACT_MAX_BYTES (1024ULL * 1024ULL * 1024ULL)
#define SOS_EXTRACT_MAX_ENTRIES 500000U

/* Unpacks path into a new directory under $TMPDIR (else /tmp), mode 0700: *ret_tmp is that
 * directory (remove it with sos_extract_remove(), also after a failure when set), *ret_top the
 * archive's one top directory in it (sos names it sosreport-HOST-DATE). Returns 0, or negative
 * errno with *ret_error naming the archive and, when one is at fault, the entry; when
 * libarchive cannot be loaded, -ELIBACC or -ELIBBAD naming it (and no directory is made). */
int sos_extract(const char *path, char **ret_tmp, char **ret_top, char **ret_error);

/* Removes dir and everything under it (no link is followed). */
int sos_extract_remove(const char *dir);
