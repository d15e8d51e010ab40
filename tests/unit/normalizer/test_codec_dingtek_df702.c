/* test_codec_dingtek_df702.c - unit tests of the CNDingtek DF702 waste bin sensor codec.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec_test.h"
#include "mue_err.h"

extern const struct codec codec_dingtek_df702;

#define FPORT 3

static int decode(const uint8_t *buf, size_t len, unsigned fport, struct codec_result *res)
{
    return codec_test_decode(&codec_dingtek_df702, buf, len, fport, res);
}

/* The vendor's output is strings with units ("2000 mm", "25 ℃") and booleans; this reads the
 * number in front, true as 1 and false as 0. */
static double vendor_number(const char *s)
{
    if (strcmp(s, "true") == 0)
        return 1.0;
    if (strcmp(s, "false") == 0)
        return 0.0;
    return strtod(s, NULL);
}

enum { READING, ATTR };

/* One key of the vendor's output (TTN vendor/dingtek/df702.js) and where it lands in ours. */
struct key_map {
    const char *vendor_key;
    const char *vendor_value; /* as published in df702-codec.yaml */
    int kind;
    const char *ours; /* quantity or attribute key */
    double factor;    /* vendor unit -> ours */
    double tol;
    const char *our_string; /* attributes: our exact text */
};

/* level is the sensor-to-waste distance in mm (-> distance, m). The vendor's GPS strings come
 * from its hex2float, which divides the mantissa by 0x7FFFFF instead of 2^23: they are 7e-6 and
 * 1e-6 deg above the float32 the device sent (see test_gps_is_exact_float32), hence the 1e-5
 * tolerance on those two lines only. "angle" is -0 in the vendor's output (it negates every
 * angle), which is 0. */
static const struct key_map heartbeat_map[] = {
    { "level", "2000 mm", READING, "distance", 0.001, 1e-9, NULL },
    { "full", "false", READING, "full_alarm", 1.0, 0.0, NULL },
    { "fire", "false", READING, "fire_alarm", 1.0, 0.0, NULL },
    { "tilt", "false", READING, "tilt", 1.0, 0.0, NULL },
    { "battery", "false", READING, "battery_low", 1.0, 0.0, NULL },
    { "angle", "0 °", READING, "tilt_angle", 1.0, 1e-9, NULL },
    { "temperature", "25 ℃", READING, "temperature", 1.0, 1e-9, NULL },
};

static const struct key_map gps_map[] = {
    { "level", "2000 mm", READING, "distance", 0.001, 1e-9, NULL },
    { "longitude", "116.507430", READING, "longitude", 1.0, 1e-5, NULL },
    { "latitude", "40.038999", READING, "latitude", 1.0, 1e-5, NULL },
    { "full", "false", READING, "full_alarm", 1.0, 0.0, NULL },
    { "fire", "false", READING, "fire_alarm", 1.0, 0.0, NULL },
    { "tilt", "false", READING, "tilt", 1.0, 0.0, NULL },
    { "battery", "false", READING, "battery_low", 1.0, 0.0, NULL },
    { "angle", "0 °", READING, "tilt_angle", 1.0, 1e-9, NULL },
    { "temperature", "25 ℃", READING, "temperature", 1.0, 1e-9, NULL },
};

static const struct key_map param_map[] = {
    { "periodic_interval", "24 hours", ATTR, "periodic_interval_h", 1.0, 0.0, "24" },
    { "detection_interval", "1 minutes", ATTR, "detection_interval_min", 1.0, 0.0, "1" },
    { "full_alarm_threshold", "30 cm", ATTR, "full_alarm_threshold_cm", 1.0, 0.0, "30" },
    { "fire_alarm_threshold", "75 ℃", ATTR, "fire_alarm_threshold_c", 1.0, 0.0, "75" },
    { "tilt_alarm_threshold", "30 °", ATTR, "tilt_alarm_threshold_deg", 1.0, 0.0, "30" },
    { "tilt_enable", "false", ATTR, "tilt_enable", 1.0, 0.0, "0" },
    { "ultrasonic_range", "2000 mm", ATTR, "ultrasonic_range_mm", 1.0, 0.0, "2000" },
};

struct vendor_example {
    const char *description;
    const char *hex;
    unsigned fport;
    const struct key_map *map;
    size_t nmap;
    size_t nreadings;
};

#define EXAMPLE(d, h, m, n)                                                                        \
    {                                                                                              \
        d, h, 3, m, sizeof(m) / sizeof(m[0]), n                                                    \
    }

/* TTN vendor/dingtek/df702-codec.yaml @62c8acdd, every uplink example. */
static const struct vendor_example examples[] = {
    EXAMPLE("heartbeat upload without gps", "800001011107d000190000000000000081", heartbeat_map, 7),
    EXAMPLE("heartbeat upload with gps", "800001011907d001cd03e942ef272042190000000000000081",
            gps_map, 9),
    EXAMPLE("Command confirmation", "8000010319010418011e4b1e00000000000000000000000081", param_map,
            0),
};

static void check_example(const struct vendor_example *ex)
{
    uint8_t buf[32];
    size_t len = codec_test_unhex(ex->hex, buf, sizeof(buf)), i;
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, len, ex->fport, &res), MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, ex->nreadings);
    codec_test_assert_vocabulary(&res);
    for (i = 0; i < ex->nmap; i++) {
        const struct key_map *m = &ex->map[i];
        double want = vendor_number(m->vendor_value) * m->factor;

        if (m->kind == READING) {
            MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, m->ours), want, m->tol);
        } else {
            MUE_ASSERT_STR_EQ(codec_test_attr(&res, m->ours), m->our_string);
            MUE_ASSERT_DBL_NEAR(strtod(codec_test_attr(&res, m->ours), NULL), want, m->tol);
        }
    }
}

/* One test per vendor example, so a failure names the example. */
static void test_vendor_example_heartbeat_without_gps(void)
{
    check_example(&examples[0]);
}

static void test_vendor_example_heartbeat_with_gps(void)
{
    check_example(&examples[1]);
}

static void test_vendor_example_command_confirmation(void)
{
    check_example(&examples[2]);
}

/* What the vendor does not output but the frames carry. */
static void test_vendor_examples_attributes(void)
{
    uint8_t buf[32];
    struct codec_result res;
    size_t len;

    len = codec_test_unhex(examples[0].hex, buf, sizeof(buf));
    MUE_ASSERT_INT_EQ(decode(buf, len, FPORT, &res), MUE_OK);
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "frame_type"), "data (type 1)");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "frame_counter"), "0");
    len = codec_test_unhex(examples[2].hex, buf, sizeof(buf));
    MUE_ASSERT_INT_EQ(decode(buf, len, FPORT, &res), MUE_OK);
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "frame_type"), "parameters");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "firmware"), "1.4"); /* '1.4' in the DF703 example */
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "work_mode"), "0");
    MUE_ASSERT_UINT_EQ(res.nattr, 10);
}

/* The vendor's hex2float, transcribed: the mantissa is divided by 0x7FFFFF. */
static double vendor_hex2float(uint32_t num)
{
    double sign = (num & 0x80000000u) ? -1.0 : 1.0;
    int exponent = (int)((num >> 23) & 0xFF) - 127;
    double mantissa = 1.0 + (double)(num & 0x7FFFFF) / (double)0x7FFFFF;

    return sign * mantissa * pow(2.0, exponent);
}

static double exact_float(uint32_t u)
{
    float f;

    memcpy(&f, &u, sizeof(f));
    return (double)f;
}

/* The GPS example: longitude 0x42E903CD, latitude 0x422027EF (little-endian on air). TTN
 * publishes "116.507430" and "40.038999": the vendor's hex2float gives 1 + m / (2^23 - 1)
 * instead of IEEE-754's 1 + m / 2^23, so every value comes out too large by
 * m / (2^23 (2^23 - 1)) * 2^e (here 6.6e-6 and 1.0e-6 deg). We decode the float32 exactly:
 * 116.50742340087890625 and 40.03899765014648438, i.e. "116.507423" and "40.038998". */
static void test_gps_is_exact_float32(void)
{
    uint8_t buf[32];
    size_t len = codec_test_unhex(examples[1].hex, buf, sizeof(buf));
    struct codec_result res;
    char text[32];

    MUE_ASSERT_INT_EQ(decode(buf, len, FPORT, &res), MUE_OK);

    snprintf(text, sizeof(text), "%.6f", vendor_hex2float(0x42E903CDu));
    MUE_ASSERT_STR_EQ(text, "116.507430"); /* the vendor's string, reproduced */
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "longitude"), exact_float(0x42E903CDu), 0.0);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "longitude"), 116.50742340087890625, 0.0);
    snprintf(text, sizeof(text), "%.6f", codec_test_reading(&res, "longitude"));
    MUE_ASSERT_STR_EQ(text, "116.507423");
    MUE_ASSERT_DBL_NEAR(vendor_hex2float(0x42E903CDu) - codec_test_reading(&res, "longitude"),
                        (double)0x6903CD / (8388608.0 * 8388607.0) * 64.0, 1e-12);

    snprintf(text, sizeof(text), "%.6f", vendor_hex2float(0x422027EFu));
    MUE_ASSERT_STR_EQ(text, "40.038999");
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "latitude"), exact_float(0x422027EFu), 0.0);
    snprintf(text, sizeof(text), "%.6f", codec_test_reading(&res, "latitude"));
    MUE_ASSERT_STR_EQ(text, "40.038998");
}

/* The vendor's own DF703 example (Chirpstack_DF703_script_V1.0.js): data type 2 and frame
 * counter 1 at bytes 21-22, same values otherwise. */
static void test_type_2_frame_with_counter(void)
{
    uint8_t buf[32];
    size_t len =
        codec_test_unhex("800001021907d001cd03e942ef272042190000000000010081", buf, sizeof(buf));
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, len, FPORT, &res), MUE_OK);
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "frame_type"), "data (type 2)");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "frame_counter"), "1");
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "distance"), 2.0, 1e-9);
}

static void plain(uint8_t buf[17])
{
    static const uint8_t hb[17] = { 0x80, 0x00, 0x01, 0x01, 0x11, 0x07, 0xd0, 0x00, 0x19,
                                    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x81 };
    memcpy(buf, hb, sizeof(hb));
}

static void with_gps(uint8_t buf[25], float lat, float lon)
{
    uint8_t hex[32];
    uint32_t u;
    size_t k;

    codec_test_unhex(examples[1].hex, hex, sizeof(hex));
    memcpy(buf, hex, 25);
    memcpy(&u, &lon, sizeof(u));
    for (k = 0; k < 4; k++)
        buf[8 + k] = (uint8_t)(u >> (8 * k));
    memcpy(&u, &lat, sizeof(u));
    for (k = 0; k < 4; k++)
        buf[12 + k] = (uint8_t)(u >> (8 * k));
}

/* The sign is the low nibble of byte 9. The vendor's test "bytes[9] & (0x0f === 0x00)" is
 * always 0, so it prints "-30 °" for both frames; we give +30 and -30. */
static void test_angle_sign(void)
{
    uint8_t buf[17];
    struct codec_result res;

    plain(buf);
    buf[10] = 30;
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_OK);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "tilt_angle"), 30.0, 1e-9);
    buf[9] = 0x01;
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_OK);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "tilt_angle"), -30.0, 1e-9);
    buf[9] = 0x00;
    buf[10] = 0xFF;
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_OK);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "tilt_angle"), 255.0, 1e-9);
}

/* One byte, two's complement: 0xEC is -20 degC (the vendor prints "236 ℃"). */
static void test_temperature_is_signed(void)
{
    static const struct {
        uint8_t raw;
        double want;
    } cases[] = {
        { 0xEC, -20.0 }, { 0x80, -128.0 }, { 0x7F, 127.0 }, { 0xFF, -1.0 }, { 0x00, 0.0 }
    };
    uint8_t buf[17];
    struct codec_result res;
    size_t i;

    plain(buf);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        buf[8] = cases[i].raw;
        MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_OK);
        MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "temperature"), cases[i].want, 1e-9);
    }
}

static void test_level_extremes(void)
{
    uint8_t buf[17];
    struct codec_result res;

    plain(buf);
    buf[5] = 0xFF;
    buf[6] = 0xFF;
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_OK);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "distance"), 65.535, 1e-9);
    buf[5] = 0x00;
    buf[6] = 0x00;
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_OK);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "distance"), 0.0, 1e-9);
}

static void test_all_alarms_set(void)
{
    uint8_t buf[25];
    struct codec_result res;

    with_gps(buf, 40.5f, 116.25f);
    buf[19] = 0x11;
    buf[20] = 0x11;
    buf[22] = 0x2A;
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_OK);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "full_alarm"), 1.0, 0.0);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "fire_alarm"), 1.0, 0.0);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "tilt"), 1.0, 0.0);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "battery_low"), 1.0, 0.0);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "latitude"), 40.5, 0.0);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "longitude"), 116.25, 0.0);
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "frame_counter"), "42");
}

static void test_alarm_nibble_other_than_0_or_1_fails(void)
{
    uint8_t buf[17];
    struct codec_result res;

    plain(buf);
    buf[11] = 0x21;
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "full_alarm flag 2 at byte 11 is neither 0 nor 1");
    MUE_ASSERT_UINT_EQ(res.n, 0);
    MUE_ASSERT_UINT_EQ(res.nattr, 0);
    buf[11] = 0x00;
    buf[12] = 0x0F;
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "battery_low flag 15 at byte 12 is neither 0 nor 1");
}

static void test_southern_western_position(void)
{
    uint8_t buf[25];
    struct codec_result res;

    with_gps(buf, -33.5f, -70.625f);
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_OK);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "latitude"), -33.5, 0.0);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "longitude"), -70.625, 0.0);
}

/* 0/0 is a receiver without a fix, not a position. */
static void test_gps_without_fix_gives_no_position(void)
{
    uint8_t buf[25];
    struct codec_result res;

    with_gps(buf, 0.0f, 0.0f);
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_OK);
    MUE_ASSERT(!codec_test_has_reading(&res, "latitude"));
    MUE_ASSERT(!codec_test_has_reading(&res, "longitude"));
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "gps"), "no fix");
    MUE_ASSERT_UINT_EQ(res.n, 7);
}

static void test_gps_not_a_number_or_out_of_range_fails(void)
{
    uint8_t buf[25];
    struct codec_result res;

    with_gps(buf, 40.5f, NAN);
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "position at bytes 8-15 is not a number");
    with_gps(buf, INFINITY, 116.25f);
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "position at bytes 8-15 is not a number");
    with_gps(buf, 100.0f, 116.25f);
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "position 100.000000, 116.250000 out of range at bytes 8-15");
    with_gps(buf, 40.5f, -180.5f);
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_UINT_EQ(res.n, 0);
}

/* A subnormal float decodes without the implicit leading 1. */
static void test_gps_subnormal(void)
{
    uint8_t buf[25];
    struct codec_result res;

    with_gps(buf, 40.5f, 0.0f);
    buf[8] = 0x01; /* longitude 0x00000001 = 2^-149 */
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_OK);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "longitude"), ldexp(1.0, -149), 0.0);
}

static void test_wrong_fport_fails(void)
{
    uint8_t buf[17];
    struct codec_result res;

    plain(buf);
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 2, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "unexpected fport 2");
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), 0, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "unexpected fport 0");
    MUE_ASSERT_UINT_EQ(res.n, 0);
}

static void test_wrong_lengths_fail(void)
{
    static const size_t lens[] = { 0, 1, 16, 18, 24, 26, 32 };
    uint8_t buf[32];
    struct codec_result res;
    char want[64];
    size_t i;

    memset(buf, 0, sizeof(buf));
    plain(buf);
    for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
        MUE_ASSERT_INT_EQ(decode(buf, lens[i], FPORT, &res), MUE_EDECODE);
        snprintf(want, sizeof(want), "length %zu, expected 17 or 25", lens[i]);
        MUE_ASSERT_STR_EQ(res.reason, want);
    }
}

static void test_frame_marks_and_header_fail(void)
{
    uint8_t buf[17];
    struct codec_result res;

    plain(buf);
    buf[0] = 0x7F;
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "frame marks 0x7f..0x81, expected 0x80..0x81");
    plain(buf);
    buf[16] = 0x00;
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "frame marks 0x80..0x00, expected 0x80..0x81");
    plain(buf);
    buf[1] = 0x02;
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "header bytes 1-2 0x02 0x01, expected 0x00 0x01");
    plain(buf);
    buf[2] = 0x02;
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "header bytes 1-2 0x00 0x02, expected 0x00 0x01");
    plain(buf);
    buf[4] = 0x19;
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "length byte 25 at byte 4, frame has 17 bytes");
}

static void test_gps_flag_must_match_length(void)
{
    uint8_t plain_buf[17], gps_buf[25];
    struct codec_result res;

    plain(plain_buf);
    plain_buf[7] = 0x01;
    MUE_ASSERT_INT_EQ(decode(plain_buf, sizeof(plain_buf), FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "GPS flag 1 at byte 7 does not match the 17-byte frame");
    with_gps(gps_buf, 40.5f, 116.25f);
    gps_buf[7] = 0x00;
    MUE_ASSERT_INT_EQ(decode(gps_buf, sizeof(gps_buf), FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "GPS flag 0 at byte 7 does not match the 25-byte frame");
}

static void test_unknown_data_type_fails(void)
{
    uint8_t buf[17];
    struct codec_result res;

    plain(buf);
    buf[3] = 0x04;
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "unknown data type 0x04 at byte 3");
    buf[3] = 0x00;
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "unknown data type 0x00 at byte 3");
}

/* Sibling models (DF555) send a 17-byte parameter frame; the DF702's is 25 bytes. */
static void test_short_parameter_frame_fails(void)
{
    uint8_t buf[17];
    struct codec_result res;

    plain(buf);
    buf[3] = 0x03;
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "parameter frame of 17 bytes, expected 25");
}

static void test_parameter_frame_5m_range_tilt_enabled(void)
{
    uint8_t buf[32];
    size_t len = codec_test_unhex(examples[2].hex, buf, sizeof(buf));
    struct codec_result res;

    buf[7] = 168;
    buf[8] = 60;
    buf[9] = 255;
    buf[10] = 0;
    buf[11] = 90;
    buf[12] = 1;
    buf[13] = 1;
    buf[14] = 2;
    MUE_ASSERT_INT_EQ(decode(buf, len, FPORT, &res), MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 0);
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "periodic_interval_h"), "168");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "detection_interval_min"), "60");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "full_alarm_threshold_cm"), "255");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "fire_alarm_threshold_c"), "0");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "tilt_alarm_threshold_deg"), "90");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "tilt_enable"), "1");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "ultrasonic_range_mm"), "5000");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "work_mode"), "2");
}

static void test_parameter_out_of_vendor_range_fails(void)
{
    static const struct {
        size_t at;
        uint8_t value;
        const char *reason;
    } cases[] = {
        { 7, 0, "periodic interval 0 h at byte 7 outside 1..168" },
        { 7, 169, "periodic interval 169 h at byte 7 outside 1..168" },
        { 8, 0, "detection interval 0 min at byte 8 outside 1..60" },
        { 8, 61, "detection interval 61 min at byte 8 outside 1..60" },
        { 9, 14, "full alarm threshold 14 cm at byte 9 below 15" },
        { 11, 14, "tilt alarm threshold 14 deg at byte 11 outside 15..90" },
        { 11, 91, "tilt alarm threshold 91 deg at byte 11 outside 15..90" },
    };
    uint8_t buf[32];
    struct codec_result res;
    size_t len, i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        len = codec_test_unhex(examples[2].hex, buf, sizeof(buf));
        buf[cases[i].at] = cases[i].value;
        MUE_ASSERT_INT_EQ(decode(buf, len, FPORT, &res), MUE_EDECODE);
        MUE_ASSERT_STR_EQ(res.reason, cases[i].reason);
        MUE_ASSERT_UINT_EQ(res.nattr, 0);
    }
}

static void test_codec_is_registered(void)
{
    MUE_ASSERT(codec_find("dingtek-df702") == &codec_dingtek_df702);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_vendor_example_heartbeat_without_gps),
        MUE_TEST(test_vendor_example_heartbeat_with_gps),
        MUE_TEST(test_vendor_example_command_confirmation),
        MUE_TEST(test_vendor_examples_attributes),
        MUE_TEST(test_gps_is_exact_float32),
        MUE_TEST(test_type_2_frame_with_counter),
        MUE_TEST(test_angle_sign),
        MUE_TEST(test_temperature_is_signed),
        MUE_TEST(test_level_extremes),
        MUE_TEST(test_all_alarms_set),
        MUE_TEST(test_alarm_nibble_other_than_0_or_1_fails),
        MUE_TEST(test_southern_western_position),
        MUE_TEST(test_gps_without_fix_gives_no_position),
        MUE_TEST(test_gps_not_a_number_or_out_of_range_fails),
        MUE_TEST(test_gps_subnormal),
        MUE_TEST(test_wrong_fport_fails),
        MUE_TEST(test_wrong_lengths_fail),
        MUE_TEST(test_frame_marks_and_header_fail),
        MUE_TEST(test_gps_flag_must_match_length),
        MUE_TEST(test_unknown_data_type_fails),
        MUE_TEST(test_short_parameter_frame_fails),
        MUE_TEST(test_parameter_frame_5m_range_tilt_enabled),
        MUE_TEST(test_parameter_out_of_vendor_range_fails),
        MUE_TEST(test_codec_is_registered),
    };
    return mue_test_run("codec_dingtek_df702", tests);
}
