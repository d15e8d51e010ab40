/* test_mue_hmac.c - unit tests for HMAC-SHA256: the RFC 4231 test cases and the key-length edges.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <string.h>

#include "mue_hmac.h"
#include "../mue_test.h"

static void check(const void *key, size_t key_len, const void *msg, size_t len, const char *want)
{
    char hex[2 * MUE_SHA256_LEN + 1];

    memset(hex, 'x', sizeof(hex));
    mue_hmac_sha256_hex(key, key_len, msg, len, hex);
    MUE_ASSERT_STR_EQ(hex, want);
}

/* RFC 4231 4.2: a 20-byte key of 0x0b. */
static void test_rfc4231_case_1(void)
{
    uint8_t key[20];

    memset(key, 0x0b, sizeof(key));
    check(key, sizeof(key), "Hi There", 8,
          "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

/* RFC 4231 4.3: a key shorter than the output. */
static void test_rfc4231_case_2(void)
{
    check("Jefe", 4, "what do ya want for nothing?", 28,
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

/* RFC 4231 4.4: key and data of repeated bytes. */
static void test_rfc4231_case_3(void)
{
    uint8_t key[20], data[50];

    memset(key, 0xaa, sizeof(key));
    memset(data, 0xdd, sizeof(data));
    check(key, sizeof(key), data, sizeof(data),
          "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
}

/* RFC 4231 4.5: the key 0x01..0x19. */
static void test_rfc4231_case_4(void)
{
    uint8_t key[25], data[50];

    for (size_t i = 0; i < sizeof(key); i++)
        key[i] = (uint8_t)(i + 1);
    memset(data, 0xcd, sizeof(data));
    check(key, sizeof(key), data, sizeof(data),
          "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
}

/* RFC 4231 4.7: a 131-byte key, hashed first. */
static void test_rfc4231_case_6(void)
{
    static const char m[] = "Test Using Larger Than Block-Size Key - Hash Key First";
    uint8_t key[131];

    memset(key, 0xaa, sizeof(key));
    check(key, sizeof(key), m, strlen(m),
          "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

/* RFC 4231 4.8: a long key and data longer than a block. */
static void test_rfc4231_case_7(void)
{
    static const char m[] = "This is a test using a larger than block-size key and a larger than "
                            "block-size data. The key needs to be hashed before being used by the "
                            "HMAC algorithm.";
    uint8_t key[131];

    memset(key, 0xaa, sizeof(key));
    check(key, sizeof(key), m, strlen(m),
          "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

/* A key of exactly one block is used as is; one byte more and it is hashed (values from
 * Python's hmac module). */
static void test_key_of_one_block_and_one_byte_more(void)
{
    uint8_t key[65];

    memset(key, 'k', sizeof(key));
    check(key, 64, "abc", 3, "ae0c0e4a2340cf50185eb46aaa8723f4769153661612e212fb0d1fa3170c6202");
    check(key, 65, "abc", 3, "ed378e5dfa30dc98814ba09b2e610d9b6af66054922ceef9480da094a3f11b2d");
}

static void test_empty_key_and_message_may_be_null(void)
{
    check(NULL, 0, NULL, 0, "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

static void test_raw_digest_matches_the_hex_form(void)
{
    uint8_t mac[MUE_SHA256_LEN];

    mue_hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, mac);
    MUE_ASSERT_UINT_EQ(mac[0], 0x5b);
    MUE_ASSERT_UINT_EQ(mac[1], 0xdc);
    MUE_ASSERT_UINT_EQ(mac[31], 0x43);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_rfc4231_case_1),
        MUE_TEST(test_rfc4231_case_2),
        MUE_TEST(test_rfc4231_case_3),
        MUE_TEST(test_rfc4231_case_4),
        MUE_TEST(test_rfc4231_case_6),
        MUE_TEST(test_rfc4231_case_7),
        MUE_TEST(test_key_of_one_block_and_one_byte_more),
        MUE_TEST(test_empty_key_and_message_may_be_null),
        MUE_TEST(test_raw_digest_matches_the_hex_form),
    };
    return mue_test_run("mue_hmac", tests);
}
