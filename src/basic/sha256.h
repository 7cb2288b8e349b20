/* SPDX-License-Identifier: MIT */
/* SHA-256 through OpenSSL's libcrypto (EVP): the digest that dockaudit's full unit override
 * records of its vendor file (as `sha256sum FILE` prints it), and the name-based ids of
 * basic/id128-name.h. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32
#define SHA256_HEX_SIZE 65 /* 64 hex digits and the NUL */

/* The digest of n buffers one after the other. 0, or -ENOMEM when libcrypto fails (it only
 * fails to allocate). */
int sha256_digestv(
        const void *const *data, const size_t *size, size_t n, uint8_t ret[static SHA256_DIGEST_SIZE]);
/* The digest of size bytes at data, as lower-case hex (NUL-terminated). 0 or -ENOMEM. */
int sha256_hex(const void *data, size_t size, char hex[static SHA256_HEX_SIZE]);
