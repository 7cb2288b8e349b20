/* SPDX-License-Identifier: MIT */
/* SHA-256 through libgcrypt (already in every run: libsystemd links it): the digest that
 * dockaudit's full unit override records of its vendor file (as `sha256sum FILE` prints it),
 * the rule files' digests, finding fingerprints and the name-based ids of basic/id128-name.h.
 * Any thread may call these; the first call initialises libgcrypt (once, see sha256.c). */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32
#define SHA256_HEX_SIZE 65 /* 64 hex digits and the NUL */

/* The digest of n buffers one after the other. 0, or negative errno: -ENOMEM, or -ELIBBAD when
 * the libgcrypt loaded is older than the 1.8 that configure asks for. */
int sha256_digestv(
        const void *const *data, const size_t *size, size_t n, uint8_t ret[static SHA256_DIGEST_SIZE]);
/* The digest of size bytes at data, as lower-case hex (NUL-terminated). 0, or negative errno
 * as sha256_digestv() with hex "". */
int sha256_hex(const void *data, size_t size, char hex[static SHA256_HEX_SIZE]);
