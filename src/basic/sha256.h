/* SPDX-License-Identifier: MIT */
/* SHA-256 (FIPS 180-4) of a buffer, as lower-case hex: the digest of a vendor unit that
 * dockaudit's full override records, so that `sha256sum FILE` shows the same value and a
 * changed vendor file is noticed. Not for secrets: no constant-time care. */
#pragma once

#include "basic/util.h"

#define SHA256_HEX_SIZE 65 /* 64 hex digits and the NUL */

/* Writes the digest of size bytes at data into hex (NUL-terminated). */
void sha256_hex(const void *data, size_t size, char hex[static SHA256_HEX_SIZE]);
