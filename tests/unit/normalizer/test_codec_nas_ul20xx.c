/* test_codec_nas_ul20xx.c - unit tests of the NAS UL20xx luminaire controller codec.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "codec_test.h"
#include "mue_err.h"

extern const struct codec codec_nas_ul20xx;

/* How the vendor's output (nasys/nas-codecs src/ul20xx_1_1_x_decoder.processed.js @4691977b)
 * maps to ours: our value = vendor value * factor. Booleans are 1/0 here.
 *
 *   vendor key                              ours                          factor
 *   status.internal_relay_closed            relay_closed                  1
 *   mcu_temperature__C                      device_temperature            1
 *   sensor_source.ldr_input, ldr_input_value light_sensor                 1
 *   sensor_source.light_sensor__lx ("299.9") illuminance                  1 (text -> lx)
 *   sensor_source.tilt_sensor__deg          tilt_angle                    1
 *   dimming_source[].dimming_level__percent dim_level_<short addr> | dim_level (broadcast, 0-10 V)
 *   dimming_source[].status.lamp_on         lamp_on_<n> | lamp_on         1
 *   dimming_source[].status.lamp_failure    lamp_failure_<n> | lamp_failure 1 (OR driver_error)
 *   consumption[].active_energy__Wh         energy                        0.001 (kWh)
 *   consumption[].active_power__W           power                         1
 *   consumption[].load_side_energy__Wh      load_side_energy              0.001 (kWh)
 *   consumption[].load_side_power__W        load_side_power               1
 *   consumption[].power_factor              power_factor                  1
 *   consumption[].mains_voltage__V          voltage                       1
 *   consumption[].driver_operating_time__h  driver_operating_time[_<n>]   1 (vendor: 1 h)
 *   consumption[].lamp_on_time__h           lamp_on_time[_<n>]            1 (vendor: 0.1 h)
 *   metering_alert *_alert                  the same names                1
 *   power__W, voltage__V, power_factor      power, voltage, power_factor  1
 *   latitude__deg, longitude__deg (61/0x86) latitude, longitude           1 (text -> deg)
 *
 * Everything else is an attribute under the vendor's name without the unit suffix (packet_type,
 * device_unix_epoch, downlink_rssi_dbm, firmware_version, ...); the status flags and alerts
 * that the vendor also lists as warnings are compared as warnings. */

/* A numeric vendor value and the reading it becomes. */
struct num_row {
    const char *vendor; /* path in the vendor's output */
    double value;       /* the vendor's value (1/0 for true/false) */
    const char *ours;
    double factor;
    double tol; /* wider where the vendor rounds */
};

/* A vendor value that stays text, and the attribute it becomes. */
struct attr_row {
    const char *vendor;
    const char *ours;
    const char *value; /* ours; the same text as the vendor's unless the row's comment says */
};

struct example {
    const char *name;
    unsigned fport;
    const char *hex;
    struct num_row num[12]; /* ended by a NULL vendor path */
    struct attr_row attr[16];
    const char *warn[5]; /* ours, in order; the vendor's warnings plus its errors that we warn */
};

/* The 19 examples of /work/shared/vectors/nas_ul20xx.json (vendor tests "from DS" and one real
 * ChirpStack capture), as published. */
static const struct example examples[] = {
    { "status from DS",
      23,
      "01f37f205e8244320916200701d20294550401fe50190012501900",
      {
          { "status.internal_relay_closed", 1, "relay_closed", 1, 0 },
          { "mcu_temperature__C", 22, "device_temperature", 1, 0 },
          { "sensor_source.ldr_input", 210, "light_sensor", 1, 0 },
          /* "299.9" is 10^(0x5594/4000)/1000 = 299.916 formatted to 4 digits */
          { "sensor_source.light_sensor__lx", 299.9, "illuminance", 1, 0.05 },
          { "dimming_source[0].dimming_level__percent", 25, "dim_level", 1, 0 },
          { "dimming_source[0].status.lamp_on", 0, "lamp_on", 1, 0 },
          { "dimming_source[0].status.lamp_failure", 0, "lamp_failure", 1, 0 },
          { "dimming_source[1].dimming_level__percent", 25, "dim_level_9", 1, 0 },
          { "dimming_source[1].status.lamp_on", 0, "lamp_on_9", 1, 0 },
          { "dimming_source[1].status.lamp_failure", 0, "lamp_failure_9", 1, 0 },
      },
      {
          { "packet_type", "packet_type", "status_packet" },
          { "device_unix_epoch", "device_unix_epoch", "2020-01-16T15:23:31.000Z" },
          { "status.open_drain_output_on", "open_drain_output_on", "true" },
          { "status.lumalink_connected", "lumalink_connected", "true" },
          { "status.lumalink_connected_after_boot", "lumalink_connected_after_boot", "false" },
          { "downlink_rssi__dBm", "downlink_rssi_dbm", "-50" },
          { "downlink_snr__dB", "downlink_snr_db", "9" },
          { "sensor_source.dig_input_1_on", "dig_input_1_on", "true" },
          /* address, reason and level of a dimming source in one attribute */
          { "dimming_source[0]", "dimming_source", "dali_broadcast calendar_dusk_step_0 25%" },
          { "dimming_source[1]", "dimming_source_2", "dali_single_9 calendar_dusk_step_0 25%" },
      },
      { "dali_connection_error", "lamp_error_alert_in_24h" } },
    { "status from DS + unknown sensor source",
      23,
      "01f37f205e82c4320916200901d202945504012100fe511900123f1900",
      {
          { "status.internal_relay_closed", 1, "relay_closed", 1, 0 },
          { "mcu_temperature__C", 22, "device_temperature", 1, 0 },
          { "sensor_source.ldr_input", 210, "light_sensor", 1, 0 },
          { "sensor_source.light_sensor__lx", 299.9, "illuminance", 1, 0.05 },
          { "dimming_source[0].dimming_level__percent", 25, "dim_level", 1, 0 },
          { "dimming_source[0].status.lamp_on", 0, "lamp_on", 1, 0 },
          { "dimming_source[0].status.lamp_failure", 0, "lamp_failure", 1, 0 },
          { "dimming_source[1].dimming_level__percent", 25, "dim_level_9", 1, 0 },
          { "dimming_source[1].status.lamp_on", 0, "lamp_on_9", 1, 0 },
          { "dimming_source[1].status.lamp_failure", 0, "lamp_failure_9", 1, 0 },
      },
      {
          { "status.lumalink_connected_after_boot", "lumalink_connected_after_boot", "true" },
          { "sensor_source.dig_input_1_on", "dig_input_1_on", "true" },
          { "dimming_source[0]", "dimming_source", "dali_broadcast calendar_dusk_step_1 25%" },
          { "dimming_source[1]", "dimming_source_2", "dali_single_9 calendar_dawn_step_15 25%" },
      },
      /* the vendor's error "unsupported_sensor_source": the block is length-prefixed, the rest
       * of the frame decodes, so it is a warning here */
      { "dali_connection_error", "lamp_error_alert_in_24h",
        "unsupported_sensor_source 0x21 at byte 19" } },
    { "status preliminary from DS",
      23,
      "00f37f205e9232091600fe71190012811900",
      {
          { "status.internal_relay_closed", 1, "relay_closed", 1, 0 },
          { "mcu_temperature__C", 22, "device_temperature", 1, 0 },
          { "dimming_source[0].dimming_level__percent", 25, "dim_level", 1, 0 },
          { "dimming_source[0].status.lamp_on", 0, "lamp_on", 1, 0 },
          { "dimming_source[0].status.lamp_failure", 0, "lamp_failure", 1, 0 },
          { "dimming_source[1].dimming_level__percent", 25, "dim_level_9", 1, 0 },
          { "dimming_source[1].status.lamp_on", 0, "lamp_on_9", 1, 0 },
          { "dimming_source[1].status.lamp_failure", 0, "lamp_failure_9", 1, 0 },
      },
      {
          { "status.ldr_input_on", "ldr_input_on", "false" },
          { "status.dig_input_on", "dig_input_on", "true" },
          { "status.open_drain_output_on", "open_drain_output_on", "false" },
          { "dimming_source[0]", "dimming_source", "dali_broadcast dig_active 25%" },
          { "dimming_source[1]", "dimming_source_2", "dali_single_9 light_monitor_step_1 25%" },
      },
      { "dali_connection_error" } },
    { "status preliminary with relay off",
      23,
      "00f6e5853800340718000ef5ffff",
      {
          { "status.internal_relay_closed", 0, "relay_closed", 1, 0 },
          { "mcu_temperature__C", 24, "device_temperature", 1, 0 },
          /* DALI status 0xFF (no answer): the vendor prints all flags false, we add no
           * lamp_on_7 / lamp_failure_7 rather than claim the lamp is off and sound */
      },
      {
          { "device_unix_epoch", "device_unix_epoch", "invalid_timestamp" },
          { "downlink_rssi__dBm", "downlink_rssi_dbm", "-52" },
          { "downlink_snr__dB", "downlink_snr_db", "7" },
          { "dimming_source[0]", "dimming_source", "dali_single_7 relay_off n/a" },
      },
      { "invalid_timestamp" } },
    { "usage from DS",
      26,
      "00ff80d0ef2f0112ff479403002a00f94a030027005de5c072d902d0ef2f01",
      {
          /* 19918800 s and 47805120 s: we keep 5533.0 h and 13279.2 h, the vendor rounds */
          { "consumption[0].lamp_on_time__h", 5533, "lamp_on_time", 1, 0.05 },
          { "consumption[1].active_energy__Wh", 234567, "energy", 0.001, 1e-9 },
          { "consumption[1].active_power__W", 42, "power", 1, 0 },
          { "consumption[1].load_side_energy__Wh", 215801, "load_side_energy", 0.001, 1e-9 },
          { "consumption[1].load_side_power__W", 39, "load_side_power", 1, 0 },
          { "consumption[1].power_factor", 0.93, "power_factor", 1, 1e-9 },
          { "consumption[1].mains_voltage__V", 229, "voltage", 1, 0 },
          { "consumption[1].driver_operating_time__h", 13279, "driver_operating_time_9", 1, 0.5 },
          { "consumption[1].lamp_on_time__h", 5533, "lamp_on_time_9", 1, 0.05 },
      },
      { { "packet_type", "packet_type", "usage_packet" } },
      { NULL } },
    { "manual_dimming_command response from DS",
      60,
      "01fe64",
      { { NULL, 0, NULL, 0, 0 } },
      {
          { "packet_type", "packet_type", "manual_dimming" },
          { "destination[0]", "destination", "dali_broadcast 100%" },
      },
      { NULL } },
    { "custom_dali_request response from DS",
      60,
      "0348a1fe48a2a848a3fe48a4fe48a507",
      { { NULL, 0, NULL, 0, 0 } },
      {
          { "packet_type", "packet_type", "custom_dali_request" },
          { "query_data_raw", "query_data_raw", "48A1FE48A2A848A3FE48A4FE48A507" },
      },
      { NULL } },
    { "custom_dali_command response from DS",
      60,
      "04027f0321032b",
      { { NULL, 0, NULL, 0, 0 } },
      {
          { "packet_type", "packet_type", "custom_dali_command" },
          { "dali_command", "dali_command", "027F0321032B" },
      },
      { NULL } },
    { "dim_map_report_request resp from DS",
      60,
      "05041294fe00",
      { { NULL, 0, NULL, 0, 0 } },
      {
          { "packet_type", "packet_type", "status_usage_request" },
          { "status_requested", "status_requested", "false" },
          { "usage_requested", "usage_requested", "false" },
          { "dim_map_report_requested", "dim_map_report_requested", "true" },
          { "request_gnss_notification", "request_gnss_notification", "false" },
          { "drivers[0]", "dim_map", "dali_single_9 148-254 logarithmic" },
      },
      { NULL } },
    { "driver_memory_write response",
      60,
      "080400030607edface82e5",
      { { NULL, 0, NULL, 0, 0 } },
      {
          { "packet_type", "packet_type", "driver_memory_write" },
          { "address", "address", "dali_single_2" },
          { "memory_bank", "memory_bank", "0" },
          { "memory_address", "memory_address", "3" },
          { "memory_value", "memory_value", "0607EDFACE82E5" },
      },
      { NULL } },
    { "driver_memory_write response failed",
      60,
      "08",
      { { NULL, 0, NULL, 0, 0 } },
      { { "packet_type", "packet_type", "driver_memory_write" } },
      { "driver_memory_write_failed" } },
    { "dig_input_notification from DS",
      61,
      "804106000000",
      { { NULL, 0, NULL, 0, 0 } },
      {
          { "packet_type", "packet_type", "dig_input_notification" },
          { "dig_input_on", "dig_input_on", "true" },
          { "dig_input_event_counter", "dig_input_event_counter", "6" },
      },
      { NULL } },
    { "ldr_input_notification from DS",
      61,
      "81200079",
      { { "ldr_input_value", 121, "light_sensor", 1, 0 } },
      {
          { "packet_type", "packet_type", "ldr_input_notification" },
          { "ldr_input_on", "ldr_input_on", "false" },
      },
      { NULL } },
    { "dali_driver_alert from DS",
      61,
      "83200202",
      {
          { "drivers[0].status.lamp_on", 0, "lamp_on_1", 1, 0 },
          { "drivers[0].status.lamp_failure", 1, "lamp_failure_1", 1, 0 },
      },
      {
          { "packet_type", "packet_type", "dali_driver_alert" },
          /* the status flags as the raw STATUS byte */
          { "drivers[0]", "driver_status", "dali_single_1 0x02" },
      },
      { "dali_single_1 lamp_failure" } },
    { "metering_alert from DS",
      61,
      "84025900e50056",
      {
          { "lamp_error_alert", 0, "lamp_error_alert", 1, 0 },
          { "over_current_alert", 1, "over_current_alert", 1, 0 },
          { "under_voltage_alert", 0, "under_voltage_alert", 1, 0 },
          { "over_voltage_alert", 0, "over_voltage_alert", 1, 0 },
          { "low_power_factor_alert", 0, "low_power_factor_alert", 1, 0 },
          { "power__W", 89, "power", 1, 0 },
          { "voltage__V", 229, "voltage", 1, 0 },
          { "power_factor", 0.86, "power_factor", 1, 1e-9 },
      },
      { { "packet_type", "packet_type", "metering_alert" } },
      { "metering_over_current" } },
    { "boot_packet from DS",
      99,
      "000d008350010101f37f205e000cfe0104",
      { { NULL, 0, NULL, 0, 0 } },
      {
          { "packet_type", "packet_type", "boot_packet" },
          { "device_serial", "device_serial", "5083000D" },
          { "firmware_version", "firmware_version", "1.1.1" },
          { "device_unix_epoch", "device_unix_epoch", "2020-01-16T15:23:31.000Z" },
          { "device_config", "device_config", "dali" },
          /* the true ones of optional_features, listed */
          { "optional_features", "optional_features", "dig_input,ldr_input" },
          { "dali_supply_state__V", "dali_supply_state", "bus_high" },
          { "dali_power_source_external", "dali_power_source", "external" },
          { "dali_addressed_driver_count", "dali_addressed_driver_count", "1" },
          { "dali_unaddressed_driver_found", "dali_unaddressed_driver_found", "false" },
          { "reset_reason", "reset_reason", "soft_reset" },
      },
      { NULL } },
    { "boot_packet external",
      99,
      "00563412510100168e436d3803687e0000",
      { { NULL, 0, NULL, 0, 0 } },
      {
          { "device_serial", "device_serial", "51123456" },
          { "firmware_version", "firmware_version", "1.0.22" },
          { "device_unix_epoch", "device_unix_epoch", "invalid_timestamp" },
          { "device_config", "device_config", "analog_nc" },
          { "optional_features", "optional_features", "ldr_input,metering" },
          { "dali_supply_state__V", "dali_supply_state", "bus_high" },
          { "dali_power_source_external", "dali_power_source", "internal" },
          { "dali_addressed_driver_count", "dali_addressed_driver_count", "0" },
          { "reset_reason", "reset_reason", "none" }, /* vendor: [] */
      },
      { "invalid_timestamp" } },
    { "invalid_downlink_packet from DS",
      99,
      "13320a",
      { { NULL, 0, NULL, 0, 0 } },
      {
          { "packet_type", "packet_type", "invalid_downlink_packet" },
          { "downlink_from_fport", "downlink_from_fport", "50" },
          { "error_reason", "error_reason", "unsupported_header" },
      },
      { "downlink_error unsupported_header" } },
    { "REAL device capture (ChirpStack, LCU fw 1.1)",
      23,
      "018eb28266200047071a000201defe210000",
      {
          { "status.internal_relay_closed", 0, "relay_closed", 1, 0 },
          { "mcu_temperature__C", 26, "device_temperature", 1, 0 },
          { "sensor_source.ldr_input", 222, "light_sensor", 1, 0 },
          { "dimming_source[0].dimming_level__percent", 0, "dim_level", 1, 0 },
          { "dimming_source[0].status.lamp_on", 0, "lamp_on", 1, 0 },
          { "dimming_source[0].status.lamp_failure", 0, "lamp_failure", 1, 0 },
      },
      {
          { "device_unix_epoch", "device_unix_epoch", "2024-07-01T13:43:42.000Z" },
          { "downlink_rssi__dBm", "downlink_rssi_dbm", "-71" },
          { "downlink_snr__dB", "downlink_snr_db", "7" },
          { "status.open_drain_output_on", "open_drain_output_on", "false" },
          { "status.lumalink_connected", "lumalink_connected", "false" },
          { "dimming_source[0]", "dimming_source", "dali_broadcast calendar_day 0%" },
      },
      { "metering_com_error" } },
};

static int decode_hex(const char *hex, unsigned fport, struct codec_result *res)
{
    return codec_test_decode_hex(&codec_nas_ul20xx, hex, fport, res);
}

/* Returns the value of the attribute 'key' equal to 'value', or of the first one of 'key'. */
static const char *attr_value(const struct codec_result *res, const char *key, const char *value)
{
    const char *first = NULL;

    for (size_t i = 0; i < res->nattr; i++) {
        if (strcmp(res->attr[i].key, key) != 0)
            continue;
        if (value != NULL && strcmp(res->attr[i].value, value) == 0)
            return res->attr[i].value;
        if (first == NULL)
            first = res->attr[i].value;
    }
    return first;
}

/* mue-decode prints the attributes as one JSON object: a repeated key would hide a value. */
static void check_keys_unique(const struct codec_result *res)
{
    for (size_t i = 0; i < res->nattr; i++) {
        for (size_t j = i + 1; j < res->nattr; j++)
            MUE_ASSERT_STR_EQ(strcmp(res->attr[i].key, res->attr[j].key) ? "unique" : "repeated",
                              "unique");
    }
}

static void check_example(const struct example *e)
{
    struct codec_result res;
    size_t nnum = 0, nwarn = 0;

    MUE_ASSERT_INT_EQ(decode_hex(e->hex, e->fport, &res), MUE_OK);
    MUE_ASSERT_STR_EQ(res.reason, "");
    for (const struct num_row *n = e->num; n->vendor != NULL; n++, nnum++) {
        const struct codec_reading *r = codec_test_reading_of(&res, n->ours);

        MUE_ASSERT_DBL_NEAR(r->value, n->value * n->factor, n->tol + 1e-12);
        MUE_ASSERT_INT_EQ(r->time_us, 0);
    }
    MUE_ASSERT_UINT_EQ(res.n, nnum); /* nothing beyond the mapped vendor values */
    for (const struct attr_row *a = e->attr; a->vendor != NULL; a++)
        MUE_ASSERT_STR_EQ(attr_value(&res, a->ours, a->value), a->value);
    for (; nwarn < 5 && e->warn[nwarn] != NULL; nwarn++) {
        MUE_ASSERT(nwarn < res.nwarn);
        MUE_ASSERT_STR_EQ(res.warning[nwarn], e->warn[nwarn]);
    }
    MUE_ASSERT_UINT_EQ(res.nwarn, nwarn);
    codec_test_assert_vocabulary(&res);
    check_keys_unique(&res);
}

static void test_vendor_examples_decode_to_vendor_values(void)
{
    for (size_t i = 0; i < sizeof(examples) / sizeof(examples[0]); i++)
        check_example(&examples[i]);
    MUE_ASSERT_UINT_EQ(sizeof(examples) / sizeof(examples[0]), 19);
}

static void expect_fail(const char *hex, unsigned fport, const char *reason)
{
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode_hex(hex, fport, &res), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, reason);
    MUE_ASSERT_UINT_EQ(res.n, 0);
    MUE_ASSERT_UINT_EQ(res.nattr, 0);
    MUE_ASSERT_UINT_EQ(res.nwarn, 0);
}

static void test_wrong_fport_fails(void)
{
    /* the status example on the usage port: its header 0x01 is no usage header */
    expect_fail("01f37f205e8244320916200701d20294550401fe50190012501900", 26,
                "unknown usage packet header 0x01 at byte 0");
    expect_fail("00ff80d0ef2f01", 24,
                "fport 24 is firmware 1.0.x's status port; this codec "
                "reads 1.1.x");
    expect_fail("00ff80d0ef2f01", 25,
                "fport 25 is firmware 1.0.x's usage port; this codec "
                "reads 1.1.x");
    expect_fail("01fe64", 1, "unexpected fport 1");
    expect_fail("", 23, "empty payload on fport 23");
}

static void test_unknown_headers_fail(void)
{
    expect_fail("02f37f205e82443209162007", 23, "unknown status packet header 0x02 at byte 0");
    expect_fail("820000", 61, "unknown fport 61 packet header 0x82 at byte 0");
    expect_fail("01", 99, "unknown fport 99 packet header 0x01 at byte 0");
    expect_fail("02fe64", 60, "unknown fport 60 command 0x02 at byte 0");
    expect_fail("0232", 50, "unknown configuration packet 0x02 at byte 0");
    expect_fail("02", 49, "unknown fport 49 request 0x02 at byte 0");
    expect_fail("00", 51, "unknown fport 51 command 0x00 at byte 0");
}

static void test_truncated_frames_fail(void)
{
    /* status: inside the fixed head, and one byte short of the last dimming source */
    expect_fail("01f37f205e82", 23, "truncated status_packet: 1 byte(s) missing at byte 6");
    expect_fail("01f37f205e8244320916200701d20294550401fe501900125019", 23,
                "truncated dimming source at byte 23: 3 of 4 bytes");
    /* usage: a record whose mask promises a u32 the frame does not hold */
    expect_fail("00ff80d0ef2f", 26, "truncated usage_packet: 1 byte(s) missing at byte 3");
    expect_fail("84025900e500", 61, "truncated metering_alert: 4 of 5 bytes at byte 2");
    expect_fail("000d008350010101f37f205e000cfe", 99, "boot_packet of 15 bytes (16 or 17)");
    expect_fail("1332", 99, "truncated invalid_downlink_packet: 1 of 2 bytes at byte 1");
    expect_fail("80", 61, "truncated alert packet: 1 byte(s) missing at byte 1");
    expect_fail("0704", 60, "truncated driver_memory_read: 1 byte(s) missing at byte 2");
    /* a read reply shorter than its announced size */
    expect_fail("070400030411", 60, "truncated driver_memory_read: 3 byte(s) missing at byte 5");
}

static void test_too_long_frames_fail(void)
{
    expect_fail("84025900e5005600", 61,
                "metering_alert too long: 6 bytes after byte 2 where 5 "
                "belong");
    expect_fail("13320a00", 99,
                "invalid_downlink_packet too long: 3 bytes after byte 1 where 2 "
                "belong");
    expect_fail("253200", 50,
                "1 unexpected byte(s) after the fallback_dim_config_packet at "
                "byte 2");
    expect_fail("0b00", 60, "1 unexpected byte(s) after the dali_identify at byte 1");
    expect_fail("804106000000ff", 61,
                "1 unexpected byte(s) after the dig_input_notification at "
                "byte 6");
}

/* fPort 26 with every field at its maximum: u32 and u16 all ones, power factor 0xFF (unknown). */
static void test_usage_maximum_raw_values(void)
{
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode_hex("0002ff"
                                 "ffffffff"
                                 "ffff"
                                 "ffffffff"
                                 "ffff"
                                 "ff"
                                 "ff"
                                 "ffffffff"
                                 "ffffffff",
                                 26, &res),
                      MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 7); /* no power_factor: 0xFF is "unknown" */
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "energy"), 4294967.295, 1e-6);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "power"), 65535, 0);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "load_side_energy"), 4294967.295, 1e-6);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "load_side_power"), 65535, 0);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "voltage"), 255, 0);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "driver_operating_time_1"), 4294967295.0 / 3600,
                        1e-6);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "lamp_on_time_1"), 4294967295.0 / 3600, 1e-6);
    codec_test_assert_vocabulary(&res);
}

static void test_usage_power_factor_above_one_fails(void)
{
    expect_fail("00fe1065", 26, "power factor 101/100 > 1 at byte 3");
}

/* energy, power... have no index in the vocabulary: the controller's own meter (0xFF) wins even
 * when a driver's record comes first; the driver's values stay as attributes. */
static void test_usage_internal_meter_wins_over_driver(void)
{
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode_hex("00"
                                 "0403e80300000500"  /* dali_single_2: 1000 Wh, 5 W */
                                 "ff03d00700000700", /* internal: 2000 Wh, 7 W */
                                 26, &res),
                      MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 2);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "energy"), 2.0, 1e-12);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "power"), 7.0, 0);
    MUE_ASSERT_STR_EQ(attr_value(&res, "usage_duplicate", NULL),
                      "dali_single_2 energy=1, dali_single_2 power=5");
}

static void test_status_negative_temperature_and_snr(void)
{
    struct codec_result res;

    /* header 1, epoch, no flags, rssi 120, snr -7, temperature -10, no alerts, no sensors */
    MUE_ASSERT_INT_EQ(decode_hex("01f37f205e000078f9f60000", 23, &res), MUE_OK);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "device_temperature"), -10, 0);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "relay_closed"), 0, 0);
    MUE_ASSERT_STR_EQ(attr_value(&res, "downlink_snr_db", NULL), "-7");
    MUE_ASSERT_STR_EQ(attr_value(&res, "downlink_rssi_dbm", NULL), "-120");
    MUE_ASSERT_UINT_EQ(res.nwarn, 0);
}

/* Sensor sources the examples lack: the D4i light sensor, tilt, and "unavailable" values. */
static void test_status_sensor_sources(void)
{
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode_hex("01f37f205e0000320916000a"
                                 "02ffff" /* light sensor unavailable */
                                 "030000" /* D4i light sensor, raw 0: 0.001 lx */
                                 "081e"   /* tilt 30 deg */
                                 "0400"   /* dig input off; the 10-byte block ends here */
                                 "0000",  /* half a dimming source */
                                 23, &res),
                      MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, "truncated dimming source at byte 22: 2 of 4 bytes");

    MUE_ASSERT_INT_EQ(decode_hex("01f37f205e0000320916000a"
                                 "02ffff030000081e0400",
                                 23, &res),
                      MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 3);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "tilt_angle"), 30, 0);
    MUE_ASSERT_STR_EQ(attr_value(&res, "light_sensor_lx", NULL), "unavailable");
    MUE_ASSERT_STR_EQ(attr_value(&res, "d4i_light_sensor_lx", NULL), "0.001");
    MUE_ASSERT_STR_EQ(attr_value(&res, "dig_input_1_on", NULL), "false");
}

static void test_status_sensor_block_overrun_fails(void)
{
    /* a block of 3 bytes whose light sensor needs 1 + 2 after a 1-byte LDR */
    expect_fail("01f37f205e0000320916000301d202945504", 23,
                "sensor source 0x02 at byte 14 overruns its block (ends at 15)");
    expect_fail("01f37f205e00003209160009", 23,
                "sensor source block of 9 bytes at byte 11 overruns the frame");
}

static void test_status_dimming_source_values(void)
{
    struct codec_result res;

    /* analog output at 40 %; group 3 (0x86) at 30 % with a lamp failure; short 63 (0x7e) with a
     * control gear failure and lamp on, reason 0xFF "unknown" */
    MUE_ASSERT_INT_EQ(decode_hex("01f37f205e00003209160000"
                                 "01fd28ff"
                                 "86fa1e02"
                                 "7eff6405",
                                 23, &res),
                      MUE_OK);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "dim_level"), 40, 0);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "dim_level_63"), 100, 0);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "lamp_on_63"), 1, 0);
    /* driver_error counts */
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "lamp_failure_63"), 1, 0);
    MUE_ASSERT_UINT_EQ(res.n, 6); /* relay, temperature, the four above; none for the group */
    MUE_ASSERT_STR_EQ(attr_value(&res, "dimming_source", "analog_0_10v manual_active 40%"),
                      "analog_0_10v manual_active 40%");
    MUE_ASSERT_STR_EQ(attr_value(&res, "dimming_source_2", NULL),
                      "dali_group_3 ldr_input_active 30%");
    MUE_ASSERT_STR_EQ(attr_value(&res, "dimming_source_3", NULL), "dali_single_63 unknown 100%");
    MUE_ASSERT_UINT_EQ(res.nwarn, 3);
    MUE_ASSERT_STR_EQ(res.warning[0], "dali_group_3 lamp_failure");
    MUE_ASSERT_STR_EQ(res.warning[1], "unknown_reason");
    MUE_ASSERT_STR_EQ(res.warning[2], "dali_single_63 driver_error");
}

static void test_status_invalid_values_fail(void)
{
    expect_fail("01f37f205e00003209160000"
                "03211e00",
                23, "invalid DALI address 0x03 in status_packet at byte 12");
    expect_fail("01f37f205e00003209160000"
                "a0211e00",
                23, "invalid DALI address 0xa0 in status_packet at byte 12");
    expect_fail("01f37f205e00003209160000"
                "ff211e00",
                23, "invalid DALI address 0xff in status_packet at byte 12");
    expect_fail("01f37f205e00003209160000"
                "fe231e00",
                23, "unknown dimming reason 0x23 at byte 13");
    expect_fail("01f37f205e00003209160000"
                "fe216500",
                23, "dimming level 101 > 100 in status_packet at byte 14");
}

/* The legacy header with every optional part: LDR value and the alerts byte. */
static void test_status_legacy_with_ldr_and_alerts(void)
{
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode_hex("00f37f205e40320916"
                                 "16"
                                 "79"
                                 "f0",
                                 23, &res),
                      MUE_OK);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "light_sensor"), 121, 0);
    MUE_ASSERT_STR_EQ(attr_value(&res, "open_drain_output_on", NULL), "true");
    MUE_ASSERT_UINT_EQ(res.nwarn, 4); /* the codec keeps 4: RTC + the first three alerts */
    MUE_ASSERT_STR_EQ(res.warning[0], "ext_rtc_warning");
    MUE_ASSERT_STR_EQ(res.warning[1], "voltage_alert_in_24h");
    MUE_ASSERT_STR_EQ(res.warning[3], "power_alert_in_24h");
}

/* Over 24 attributes: more dimming sources than a result holds is refused, not cut short. */
static void test_status_with_too_many_sources_is_refused(void)
{
    char hex[512] = "01f37f205e00003209160000";

    for (unsigned i = 0; i < 20; i++)
        snprintf(hex + strlen(hex), sizeof(hex) - strlen(hex), "%02x211e00", i * 2);
    expect_fail(hex, 23, "more than 24 attributes (at dimming_source_18)");
}

static void test_metering_alert_all_conditions(void)
{
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode_hex("841fffffffffff", 61, &res), MUE_OK);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "lamp_error_alert"), 1, 0);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "low_power_factor_alert"), 1, 0);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "power"), 65535, 0);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "voltage"), 65535, 0);
    MUE_ASSERT_UINT_EQ(res.n, 7); /* power factor 0xFF: unknown, not 2.55 */
    MUE_ASSERT_UINT_EQ(res.nwarn, 4);
    expect_fail("84000000000065", 61, "power factor 101/100 > 1 at byte 6");
}

/* The vendor's location example (test/ul20xx_1_1_x_downlink_decoder.test.js): the position
 * carries the fix's own time. */
static void test_location_notification_uses_fix_time(void)
{
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode_hex("8600b3046942b3efb341ee68b466", 61, &res), MUE_OK);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "latitude"), 58.254589, 1e-5);
    MUE_ASSERT_DBL_NEAR(codec_test_reading(&res, "longitude"), 22.492041, 1e-5);
    MUE_ASSERT_INT_EQ(codec_test_reading_of(&res, "latitude")->time_us,
                      (int64_t)0x66b468ee * 1000000);
    MUE_ASSERT_STR_EQ(attr_value(&res, "last_fix_utc_time", NULL), "2024-08-08T06:42:54.000Z");
    /* an unset clock: the vendor's decoder throws here; we take the uplink's time */
    MUE_ASSERT_INT_EQ(decode_hex("8600b3046942b3efb34100000000", 61, &res), MUE_OK);
    MUE_ASSERT_INT_EQ(codec_test_reading_of(&res, "latitude")->time_us, 0);
    MUE_ASSERT_STR_EQ(res.warning[0], "invalid_timestamp");
    MUE_ASSERT_INT_EQ(decode_hex("8601", 61, &res), MUE_OK);
    MUE_ASSERT_STR_EQ(attr_value(&res, "location_status", NULL), "no_fix");
    MUE_ASSERT_UINT_EQ(res.n, 0);
    expect_fail("8603", 61, "unknown location status 0x03 at byte 1");
    expect_fail("8600000080ff00000000ee68b466", 61, "position -inf, 0 out of range at byte 2");
}

static void test_other_notifications(void)
{
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode_hex("80200600", 61, &res), MUE_OK); /* 2-byte counter, no state */
    MUE_ASSERT_STR_EQ(attr_value(&res, "dig_input_event_counter", NULL), "6");
    MUE_ASSERT(!codec_test_has_attr(&res, "dig_input_on"));
    MUE_ASSERT_INT_EQ(decode_hex("8503", 61, &res), MUE_OK);
    MUE_ASSERT_STR_EQ(attr_value(&res, "active_dim_step", NULL), "3");
    expect_fail("8130000079", 61, "ldr_input_notification length 3 at byte 1 (2)");
    expect_fail("80300600", 61, "dig_input_notification length 3 at byte 1 (2 or 4)");
    expect_fail("83200302", 61, "invalid DALI address 0x03 in dali_driver_alert at byte 2");
}

static void test_boot_flags_and_warnings(void)
{
    struct codec_result res;

    /* DALI bus shorted, unaddressed driver found, watchdog reset */
    MUE_ASSERT_INT_EQ(decode_hex("000d008350010101f37f205e07007f8302", 99, &res), MUE_OK);
    MUE_ASSERT_STR_EQ(attr_value(&res, "device_config", NULL), "dali_analog_nc_no");
    MUE_ASSERT_STR_EQ(attr_value(&res, "optional_features", NULL), "none");
    MUE_ASSERT_STR_EQ(attr_value(&res, "dali_supply_state", NULL), "bus_error");
    MUE_ASSERT_STR_EQ(attr_value(&res, "dali_addressed_driver_count", NULL), "3");
    MUE_ASSERT_STR_EQ(attr_value(&res, "reset_reason", NULL), "watchdog_reset");
    MUE_ASSERT_UINT_EQ(res.nwarn, 3);
    MUE_ASSERT_STR_EQ(res.warning[0], "dali_bus_error");
    MUE_ASSERT_STR_EQ(res.warning[1], "unadressed_dali_driver_on_bus");
    MUE_ASSERT_STR_EQ(res.warning[2], "watchdog_reset");
    /* a measured DALI supply voltage, no reset byte */
    MUE_ASSERT_INT_EQ(decode_hex("000d008350010101f37f205e00001001", 99, &res), MUE_OK);
    MUE_ASSERT_STR_EQ(attr_value(&res, "dali_supply_state", NULL), "16 V");
    MUE_ASSERT(!codec_test_has_attr(&res, "reset_reason"));
    expect_fail("000d008350010101f37f205e08007e01", 99, "unknown device_config 8 at byte 12");
    expect_fail("000d008350010101f37f205e00007001", 99,
                "dali_supply_state 0x70 undefined at byte 14");
    expect_fail("13327f", 99, "unknown downlink error code 0x7f at byte 2");
}

static void test_command_replies(void)
{
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode_hex("090432ff011e1e", 60, &res), MUE_OK);
    /* the two items do not fit one attribute of 47 characters */
    MUE_ASSERT_STR_EQ(attr_value(&res, "destination", NULL), "dali_single_2 50% 255 min");
    MUE_ASSERT_STR_EQ(attr_value(&res, "destination_2", NULL), "analog_0_10v 30% 30 min");
    MUE_ASSERT_INT_EQ(decode_hex("01ffff", 60, &res), MUE_OK);
    MUE_ASSERT_STR_EQ(attr_value(&res, "destination", NULL), "all_devices resume");
    MUE_ASSERT_INT_EQ(decode_hex("0304a105", 60, &res), MUE_OK); /* address, query, answer */
    MUE_ASSERT_STR_EQ(attr_value(&res, "address", NULL), "dali_single_2");
    MUE_ASSERT_STR_EQ(attr_value(&res, "dali_query", NULL), "161");
    MUE_ASSERT_STR_EQ(attr_value(&res, "dali_response", NULL), "5");
    MUE_ASSERT_INT_EQ(decode_hex("0704000302aabb", 60, &res), MUE_OK);
    MUE_ASSERT_STR_EQ(attr_value(&res, "memory_value", NULL), "AABB");
    MUE_ASSERT_STR_EQ(attr_value(&res, "read_size_bytes", NULL), "2");
    MUE_ASSERT_INT_EQ(decode_hex("07", 60, &res), MUE_OK);
    MUE_ASSERT_STR_EQ(res.warning[0], "driver_memory_read_failed");
    MUE_ASSERT_INT_EQ(decode_hex("0aff", 60, &res), MUE_OK);
    MUE_ASSERT_STR_EQ(attr_value(&res, "address", NULL), "rescan_dali_bus");
    MUE_ASSERT_INT_EQ(decode_hex("0c01", 60, &res), MUE_OK);
    MUE_ASSERT_STR_EQ(attr_value(&res, "open_drain_output_on", NULL), "true");
    MUE_ASSERT_UINT_EQ(res.n, 0);
    expect_fail("05041294fe02", 60, "dimming curve 2 undefined at byte 5");
    expect_fail("0304", 60, "truncated custom_dali_request: 1 of 2 bytes at byte 1");
    expect_fail("01fe65", 60, "dimming level 101 > 100 in manual_dimming at byte 2");
}

/* A hex reply longer than one attribute continues in the list's next key. */
static void test_long_hex_is_split(void)
{
    struct codec_result res;
    char hex[128] = "04";

    for (unsigned i = 0; i < 30; i++)
        snprintf(hex + strlen(hex), sizeof(hex) - strlen(hex), "%02x", i);
    MUE_ASSERT_INT_EQ(decode_hex(hex, 60, &res), MUE_OK);
    MUE_ASSERT_UINT_EQ(res.nattr, 3);
    MUE_ASSERT_STR_EQ(attr_value(&res, "dali_command", NULL),
                      "000102030405060708090A0B0C0D0E0F10111213141516");
    MUE_ASSERT_STR_EQ(attr_value(&res, "dali_command_2", NULL), "1718191A1B1C1D");
}

/* Configuration echoes: the vendor's examples (test/ul20xx_1_1_x_common_decoder.test.js). */
static void test_config_packets(void)
{
    static const struct {
        const char *hex, *key, *value;
    } rows[] = {
        { "2532", "fallback_dimming_level", "50%" },
        { "220e", "fade_duration_s", "64" },
        { "23060101021205010611080e0c11", "holidays", "01/01, 02/18, 05/01, 06/17, 08/14, 12/17" },
        { "01a03004", "ldr_off_threshold_high", "160" },
        { "01a03004", "trigger_alert_enabled", "true" },
        { "290e0e3cfe0000c4413ccdccf642ff", "dim_steps", "24.50 lx 60%, 123.4 lx inactive" },
        { "290e0e3cfe0000c4413ccdccf642ff", "measurement_duration_s", "60" },
        { "032c0102fe32", "light_on_duration_s", "300" },
        { "032c0102fe32", "dimming_level", "50%" },
        { "280113fe64ff00007800", "inactive_dimming_level", "inactive" },
        { "280113fe64ff00007800", "off_delay_s", "120" },
        { "201100"
          "0d136805"
          "0500fe19",
          "sunrise_steps", "90.83 deg 0%" },
        { "201100"
          "0d136805"
          "0500fe19",
          "sunset_steps", "89.67 deg 25%" },
        { "201108"
          "0d136805"
          "0500fe19",
          "ignore_gnss", "true" },
        { "201100"
          "0d136805"
          "0500fe19",
          "latitude_deg", "48.77" },
        { "07100e0000", "status_interval_s", "3600" },
        { "210002fe3e000614"
          "21ff",
          "dimming_steps", "01:00 20%, 05:30 inactive" },
        { "210002fe3e000614"
          "21ff",
          "days_active", "mon, tue, wed, thu, fri" },
        { "0b100e0000e6", "mains_voltage_v", "230" },
        { "0d78", "boot_delay_range_s", "120" },
        { "0d2c01", "boot_delay_range_s", "300" },
        { "2612ac5e6d230017c10ec396c3b662696b75205374722e20322d3136", "location_address",
          "\xc3\x96\xc3\xb6"
          "biku Str. 2-16" },
        { "2612ac5e6d230017c10ec396c3b662696b75205374722e20322d3136", "latitude_deg",
          "59.4370220" },
        { "160114004b00d700f50050", "min_power_factor", "0.80" },
        { "16011400fffffffff500ff", "max_power_w", "alert_off" },
        { "16011400fffffffff500ff", "min_power_factor", "alert_off" },
        { "2701", "access_mode", "first_commission" },
        { "ff29", "reset_target", "light_sensor_config" },
        { "ff52ff", "multicast_device", "all_multicast_devices" },
        { "ffff0d008350", "device_serial", "5083000D" },
        { "2b01", "interface_type", "analog_0_10v" },
        { "0900000000", "device_unix_epoch", "force_lorawan_devicetimereq" },
        { "2aff05", "packet_limit_s", "300" },
        { "530107000000", "multicast_fcnt", "7" },
        { "1501", "status_led_enabled", "true" },
        { "24070000", "monitoring_interval_s", "disabled" },
        { "05060118000c00", "switching_steps", "01:00 on, 04:00 off, 02:00 off" },
    };
    struct codec_result res;

    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        MUE_ASSERT_INT_EQ(decode_hex(rows[i].hex, 50, &res), MUE_OK);
        MUE_ASSERT_STR_EQ(attr_value(&res, rows[i].key, rows[i].value), rows[i].value);
        MUE_ASSERT_UINT_EQ(res.n, 0);
        check_keys_unique(&res);
    }
}

/* The multicast session keys are echoed by the device but not shown. */
static void test_multicast_config_hides_keys(void)
{
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode_hex("52014433221182840c7056429b143d21974557f93a5382840c70c08494b9"
                                 "31fe2fa6f8835c6a",
                                 50, &res),
                      MUE_OK);
    MUE_ASSERT_STR_EQ(attr_value(&res, "devaddr", NULL), "11223344");
    MUE_ASSERT_UINT_EQ(res.nattr, 3);
    for (size_t i = 0; i < res.nattr; i++)
        MUE_ASSERT(strstr(res.attr[i].value, "82840C") == NULL);
    expect_fail("5204", 50, "multicast device 4 > 3 at byte 1");
}

static void test_chained_config(void)
{
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode_hex("fe2532fe220e2701", 50, &res), MUE_OK);
    MUE_ASSERT_STR_EQ(attr_value(&res, "packet_type", NULL), "chained_config_packet");
    MUE_ASSERT_STR_EQ(attr_value(&res, "chained_packets", NULL),
                      "fallback_dim_config_packet, fade_config_packet");
    MUE_ASSERT_STR_EQ(attr_value(&res, "chained_packets_2", NULL), "lumalink_config_packet");
    MUE_ASSERT_STR_EQ(attr_value(&res, "fallback_dimming_level", NULL), "50%");
    MUE_ASSERT_STR_EQ(attr_value(&res, "fade_duration_s", NULL), "64");
    MUE_ASSERT_STR_EQ(attr_value(&res, "access_mode", NULL), "first_commission");
    /* the same packet twice: its values are joined, its lists take the next keys */
    MUE_ASSERT_INT_EQ(decode_hex("fe25322564"
                                 "2100010600000014"
                                 "21010101000000ff",
                                 50, &res),
                      MUE_OK);
    MUE_ASSERT_STR_EQ(attr_value(&res, "fallback_dimming_level", NULL), "50%; 100%");
    MUE_ASSERT_STR_EQ(attr_value(&res, "profile_id", NULL), "0; 1");
    MUE_ASSERT_STR_EQ(attr_value(&res, "dimming_steps", NULL), "00:00 20%");
    MUE_ASSERT_STR_EQ(attr_value(&res, "dimming_steps_2", NULL), "00:00 inactive");
    check_keys_unique(&res);
    MUE_ASSERT_INT_EQ(decode_hex("fe", 50, &res), MUE_OK);
    expect_fail("fe2532ee", 50, "unknown configuration packet 0xee at byte 3");
}

static void test_config_invalid_values_fail(void)
{
    expect_fail("2210", 50, "fade code 16 undefined at byte 1");
    expect_fail("2704", 50, "lumalink access mode 4 undefined at byte 1");
    expect_fail("2b02", 50, "interface type 2 undefined at byte 1");
    expect_fail("23010d01", 50, "holiday 13/1 is no date at byte 2");
    expect_fail("ff01", 50, "unknown clear_config_packet target 0x01 at byte 1");
    expect_fail("160214004b00d700f50050", 50,
                "unknown metering_alert_config_packet version 0x02 at byte 1");
    expect_fail("2565", 50, "dimming level 101 > 100 in fallback_dim_config_packet at byte 1");
    expect_fail("2603ac5e6d230017c10ec3ff41", 50, "invalid UTF-8 text at byte 10");
    expect_fail("2600ac5e6d3e0017c10e", 50,
                "location 104.7355052, 24.7535360 out of range at "
                "byte 2");
    expect_fail("290e0e3cfe000080bf3c", 50, "light level -1 lx out of range at byte 5");
}

static void test_interface_type_not_supported_warns(void)
{
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode_hex("2bfe", 50, &res), MUE_OK);
    MUE_ASSERT_STR_EQ(res.warning[0], "interface_type not_supported");
}

/* fPorts 49 and 51 carry downlinks; the vendor's decoder reads them, so do we. */
static void test_downlink_ports(void)
{
    struct codec_result res;

    MUE_ASSERT_INT_EQ(decode_hex("21ff", 49, &res), MUE_OK);
    MUE_ASSERT_STR_EQ(attr_value(&res, "packet_type", NULL), "profile_config_request");
    MUE_ASSERT_STR_EQ(attr_value(&res, "profile_id", NULL), "all_profiles");
    MUE_ASSERT_INT_EQ(decode_hex("07", 49, &res), MUE_OK);
    MUE_ASSERT_STR_EQ(attr_value(&res, "packet_type", NULL), "status_config_request");
    MUE_ASSERT_INT_EQ(decode_hex("ff", 51, &res), MUE_OK);
    MUE_ASSERT_STR_EQ(attr_value(&res, "packet_type", NULL), "activate_dfu_command");
    MUE_ASSERT_INT_EQ(decode_hex("fe", 51, &res), MUE_OK);
    MUE_ASSERT_STR_EQ(attr_value(&res, "packet_type", NULL), "restart_controller_command");
    expect_fail("0700", 49, "1 unexpected byte(s) after the status_config_request at byte 1");
}

/* No read past the end, whatever the cut: every prefix of every example either decodes or is
 * refused with a reason. */
static void test_every_prefix_is_safe(void)
{
    for (size_t i = 0; i < sizeof(examples) / sizeof(examples[0]); i++) {
        uint8_t buf[256];
        size_t n = codec_test_unhex(examples[i].hex, buf, sizeof(buf));

        for (size_t k = 0; k < n; k++) {
            struct codec_result res;
            int rc;

            rc = codec_test_decode(&codec_nas_ul20xx, buf, k, examples[i].fport, &res);
            MUE_ASSERT(rc == MUE_OK || (rc == MUE_EDECODE && res.reason[0] != '\0'));
        }
    }
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_vendor_examples_decode_to_vendor_values),
        MUE_TEST(test_wrong_fport_fails),
        MUE_TEST(test_unknown_headers_fail),
        MUE_TEST(test_truncated_frames_fail),
        MUE_TEST(test_too_long_frames_fail),
        MUE_TEST(test_usage_maximum_raw_values),
        MUE_TEST(test_usage_power_factor_above_one_fails),
        MUE_TEST(test_usage_internal_meter_wins_over_driver),
        MUE_TEST(test_status_negative_temperature_and_snr),
        MUE_TEST(test_status_sensor_sources),
        MUE_TEST(test_status_sensor_block_overrun_fails),
        MUE_TEST(test_status_dimming_source_values),
        MUE_TEST(test_status_invalid_values_fail),
        MUE_TEST(test_status_legacy_with_ldr_and_alerts),
        MUE_TEST(test_status_with_too_many_sources_is_refused),
        MUE_TEST(test_metering_alert_all_conditions),
        MUE_TEST(test_location_notification_uses_fix_time),
        MUE_TEST(test_other_notifications),
        MUE_TEST(test_boot_flags_and_warnings),
        MUE_TEST(test_command_replies),
        MUE_TEST(test_long_hex_is_split),
        MUE_TEST(test_config_packets),
        MUE_TEST(test_multicast_config_hides_keys),
        MUE_TEST(test_chained_config),
        MUE_TEST(test_config_invalid_values_fail),
        MUE_TEST(test_interface_type_not_supported_warns),
        MUE_TEST(test_downlink_ports),
        MUE_TEST(test_every_prefix_is_safe),
    };

    return mue_test_run("codec_nas_ul20xx", tests);
}
