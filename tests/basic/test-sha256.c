/* SPDX-License-Identifier: MIT */
/* SHA-256 (libgcrypt's, through basic/sha256.c) against the FIPS 180-4 examples and Python's hashlib at the
 * padding boundaries (55/56 bytes: the length still fits the last block or not; 63/64/65; 119/120); pieces
 * (more than sha256.c's four on the stack too); the first call made by several threads at once. */
#include <check.h>
#include <pthread.h>

#include "check-run.h"

#include "basic/sha256.h"
#include "basic/util.h"

static void expect(const void *data, size_t n, const char *hex)
{
        char got[SHA256_HEX_SIZE];

        ck_assert_int_eq(sha256_hex(data, n, got), 0);
        ck_assert_str_eq(got, hex);
}

START_TEST(test_fips_examples)
{
        expect("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        expect("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        expect("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}
END_TEST

START_TEST(test_boundaries)
{
        static const struct {
                size_t n;
                const char *hex;
        } cases[] = {
                {55, "e7313d333c272e639f790978283f9eb392e843d0f29b7016828bb1daa4aac70b"},
                {56, "4324d65f3c103567f5589c710bc08f8523f929a9272e3af36fc968e52abc6c27"},
                {63, "81c80242132f230c3bd41b3e63bbcff16107339549214a99614ff26664625055"},
                {64, "39e3d7b6b5d075d37d053ad89b24b41bef4f3c29760c84447cab3f3be1882241"},
                {65, "aacca6ff74fdbb296d165a45cecfa04e5127bc008770fbbdd48006f2d2fae95e"},
                {119, "9ce7368e4daf32341631b492e80359dc9f594b48453cd0dd5bf0b19279cc177e"},
                {120, "7836b787757e95e58b3ca5aec90b1b004e8deba1e50e9675af9cabf1a13a04b5"},
                {1000, "1e9bc38cbf860b9ec31918b065f9b52476c549a782e0e7990bed8ce3868d2371"},
        };
        unsigned char buf[1000];

        for (size_t i = 0; i < sizeof buf; i++)
                buf[i] = (unsigned char) ((i * 7 + 3) % 256);
        for (size_t i = 0; i < ELEMENTSOF(cases); i++)
                expect(buf, cases[i].n, cases[i].hex);
}
END_TEST

START_TEST(test_million_a)
{
        _cleanup_free_ char *a = malloc(1000000);

        ck_assert_ptr_nonnull(a);
        memset(a, 'a', 1000000);
        expect(a, 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}
END_TEST

/* Pieces hash as their concatenation. */
START_TEST(test_digestv)
{
        const void *data[] = {"ab", "", "c"};
        const size_t size[] = {2, 0, 1};
        uint8_t d[SHA256_DIGEST_SIZE];

        ck_assert_int_eq(sha256_digestv(data, size, 3, d), 0);
        ck_assert_uint_eq(d[0], 0xba);
        ck_assert_uint_eq(d[31], 0xad);
}
END_TEST

/* More pieces than sha256.c keeps on its stack. */
START_TEST(test_digestv_many)
{
        const void *data[] = {"a", "", "b", "", "", "c"};
        const size_t size[] = {1, 0, 1, 0, 0, 1};
        static const uint8_t abc[SHA256_DIGEST_SIZE] = {0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41,
                0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c,
                0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
        uint8_t d[SHA256_DIGEST_SIZE];

        ck_assert_int_eq(sha256_digestv(data, size, ELEMENTSOF(data), d), 0);
        ck_assert_mem_eq(d, abc, sizeof abc);
        ck_assert_int_eq(sha256_digestv(NULL, NULL, 0, d), 0);
        ck_assert_uint_eq(d[0], 0xe3);
        ck_assert_uint_eq(d[31], 0x55);
}
END_TEST

static void *hash_abc(void *userdata)
{
        char *hex = userdata;

        return sha256_hex("abc", 3, hex) == 0 ? hex : NULL;
}

/* Each test runs in a fresh child (Check forks, unless CK_FORK=no): here the library's first
 * use is eight threads at once, which sha256.c's pthread_once() serialises. */
START_TEST(test_first_use_from_threads)
{
        pthread_t t[8];
        char hex[ELEMENTSOF(t)][SHA256_HEX_SIZE];

        for (size_t i = 0; i < ELEMENTSOF(t); i++)
                ck_assert_int_eq(pthread_create(&t[i], NULL, hash_abc, hex[i]), 0);
        for (size_t i = 0; i < ELEMENTSOF(t); i++) {
                void *ret;

                ck_assert_int_eq(pthread_join(t[i], &ret), 0);
                ck_assert_ptr_eq(ret, hex[i]);
                ck_assert_str_eq(hex[i], "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        }
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("sha256");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_fips_examples);
        tcase_add_test(tc, test_boundaries);
        tcase_add_test(tc, test_million_a);
        tcase_add_test(tc, test_digestv);
        tcase_add_test(tc, test_digestv_many);
        tcase_add_test(tc, test_first_use_from_threads);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
