/* SPDX-License-Identifier: MIT */
#include "basic/sha256.h"

#include <errno.h>
#include <openssl/evp.h>

#include "basic/util.h"

static void evp_md_ctx_freep(EVP_MD_CTX **c)
{
        EVP_MD_CTX_free(*c);
}

int sha256_digestv(
        const void *const *data, const size_t *size, size_t n, uint8_t ret[static SHA256_DIGEST_SIZE])
{
        _cleanup_(evp_md_ctx_freep) EVP_MD_CTX *c = EVP_MD_CTX_new();
        unsigned len = 0;

        if (!c || EVP_DigestInit_ex(c, EVP_sha256(), NULL) != 1)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++)
                if (EVP_DigestUpdate(c, data[i], size[i]) != 1)
                        return -ENOMEM;
        if (EVP_DigestFinal_ex(c, ret, &len) != 1 || len != SHA256_DIGEST_SIZE)
                return -ENOMEM;
        return 0;
}

int sha256_hex(const void *data, size_t size, char hex[static SHA256_HEX_SIZE])
{
        static const char digits[] = "0123456789abcdef";
        uint8_t d[SHA256_DIGEST_SIZE];
        int r = sha256_digestv(&data, &size, 1, d);

        if (r < 0)
                return r;
        for (size_t i = 0; i < SHA256_DIGEST_SIZE; i++) {
                hex[2 * i] = digits[d[i] >> 4];
                hex[2 * i + 1] = digits[d[i] & 15];
        }
        hex[2 * SHA256_DIGEST_SIZE] = '\0';
        return 0;
}
