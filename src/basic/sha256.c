/* SPDX-License-Identifier: MIT */
#include "basic/sha256.h"

#include <errno.h>
#include <gcrypt.h>
#include <limits.h>
#include <pthread.h>

#include "basic/util.h"

/* The oldest libgcrypt accepted at run time: configure.ac's PKG_CHECK_MODULES asks for the same. */
#define SHA256_GCRYPT_MIN_VERSION "1.8.0"

/* libgcrypt wants gcry_check_version() before any other call, made once and published to every
 * thread that hashes. The first sha256_*() call does it, whichever thread that is (today the
 * main thread, while the Docker API threads run; pthread_once() makes a hash from a thread safe
 * too, and needs no set-up call in main() or in every test). Written once, inside the
 * pthread_once(), and only read after it: the one piece of process state in this file. */
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;
static int sha256_init_result;

static void sha256_init(void)
{
        if (!gcry_check_version(SHA256_GCRYPT_MIN_VERSION)) {
                sha256_init_result = -ELIBBAD; /* an older libgcrypt than the build asked for */
                return;
        }
        /* Another library of the process (libsystemd's journal sealing) may have done it. A
         * digest keeps no secret: no secure memory (its mlock() and the warnings without it). */
        if (!gcry_control(GCRYCTL_INITIALIZATION_FINISHED_P)) {
                (void) gcry_control(GCRYCTL_DISABLE_SECMEM, 0);
                (void) gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
        }
}

int sha256_digestv(
        const void *const *data, const size_t *size, size_t n, uint8_t ret[static SHA256_DIGEST_SIZE])
{
        gcry_buffer_t few[4];
        _cleanup_free_ gcry_buffer_t *many = NULL;
        gcry_buffer_t *iov = few;
        gcry_error_t e;

        if (pthread_once(&sha256_once, sha256_init) != 0)
                return -ENOTRECOVERABLE;
        if (sha256_init_result < 0)
                return sha256_init_result;
        if (n > INT_MAX)
                return -EINVAL;
        if (n > ELEMENTSOF(few) && !(iov = many = calloc(n, sizeof *many)))
                return -ENOMEM;
        for (size_t i = 0; i < n; i++)
                iov[i] = (gcry_buffer_t){.size = size[i], .len = size[i], .data = (void *) data[i]};
        e = gcry_md_hash_buffers(GCRY_MD_SHA256, 0, ret, iov, (int) n);
        if (e != 0) {
                int err = gcry_err_code_to_errno(gcry_err_code(e));

                return err > 0 ? -err : -ENOMEM;
        }
        return 0;
}

int sha256_hex(const void *data, size_t size, char hex[static SHA256_HEX_SIZE])
{
        static const char digits[] = "0123456789abcdef";
        uint8_t d[SHA256_DIGEST_SIZE];
        int r = sha256_digestv(&data, &size, 1, d);

        hex[0] = '\0';
        if (r < 0)
                return r;
        for (size_t i = 0; i < SHA256_DIGEST_SIZE; i++) {
                hex[2 * i] = digits[d[i] >> 4];
                hex[2 * i + 1] = digits[d[i] & 15];
        }
        hex[2 * SHA256_DIGEST_SIZE] = '\0';
        return 0;
}
