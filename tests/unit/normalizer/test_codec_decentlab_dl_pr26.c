/* test_codec_decentlab_dl_pr26.c - unit tests of the Decentlab DL-PR26 (0-1 bar) codec.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>

#include "codec_test.h"
#include "mue_err.h"

extern const struct codec codec_decentlab_dl_pr26;

#define FPORT 1

static int decode(const uint8_t *buf, size_t len, unsigned fport, struct codec_result *res)
{
    return codec_test_decode(&codec_decentlab_dl_pr26, buf, len, fport, res);
}

/* How each key of the vendor's output maps to ours (codec_test.h). */
static const struct codec_test_key_map key_map[] = {
    { "pressure", "pressure", CODEC_TEST_QUANTITY, 1.0 },               /* bar -> bar */
    { "temperature", "temperature", CODEC_TEST_QUANTITY, 1.0 },         /* °C -> °C */
    { "battery_voltage", "battery_voltage", CODEC_TEST_QUANTITY, 1.0 }, /* V -> V */
    { "device_id", "device_id", CODEC_TEST_ATTR, 1.0 },
    { "protocol_version", NULL, CODEC_TEST_CHECKED, 1.0 }, /* always 2, the codec refuses others */
};

/* The vendor's published examples (TTN vendor/decentlab/dl-pr26-0-1-codec.yaml @4952d44d,
 * decoded by dl-pr26-0-1.js @0a254aaa), with its keys and values as published. */
static const struct vendor_example {
    const char *hex;
    struct codec_test_vendor_value data[6];
} examples[] = {
    { "02016700033e8060170c7f",
      { { "battery_voltage", 3.199 },
        { "device_id", 359 },
        { "pressure", -0.01171875 },
        { "protocol_version", 2 },
        { "temperature", 25.671875 } } },
    { "02016700020c7f",
      { { "battery_voltage", 3.199 }, { "device_id", 359 }, { "protocol_version", 2 } } },
};

static void check_example(const struct vendor_example *ex)
{
    struct codec_result res;

    MUE_ASSERT_INT_EQ(codec_test_decode_hex(&codec_decentlab_dl_pr26, ex->hex, FPORT, &res),
                      MUE_OK);
    codec_test_check_vendor_values(&res, ex->data, key_map, sizeof(key_map) / sizeof(key_map[0]));
}

static void test_vendor_example1_pressure_temperature_battery(void)
{
    check_example(&examples[0]);
}

static void test_vendor_example2_battery_only(void)
{
    check_example(&examples[1]);
}

/* The word spans Pmin..Pmax over 16384..49152 (the 0-1 bar variant's constants). */
static void test_pressure_span_ends_are_pmin_and_pmax(void)
{
    static const uint8_t lo[] = { 0x02, 0x01, 0x67, 0x00, 0x01, 0x40, 0x00, 0x01, 0x80 };
    static const uint8_t hi[] = { 0x02, 0x01, 0x67, 0x00, 0x01, 0xc0, 0x00, 0x01, 0x80 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(lo, sizeof(lo), FPORT, &res), MUE_OK);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "pressure"), 0.0, 1e-12);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "temperature"), -50.0, 1e-12); /* word 384 */
    MUE_ASSERT_INT_EQ(decode(hi, sizeof(hi), FPORT, &res), MUE_OK);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "pressure"), 1.0, 1e-12);
}

static void test_minimum_raw_words(void)
{
    static const uint8_t buf[] = {
        0x02, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00
    };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_OK);
    /* underrange, passed on */
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "pressure"), -0.5, 1e-12);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "temperature"), -51.2, 1e-9);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "battery_voltage"), 0.0, 1e-12);
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "device_id"), "0");
}

static void test_maximum_raw_words(void)
{
    static const uint8_t buf[] = {
        0x02, 0xff, 0xff, 0x00, 0x03, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff
    };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_OK);
    /* overload */
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "pressure"), 49151.0 / 32768.0, 1e-12);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "temperature"), 153.596875, 1e-9);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "battery_voltage"), 65.535, 1e-9);
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "device_id"), "65535");
}

static void test_negative_temperature(void)
{
    /* word 0x1100 = 4352: (4352 - 384) * 0.003125 - 50 = -37.6 °C */
    static const uint8_t buf[] = { 0x02, 0x01, 0x67, 0x00, 0x01, 0x40, 0x00, 0x11, 0x00 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_OK);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "temperature"), -37.6, 1e-9);
}

static void test_header_without_groups_gives_no_reading(void)
{
    static const uint8_t buf[] = { 0x02, 0x01, 0x67, 0x00, 0x00 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 0);
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "device_id"), "359");
}

/* The uplink port is configurable (1..223); 0 carries MAC commands only, 224+ is reserved. */
static void test_fport_range(void)
{
    static const uint8_t buf[] = { 0x02, 0x01, 0x67, 0x00, 0x02, 0x0c, 0x7f };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 1, &res), MUE_OK);
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 223, &res), MUE_OK);
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 0, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "fPort 0: Decentlab devices send on a port from 1 to 223");
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 224, &res), MUE_EDECODE);
    MUE_ASSERT_UINT_EQ(res.n, 0);
}

static void test_wrong_version_fails(void)
{
    static const uint8_t buf[] = { 0x01, 0x01, 0x67, 0x00, 0x02, 0x0c, 0x7f };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "protocol version 1, expected 2");
}

static void test_unknown_flag_bits_fail(void)
{
    static const uint8_t buf[] = { 0x02, 0x01, 0x67, 0x00, 0x06, 0x0c, 0x7f, 0x00, 0x00 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "unknown sensor-group flags 0x0004");
    MUE_ASSERT_UINT_EQ(res.nattr, 0);
}

static void test_truncated_group_fails(void)
{
    static const uint8_t buf[] = { 0x02, 0x01, 0x67, 0x00, 0x03, 0x3e, 0x80, 0x60, 0x17, 0x0c };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "length 10 does not match flags 0x0003 (expected 11 bytes)");
    MUE_ASSERT_UINT_EQ(res.n, 0);
}

static void test_trailing_bytes_fail(void)
{
    static const uint8_t buf[] = { 0x02, 0x01, 0x67, 0x00, 0x02, 0x0c, 0x7f, 0x00 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "length 8 does not match flags 0x0002 (expected 7 bytes)");
}

static void test_truncated_header_and_empty_fail(void)
{
    static const uint8_t buf[] = { 0x02, 0x01, 0x67 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "truncated header: 3 bytes, need 5");
    MUE_ASSERT_INT_EQ(decode(NULL, 0, FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "empty payload");
}

static void test_codec_find_returns_dl_pr26(void)
{
    MUE_ASSERT(codec_find("decentlab-dl-pr26") == &codec_decentlab_dl_pr26);
    MUE_ASSERT_STR_EQ(codec_decentlab_dl_pr26.vendor, "Decentlab");
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_vendor_example1_pressure_temperature_battery),
        MUE_TEST(test_vendor_example2_battery_only),
        MUE_TEST(test_pressure_span_ends_are_pmin_and_pmax),
        MUE_TEST(test_minimum_raw_words),
        MUE_TEST(test_maximum_raw_words),
        MUE_TEST(test_negative_temperature),
        MUE_TEST(test_header_without_groups_gives_no_reading),
        MUE_TEST(test_fport_range),
        MUE_TEST(test_wrong_version_fails),
        MUE_TEST(test_unknown_flag_bits_fail),
        MUE_TEST(test_truncated_group_fails),
        MUE_TEST(test_trailing_bytes_fail),
        MUE_TEST(test_truncated_header_and_empty_fail),
        MUE_TEST(test_codec_find_returns_dl_pr26),
    };
    return mue_test_run("codec_decentlab_dl_pr26", tests);
}
