/* test_codec_milesight_ws302.c - unit tests of the Milesight WS302 sound level sensor codec.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <string.h>

#include "codec_test.h"
#include "mue_err.h"

extern const struct codec codec_milesight_ws302;

#define FPORT 85

/* How a key of the vendor decoder's output maps to ours: our value = vendor value * factor.
 * The sound keys keep their names: the vendor builds them the way our vocabulary does, "L" +
 * frequency weighting + time weighting or "eq", + "max" (ws302-decoder.js @15e4f80b), and both
 * are in dB. */
struct key_map {
    const char *vendor;
    const char *ours;
    double factor;
};

static const struct key_map key_maps[] = {
    { "battery", "battery", 1.0 }, /* % */
    { "LAF", "LAF", 1.0 },         { "LAS", "LAS", 1.0 },       { "LAI", "LAI", 1.0 },
    { "LCF", "LCF", 1.0 },         { "LCS", "LCS", 1.0 },       { "LCI", "LCI", 1.0 },
    { "LZF", "LZF", 1.0 },         { "LZS", "LZS", 1.0 },       { "LZI", "LZI", 1.0 },
    { "LAeq", "LAeq", 1.0 },       { "LCeq", "LCeq", 1.0 },     { "LZeq", "LZeq", 1.0 },
    { "LAFmax", "LAFmax", 1.0 },   { "LASmax", "LASmax", 1.0 }, { "LAImax", "LAImax", 1.0 },
    { "LCFmax", "LCFmax", 1.0 },   { "LCSmax", "LCSmax", 1.0 }, { "LCImax", "LCImax", 1.0 },
    { "LZFmax", "LZFmax", 1.0 },   { "LZSmax", "LZSmax", 1.0 }, { "LZImax", "LZImax", 1.0 },
};

/* One example of /work/shared/vectors/milesight_ws302.json, as published. */
struct vendor_example {
    unsigned fport;
    const char *hex;
    struct codec_test_vendor_value expected[8]; /* ended by a NULL key */
};

/* README example (Milesight-IoT/SensorDecoders ws-series/ws302/README.md @105f8e1d, the same
 * bytes in ws302-codec.json); the README gives no fport, 85 is Milesight's uplink port. */
static const struct vendor_example readme_example = {
    FPORT,
    "017564055b053f02da016a02",
    { { "battery", 100 }, { "LAF", 57.5 }, { "LAeq", 47.4 }, { "LAFmax", 61.8 }, { NULL, 0 } },
};

static const struct key_map *key_map_find(const char *vendor)
{
    return codec_test_find_key(key_maps, sizeof(key_maps) / sizeof(key_maps[0]),
                               sizeof(key_maps[0]), vendor);
}

static int decode(const uint8_t *buf, size_t len, unsigned fport, struct codec_result *res)
{
    return codec_test_decode(&codec_milesight_ws302, buf, len, fport, res);
}

static int decode_hex(const char *hex, unsigned fport, struct codec_result *res)
{
    return codec_test_decode_hex(&codec_milesight_ws302, hex, fport, res);
}

/* Decodes the example with its fport and compares every vendor value, through key_maps, with
 * ours; there must be no reading the vendor does not have. */
static void check_vendor_example(const struct vendor_example *ex, struct codec_result *res)
{
    size_t k;

    MUE_ASSERT_INT_EQ(decode_hex(ex->hex, ex->fport, res), MUE_OK);
    codec_test_assert_vocabulary_at_uplink(res);
    for (k = 0; ex->expected[k].key != NULL; k++) {
        const struct key_map *m = key_map_find(ex->expected[k].key);
        MUE_ASSERT(m != NULL);
        MUE_ASSERT_DBL_NEAR(codec_test_reading(res, m->ours), ex->expected[k].value * m->factor,
                            1e-9);
    }
    MUE_ASSERT_UINT_EQ(res->n, k);
}

static void test_vendor_readme_example(void)
{
    struct codec_result res;

    check_vendor_example(&readme_example, &res);
    MUE_ASSERT_UINT_EQ(res.nattr, 0);
}

/* Every defined weighting byte names its three readings, and every name is in the vocabulary.
 * The first user guide lists only 0x01, 0x02 ("time weighting disabled") and 0x05, 0x06 (fast);
 * the vendor decoders since 2023 and the 2025 encoder call time weighting 0 impulse, and so do
 * we: 0x01 is LAI there and here. */
static void test_every_weighting_names_its_readings(void)
{
    static const struct {
        uint8_t weighting;
        const char *l, *leq, *lmax;
    } cases[] = {
        { 0x00, "LZI", "LZeq", "LZImax" }, { 0x01, "LAI", "LAeq", "LAImax" },
        { 0x02, "LCI", "LCeq", "LCImax" }, { 0x04, "LZF", "LZeq", "LZFmax" },
        { 0x05, "LAF", "LAeq", "LAFmax" }, { 0x06, "LCF", "LCeq", "LCFmax" },
        { 0x08, "LZS", "LZeq", "LZSmax" }, { 0x09, "LAS", "LAeq", "LASmax" },
        { 0x0a, "LCS", "LCeq", "LCSmax" },
    };
    uint8_t buf[] = { 0x05, 0x5b, 0x00, 0x3f, 0x02, 0xda, 0x01, 0x6a, 0x02 };
    struct codec_result res;
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        buf[2] = cases[i].weighting;
        MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_OK);
        MUE_ASSERT_UINT_EQ(res.n, 3);
        codec_test_assert_vocabulary_at_uplink(&res);
        MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, cases[i].l), 57.5, 1e-9);
        MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, cases[i].leq), 47.4, 1e-9);
        MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, cases[i].lmax), 61.8, 1e-9);
    }
}

/* After f0535312 the vendor decoder names these "LAundefined", "Lundefinedeq", ...: a reserved
 * weighting is not a level we can name, so the frame is refused. */
static void test_reserved_frequency_weighting_fails(void)
{
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode_hex("017564055b073f02da016a02", FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "sound level weighting 0x07 out of range at byte 3");
    MUE_ASSERT_UINT_EQ(res.n, 0); /* the battery before it is not kept */
    MUE_ASSERT_UINT_EQ(res.nattr, 0);
}

static void test_reserved_time_weighting_fails(void)
{
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode_hex("055b0d3f02da016a02", FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "sound level weighting 0x0d out of range at byte 0");
}

/* The user guide's weighting bytes never set bits 4-7; the vendor decoder ignores them. */
static void test_weighting_high_bits_fail(void)
{
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode_hex("055b153f02da016a02", FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "sound level weighting 0x15 out of range at byte 0");
}

/* Levels are uint16 in 0.1 dB, unsigned: 0xffff is 6553.5 dB, not -0.1. */
static void test_level_extremes(void)
{
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode_hex("055b05ffff00000001", FPORT, &res), MUE_OK);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "LAF"), 6553.5, 1e-9);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "LAeq"), 0.0, 1e-9);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "LAFmax"), 25.6, 1e-9);
}

static void test_battery_extremes(void)
{
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode_hex("017500", FPORT, &res), MUE_OK);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "battery"), 0.0, 1e-9);
    MUE_ASSERT_INT_EQ(decode_hex("017565", FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "battery value 101 out of range at byte 0");
    MUE_ASSERT_INT_EQ(decode_hex("0175ff", FPORT, &res), MUE_EDECODE);
}

/* The join frame of the user guide (section 6.1): attributes only. */
static void test_join_frame_gives_attributes_only(void)
{
    struct codec_result res;

    MUE_ASSERT_INT_EQ(
        decode_hex("ff0bffff0101ff166743c13353300001ff090100ff0a0102ff0f00", FPORT, &res), MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 0);
    MUE_ASSERT_UINT_EQ(res.nattr, 6);
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "device_status"), "on");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "protocol_version"), "1");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "serial_number"), "6743c13353300001");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "hardware_version"), "1.0");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "firmware_version"), "1.2");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "lorawan_class"), "Class A");
}

static void test_other_join_attributes(void)
{
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode_hex("ffff0103fffe01ff0f03ff0a0114ff091040", FPORT, &res), MUE_OK);
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "tsl_version"), "1.3");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "reset_event"), "reset");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "lorawan_class"), "Class CtoB");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "firmware_version"), "1.14");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "hardware_version"), "10.4");
}

static void test_lorawan_class_out_of_range_fails(void)
{
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode_hex("ff0f04", FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "LoRaWAN class value 4 out of range at byte 0");
}

/* Replies to every command of ws302-encoder.js, on 0xFE and on 0xFF. */
static void test_downlink_replies_give_attributes(void)
{
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode_hex("fe10ff"       /* reboot */
                                 "ff1135021661" /* 1628832309 = 2021-08-13T05:25:09Z */
                                 "fe175000"     /* 80: UTC+8 */
                                 "ff1d0200"     /* C, impulse */
                                 "fe2d00"       /* LED off */
                                 "ff3b01"       /* time sync on */
                                 "017564",
                                 FPORT, &res),
                      MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 1);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "battery"), 100.0, 1e-9);
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "reboot"), "yes");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "device_time"), "2021-08-13T05:25:09Z");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "time_zone"), "UTC+8");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "frequency_weighting"), "C");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "time_weighting"), "impulse");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "led_indicator"), "disabled");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "time_sync"), "enabled");
}

/* Time zones are tenths of an hour, negative west of Greenwich, with two quarter-hour zones. */
static void test_time_zones(void)
{
    static const struct {
        const char *hex;
        const char *zone;
    } cases[] = {
        { "ff1788ff", "UTC-12" },   { "ff17ddff", "UTC-3:30" },  { "ff170000", "UTC" },
        { "ff173900", "UTC+5:45" }, { "ff177f00", "UTC+12:45" }, { "ff178c00", "UTC+14" },
        { "ff173700", "UTC+5:30" },
    };
    struct codec_result res;
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        MUE_ASSERT_INT_EQ(decode_hex(cases[i].hex, FPORT, &res), MUE_OK);
        MUE_ASSERT_STR_EQ(codec_test_attr(&res, "time_zone"), cases[i].zone);
    }
}

static void test_time_zone_outside_vendor_list_fails(void)
{
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode_hex("ff175100", FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "time zone reply value 81 out of range at byte 0");
    MUE_ASSERT_INT_EQ(decode_hex("ff170080", FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "time zone reply value -32768 out of range at byte 0");
}

static void test_time_reply_extremes(void)
{
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode_hex("ff1100000000", FPORT, &res), MUE_OK);
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "device_time"), "1970-01-01T00:00:00Z");
    MUE_ASSERT_INT_EQ(decode_hex("ff11ffffffff", FPORT, &res), MUE_OK);
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "device_time"), "2106-02-07T06:28:15Z");
}

static void test_bad_reply_values_fail(void)
{
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode_hex("ff1d0300", FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "weighting reply 0x03 0x00 out of range at byte 0");
    MUE_ASSERT_INT_EQ(decode_hex("ff1d0003", FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_INT_EQ(decode_hex("fe2d02", FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "LED indicator reply value 2 out of range at byte 0");
    MUE_ASSERT_INT_EQ(decode_hex("ff3bff", FPORT, &res), MUE_EDECODE);
}

/* The first user guide's commands (0xFF03 interval, 0xFF06 threshold, 0xFF2F LED, 0xFF5D
 * weighting) have no reply in any vendor decoder: their lengths are not known as uplinks. */
static void test_unknown_reply_type_fails(void)
{
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode_hex("ff5d0100", FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "unknown channel 0xff 0x5d at byte 0");
    /* 0xFE is a reply id, but no reply has the type of a join attribute. */
    MUE_ASSERT_INT_EQ(decode_hex("fe0101", FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "unknown channel 0xfe 0x01 at byte 0");
}

static void test_unknown_channel_fails(void)
{
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode_hex("017564065b053f02da016a02", FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "unknown channel 0x06 0x5b at byte 3");
    MUE_ASSERT_UINT_EQ(res.n, 0);
    MUE_ASSERT_INT_EQ(decode_hex("05750a", FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "unknown channel 0x05 0x75 at byte 0");
}

static void test_truncated_frames_fail(void)
{
    static const struct {
        const char *hex;
        const char *reason;
    } cases[] = {
        { "017564055b053f02da016a", "truncated sound level at byte 3" },
        { "055b05", "truncated sound level at byte 0" },
        { "0175", "truncated battery at byte 0" },
        { "01756405", "truncated channel header at byte 3" },
        { "ff1135a216", "truncated time reply at byte 0" },
        { "ff1650", "truncated serial number at byte 0" },
    };
    struct codec_result res;
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        MUE_ASSERT_INT_EQ(decode_hex(cases[i].hex, FPORT, &res), MUE_EDECODE);
        MUE_ASSERT_STR_EQ(res.reason, cases[i].reason);
        MUE_ASSERT_UINT_EQ(res.n, 0);
    }
}

/* A lone trailing byte after a good channel (the vendor decoder reads undefined and goes on). */
static void test_trailing_byte_fails(void)
{
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode_hex("01756401", FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "truncated channel header at byte 3");
}

static void test_empty_payload_fails(void)
{
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(NULL, 0, FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "empty payload");
}

static void test_other_fport_fails(void)
{
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode_hex("017564055b053f02da016a02", 1, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "unexpected fport 1");
    MUE_ASSERT_INT_EQ(decode_hex("017564", 0, &res), MUE_EDECODE);
    MUE_ASSERT_INT_EQ(decode_hex("017564", 86, &res), MUE_EDECODE);
    MUE_ASSERT_UINT_EQ(res.n, 0);
}

/* 22 sound channels are 66 readings: more than a result holds is a refused frame. */
static void test_too_many_readings_fails(void)
{
    static const uint8_t sound[] = { 0x05, 0x5b, 0x05, 0x3f, 0x02, 0xda, 0x01, 0x6a, 0x02 };
    uint8_t buf[22 * sizeof(sound)];
    struct codec_result res;
    size_t i;

    for (i = 0; i < 22; i++)
        memcpy(buf + i * sizeof(sound), sound, sizeof(sound));
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "more than 64 readings (at LAeq)");
    MUE_ASSERT_UINT_EQ(res.n, 0);
    MUE_ASSERT_UINT_EQ(res.nattr, 0);
}

static void test_codec_is_registered(void)
{
    MUE_ASSERT(codec_find("milesight-ws302") == &codec_milesight_ws302);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_vendor_readme_example),
        MUE_TEST(test_every_weighting_names_its_readings),
        MUE_TEST(test_reserved_frequency_weighting_fails),
        MUE_TEST(test_reserved_time_weighting_fails),
        MUE_TEST(test_weighting_high_bits_fail),
        MUE_TEST(test_level_extremes),
        MUE_TEST(test_battery_extremes),
        MUE_TEST(test_join_frame_gives_attributes_only),
        MUE_TEST(test_other_join_attributes),
        MUE_TEST(test_lorawan_class_out_of_range_fails),
        MUE_TEST(test_downlink_replies_give_attributes),
        MUE_TEST(test_time_zones),
        MUE_TEST(test_time_zone_outside_vendor_list_fails),
        MUE_TEST(test_time_reply_extremes),
        MUE_TEST(test_bad_reply_values_fail),
        MUE_TEST(test_unknown_reply_type_fails),
        MUE_TEST(test_unknown_channel_fails),
        MUE_TEST(test_truncated_frames_fail),
        MUE_TEST(test_trailing_byte_fails),
        MUE_TEST(test_empty_payload_fails),
        MUE_TEST(test_other_fport_fails),
        MUE_TEST(test_too_many_readings_fails),
        MUE_TEST(test_codec_is_registered),
    };
    return mue_test_run("codec_milesight_ws302", tests);
}
