/* SPDX-License-Identifier: MIT */
/* SHA-256 (FIPS 180-4), for the name-based ids of basic/id128-name.h: small, no library. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32

typedef struct Sha256 {
        uint32_t h[8];
        uint64_t length; /* bytes hashed so far */
        uint8_t block[64];
        size_t n; /* bytes in block */
} Sha256;

void sha256_init(Sha256 *s);
void sha256_update(Sha256 *s, const void *data, size_t size);
/* Writes the digest; s must be initialised again before another use. */
void sha256_finish(Sha256 *s, uint8_t ret[static SHA256_DIGEST_SIZE]);
