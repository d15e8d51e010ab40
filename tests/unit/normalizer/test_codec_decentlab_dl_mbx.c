/* test_codec_decentlab_dl_mbx.c - unit tests of the Decentlab DL-MBX codec.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>

#include "codec_test.h"
#include "mue_err.h"

extern const struct codec codec_decentlab_dl_mbx;

/* The codec's own decode function, without codec_decode()'s restoring on failure. */
static int decode(const uint8_t *buf, size_t len, unsigned fport, struct codec_result *res)
{
    return codec_test_decode_raw(&codec_decentlab_dl_mbx, buf, len, fport, res);
}

/* vendor example 1 (TTN dl-mbx-codec.yaml): 02012f000304d200010bb1 -> distance 1234 mm,
 * number_of_valid_samples 1, battery_voltage 2.993 V */
static void test_vendor_example1_decodes_to_vendor_values(void)
{
    static const uint8_t buf[] = {
        0x02, 0x01, 0x2f, 0x00, 0x03, 0x04, 0xd2, 0x00, 0x01, 0x0b, 0xb1
    };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 1, &res), MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 3);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "distance"), 1.234, 1e-9);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "valid_samples"), 1.0, 1e-9);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "battery_voltage"), 2.993, 1e-9);
}

/* vendor example 2: 02012f00020bb1 -> battery_voltage 2.993 V only */
static void test_vendor_example2_battery_only(void)
{
    static const uint8_t buf[] = { 0x02, 0x01, 0x2f, 0x00, 0x02, 0x0b, 0xb1 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 1, &res), MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 1);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "battery_voltage"), 2.993, 1e-9);
}

static void test_distance_group_alone(void)
{
    static const uint8_t buf[] = { 0x02, 0x01, 0x2f, 0x00, 0x01, 0xff, 0xff, 0x00, 0x0a };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 1, &res), MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 2);
    /* words are unsigned */
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "distance"), 65.535, 1e-9);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "valid_samples"), 10.0, 1e-9);
}

/* Without a valid sample the distance word measures nothing, so it must not reach derive. */
static void test_no_valid_sample_drops_distance(void)
{
    static const uint8_t buf[] = {
        0x02, 0x01, 0x2f, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x0b, 0xb1
    };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 1, &res), MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 2);
    MUE_ASSERT(!codec_test_has_reading(&res, "distance"));
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "valid_samples"), 0.0, 1e-9);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "battery_voltage"), 2.993, 1e-9);
}

static void test_header_without_groups_gives_no_reading(void)
{
    static const uint8_t buf[] = { 0x02, 0x01, 0x2f, 0x00, 0x00 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 1, &res), MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 0);
}

static void test_any_fport_is_accepted(void)
{
    static const uint8_t buf[] = { 0x02, 0x01, 0x2f, 0x00, 0x02, 0x0b, 0xb1 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 0, &res), MUE_OK);
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 85, &res), MUE_OK);
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 223, &res), MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 1);
}

static void test_wrong_version_fails(void)
{
    static const uint8_t buf[] = { 0x03, 0x01, 0x2f, 0x00, 0x02, 0x0b, 0xb1 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 1, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "protocol version 3, expected 2");
    MUE_ASSERT_UINT_EQ(res.n, 0);
}

static void test_unknown_flag_bits_fail(void)
{
    static const uint8_t buf[] = { 0x02, 0x01, 0x2f, 0x80, 0x06, 0x0b, 0xb1, 0x00, 0x00 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 1, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "unknown sensor-group flags 0x8004");
}

static void test_truncated_group_fails(void)
{
    static const uint8_t buf[] = { 0x02, 0x01, 0x2f, 0x00, 0x03, 0x04, 0xd2, 0x00, 0x01, 0x0b };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 1, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "length 10 does not match flags 0x0003 (expected 11 bytes)");
    MUE_ASSERT_UINT_EQ(res.n, 0);
}

static void test_trailing_bytes_fail(void)
{
    static const uint8_t buf[] = { 0x02, 0x01, 0x2f, 0x00, 0x02, 0x0b, 0xb1, 0x00 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 1, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "length 8 does not match flags 0x0002 (expected 7 bytes)");
}

static void test_truncated_header_fails(void)
{
    static const uint8_t buf[] = { 0x02, 0x01, 0x2f, 0x00 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 1, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "truncated header: 4 bytes, need 5");
}

static void test_empty_payload_fails(void)
{
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(NULL, 0, 1, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "empty payload");
}

static void test_codec_find_returns_dl_mbx(void)
{
    const struct codec *c = codec_find("decentlab-dl-mbx");

    MUE_ASSERT(c != NULL);
    MUE_ASSERT_STR_EQ(c->model, "decentlab-dl-mbx");
    MUE_ASSERT(c == &codec_decentlab_dl_mbx);
    MUE_ASSERT(codec_find("nope") == NULL);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_vendor_example1_decodes_to_vendor_values),
        MUE_TEST(test_vendor_example2_battery_only),
        MUE_TEST(test_distance_group_alone),
        MUE_TEST(test_no_valid_sample_drops_distance),
        MUE_TEST(test_header_without_groups_gives_no_reading),
        MUE_TEST(test_any_fport_is_accepted),
        MUE_TEST(test_wrong_version_fails),
        MUE_TEST(test_unknown_flag_bits_fail),
        MUE_TEST(test_truncated_group_fails),
        MUE_TEST(test_trailing_bytes_fail),
        MUE_TEST(test_truncated_header_fails),
        MUE_TEST(test_empty_payload_fails),
        MUE_TEST(test_codec_find_returns_dl_mbx),
    };
    return mue_test_run("codec_dl_mbx", tests);
}
