/* test_codec_elsys_ers_sound.c - unit tests of the Elsys ERS Sound codec (generic Elsys TLV).
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <string.h>

#include "codec_test.h"
#include "mue_err.h"

extern const struct codec codec_elsys_ers_sound;

static int decode(const uint8_t *buf, size_t len, unsigned fport, struct codec_result *res)
{
    return codec_test_decode(&codec_elsys_ers_sound, buf, len, fport, res);
}

/* How a key of the vendor's output (TTN elsys.js) maps onto ours. */
struct key_map {
    const char *vendor_key;
    double vendor_value; /* as published in the example */
    const char *quantity;
    double factor; /* vendor unit -> ours */
};

/* TTN vendor/elsys/ers-sound-codec.yaml @6a51637e, "ERS Sound Lite temperature, humidity,
 * light, motion and sound": fPort 1, 0100e202290400270506150101. soundPeak/soundAvg are dB(A)
 * peak and average (see the codec), i.e. LAmax and LAeq; light is lux; the rest is unchanged. */
static const struct key_map ttn_example_map[] = {
    { "temperature", 22.6, "temperature", 1.0 },
    { "humidity", 41, "humidity", 1.0 },
    { "light", 39, "illuminance", 1.0 },
    { "motion", 6, "motion", 1.0 },
    { "soundPeak", 1, "LAmax", 1.0 },
    { "soundAvg", 1, "LAeq", 1.0 },
};

static void test_ttn_vendor_example_maps_to_vendor_values(void)
{
    static const uint8_t buf[] = { 0x01, 0x00, 0xe2, 0x02, 0x29, 0x04, 0x00,
                                   0x27, 0x05, 0x06, 0x15, 0x01, 0x01 };
    struct codec_result res;
    size_t i;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 1, &res), MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, sizeof(ttn_example_map) / sizeof(ttn_example_map[0]));
    for (i = 0; i < sizeof(ttn_example_map) / sizeof(ttn_example_map[0]); i++) {
        const struct key_map *m = &ttn_example_map[i];

        MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, m->quantity), m->vendor_value * m->factor,
                            1e-9);
    }
    codec_test_assert_vocabulary(&res);
    MUE_ASSERT_UINT_EQ(res.nattr, 0);
}

/* A real-looking ERS Sound uplink on the default port 5, with the supply voltage (akenza-io
 * device-type-library types/elsys/ers-sound/uplink.spec.js @fb9ef3e5): 0100ee02230400bd070df6
 * 15402c -> temperature 23.8, humidity 35, light 189, batteryVoltage 3.574 V, soundPeak 64,
 * soundAvg 44. vdd is in mV in elsys.js, so battery_voltage is vdd / 1000. */
static void test_akenza_example_with_vdd(void)
{
    static const uint8_t buf[] = { 0x01, 0x00, 0xee, 0x02, 0x23, 0x04, 0x00,
                                   0xbd, 0x07, 0x0d, 0xf6, 0x15, 0x40, 0x2c };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 5, &res), MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 6);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "temperature"), 23.8, 1e-9);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "humidity"), 35.0, 1e-9);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "illuminance"), 189.0, 1e-9);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "battery_voltage"), 3.574, 1e-9);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "LAmax"), 64.0, 1e-9);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "LAeq"), 44.0, 1e-9);
    codec_test_assert_vocabulary(&res);
}

static void test_negative_and_extreme_temperatures(void)
{
    static const uint8_t minus20[] = { 0x01, 0xff, 0x38 };
    static const uint8_t lowest[] = { 0x01, 0x80, 0x00 };
    static const uint8_t highest[] = { 0x01, 0x7f, 0xff };
    static const uint8_t minus_tenth[] = { 0x01, 0xff, 0xff };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(minus20, sizeof(minus20), 5, &res), MUE_OK);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "temperature"), -20.0, 1e-9);
    MUE_ASSERT_INT_EQ(decode(lowest, sizeof(lowest), 5, &res), MUE_OK);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "temperature"), -3276.8, 1e-9);
    MUE_ASSERT_INT_EQ(decode(highest, sizeof(highest), 5, &res), MUE_OK);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "temperature"), 3276.7, 1e-9);
    MUE_ASSERT_INT_EQ(decode(minus_tenth, sizeof(minus_tenth), 5, &res), MUE_OK);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "temperature"), -0.1, 1e-9);
}

/* Unsigned values at their maximum: light, VDD, motion and both sound bytes. */
static void test_maximum_unsigned_values(void)
{
    static const uint8_t buf[] = { 0x04, 0xff, 0xff, 0x07, 0xff, 0xff, 0x05,
                                   0xff, 0x15, 0xff, 0xff, 0x02, 0x64 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 5, &res), MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 6);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "illuminance"), 65535.0, 1e-9);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "battery_voltage"), 65.535, 1e-9);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "motion"), 255.0, 1e-9);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "LAmax"), 255.0, 1e-9);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "LAeq"), 255.0, 1e-9);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "humidity"), 100.0, 1e-9);
}

static void test_minimum_values(void)
{
    static const uint8_t buf[] = { 0x04, 0x00, 0x00, 0x05, 0x00, 0x15, 0x00, 0x00, 0x02, 0x00 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 5, &res), MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 5);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "illuminance"), 0.0, 1e-9);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "motion"), 0.0, 1e-9);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "LAmax"), 0.0, 1e-9);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "humidity"), 0.0, 1e-9);
}

static void test_humidity_above_100_fails(void)
{
    static const uint8_t buf[] = { 0x01, 0x00, 0xe2, 0x02, 0x65 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 5, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "humidity 101 % out of range at byte 3");
    MUE_ASSERT_UINT_EQ(res.n, 0); /* the temperature before it is not kept */
}

/* Debug and CRC words are facts of the frame, not measurements. */
static void test_debug_and_crc_are_attributes(void)
{
    static const uint8_t buf[] = { 0x3d, 0x01, 0x02, 0x03, 0x04, 0x3c,
                                   0xde, 0xad, 0xbe, 0xef, 0x05, 0x02 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 5, &res), MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 1);
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "debug"), "0x01020304");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "crc"), "0xdeadbeef");
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "motion"), 2.0, 1e-9);
}

/* A CO2 value (an ERS CO2's type) in the frame: the device is registered as the wrong model. */
static void test_other_models_type_fails(void)
{
    static const uint8_t buf[] = { 0x01, 0x00, 0xe2, 0x06, 0x01, 0x90 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 5, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "type 0x06 (co2) at byte 3 is not sent by an ERS Sound");
    MUE_ASSERT_UINT_EQ(res.n, 0);
}

/* Every type of the Elsys list that is not an ERS Sound sensor is named in the refusal, the
 * later-generation ones too. */
static void test_each_foreign_type_is_named(void)
{
    static const struct {
        uint8_t type;
        const char *reason;
    } cases[] = {
        { 0x03, "type 0x03 (acceleration) at byte 0 is not sent by an ERS Sound" },
        { 0x09, "type 0x09 (gps) at byte 0 is not sent by an ERS Sound" },
        { 0x13, "type 0x13 (grid-eye) at byte 0 is not sent by an ERS Sound" },
        { 0x14, "type 0x14 (pressure) at byte 0 is not sent by an ERS Sound" },
        { 0x1c, "type 0x1c (tvoc) at byte 0 is not sent by an ERS Sound" },
        { 0x24, "type 0x24 (external humidity) at byte 0 is not sent by an ERS Sound" },
        { 0x3b, "type 0x3b (byte array) at byte 0 is not sent by an ERS Sound" },
    };
    struct codec_result res;
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        uint8_t buf[70] = { 0 };

        buf[0] = cases[i].type;
        MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 5, &res), MUE_EDECODE);
        MUE_ASSERT_STR_EQ(res.reason, cases[i].reason);
    }
}

static void test_unknown_type_fails_with_offset(void)
{
    static const uint8_t buf[] = { 0x05, 0x01, 0x25, 0x00 };
    static const uint8_t zero[] = { 0x00 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 5, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "unknown type 0x25 at byte 2");
    MUE_ASSERT_INT_EQ(decode(zero, sizeof(zero), 5, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "unknown type 0x00 at byte 0");
}

static void test_truncated_values_fail(void)
{
    static const uint8_t temp[] = { 0x01, 0x00 };
    static const uint8_t sound[] = { 0x05, 0x01, 0x15, 0x40 };
    static const uint8_t lone[] = { 0x02 };
    static const uint8_t debug[] = { 0x3d, 0x01, 0x02, 0x03 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(temp, sizeof(temp), 5, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "truncated temperature at byte 0");
    MUE_ASSERT_INT_EQ(decode(sound, sizeof(sound), 5, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "truncated sound at byte 2");
    MUE_ASSERT_UINT_EQ(res.n, 0);
    MUE_ASSERT_INT_EQ(decode(lone, sizeof(lone), 5, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "truncated humidity at byte 0");
    MUE_ASSERT_INT_EQ(decode(debug, sizeof(debug), 5, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "truncated debug at byte 0");
}

static void test_repeated_type_fails(void)
{
    static const uint8_t buf[] = { 0x01, 0x00, 0xe2, 0x02, 0x29, 0x01, 0x00, 0xe3 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 5, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "repeated temperature at byte 5");
    MUE_ASSERT_UINT_EQ(res.n, 0);
}

static void test_empty_payload_fails(void)
{
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(NULL, 0, 5, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "empty payload");
}

/* The port is a device setting: any application port is fine, MAC and reserved ports are not. */
static void test_fports(void)
{
    static const uint8_t buf[] = { 0x05, 0x03 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 1, &res), MUE_OK);
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 6, &res), MUE_OK);
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 223, &res), MUE_OK);
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 0, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "unexpected fport 0");
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 224, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "unexpected fport 224");
    MUE_ASSERT_UINT_EQ(res.n, 0);
}

/* An ERS Sound settings dump (built from the ids and sizes of the akenza settings table):
 * port 5, an AppSKey that must never be shown, sample period 600 s, sound and send periods,
 * sensor type 25 (ERS_SOUND), firmware version 0x0d56. */
static void test_settings_frame_gives_attributes(void)
{
    static const uint8_t buf[] = {
        0x3e, 0x31, 0x08, 0x05, 0x01, 0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
        0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c, 0x14, 0x00, 0x00, 0x02, 0x58,
        0x24, 0x00, 0x00, 0x00, 0x01, 0x1f, 0x00, 0x00, 0x00, 0x02, 0x07, 0x01, 0x25,
        0x03, 0xf5, 0x19, 0xfb, 0x0d, 0x56, 0xfe, 0x1e, 0x00, 0x00, 0x00, 0x01,
    };
    struct codec_result res;
    size_t i;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 6, &res), MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 0);
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "frame_type"), "settings");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "lora_port"), "5");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "sample_period"), "600");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "sound_period"), "1");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "send_period"), "2");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "vdd_period"), "1");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "sensor_type"), "ERS_SOUND");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "firmware_version"), "3414");
    MUE_ASSERT_UINT_EQ(res.nattr, 8);
    for (i = 0; i < res.nattr; i++)
        MUE_ASSERT(strstr(res.attr[i].value, "2b7e") == NULL);
}

/* A real settings dump (an ELT-2 reporting sensor type 63, akenza-io device-type-library
 * types/elsys/elt-2/uplink.spec.js @0c405d3d, port 6): the walk must land exactly on its end,
 * which checks the sizes of the 29 settings it holds. */
static void test_real_settings_dump_walks_to_its_end(void)
{
    static const char hex[] =
        "3e560701080509010a000b050c050d000e00110214000002581500000001170000000118000000011a000493"
        "e01e000000011f000000012000000000220004006425032600270028002e012f00300134003b00f53ffb0d56";
    uint8_t buf[sizeof(hex) / 2];
    struct codec_result res;

    codec_test_unhex(hex, buf, sizeof(buf));
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 6, &res), MUE_OK);
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "lora_port"), "5");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "sample_period"), "600");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "sensor_type"), "63");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "firmware_version"), "3414");
}

static void test_settings_errors(void)
{
    static const uint8_t size_mismatch[] = { 0x3e, 0x03, 0x08, 0x05 };
    static const uint8_t unknown[] = { 0x3e, 0x02, 0x64, 0x00 };
    static const uint8_t truncated[] = { 0x3e, 0x03, 0x14, 0x00, 0x00 };
    static const uint8_t variable[] = { 0x3e, 0x02, 0x41, 0x00 };
    static const uint8_t header_only[] = { 0x3e };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(size_mismatch, sizeof(size_mismatch), 6, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "settings size 3 does not match the 2 bytes that follow");
    MUE_ASSERT_INT_EQ(decode(unknown, sizeof(unknown), 6, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "unknown setting 100 at byte 2");
    MUE_ASSERT_UINT_EQ(res.nattr, 0); /* frame_type is withdrawn with the frame */
    MUE_ASSERT_INT_EQ(decode(truncated, sizeof(truncated), 6, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "truncated setting 20 at byte 2");
    MUE_ASSERT_INT_EQ(decode(variable, sizeof(variable), 6, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "setting 65 at byte 2 has no documented size");
    MUE_ASSERT_INT_EQ(decode(header_only, sizeof(header_only), 6, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "truncated settings header");
}

static void test_codec_is_registered(void)
{
    MUE_ASSERT(codec_find("elsys-ers-sound") == &codec_elsys_ers_sound);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_ttn_vendor_example_maps_to_vendor_values),
        MUE_TEST(test_akenza_example_with_vdd),
        MUE_TEST(test_negative_and_extreme_temperatures),
        MUE_TEST(test_maximum_unsigned_values),
        MUE_TEST(test_minimum_values),
        MUE_TEST(test_humidity_above_100_fails),
        MUE_TEST(test_debug_and_crc_are_attributes),
        MUE_TEST(test_other_models_type_fails),
        MUE_TEST(test_each_foreign_type_is_named),
        MUE_TEST(test_unknown_type_fails_with_offset),
        MUE_TEST(test_truncated_values_fail),
        MUE_TEST(test_repeated_type_fails),
        MUE_TEST(test_empty_payload_fails),
        MUE_TEST(test_fports),
        MUE_TEST(test_settings_frame_gives_attributes),
        MUE_TEST(test_real_settings_dump_walks_to_its_end),
        MUE_TEST(test_settings_errors),
        MUE_TEST(test_codec_is_registered),
    };
    return mue_test_run("codec_elsys_ers_sound", tests);
}
