/* test_mue_sha256.c - unit tests for SHA-256: FIPS 180-2/NIST vectors and the padding edges.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mue_sha256.h"
#include "../mue_test.h"

static void check_hex(const char *msg, size_t len, const char *want)
{
    char hex[65];

    memset(hex, 'x', sizeof(hex));
    mue_sha256_hex(msg, len, hex);
    MUE_ASSERT_STR_EQ(hex, want);
}

/* FIPS 180-2 appendix B.1 / NIST CSRC examples. */
static void test_abc(void)
{
    check_hex("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_empty_message(void)
{
    check_hex("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_null_data_with_zero_length_is_the_empty_message(void)
{
    check_hex(NULL, 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

/* FIPS 180-2 appendix B.2: 448 bits, so the padding needs a second block. */
static void test_448_bit_message(void)
{
    static const char m[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

    MUE_ASSERT_UINT_EQ(strlen(m), 56);
    check_hex(m, strlen(m), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* NIST's 896-bit example (two full blocks of message, then padding). */
static void test_896_bit_message(void)
{
    static const char m[] = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                            "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

    MUE_ASSERT_UINT_EQ(strlen(m), 112);
    check_hex(m, strlen(m), "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

/* FIPS 180-2 appendix B.3. */
static void test_one_million_a(void)
{
    size_t n = 1000000;
    char *m = malloc(n);

    MUE_ASSERT(m != NULL);
    memset(m, 'a', n);
    check_hex(m, n, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(m);
}

/* Runs of 'a' around the padding boundaries: 55 bytes leave room for the 0x80 byte and the length
 * in one block, 56..63 do not, 64 is a whole block, 65 spills one byte. Expected values from
 * coreutils sha256sum ("head -c N /dev/zero | tr '\0' a | sha256sum"). */
static void test_lengths_around_the_padding_boundary(void)
{
    static const struct {
        size_t len;
        const char *hex;
    } v[] = {
        { 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318" },
        { 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a" },
        { 63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34" },
        { 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb" },
        { 65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0" },
        { 119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb" },
        { 120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c" },
        { 128, "6836cf13bac400e9105071cd6af47084dfacad4e5e302c94bfed24e013afb73e" },
    };
    char m[128];

    memset(m, 'a', sizeof(m));
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
        check_hex(m, v[i].len, v[i].hex);
}

/* The raw digest is the hex digest's bytes, and the hashing reads exactly 'len' bytes. */
static void test_raw_digest_matches_hex_and_ignores_bytes_past_len(void)
{
    static const uint8_t want[32] = {
        0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
        0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
        0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
    };
    uint8_t d[32];

    mue_sha256("abcdef", 3, d);
    MUE_ASSERT(memcmp(d, want, sizeof(d)) == 0);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_abc),
        MUE_TEST(test_empty_message),
        MUE_TEST(test_null_data_with_zero_length_is_the_empty_message),
        MUE_TEST(test_448_bit_message),
        MUE_TEST(test_896_bit_message),
        MUE_TEST(test_one_million_a),
        MUE_TEST(test_lengths_around_the_padding_boundary),
        MUE_TEST(test_raw_digest_matches_hex_and_ignores_bytes_past_len),
    };
    return mue_test_run("mue_sha256", tests);
}
