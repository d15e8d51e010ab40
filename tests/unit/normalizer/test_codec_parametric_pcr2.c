/* test_codec_parametric_pcr2.c - unit tests of the Parametric PCR2 counter codec.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "codec_test.h"
#include "mue_err.h"

extern const struct codec codec_parametric_pcr2;

#define FPORT_APP    14
#define FPORT_CONFIG 190

static int decode(const uint8_t *buf, size_t len, unsigned fport, struct codec_result *res)
{
    return codec_test_decode(&codec_parametric_pcr2, buf, len, fport, res);
}

/* How a key of the vendor's output maps to ours.
 * - MAP_QUANTITY: ours = vendor x factor.
 * - MAP_FLOORED: the vendor floors CPU_TEMP to whole degrees (Math.floor(raw / 10)); the payload
 *   description gives 0.1 °C steps and we keep them, so floor(ours) must equal the vendor's value.
 * - MAP_ATTR_NUM / MAP_ATTR_STR: an attribute holding the same number / the same text.
 * - MAP_DEVICE_TYPE: the vendor's DeviceType code, which we name after the description's table.
 * - MAP_NOT_SENT: DIFF = |LTR_SUM - RTL_SUM| is computed by the vendor decoder, not transmitted;
 *   we leave it out (the two totals are reported). */
enum map_kind {
    MAP_QUANTITY,
    MAP_FLOORED,
    MAP_ATTR_NUM,
    MAP_ATTR_STR,
    MAP_DEVICE_TYPE,
    MAP_NOT_SENT
};

static const struct key_map {
    const char *vendor_key;
    const char *frame_type; /* the vendor key means this only in that frame; NULL for any */
    const char *ours;
    enum map_kind kind;
    double factor;
} key_map[] = {
    { "LTR", NULL, "count_ltr", MAP_QUANTITY, 1.0 },
    { "RTL", NULL, "count_rtl", MAP_QUANTITY, 1.0 },
    { "LTR_SUM", NULL, "count_ltr_total", MAP_QUANTITY, 1.0 },
    { "RTL_SUM", NULL, "count_rtl_total", MAP_QUANTITY, 1.0 },
    { "SBX_BATT", "extended v3", "battery", MAP_QUANTITY, 1.0 },           /* % -> % */
    { "SBX_BATT", "extended v4", "battery_voltage", MAP_QUANTITY, 0.001 }, /* mV -> V */
    { "SBX_PV", NULL, "solar_power", MAP_QUANTITY, 0.001 },                /* mW -> W */
    { "TEMP", NULL, "device_temperature", MAP_FLOORED, 1.0 },              /* °C, floored */
    { "DIFF", NULL, NULL, MAP_NOT_SENT, 1.0 },
    { "DeviceType", NULL, "device_type", MAP_DEVICE_TYPE, 1.0 },
    { "FirmwareVersion", NULL, "firmware_version", MAP_ATTR_STR, 1.0 },
    { "Firmware", NULL, "firmware_version", MAP_ATTR_STR, 1.0 }, /* its name in config V5 */
    { "OperatingMode", NULL, "operating_mode", MAP_ATTR_NUM, 1.0 },
    { "OperationMode", NULL, "operating_mode", MAP_ATTR_NUM, 1.0 },
    { "PayloadType", NULL, "payload_type", MAP_ATTR_NUM, 1.0 },
    { "DeviceClass", NULL, "device_class", MAP_ATTR_NUM, 1.0 },
    { "UplinkType", NULL, "uplink_type", MAP_ATTR_NUM, 1.0 },
    { "UplinkInterval", NULL, "uplink_interval_min", MAP_ATTR_NUM, 1.0 },
    { "LinkCheckInterval", NULL, "link_check_interval_min", MAP_ATTR_NUM, 1.0 },
    { "CapacityLimit", NULL, "capacity_limit", MAP_ATTR_NUM, 1.0 },
    { "HoldoffTime", NULL, "holdoff_time_s", MAP_ATTR_NUM, 1.0 },
    { "InactivityTimeout", NULL, "inactivity_timeout_min", MAP_ATTR_NUM, 1.0 },
    { "InactivityTiemout", NULL, "inactivity_timeout_min", MAP_ATTR_NUM, 1.0 }, /* YAML typo */
    { "MountingDirection", NULL, "mounting_direction_deg", MAP_ATTR_NUM, 1.0 },
    { "MountingTilt", NULL, "mounting_tilt_deg", MAP_ATTR_NUM, 1.0 },
    { "DetectionAngle", NULL, "detection_angle_deg", MAP_ATTR_NUM, 1.0 },
    { "MinDist", NULL, "min_dist_cm", MAP_ATTR_NUM, 1.0 },
    { "MaxDist", NULL, "max_dist_cm", MAP_ATTR_NUM, 1.0 },
    { "MinSpeed", NULL, "min_speed_kmh", MAP_ATTR_NUM, 1.0 },
    { "MaxSpeed", NULL, "max_speed_kmh", MAP_ATTR_NUM, 1.0 },
    { "RadarSensitivity", NULL, "radar_sensitivity_pct", MAP_ATTR_NUM, 1.0 },
    { "RadarEnabled", NULL, "radar_enabled", MAP_ATTR_NUM, 1.0 },
    { "BeamAngle", NULL, "beam_angle_deg", MAP_ATTR_NUM, 1.0 },
    { "RadarAutotune", NULL, "radar_autotune", MAP_ATTR_NUM, 1.0 },
    { "SBXVersion", NULL, "sbx_firmware_version", MAP_ATTR_STR, 1.0 },
    { "RadarChannel", NULL, "radar_channel", MAP_ATTR_NUM, 1.0 },
};

/* DeviceType codes of the payload descriptions (config V2-V5 tables, firmware-4 DEV_TYPE). */
static const char *const device_types[] = { "PCR2-IN",  "PCR2-OD",  "PCR2-R",
                                            "PCR2-T",   "PCR2-XIO", "PCR2-ODS",
                                            "PCR2-ODA", "PCR2-ODB", "PCR2-ODBS" };

struct vendor_value {
    const char *key;
    double num;
    const char *str; /* set for the vendor's text values */
};

/* The vendor's published examples, keys and values as published: TTN
 * vendor/parametric/pcr2-codec.yaml @886ed1a3 (decoded by pcr2.js @886ed1a3), and the last one
 * from pcr2-codec.yaml @05071c70. */
static const struct vendor_example {
    const char *description;
    unsigned fport;
    const char *hex;
    struct vendor_value data[24];
} examples[] = {
    { "ELSYS Application Payload",
      14,
      "0a0001160002010023",
      { { "LTR", 1, NULL }, { "RTL", 2, NULL }, { "TEMP", 3, NULL } } },
    { "ELSYS Application Payload 2",
      14,
      "0a000016000101012c",
      { { "LTR", 0, NULL }, { "RTL", 1, NULL }, { "TEMP", 30, NULL } } },
    { "Extended Application Payload V3",
      14,
      "be01030001000200030004640ce40139",
      { { "LTR", 1, NULL },
        { "RTL", 2, NULL },
        { "LTR_SUM", 3, NULL },
        { "RTL_SUM", 4, NULL },
        { "SBX_BATT", 100, NULL },
        { "SBX_PV", 3300, NULL },
        { "DIFF", 1, NULL },
        { "TEMP", 31, NULL } } },
    { "Extended Application Payload V4",
      14,
      "be010400010002000300041c200ce40139",
      { { "LTR", 1, NULL },
        { "RTL", 2, NULL },
        { "LTR_SUM", 3, NULL },
        { "RTL_SUM", 4, NULL },
        { "SBX_BATT", 7200, NULL },
        { "SBX_PV", 3300, NULL },
        { "DIFF", 1, NULL },
        { "TEMP", 31, NULL } } },
    { "Config Payload V2",
      190,
      "00030200000000000a05a0000050",
      { { "DeviceType", 0, NULL },
        { "FirmwareVersion", 0, "3.2.0" },
        { "OperatingMode", 0, NULL },
        { "PayloadType", 0, NULL },
        { "UplinkType", 0, NULL },
        { "UplinkInterval", 10, NULL },
        { "LinkCheckInterval", 1440, NULL },
        { "HoldoffTime", 0, NULL },
        { "RadarSensitivity", 80, NULL } } },
    { "Config Payload V3",
      190,
      "be01030003040000000001000a05a00000000050",
      { { "DeviceType", 0, NULL },
        { "FirmwareVersion", 0, "3.4.0" },
        { "OperatingMode", 0, NULL },
        { "PayloadType", 0, NULL },
        { "DeviceClass", 0, NULL },
        { "UplinkType", 1, NULL },
        { "UplinkInterval", 10, NULL },
        { "LinkCheckInterval", 1440, NULL },
        { "CapacityLimit", 0, NULL },
        { "HoldoffTime", 0, NULL },
        { "RadarSensitivity", 80, NULL } } },
    { "Config Payload V4",
      190,
      "be01040403060003020000000a05a00064000100b4005a50003201f4011450",
      { { "DeviceType", 4, NULL },
        { "FirmwareVersion", 0, "3.6.0" },
        { "OperatingMode", 3, NULL },
        { "PayloadType", 2, NULL },
        { "DeviceClass", 0, NULL },
        { "UplinkType", 0, NULL },
        { "UplinkInterval", 10, NULL },
        { "LinkCheckInterval", 1440, NULL },
        { "CapacityLimit", 100, NULL },
        { "HoldoffTime", 1, NULL },
        { "InactivityTimeout", 180, NULL },
        { "MountingDirection", 0, NULL },
        { "MountingTilt", 90, NULL },
        { "DetectionAngle", 80, NULL },
        { "MinDist", 50, NULL },
        { "MaxDist", 500, NULL },
        { "MinSpeed", 1, NULL },
        { "MaxSpeed", 20, NULL },
        { "RadarSensitivity", 80, NULL } } },
    { "Config Payload V5",
      190,
      "be010500030a0000020001000a05a00000000000780128003200c80107003c040101",
      { { "DeviceType", 0, NULL },
        { "Firmware", 0, "3.10.0" },
        { "OperationMode", 0, NULL },
        { "PayloadType", 2, NULL },
        { "DeviceClass", 0, NULL },
        { "UplinkType", 1, NULL },
        { "UplinkInterval", 10, NULL },
        { "LinkCheckInterval", 1440, NULL },
        { "CapacityLimit", 0, NULL },
        { "HoldoffTime", 0, NULL },
        { "InactivityTimeout", 120, NULL },
        { "RadarEnabled", 1, NULL },
        { "BeamAngle", 40, NULL },
        { "MinDist", 50, NULL },
        { "MaxDist", 200, NULL },
        { "MinSpeed", 1, NULL },
        { "MaxSpeed", 7, NULL },
        { "RadarAutotune", 0, NULL },
        { "RadarSensitivity", 60, NULL },
        { "SBXVersion", 0, "4.1.1" } } },
    { "Config",
      190,
      "03030003020001000505a0000064",
      { { "DeviceType", 3, NULL },
        { "FirmwareVersion", 0, "3.0.3" },
        { "HoldoffTime", 0, NULL },
        { "LinkCheckInterval", 1440, NULL },
        { "OperatingMode", 2, NULL },
        { "PayloadType", 0, NULL },
        { "RadarSensitivity", 100, NULL },
        { "UplinkInterval", 5, NULL },
        { "UplinkType", 1, NULL } } },
    { "PCR2 Configuration Payload V5 (@05071c70; DeviceType 1)",
      190,
      "be010501030a0000020001000a05a00000000000780128003200c80107003c040101",
      { { "DeviceType", 1, NULL },
        { "Firmware", 0, "3.10.0" },
        { "OperationMode", 0, NULL },
        { "PayloadType", 2, NULL },
        { "DeviceClass", 0, NULL },
        { "UplinkType", 1, NULL },
        { "UplinkInterval", 10, NULL },
        { "LinkCheckInterval", 1440, NULL },
        { "CapacityLimit", 0, NULL },
        { "HoldoffTime", 0, NULL },
        { "InactivityTiemout", 120, NULL },
        { "RadarEnabled", 1, NULL },
        { "BeamAngle", 40, NULL },
        { "MinDist", 50, NULL },
        { "MaxDist", 200, NULL },
        { "MinSpeed", 1, NULL },
        { "MaxSpeed", 7, NULL },
        { "RadarAutotune", 0, NULL },
        { "RadarSensitivity", 60, NULL },
        { "SBXVersion", 0, "4.1.1" } } },
};

static const struct key_map *map_of(const char *vendor_key, const char *frame_type)
{
    for (size_t i = 0; i < sizeof(key_map) / sizeof(key_map[0]); i++) {
        const struct key_map *m = &key_map[i];

        if (strcmp(m->vendor_key, vendor_key) == 0 &&
            (m->frame_type == NULL || strcmp(m->frame_type, frame_type) == 0))
            return m;
    }
    return NULL;
}

/* Checks one vendor value against our result; returns 1 when it is a reading of ours, 0 else. */
static int check_value(const struct codec_result *res, const struct vendor_value *v)
{
    const struct key_map *m = map_of(v->key, codec_test_attr(res, "frame_type"));
    char want[48];

    MUE_ASSERT(m != NULL); /* every vendor key is accounted for */
    switch (m->kind) {
    case MAP_QUANTITY:
        MUE_ASSERT_DBL_NEAR(codec_test_reading(res, m->ours), v->num * m->factor, 1e-9);
        return 1;
    case MAP_FLOORED:
        MUE_ASSERT_DBL_NEAR(floor(codec_test_reading(res, m->ours)), v->num, 1e-9);
        return 1;
    case MAP_ATTR_NUM:
        snprintf(want, sizeof(want), "%.0f", v->num);
        MUE_ASSERT_STR_EQ(codec_test_attr(res, m->ours), want);
        return 0;
    case MAP_ATTR_STR:
        MUE_ASSERT_STR_EQ(codec_test_attr(res, m->ours), v->str);
        return 0;
    case MAP_DEVICE_TYPE:
        MUE_ASSERT(v->num >= 0 && v->num < 9);
        MUE_ASSERT_STR_EQ(codec_test_attr(res, m->ours), device_types[(int)v->num]);
        return 0;
    default:
        return 0;
    }
}

static void check_example(size_t i)
{
    const struct vendor_example *ex = &examples[i];
    uint8_t buf[64];
    size_t len = codec_test_unhex(ex->hex, buf, sizeof(buf)), nq = 0, na = 1; /* + our frame_type */
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, len, ex->fport, &res), MUE_OK);
    MUE_ASSERT(codec_test_attr(&res, "frame_type") != NULL);
    for (const struct vendor_value *v = ex->data; v->key != NULL; v++) {
        if (check_value(&res, v))
            nq++;
        else if (map_of(v->key, codec_test_attr(&res, "frame_type"))->kind != MAP_NOT_SENT)
            na++;
    }
    MUE_ASSERT_UINT_EQ(res.n, nq); /* nothing beyond what the vendor reports */
    MUE_ASSERT_UINT_EQ(res.nattr, na);
    codec_test_assert_vocabulary(&res);
}

static void test_vendor_example_elsys(void)
{
    check_example(0);
}

static void test_vendor_example_elsys2(void)
{
    check_example(1);
}

static void test_vendor_example_extended_v3(void)
{
    check_example(2);
}

static void test_vendor_example_extended_v4(void)
{
    check_example(3);
}

static void test_vendor_example_config_v2(void)
{
    check_example(4);
}

static void test_vendor_example_config_v3(void)
{
    check_example(5);
}

static void test_vendor_example_config_v4(void)
{
    check_example(6);
}

static void test_vendor_example_config_v5(void)
{
    check_example(7);
}

static void test_vendor_example_config_v2_device_type_3(void)
{
    check_example(8);
}

static void test_vendor_example_config_v5_device_type_1(void)
{
    check_example(9);
}

/* Where we differ from the vendor: CPU_TEMP keeps its 0.1 °C (the vendor gives 3, 31, 31). */
static void test_temperature_keeps_tenths(void)
{
    uint8_t buf[32];
    struct codec_result res;
    size_t len = codec_test_unhex("0a0001160002010023", buf, sizeof(buf));

    MUE_ASSERT_INT_EQ(decode(buf, len, FPORT_APP, &res), MUE_OK);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "device_temperature"), 3.5, 1e-12);
    len = codec_test_unhex("be010400010002000300041c200ce40139", buf, sizeof(buf));
    MUE_ASSERT_INT_EQ(decode(buf, len, FPORT_APP, &res), MUE_OK);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "device_temperature"), 31.3, 1e-12);
}

/* -0.1 °C: the vendor's floor makes it -1, a whole degree off; we report -0.1. */
static void test_negative_temperature(void)
{
    static const uint8_t elsys[] = { 0x0a, 0x00, 0x05, 0x01, 0xff, 0xff };
    static const uint8_t v4[] = { 0xbe, 0x01, 0x04, 0x00, 0x01, 0x00, 0x02, 0x00, 0x03,
                                  0x00, 0x04, 0x0e, 0x10, 0x00, 0x00, 0xff, 0x9c };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(elsys, sizeof(elsys), FPORT_APP, &res), MUE_OK);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "device_temperature"), -0.1, 1e-12);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "count_ltr"), 5.0, 1e-12);
    /* a subset of the TLVs is a valid frame */
    MUE_ASSERT(!codec_test_has_reading(&res, "count_rtl"));
    MUE_ASSERT_INT_EQ(decode(v4, sizeof(v4), FPORT_APP, &res), MUE_OK);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "device_temperature"), -10.0, 1e-12);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "battery_voltage"), 3.6, 1e-12);
    /* night, SBX fitted */
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "solar_power"), 0.0, 1e-12);
}

/* CPU_TEMP's documented span is f000..0fff (-409.6..409.5 °C); beyond it the frame is refused. */
static void test_temperature_span_ends(void)
{
    uint8_t buf[] = { 0x0a, 0x00, 0x00, 0x01, 0xf0, 0x00 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT_APP, &res), MUE_OK);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "device_temperature"), -409.6, 1e-9);
    buf[4] = 0x0f, buf[5] = 0xff;
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT_APP, &res), MUE_OK);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "device_temperature"), 409.5, 1e-9);
    buf[4] = 0x10, buf[5] = 0x00;
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT_APP, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "CPU temperature 0x1000 at offset 4 outside f000..0fff");
    MUE_ASSERT_UINT_EQ(res.n, 0);
    buf[4] = 0xef, buf[5] = 0xff;
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT_APP, &res), MUE_EDECODE);
}

static void test_maximum_counts(void)
{
    static const uint8_t buf[] = { 0xbe, 0x01, 0x03, 0xff, 0xff, 0xff, 0xff, 0xff,
                                   0xff, 0xff, 0xff, 0x00, 0xff, 0xff, 0x00, 0x00 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT_APP, &res), MUE_OK);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "count_ltr"), 65535.0, 1e-12);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "count_rtl"), 65535.0, 1e-12);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "count_ltr_total"), 65535.0, 1e-12);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "count_rtl_total"), 65535.0, 1e-12);
    /* panel gives power: SBX fitted */
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "battery"), 0.0, 1e-12);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "solar_power"), 65.535, 1e-12);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "device_temperature"), 0.0, 1e-12);
}

/* Without an SBX solar charger its two fields read 0: a 0 % / 0 V battery is not a measurement
 * and would raise a false low-battery alarm, so neither battery nor solar power is reported. The
 * vendor decoder reports SBX_BATT 0 and SBX_PV 0. */
static void test_no_solar_charger_gives_no_battery(void)
{
    static const uint8_t v3[] = { 0xbe, 0x01, 0x03, 0x00, 0x01, 0x00, 0x02, 0x00,
                                  0x03, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0xc8 };
    static const uint8_t v4[] = { 0xbe, 0x01, 0x04, 0x00, 0x01, 0x00, 0x02, 0x00, 0x03,
                                  0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc8 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(v3, sizeof(v3), FPORT_APP, &res), MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 5);
    MUE_ASSERT(!codec_test_has_reading(&res, "battery"));
    MUE_ASSERT(!codec_test_has_reading(&res, "solar_power"));
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "device_temperature"), 20.0, 1e-12);
    MUE_ASSERT_INT_EQ(decode(v4, sizeof(v4), FPORT_APP, &res), MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 5);
    MUE_ASSERT(!codec_test_has_reading(&res, "battery_voltage"));
    MUE_ASSERT(!codec_test_has_reading(&res, "solar_power"));
}

/* SBX_BATT of V3 is a gauge documented 00-64 (0..100 %). */
static void test_v3_battery_gauge_above_100_fails(void)
{
    uint8_t buf[] = { 0xbe, 0x01, 0x03, 0x00, 0x01, 0x00, 0x02, 0x00,
                      0x03, 0x00, 0x04, 0x65, 0x0c, 0xe4, 0x01, 0x39 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT_APP, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "battery gauge 101 % at offset 11, above 100");
    MUE_ASSERT_UINT_EQ(res.n, 0);
    MUE_ASSERT_UINT_EQ(res.nattr, 0);
    buf[11] = 0xff;
    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT_APP, &res), MUE_EDECODE);
}

/* Firmware 4 AppData V5 (be 01 <type> a5, 10 bytes; the later TTN pcr2-decoder.js): LTR, RTL,
 * battery in 100 mV steps (the vendor shows SBX_BATT = byte x 100 mV), message counter. */
static void test_appdata_v5(void)
{
    static const uint8_t buf[] = { 0xbe, 0x01, 0x05, 0xa5, 0x00, 0x0c, 0x00, 0x07, 0x25, 0x2a };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT_APP, &res), MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 3);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "count_ltr"), 12.0, 1e-12);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "count_rtl"), 7.0, 1e-12);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "battery_voltage"), 3.7, 1e-12);
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "device_type"), "PCR2-ODS");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "message_counter"), "42");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "frame_type"), "appdata v5");
}

/* Where we differ from the vendor: its decoder tests byte 2 for 03/04 before byte 3 for a5, so an
 * AppData V5 frame of a PCR2-T (type 3) or PCR2-XIO (type 4) goes to the V3/V4 decoder and is
 * rejected for its length. We look at the length first. A 0 battery (no solar unit) is left out. */
static void test_appdata_v5_of_xio_is_not_taken_for_v4(void)
{
    static const uint8_t buf[] = { 0xbe, 0x01, 0x04, 0xa5, 0x00, 0x01, 0x00, 0x02, 0x00, 0x07 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(buf, sizeof(buf), FPORT_APP, &res), MUE_OK);
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "device_type"), "PCR2-XIO");
    MUE_ASSERT_UINT_EQ(res.n, 2);
    MUE_ASSERT(!codec_test_has_reading(&res, "battery_voltage"));
}

static void test_appdata_v5_wrong_length_and_type_fail(void)
{
    static const uint8_t longer[] = { 0xbe, 0x01, 0x05, 0xa5, 0x00, 0x0c,
                                      0x00, 0x07, 0x25, 0x2a, 0x00 };
    static const uint8_t type9[] = { 0xbe, 0x01, 0x09, 0xa5, 0x00, 0x0c, 0x00, 0x07, 0x25, 0x2a };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(longer, sizeof(longer), FPORT_APP, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "AppData V5 frame of 11 bytes, expected 10");
    MUE_ASSERT_INT_EQ(decode(type9, sizeof(type9), FPORT_APP, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "unknown device type 9 at offset 2");
    MUE_ASSERT_UINT_EQ(res.nattr, 0);
}

/* Firmware 4 DeviceID (port 190, 9 bytes): the description's two examples. Its second is labelled
 * "PCR2-IN" but carries type 01, which its own table (and the vendor decoder) name PCR2-OD. */
static void test_device_id_v5(void)
{
    uint8_t buf[16];
    struct codec_result res;
    size_t len = codec_test_unhex("be0105d50040014200", buf, sizeof(buf));

    MUE_ASSERT_INT_EQ(decode(buf, len, FPORT_CONFIG, &res), MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 0);
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "frame_type"), "device id v5");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "device_type"), "PCR2-ODS");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "firmware_version"), "4.0.1");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "sbx_firmware_version"), "4.2.0");
    len = codec_test_unhex("be0101d50041020000", buf, sizeof(buf));
    MUE_ASSERT_INT_EQ(decode(buf, len, FPORT_CONFIG, &res), MUE_OK);
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "device_type"), "PCR2-OD");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "firmware_version"), "4.1.2");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "sbx_firmware_version"), "0.0.0");
    buf[3] = 0xd4;
    MUE_ASSERT_INT_EQ(decode(buf, len, FPORT_CONFIG, &res), MUE_EDECODE);
}

/* Config V6 (35 bytes, pcr2-decoder.js @0a254aaa): V5 plus the radar channel. */
static void test_config_v6(void)
{
    uint8_t buf[40];
    struct codec_result res;
    size_t len = codec_test_unhex(
        "be010600030a0000020001000a05a00000000000780128003200c80107003c04010103", buf, sizeof(buf));

    MUE_ASSERT_UINT_EQ(len, 35);
    MUE_ASSERT_INT_EQ(decode(buf, len, FPORT_CONFIG, &res), MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 0);
    MUE_ASSERT_UINT_EQ(res.nattr, 22);
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "frame_type"), "configuration v6");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "radar_channel"), "3");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "sbx_firmware_version"), "4.1.1");
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "max_dist_cm"), "200");
}

static void test_config_wrong_length_or_header_fails(void)
{
    uint8_t buf[40];
    struct codec_result res;
    size_t len = codec_test_unhex("be01030003040000000001000a05a00000000050", buf, sizeof(buf));

    MUE_ASSERT_INT_EQ(decode(buf, len - 1, FPORT_CONFIG, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "configuration frame of 19 bytes: no known version has it");
    buf[2] = 0x04; /* a V4 header on a 20-byte frame */
    MUE_ASSERT_INT_EQ(decode(buf, len, FPORT_CONFIG, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(
        res.reason,
        "configuration v3 frame of 20 bytes without its header (be 01, 03 at offset 2)");
    /* 14 bytes starting be */
    len = codec_test_unhex("be030200000000000a05a0000050", buf, sizeof(buf));
    MUE_ASSERT_INT_EQ(decode(buf, len, FPORT_CONFIG, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "14-byte configuration V2 frame starts with be, a V3+ header");
    len = codec_test_unhex("09030200000000000a05a0000050", buf, sizeof(buf)); /* device type 9 */
    MUE_ASSERT_INT_EQ(decode(buf, len, FPORT_CONFIG, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "unknown device type 9 at offset 0");
    MUE_ASSERT_UINT_EQ(res.nattr, 0);
    MUE_ASSERT_INT_EQ(decode(NULL, 0, FPORT_CONFIG, &res), MUE_EDECODE);
}

static void test_elsys_malformed_fails(void)
{
    static const uint8_t unknown[] = { 0x0a, 0x00, 0x01, 0x02, 0x00, 0x01 };
    static const uint8_t cut[] = { 0x0a, 0x00, 0x01, 0x16, 0x00 };
    static const uint8_t twice[] = { 0x0a, 0x00, 0x01, 0x0a, 0x00, 0x02 };
    struct codec_result res;

    /* The vendor decoder stops at an unknown type and keeps what came before. */
    MUE_ASSERT_INT_EQ(decode(unknown, sizeof(unknown), FPORT_APP, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "unknown ELSYS type 0x02 at offset 3");
    MUE_ASSERT_UINT_EQ(res.n, 0);
    MUE_ASSERT_INT_EQ(decode(cut, sizeof(cut), FPORT_APP, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "truncated ELSYS value of type 0x16 at offset 3");
    MUE_ASSERT_INT_EQ(decode(twice, sizeof(twice), FPORT_APP, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "repeated ELSYS type 0x0a at offset 3");
}

static void test_extended_malformed_fails(void)
{
    uint8_t buf[32];
    struct codec_result res;
    size_t len = codec_test_unhex("be01030001000200030004640ce40139", buf, sizeof(buf));

    MUE_ASSERT_INT_EQ(decode(buf, len - 1, FPORT_APP, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "extended V3 frame of 15 bytes, expected 16");
    buf[2] = 0x04; /* V4 needs 17 */
    MUE_ASSERT_INT_EQ(decode(buf, len, FPORT_APP, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "extended V4 frame of 16 bytes, expected 17");
    buf[2] = 0x07;
    MUE_ASSERT_INT_EQ(decode(buf, len, FPORT_APP, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "unknown extended payload version 0x07 at offset 2");
    buf[2] = 0x03, buf[1] = 0x02;
    MUE_ASSERT_INT_EQ(decode(buf, len, FPORT_APP, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "device family 0x02 at offset 1, expected 01 (PCR2)");
    MUE_ASSERT_INT_EQ(decode(buf, 3, FPORT_APP, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "truncated extended header: 3 bytes, need 4");
}

static void test_unknown_or_undecoded_headers_fail(void)
{
    static const uint8_t lpp[] = { 0x00, 0x66, 0x01, 0x01, 0x66, 0x02, 0x02, 0x67, 0x01, 0x2c };
    static const uint8_t other[] = { 0x55, 0x00 };
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode(lpp, sizeof(lpp), FPORT_APP, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason,
                      "Cayenne LPP frame (PTYPE 1) not decoded: layout not reliably documented");
    MUE_ASSERT_INT_EQ(decode(other, sizeof(other), FPORT_APP, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "unknown application frame header 0x55 at offset 0");
    MUE_ASSERT_INT_EQ(decode(NULL, 0, FPORT_APP, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "empty payload");
}

static void test_wrong_fport_fails(void)
{
    uint8_t buf[32];
    struct codec_result res;
    size_t len = codec_test_unhex("be01030001000200030004640ce40139", buf, sizeof(buf));

    MUE_ASSERT_INT_EQ(decode(buf, len, 2, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "fPort 2: PCR2 sends counts on 14 and configuration on 190");
    MUE_ASSERT_INT_EQ(decode(buf, len, 0, &res), MUE_EDECODE);
    MUE_ASSERT_INT_EQ(decode(buf, len, 1, &res), MUE_EDECODE); /* firmware-4 config: not decoded */
    MUE_ASSERT_INT_EQ(decode(buf, len, FPORT_CONFIG, &res), MUE_EDECODE); /* counts on 190 */
    len = codec_test_unhex("00030200000000000a05a0000050", buf, sizeof(buf));
    MUE_ASSERT_INT_EQ(decode(buf, len, FPORT_APP, &res), MUE_EDECODE); /* config on 14 */
}

static void test_codec_find_returns_pcr2(void)
{
    MUE_ASSERT(codec_find("parametric-pcr2") == &codec_parametric_pcr2);
    MUE_ASSERT_STR_EQ(codec_parametric_pcr2.vendor, "Parametric");
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_vendor_example_elsys),
        MUE_TEST(test_vendor_example_elsys2),
        MUE_TEST(test_vendor_example_extended_v3),
        MUE_TEST(test_vendor_example_extended_v4),
        MUE_TEST(test_vendor_example_config_v2),
        MUE_TEST(test_vendor_example_config_v3),
        MUE_TEST(test_vendor_example_config_v4),
        MUE_TEST(test_vendor_example_config_v5),
        MUE_TEST(test_vendor_example_config_v2_device_type_3),
        MUE_TEST(test_vendor_example_config_v5_device_type_1),
        MUE_TEST(test_temperature_keeps_tenths),
        MUE_TEST(test_negative_temperature),
        MUE_TEST(test_temperature_span_ends),
        MUE_TEST(test_maximum_counts),
        MUE_TEST(test_no_solar_charger_gives_no_battery),
        MUE_TEST(test_v3_battery_gauge_above_100_fails),
        MUE_TEST(test_appdata_v5),
        MUE_TEST(test_appdata_v5_of_xio_is_not_taken_for_v4),
        MUE_TEST(test_appdata_v5_wrong_length_and_type_fail),
        MUE_TEST(test_device_id_v5),
        MUE_TEST(test_config_v6),
        MUE_TEST(test_config_wrong_length_or_header_fails),
        MUE_TEST(test_elsys_malformed_fails),
        MUE_TEST(test_extended_malformed_fails),
        MUE_TEST(test_unknown_or_undecoded_headers_fail),
        MUE_TEST(test_wrong_fport_fails),
        MUE_TEST(test_codec_find_returns_pcr2),
    };
    return mue_test_run("codec_parametric_pcr2", tests);
}
