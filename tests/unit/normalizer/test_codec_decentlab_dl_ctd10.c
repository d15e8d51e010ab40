/* test_codec_decentlab_dl_ctd10.c - unit tests of the Decentlab DL-CTD10 codec.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>

#include "codec_test.h"
#include "mue_err.h"

extern const struct codec codec_decentlab_dl_ctd10;

#define FPORT 1

static int decode(const uint8_t *buf, size_t len, unsigned fport, struct codec_result *res)
{
    return codec_test_decode(&codec_decentlab_dl_ctd10, buf, len, fport, res);
}

/* How each key of the vendor's output maps to ours (codec_test.h). */
static const struct codec_test_key_map key_map[] = {
    { "water_depth", "water_depth", CODEC_TEST_QUANTITY, 0.001 },            /* mm -> m */
    { "temperature", "temperature", CODEC_TEST_QUANTITY, 1.0 },              /* °C -> °C */
    { "electrical_conductivity", "conductivity", CODEC_TEST_QUANTITY, 1.0 }, /* µS/cm -> µS/cm */
    { "freezing_flag", "freezing", CODEC_TEST_QUANTITY, 1.0 },               /* 0/1 -> 0/1 */
    { "battery_voltage", "battery_voltage", CODEC_TEST_QUANTITY, 1.0 },      /* V -> V */
    { "device_id", "device_id", CODEC_TEST_ATTR, 1.0 },
    { "protocol_version", NULL, CODEC_TEST_CHECKED, 1.0 }, /* always 2, the codec refuses others */
};

/* The vendor's published examples (TTN vendor/decentlab/dl-ctd10-codec.yaml @62c8acdd, decoded
 * by dl-ctd10.js @0a254aaa), with its keys and values as published. */
static const struct vendor_example {
    const char *hex;
    struct codec_test_vendor_value data[8];
} examples[] = {
    { "0207d9000390888081006400000c60",
      { { "battery_voltage", 3.168 },
        { "device_id", 2009 },
        { "electrical_conductivity", 100 },
        { "freezing_flag", 0 },
        { "protocol_version", 2 },
        { "temperature", 12.9 },
        { "water_depth", 4232 } } },
    { "0207d900020c60",
      { { "battery_voltage", 3.168 }, { "device_id", 2009 }, { "protocol_version", 2 } } },
};

static void check_example(const struct vendor_example *ex)
{
    struct codec_result res;

    MUE_ASSERT_INT_EQ(codec_test_decode_hex(&codec_decentlab_dl_ctd10, ex->hex, FPORT, &res),
                      MUE_OK);
    codec_test_check_vendor_values(&res, ex->data, key_map, sizeof(key_map) / sizeof(key_map[0]));
}

static void test_vendor_example1_full_frame(void)
{
    check_example(&examples[0]);
}

static void test_vendor_example2_battery_only(void)
{
    check_example(&examples[1]);
}

/* Depth and temperature are offset-binary around 32768: below it they are negative. */
static void test_negative_depth_and_temperature(void)
{
    static const uint8_t buf[] = { 0x02, 0x07, 0xd9, 0x00, 0x01, 0x7f, 0xff,
                                   0x7f, 0xce, 0x00, 0x00, 0x00, 0x01 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 4);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "water_depth"), -0.001, 1e-12);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "temperature"), -5.0, 1e-12);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "conductivity"), 0.0, 1e-12);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "freezing"), 1.0, 1e-12);
}

static void test_minimum_raw_words(void)
{
    static const uint8_t buf[] = { 0x02, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00,
                                   0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_OK);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "water_depth"), -32.768, 1e-12);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "temperature"), -3276.8, 1e-9);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "battery_voltage"), 0.0, 1e-12);
}

static void test_maximum_raw_words(void)
{
    static const uint8_t buf[] = { 0x02, 0xff, 0xff, 0x00, 0x03, 0xff, 0xff, 0xff,
                                   0xff, 0xff, 0xff, 0x00, 0x00, 0xff, 0xff };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_OK);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "water_depth"), 32.767, 1e-12);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "temperature"), 3276.7, 1e-9);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "conductivity"), 65535.0, 1e-12);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "battery_voltage"), 65.535, 1e-9);
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "device_id"), "65535");
}

/* The vendor passes any word on as the flag; a value other than 0/1 means the group is not what
 * the datasheet describes, so nothing of the frame is believed. */
static void test_freezing_flag_other_than_0_or_1_fails(void)
{
    static const uint8_t buf[] = { 0x02, 0x07, 0xd9, 0x00, 0x03, 0x90, 0x88, 0x80,
                                   0x81, 0x00, 0x64, 0x00, 0x02, 0x0c, 0x60 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "freezing flag 2 at offset 11, expected 0 or 1");
    MUE_ASSERT_UINT_EQ(res.n, 0);
    MUE_ASSERT_UINT_EQ(res.nattr, 0);
}

static void test_fport_range(void)
{
    static const uint8_t buf[] = { 0x02, 0x07, 0xd9, 0x00, 0x02, 0x0c, 0x60 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 1, &res), MUE_OK);
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 223, &res), MUE_OK);
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 0, &res), MUE_EDECODE);
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 255, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "fPort 255: Decentlab devices send on a port from 1 to 223");
}

static void test_wrong_version_fails(void)
{
    static const uint8_t buf[] = { 0x03, 0x07, 0xd9, 0x00, 0x02, 0x0c, 0x60 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "protocol version 3, expected 2");
}

static void test_unknown_flag_bits_fail(void)
{
    static const uint8_t buf[] = { 0x02, 0x07, 0xd9, 0x01, 0x02, 0x0c, 0x60 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "unknown sensor-group flags 0x0100");
}

/* The group of 4 words cut after 3: the vendor decoder would read NaN for the flag. */
static void test_truncated_group_fails(void)
{
    static const uint8_t buf[] = { 0x02, 0x07, 0xd9, 0x00, 0x01, 0x90,
                                   0x88, 0x80, 0x81, 0x00, 0x64, 0x00 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "length 12 does not match flags 0x0001 (expected 13 bytes)");
}

static void test_trailing_bytes_fail(void)
{
    static const uint8_t buf[] = { 0x02, 0x07, 0xd9, 0x00, 0x02, 0x0c, 0x60, 0x0c, 0x60 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "length 9 does not match flags 0x0002 (expected 7 bytes)");
}

static void test_truncated_header_and_empty_fail(void)
{
    static const uint8_t buf[] = { 0x02, 0x07, 0xd9, 0x00 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "truncated header: 4 bytes, need 5");
    MUE_ASSERT_INT_EQ(decode(NULL, 0, FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "empty payload");
}

static void test_codec_find_returns_dl_ctd10(void)
{
    MUE_ASSERT(codec_find("decentlab-dl-ctd10") == &codec_decentlab_dl_ctd10);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_vendor_example1_full_frame),
        MUE_TEST(test_vendor_example2_battery_only),
        MUE_TEST(test_negative_depth_and_temperature),
        MUE_TEST(test_minimum_raw_words),
        MUE_TEST(test_maximum_raw_words),
        MUE_TEST(test_freezing_flag_other_than_0_or_1_fails),
        MUE_TEST(test_fport_range),
        MUE_TEST(test_wrong_version_fails),
        MUE_TEST(test_unknown_flag_bits_fail),
        MUE_TEST(test_truncated_group_fails),
        MUE_TEST(test_trailing_bytes_fail),
        MUE_TEST(test_truncated_header_and_empty_fail),
        MUE_TEST(test_codec_find_returns_dl_ctd10),
    };
    return mue_test_run("codec_decentlab_dl_ctd10", tests);
}
