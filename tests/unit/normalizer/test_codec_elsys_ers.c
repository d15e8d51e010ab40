/* test_codec_elsys_ers.c - unit tests of the Elsys ERS / ERS Lite codec (generic Elsys TLV).
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <string.h>

#include "codec_test.h"
#include "mue_err.h"

extern const struct codec codec_elsys_ers;

static int decode(const uint8_t *buf, size_t len, unsigned fport, struct codec_result *res)
{
    return codec_test_decode(&codec_elsys_ers, buf, len, fport, res);
}

/* TTN vendor/elsys/ers-codec.yaml @b36d193c, "ERS temperature, humidity, light and motion":
 * fPort 1, 0100e20229040027 0506 -> temperature 22.6, humidity 41, light 39, motion 6 (light is
 * lux, the rest unchanged). */
static const struct codec_test_key_map ttn_map[] = {
    { "temperature", "temperature", CODEC_TEST_QUANTITY, 1.0 },
    { "humidity", "humidity", CODEC_TEST_QUANTITY, 1.0 },
    { "light", "illuminance", CODEC_TEST_QUANTITY, 1.0 },
    { "motion", "motion", CODEC_TEST_QUANTITY, 1.0 },
};

static void test_ttn_ers_example_maps_to_vendor_values(void)
{
    static const struct codec_test_vendor_value want[] = {
        { "temperature", 22.6 }, { "humidity", 41 }, { "light", 39 }, { "motion", 6 }, { NULL, 0 },
    };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(codec_test_decode_hex(&codec_elsys_ers, "0100e202290400270506", 1, &res),
                      MUE_OK);
    codec_test_check_vendor_values(&res, want, ttn_map, sizeof(ttn_map) / sizeof(ttn_map[0]));
    codec_test_assert_vocabulary_at_uplink(&res);
}

/* TTN vendor/elsys/ers-lite-codec.yaml @53a91268, "ERS Lite temperature and humidity": fPort 1,
 * 0100e20229 -> temperature 22.6, humidity 41. The Lite has no light sensor and no PIR. */
static void test_ttn_ers_lite_example(void)
{
    static const struct codec_test_vendor_value want[] = {
        { "temperature", 22.6 },
        { "humidity", 41 },
        { NULL, 0 },
    };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(codec_test_decode_hex(&codec_elsys_ers, "0100e20229", 1, &res), MUE_OK);
    codec_test_check_vendor_values(&res, want, ttn_map, sizeof(ttn_map) / sizeof(ttn_map[0]));
}

/* akenza-io/device-type-library types/elsys/ers/uplink.spec.js @00d9c3f7: 0100f1021704041a
 * 0500070e5a -> temperature 24.1, humidity 23, light 1050, voltage 3.674 (vdd in mV there). */
static void test_akenza_example_with_vdd(void)
{
    struct codec_result res;

    MUE_ASSERT_INT_EQ(
        codec_test_decode_hex(&codec_elsys_ers, "0100f1021704041a0500070e5a", 5, &res), MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 5);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "temperature"), 24.1, 1e-9);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "humidity"), 23.0, 1e-9);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "illuminance"), 1050.0, 1e-9);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "motion"), 0.0, 1e-9);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "battery_voltage"), 3.674, 1e-9);
    MUE_ASSERT_UINT_EQ(res.nattr, 0);
    codec_test_assert_vocabulary_at_uplink(&res);
}

static void test_negative_temperature(void)
{
    static const uint8_t buf[] = { 0x01, 0xff, 0x9c, 0x07, 0x0b, 0xb8 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 5, &res), MUE_OK);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "temperature"), -10.0, 1e-9);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "battery_voltage"), 3.0, 1e-9);
}

/* The ERS Sound's own TTN example: its sound type is not an ERS's. */
static void test_sound_type_is_refused(void)
{
    struct codec_result res;

    MUE_ASSERT_INT_EQ(
        codec_test_decode_hex(&codec_elsys_ers, "0100e202290400270506150101", 1, &res),
        MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "type 0x15 (sound) at byte 10 is not sent by an ERS");
    MUE_ASSERT_UINT_EQ(res.n, 0);
}

/* Other Elsys models' types are named in the refusal: an ERS CO2's CO2, an ERS VOC's TVOC, an
 * ELT's external sensors, the byte array. */
static void test_each_foreign_type_is_named(void)
{
    static const struct {
        uint8_t type;
        const char *reason;
    } cases[] = {
        { 0x03, "type 0x03 (acceleration) at byte 0 is not sent by an ERS" },
        { 0x06, "type 0x06 (co2) at byte 0 is not sent by an ERS" },
        { 0x0e, "type 0x0e (external distance) at byte 0 is not sent by an ERS" },
        { 0x11, "type 0x11 (occupancy) at byte 0 is not sent by an ERS" },
        { 0x1c, "type 0x1c (tvoc) at byte 0 is not sent by an ERS" },
        { 0x3b, "type 0x3b (byte array) at byte 0 is not sent by an ERS" },
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

static void test_bad_values_fail(void)
{
    static const uint8_t humid[] = { 0x02, 0x65 };
    static const uint8_t cut[] = { 0x05, 0x01, 0x07, 0x0e };
    static const uint8_t twice[] = { 0x05, 0x01, 0x05, 0x02 };
    static const uint8_t unknown[] = { 0x01, 0x00, 0xe2, 0x25 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(humid, sizeof(humid), 5, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "humidity 101 % out of range at byte 0");
    MUE_ASSERT_INT_EQ(decode(cut, sizeof(cut), 5, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "truncated vdd at byte 2");
    MUE_ASSERT_UINT_EQ(res.n, 0);
    MUE_ASSERT_INT_EQ(decode(twice, sizeof(twice), 5, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "repeated motion at byte 2");
    MUE_ASSERT_INT_EQ(decode(unknown, sizeof(unknown), 5, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "unknown type 0x25 at byte 3");
    MUE_ASSERT_INT_EQ(decode(NULL, 0, 5, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "empty payload");
}

static void test_fports(void)
{
    static const uint8_t buf[] = { 0x05, 0x03 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 1, &res), MUE_OK);
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 223, &res), MUE_OK);
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 0, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "unexpected fport 0");
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 224, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "unexpected fport 224");
}

/* A settings dump names the ERS generations' sensor types, and shows another model's code
 * (25, an ERS Sound) as a number: the name list is the model's. */
static void test_settings_sensor_type(void)
{
    static const uint8_t ers[] = { 0x3e, 0x06, 0x08, 0x05, 0xf5, 0x14, 0x07, 0x01 };
    static const uint8_t ers2_lite[] = { 0x3e, 0x02, 0xf5, 0x3e };
    static const uint8_t sound[] = { 0x3e, 0x02, 0xf5, 0x19 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(ers, sizeof(ers), 6, &res), MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 0);
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "frame_type"), "settings");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "lora_port"), "5");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "sensor_type"), "ERS");
    MUE_ASSERT_INT_EQ(decode(ers2_lite, sizeof(ers2_lite), 6, &res), MUE_OK);
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "sensor_type"), "ERS2_LITE");
    MUE_ASSERT_INT_EQ(decode(sound, sizeof(sound), 6, &res), MUE_OK);
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "sensor_type"), "25");
}

static void test_codec_is_registered(void)
{
    MUE_ASSERT(codec_find("elsys-ers") == &codec_elsys_ers);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_ttn_ers_example_maps_to_vendor_values),
        MUE_TEST(test_ttn_ers_lite_example),
        MUE_TEST(test_akenza_example_with_vdd),
        MUE_TEST(test_negative_temperature),
        MUE_TEST(test_sound_type_is_refused),
        MUE_TEST(test_each_foreign_type_is_named),
        MUE_TEST(test_bad_values_fail),
        MUE_TEST(test_fports),
        MUE_TEST(test_settings_sensor_type),
        MUE_TEST(test_codec_is_registered),
    };
    return mue_test_run("codec_elsys_ers", tests);
}
