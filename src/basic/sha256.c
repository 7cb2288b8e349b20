/* SPDX-License-Identifier: MIT */
/* SHA-256 written from FIPS 180-4 sections 4.1.2, 4.2.2, 5.1.1, 5.3.3 and 6.2. */
#include "basic/sha256.h"

#include <stdint.h>

static const uint32_t K[64] = {
        0x428a2f98,
        0x71374491,
        0xb5c0fbcf,
        0xe9b5dba5,
        0x3956c25b,
        0x59f111f1,
        0x923f82a4,
        0xab1c5ed5,
        0xd807aa98,
        0x12835b01,
        0x243185be,
        0x550c7dc3,
        0x72be5d74,
        0x80deb1fe,
        0x9bdc06a7,
        0xc19bf174,
        0xe49b69c1,
        0xefbe4786,
        0x0fc19dc6,
        0x240ca1cc,
        0x2de92c6f,
        0x4a7484aa,
        0x5cb0a9dc,
        0x76f988da,
        0x983e5152,
        0xa831c66d,
        0xb00327c8,
        0xbf597fc7,
        0xc6e00bf3,
        0xd5a79147,
        0x06ca6351,
        0x14292967,
        0x27b70a85,
        0x2e1b2138,
        0x4d2c6dfc,
        0x53380d13,
        0x650a7354,
        0x766a0abb,
        0x81c2c92e,
        0x92722c85,
        0xa2bfe8a1,
        0xa81a664b,
        0xc24b8b70,
        0xc76c51a3,
        0xd192e819,
        0xd6990624,
        0xf40e3585,
        0x106aa070,
        0x19a4c116,
        0x1e376c08,
        0x2748774c,
        0x34b0bcb5,
        0x391c0cb3,
        0x4ed8aa4a,
        0x5b9cca4f,
        0x682e6ff3,
        0x748f82ee,
        0x78a5636f,
        0x84c87814,
        0x8cc70208,
        0x90befffa,
        0xa4506ceb,
        0xbef9a3f7,
        0xc67178f2,
};

static uint32_t rotr(uint32_t x, unsigned n)
{
        return (x >> n) | (x << (32 - n));
}

/* One 64-byte block into the state h. */
static void sha256_block(uint32_t h[8], const uint8_t *p)
{
        uint32_t w[64], v[8];

        for (size_t t = 0; t < 16; t++)
                w[t] = (uint32_t) p[4 * t] << 24 | (uint32_t) p[4 * t + 1] << 16 |
                       (uint32_t) p[4 * t + 2] << 8 | p[4 * t + 3];
        for (size_t t = 16; t < 64; t++) {
                uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
                uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
                w[t] = w[t - 16] + s0 + w[t - 7] + s1;
        }
        memcpy(v, h, sizeof v);
        for (size_t t = 0; t < 64; t++) {
                uint32_t S1 = rotr(v[4], 6) ^ rotr(v[4], 11) ^ rotr(v[4], 25);
                uint32_t ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
                uint32_t t1 = v[7] + S1 + ch + K[t] + w[t];
                uint32_t S0 = rotr(v[0], 2) ^ rotr(v[0], 13) ^ rotr(v[0], 22);
                uint32_t maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);

                memmove(v + 1, v, 7 * sizeof v[0]);
                v[4] += t1;
                v[0] = t1 + S0 + maj;
        }
        for (size_t i = 0; i < 8; i++)
                h[i] += v[i];
}

void sha256_hex(const void *data, size_t size, char hex[static SHA256_HEX_SIZE])
{
        uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
                0x5be0cd19};
        const uint8_t *p = data;
        uint8_t tail[128] = {};
        uint64_t bits = (uint64_t) size * 8;
        size_t full = size / 64 * 64, rest = size - full, n_tail;

        for (size_t off = 0; off < full; off += 64)
                sha256_block(h, p + off);
        /* The padding: 0x80, zeros, then the length in bits, big-endian, to a block boundary. */
        if (rest)
                memcpy(tail, p + full, rest);
        tail[rest] = 0x80;
        n_tail = rest + 1 + 8 <= 64 ? 64 : 128;
        for (size_t i = 0; i < 8; i++)
                tail[n_tail - 1 - i] = (uint8_t) (bits >> (8 * i));
        for (size_t off = 0; off < n_tail; off += 64)
                sha256_block(h, tail + off);
        for (size_t i = 0; i < 8; i++)
                snprintf(hex + 8 * i, 9, "%08x", (unsigned) h[i]);
}
