/* test_mue_base64.c - unit tests for base64 and hex: RFC 4648 vectors, bad input, buffer sizes.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <string.h>

#include "mue_base64.h"
#include "mue_err.h"
#include "../mue_test.h"

struct vector {
    const char *plain;
    const char *padded;
    const char *bare;
};

/* RFC 4648 §10. */
static const struct vector rfc4648[] = {
    { "", "", "" },
    { "f", "Zg==", "Zg" },
    { "fo", "Zm8=", "Zm8" },
    { "foo", "Zm9v", "Zm9v" },
    { "foob", "Zm9vYg==", "Zm9vYg" },
    { "fooba", "Zm9vYmE=", "Zm9vYmE" },
    { "foobar", "Zm9vYmFy", "Zm9vYmFy" },
};

static int decode_str(const char *in, uint8_t *out, size_t cap)
{
    return mue_base64_decode(in, strlen(in), out, cap);
}

static void test_rfc4648_decode_padded_and_bare(void)
{
    for (size_t i = 0; i < sizeof(rfc4648) / sizeof(rfc4648[0]); i++) {
        uint8_t out[16];
        size_t n = strlen(rfc4648[i].plain);

        memset(out, 0, sizeof(out));
        MUE_ASSERT_INT_EQ(decode_str(rfc4648[i].padded, out, sizeof(out)), n);
        MUE_ASSERT(memcmp(out, rfc4648[i].plain, n) == 0);
        memset(out, 0, sizeof(out));
        MUE_ASSERT_INT_EQ(decode_str(rfc4648[i].bare, out, sizeof(out)), n);
        MUE_ASSERT(memcmp(out, rfc4648[i].plain, n) == 0);
    }
}

static void test_rfc4648_encode(void)
{
    for (size_t i = 0; i < sizeof(rfc4648) / sizeof(rfc4648[0]); i++) {
        char out[16];
        const char *p = rfc4648[i].plain;

        MUE_ASSERT_INT_EQ(mue_base64_encode((const uint8_t *)p, strlen(p), out, sizeof(out)),
                          strlen(rfc4648[i].padded));
        MUE_ASSERT_STR_EQ(out, rfc4648[i].padded);
    }
}

static void test_decodes_network_server_examples(void)
{
    static const uint8_t dingtek[] = { 0x80, 0x00, 0x15, 0x01, 0x15, 0x00, 0x00,
                                       0x00, 0x00, 0x01, 0x6f, 0x00, 0x00, 0x00,
                                       0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x81 };
    uint8_t out[64];

    MUE_ASSERT_INT_EQ(decode_str("qg==", out, sizeof(out)), 1);
    MUE_ASSERT_UINT_EQ(out[0], 0xaa);
    MUE_ASSERT_INT_EQ(decode_str("gAAVARUAAAAAAW8AAAAAAAAAAQCB", out, sizeof(out)),
                      sizeof(dingtek));
    MUE_ASSERT(memcmp(out, dingtek, sizeof(dingtek)) == 0);
}

static void test_accepts_url_safe_alphabet(void)
{
    uint8_t std[4], url[4];

    MUE_ASSERT_INT_EQ(decode_str("+/8=", std, sizeof(std)), 2);
    MUE_ASSERT_INT_EQ(decode_str("-_8", url, sizeof(url)), 2);
    MUE_ASSERT_UINT_EQ(std[0], 0xfb);
    MUE_ASSERT_UINT_EQ(std[1], 0xff);
    MUE_ASSERT(memcmp(std, url, 2) == 0);
}

static void test_rejects_bad_characters(void)
{
    static const char *const bad[] = { "Zm9v!A==", "Zm 9v", "Zm9v\n", "Zm9\tv",
                                       "Zg=a",     "Z=g=",  "=Zg=",   "Zm9v\xc3\xa9" };
    uint8_t out[16];

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        MUE_ASSERT_INT_EQ(decode_str(bad[i], out, sizeof(out)), MUE_EDECODE);
    /* An embedded NUL is a bad character, not an end of input. */
    MUE_ASSERT_INT_EQ(mue_base64_decode("Zm\0v", 4, out, sizeof(out)), MUE_EDECODE);
}

static void test_rejects_bad_lengths(void)
{
    static const char *const bad[] = { "Z", "Zm9vY", "Zg=", "Zg===", "Zm9=v",
                                       "=", "==",    "===", "====",  "Zm9vY===" };
    uint8_t out[16];

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        MUE_ASSERT_INT_EQ(decode_str(bad[i], out, sizeof(out)), MUE_EDECODE);
}

static void test_decode_reports_small_buffer_without_writing(void)
{
    uint8_t out[6];

    memset(out, 0x55, sizeof(out));
    MUE_ASSERT_INT_EQ(decode_str("Zm9vYmFy", out, 5), MUE_E2BIG);
    MUE_ASSERT_UINT_EQ(out[0], 0x55);
    MUE_ASSERT_INT_EQ(decode_str("Zm9vYmFy", out, 6), 6);
    MUE_ASSERT_INT_EQ(decode_str("", NULL, 0), 0);
}

static void test_encode_needs_room_for_nul(void)
{
    char out[9];

    MUE_ASSERT_INT_EQ(mue_base64_encode((const uint8_t *)"foobar", 6, out, 8), MUE_E2BIG);
    MUE_ASSERT_INT_EQ(mue_base64_encode((const uint8_t *)"foobar", 6, out, 9), 8);
    MUE_ASSERT_INT_EQ(mue_base64_encode(NULL, 0, out, 1), 0);
    MUE_ASSERT_STR_EQ(out, "");
    MUE_ASSERT_INT_EQ(mue_base64_encode(NULL, 0, out, 0), MUE_E2BIG);
}

static void test_round_trips_every_length(void)
{
    uint8_t in[300], back[300];
    char text[404];
    uint32_t x = 12345;

    for (size_t i = 0; i < sizeof(in); i++) {
        x = x * 1103515245u + 12345u; /* any fixed sequence will do */
        in[i] = (uint8_t)(x >> 16);
    }
    for (size_t len = 0; len <= sizeof(in); len++) {
        int n = mue_base64_encode(in, len, text, sizeof(text));
        MUE_ASSERT_INT_EQ(n, (len + 2) / 3 * 4);
        MUE_ASSERT_INT_EQ(mue_base64_decode(text, (size_t)n, back, sizeof(back)), len);
        MUE_ASSERT(memcmp(in, back, len) == 0);
    }
}

static void test_hex_decode(void)
{
    uint8_t out[4];

    MUE_ASSERT_INT_EQ(mue_hex_decode("0aFf7C", 6, out, sizeof(out)), 3);
    MUE_ASSERT_UINT_EQ(out[0], 0x0a);
    MUE_ASSERT_UINT_EQ(out[1], 0xff);
    MUE_ASSERT_UINT_EQ(out[2], 0x7c);
    MUE_ASSERT_INT_EQ(mue_hex_decode("", 0, out, 0), 0);
    MUE_ASSERT_INT_EQ(mue_hex_decode("abc", 3, out, sizeof(out)), MUE_EDECODE);
    MUE_ASSERT_INT_EQ(mue_hex_decode("0g", 2, out, sizeof(out)), MUE_EDECODE);
    MUE_ASSERT_INT_EQ(mue_hex_decode(" 0", 2, out, sizeof(out)), MUE_EDECODE);
    MUE_ASSERT_INT_EQ(mue_hex_decode("0011223344", 10, out, sizeof(out)), MUE_E2BIG);
}

static void test_hex_encode(void)
{
    static const uint8_t in[] = { 0x00, 0xab, 0x7f, 0xff };
    char out[9];

    MUE_ASSERT_INT_EQ(mue_hex_encode(in, sizeof(in), out, sizeof(out)), 8);
    MUE_ASSERT_STR_EQ(out, "00ab7fff");
    MUE_ASSERT_INT_EQ(mue_hex_encode(in, sizeof(in), out, 8), MUE_E2BIG);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_rfc4648_decode_padded_and_bare),
        MUE_TEST(test_rfc4648_encode),
        MUE_TEST(test_decodes_network_server_examples),
        MUE_TEST(test_accepts_url_safe_alphabet),
        MUE_TEST(test_rejects_bad_characters),
        MUE_TEST(test_rejects_bad_lengths),
        MUE_TEST(test_decode_reports_small_buffer_without_writing),
        MUE_TEST(test_encode_needs_room_for_nul),
        MUE_TEST(test_round_trips_every_length),
        MUE_TEST(test_hex_decode),
        MUE_TEST(test_hex_encode),
    };
    return mue_test_run("mue_base64", tests);
}
