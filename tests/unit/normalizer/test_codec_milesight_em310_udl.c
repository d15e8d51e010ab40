/* test_codec_milesight_em310_udl.c - unit tests of the codec table and the Milesight EM310-UDL
 * codec. SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <string.h>

#include "codec_test.h"
#include "mue_err.h"

extern const struct codec codec_milesight_em310_udl;

#define FPORT 85

/* The codec's own decode function, without codec_decode()'s restoring on failure. */
static int decode(const uint8_t *buf, size_t len, unsigned fport, struct codec_result *res)
{
    return codec_test_decode_raw(&codec_milesight_em310_udl, buf, len, fport, res);
}

/* vendor example (TTN em310-udl-codec.yaml and the vendor README): 01755c 03824408 040001
 * -> battery 92, distance 2116 mm, tilt/position "tilt" */
static void test_vendor_example_decodes_to_vendor_values(void)
{
    static const uint8_t buf[] = { 0x01, 0x75, 0x5c, 0x03, 0x82, 0x44, 0x08, 0x04, 0x00, 0x01 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 3);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "battery"), 92.0, 1e-9);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "distance"), 2.116, 1e-9);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "tilt"), 1.0, 1e-9);
    MUE_ASSERT_STR_EQ(res.reason, "");
}

static void test_normal_position_is_tilt_zero(void)
{
    static const uint8_t buf[] = { 0x04, 0x00, 0x00, 0x03, 0x82, 0xff, 0xff };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 2);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "tilt"), 0.0, 1e-9);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "distance"), 65.535, 1e-9); /* u16 is unsigned */
}

/* The join frame: every attribute channel of the vendor decoder, and no measurement. */
static void test_attribute_frame_gives_no_reading(void)
{
    static const uint8_t buf[] = {
        0xff, 0x0b, 0xff,                                           /* device status */
        0xff, 0x01, 0x01,                                           /* protocol version */
        0xff, 0x16, 0x66, 0x16, 0xc1, 0x91, 0x46, 0x68, 0x00, 0x01, /* serial number */
        0xff, 0x09, 0x01, 0x10,                                     /* hardware version */
        0xff, 0x0a, 0x01, 0x14,                                     /* firmware version */
        0xff, 0x0f, 0x00,                                           /* LoRaWAN class */
        0xff, 0xfe, 0x01,                                           /* reset event */
        0xff, 0xff, 0x01, 0x00,                                     /* TSL version */
    };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 0);
}

static void test_downlink_replies_are_skipped(void)
{
    static const uint8_t buf[] = {
        0xfe, 0x02, 0x1e, 0x00,                                           /* collection 30 s */
        0xff, 0x03, 0x58, 0x02,                                           /* report 600 s */
        0xfe, 0x06, 0x81, 0xc8, 0x00, 0xe8, 0x03, 0x00, 0x00, 0x00, 0x00, /* alarm config */
        0xff, 0x10, 0xff,                                                 /* reboot */
        0x01, 0x75, 0x64,                                                 /* battery 100 */
    };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 1);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "battery"), 100.0, 1e-9);
}

static void test_unknown_channel_fails_with_its_bytes_and_offset(void)
{
    static const uint8_t buf[] = { 0x01, 0x75, 0x5c, 0x05, 0x82, 0x44, 0x08 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "unknown channel 0x05 0x82 at byte 3");
    MUE_ASSERT_UINT_EQ(res.n, 0); /* the battery before it is not kept */
}

/* 0xFE is a downlink-reply id, but the vendor knows no reset event there. */
static void test_unknown_reply_type_fails(void)
{
    static const uint8_t buf[] = { 0xfe, 0xfe, 0x01 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "unknown channel 0xfe 0xfe at byte 0");
}

static void test_truncated_distance_fails(void)
{
    static const uint8_t buf[] = { 0x01, 0x75, 0x5c, 0x03, 0x82, 0x44 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "truncated distance at byte 3");
    MUE_ASSERT_UINT_EQ(res.n, 0);
}

static void test_truncated_battery_fails(void)
{
    static const uint8_t buf[] = { 0x01, 0x75 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "truncated battery at byte 0");
}

static void test_truncated_serial_number_fails(void)
{
    static const uint8_t buf[] = { 0xff, 0x16, 0x66, 0x16, 0xc1, 0x91, 0x46, 0x68, 0x00 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "truncated serial number at byte 0");
}

static void test_lone_channel_id_fails(void)
{
    static const uint8_t buf[] = { 0x01, 0x75, 0x5c, 0x03 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "truncated channel header at byte 3");
}

static void test_position_outside_vendor_values_fails(void)
{
    static const uint8_t buf[] = { 0x04, 0x00, 0x02 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "position value 2 out of range at byte 0");
}

static void test_empty_payload_fails(void)
{
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(NULL, 0, FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "empty payload");
}

static void test_other_fport_fails(void)
{
    static const uint8_t buf[] = { 0x01, 0x75, 0x5c };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 1, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "unexpected fport 1");
    MUE_ASSERT_UINT_EQ(res.n, 0);
}

/* CODEC_MAX_READINGS + 1 battery channels: more readings than a result holds is a refused frame,
 * not a crash. */
static void test_too_many_readings_fails(void)
{
    uint8_t buf[3 * (CODEC_MAX_READINGS + 1)];
    struct codec_result res;
    size_t i;

    for (i = 0; i < sizeof(buf); i += 3) {
        buf[i] = 0x01;
        buf[i + 1] = 0x75;
        buf[i + 2] = 50;
    }
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "more than 64 readings (at battery)");
    MUE_ASSERT_UINT_EQ(res.n, 0);
}

/* A codec appends: readings already in the result stay, on success and on failure. */
static void test_decode_appends_and_keeps_earlier_readings(void)
{
    static const uint8_t good[] = { 0x01, 0x75, 0x5c };
    static const uint8_t bad[] = { 0x01, 0x75, 0x5c, 0x09, 0x09 };
    struct codec_result res;

    memset(&res, 0, sizeof(res));
    MUE_ASSERT_INT_EQ(codec_add(&res, "valid_samples", 3.0), MUE_OK);
    MUE_ASSERT_INT_EQ(codec_milesight_em310_udl.decode(good, sizeof(good), FPORT, &res), MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 2);
    MUE_ASSERT_INT_EQ(codec_milesight_em310_udl.decode(bad, sizeof(bad), FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_UINT_EQ(res.n, 2);
    MUE_ASSERT_STR_EQ(res.r[0].quantity, "valid_samples");
}

static void test_codec_find_returns_each_codec(void)
{
    const struct codec *c = codec_find("milesight-em310-udl");

    MUE_ASSERT(c != NULL);
    MUE_ASSERT_STR_EQ(c->model, "milesight-em310-udl");
    MUE_ASSERT(c == &codec_milesight_em310_udl);
}

static void test_codec_find_unknown_model_is_null(void)
{
    MUE_ASSERT(codec_find("nope") == NULL);
    MUE_ASSERT(codec_find("") == NULL);
    MUE_ASSERT(codec_find("milesight-em310") == NULL); /* no prefix match */
    MUE_ASSERT(codec_find(NULL) == NULL);
}

static void test_codec_add_refuses_past_max(void)
{
    struct codec_result res;
    int i;

    memset(&res, 0, sizeof(res));
    for (i = 0; i < CODEC_MAX_READINGS; i++)
        MUE_ASSERT_INT_EQ(codec_add(&res, "battery", (double)i), MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, CODEC_MAX_READINGS);
    MUE_ASSERT_INT_EQ(codec_add(&res, "distance", 1.0), MUE_E2BIG);
    MUE_ASSERT_UINT_EQ(res.n, CODEC_MAX_READINGS);
    MUE_ASSERT_STR_EQ(res.reason, "more than 64 readings (at distance)");
    MUE_ASSERT_DBL_NEAR(res.r[CODEC_MAX_READINGS - 1].value, CODEC_MAX_READINGS - 1, 1e-9);
}

static void test_codec_fail_formats_reason(void)
{
    struct codec_result res;

    memset(&res, 0, sizeof(res));
    MUE_ASSERT_INT_EQ(codec_fail(&res, "bad %s at byte %d", "thing", 7), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "bad thing at byte 7");
}

static void test_codec_fail_truncates_long_reason(void)
{
    struct codec_result res;
    char long_text[400];

    memset(long_text, 'x', sizeof(long_text) - 1);
    long_text[sizeof(long_text) - 1] = '\0';
    memset(&res, 0, sizeof(res));
    MUE_ASSERT_INT_EQ(codec_fail(&res, "%s", long_text), MUE_EDECODE);
    MUE_ASSERT_UINT_EQ(strlen(res.reason), sizeof(res.reason) - 1);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_vendor_example_decodes_to_vendor_values),
        MUE_TEST(test_normal_position_is_tilt_zero),
        MUE_TEST(test_attribute_frame_gives_no_reading),
        MUE_TEST(test_downlink_replies_are_skipped),
        MUE_TEST(test_unknown_channel_fails_with_its_bytes_and_offset),
        MUE_TEST(test_unknown_reply_type_fails),
        MUE_TEST(test_truncated_distance_fails),
        MUE_TEST(test_truncated_battery_fails),
        MUE_TEST(test_truncated_serial_number_fails),
        MUE_TEST(test_lone_channel_id_fails),
        MUE_TEST(test_position_outside_vendor_values_fails),
        MUE_TEST(test_empty_payload_fails),
        MUE_TEST(test_other_fport_fails),
        MUE_TEST(test_too_many_readings_fails),
        MUE_TEST(test_decode_appends_and_keeps_earlier_readings),
        MUE_TEST(test_codec_find_returns_each_codec),
        MUE_TEST(test_codec_find_unknown_model_is_null),
        MUE_TEST(test_codec_add_refuses_past_max),
        MUE_TEST(test_codec_fail_formats_reason),
        MUE_TEST(test_codec_fail_truncates_long_reason),
    };
    return mue_test_run("codec_em310_udl", tests);
}
