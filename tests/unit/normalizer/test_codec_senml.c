/* test_codec_senml.c - unit tests of the senml codec: resolved SenML packs (as mue-ingest writes
 * them) into readings with their own times.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "codec_test.h"
#include "mue_err.h"

extern const struct codec codec_senml;

static struct codec_result res;

static int decode(const char *pack)
{
    return codec_test_decode(&codec_senml, (const uint8_t *)pack, strlen(pack), 0, &res);
}

/* The reading at index i. */
static void assert_reading(size_t i, const char *quantity, double value, int64_t time_us)
{
    MUE_ASSERT(i < res.n);
    MUE_ASSERT_STR_EQ(res.r[i].quantity, quantity);
    MUE_ASSERT_DBL_NEAR(res.r[i].value, value, 1e-9);
    MUE_ASSERT_INT_EQ(res.r[i].time_us, time_us);
}

static void assert_refused(const char *pack, const char *want_reason)
{
    MUE_ASSERT_INT_EQ(decode(pack), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(res.reason, want_reason);
    MUE_ASSERT_UINT_EQ(res.n, 0);
    MUE_ASSERT_UINT_EQ(res.nattr, 0);
    MUE_ASSERT_UINT_EQ(res.nwarn, 0);
}

static void test_codec_is_listed_as_senml(void)
{
    MUE_ASSERT(codec_find("senml") == &codec_senml);
    MUE_ASSERT_STR_EQ(codec_senml.vendor, "IETF");
    MUE_ASSERT_STR_EQ(codec_senml.name, "SenML JSON (RFC 8428), resolved by mue-ingest");
}

/* RFC 8428 5.1.4 as mue-ingest writes it: humidity, position and battery told apart by unit
 * alone, each at its own time. */
static void test_rfc_resolved_data_maps_by_unit(void)
{
    static const char pack[] =
        "[{\"n\":\"urn:dev:ow:10e2073a01080063\",\"u\":\"%RH\",\"t\":1320067464,\"v\":20},"
        "{\"n\":\"urn:dev:ow:10e2073a01080063\",\"u\":\"lon\",\"t\":1320067464,\"v\":24.30621},"
        "{\"n\":\"urn:dev:ow:10e2073a01080063\",\"u\":\"lat\",\"t\":1320067464,\"v\":60.07965},"
        "{\"n\":\"urn:dev:ow:10e2073a01080063\",\"u\":\"%RH\",\"t\":1320067524,\"v\":20.3},"
        "{\"n\":\"urn:dev:ow:10e2073a01080063\",\"u\":\"lon\",\"t\":1320067524,\"v\":24.30622},"
        "{\"n\":\"urn:dev:ow:10e2073a01080063\",\"u\":\"lat\",\"t\":1320067524,\"v\":60.07965},"
        "{\"n\":\"urn:dev:ow:10e2073a01080063\",\"u\":\"%RH\",\"t\":1320067584,\"v\":20.7},"
        "{\"n\":\"urn:dev:ow:10e2073a01080063\",\"u\":\"lon\",\"t\":1320067584,\"v\":24.30623},"
        "{\"n\":\"urn:dev:ow:10e2073a01080063\",\"u\":\"lat\",\"t\":1320067584,\"v\":60.07966},"
        "{\"n\":\"urn:dev:ow:10e2073a01080063\",\"u\":\"%EL\",\"t\":1320067614,\"v\":98},"
        "{\"n\":\"urn:dev:ow:10e2073a01080063\",\"u\":\"%RH\",\"t\":1320067644,\"v\":21.2},"
        "{\"n\":\"urn:dev:ow:10e2073a01080063\",\"u\":\"lon\",\"t\":1320067644,\"v\":24.30628},"
        "{\"n\":\"urn:dev:ow:10e2073a01080063\",\"u\":\"lat\",\"t\":1320067644,\"v\":60.07967}]";

    MUE_ASSERT_INT_EQ(decode(pack), MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 13);
    assert_reading(0, "humidity", 20, INT64_C(1320067464000000));
    assert_reading(1, "longitude", 24.30621, INT64_C(1320067464000000));
    assert_reading(2, "latitude", 60.07965, INT64_C(1320067464000000));
    assert_reading(6, "humidity", 20.7, INT64_C(1320067584000000));
    assert_reading(9, "battery", 98, INT64_C(1320067614000000));
    assert_reading(12, "latitude", 60.07967, INT64_C(1320067644000000));
    MUE_ASSERT_UINT_EQ(res.nattr, 0);
    MUE_ASSERT_UINT_EQ(res.nwarn, 0);
    codec_test_assert_vocabulary(&res);
}

/* RFC 8428 5.1.1: the name is a 1-wire address, and "Cel" alone does not say whether it is the
 * medium's or the device's temperature: nothing is guessed. */
static void test_rfc_single_datapoint_has_no_quantity_name(void)
{
    MUE_ASSERT_INT_EQ(decode("[{\"n\":\"urn:dev:ow:10e2073a01080063\",\"u\":\"Cel\","
                             "\"t\":1700000000.123456,\"v\":23.1}]"),
                      MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 0);
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "skipped"), "1");
    MUE_ASSERT_UINT_EQ(res.nwarn, 1);
    MUE_ASSERT_STR_EQ(res.warning[0],
                      "SenML '10e2073a01080063' (Cel) skipped: no quantity of that name");
}

/* RFC 8428 5.1.2, resolved: voltage and current by name, each at its time. */
static void test_rfc_voltage_and_current(void)
{
    MUE_ASSERT_INT_EQ(decode("[{\"n\":\"urn:dev:ow:10e2073a0108006:current\",\"u\":\"A\","
                             "\"t\":1276020071.001,\"v\":1.2,\"bver\":5},"
                             "{\"n\":\"urn:dev:ow:10e2073a0108006:voltage\",\"u\":\"V\","
                             "\"t\":1276020076.001,\"v\":120.1,\"bver\":5},"
                             "{\"n\":\"urn:dev:ow:10e2073a0108006:current\",\"u\":\"A\","
                             "\"t\":1276020076.001,\"v\":1.7,\"bver\":5}]"),
                      MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 3);
    assert_reading(0, "current", 1.2, INT64_C(1276020071001000));
    assert_reading(1, "voltage", 120.1, INT64_C(1276020076001000));
    assert_reading(2, "current", 1.7, INT64_C(1276020076001000));
    MUE_ASSERT_UINT_EQ(res.nattr, 0);
}

/* RFC 8428 5.1.5, resolved: "temp" is the RFC's name for a temperature; text, data and a boolean
 * that is no flag of ours are not readings. */
static void test_rfc_multiple_data_types(void)
{
    MUE_ASSERT_INT_EQ(
        decode("[{\"n\":\"urn:dev:ow:10e2073a01080063:temp\",\"u\":\"Cel\","
               "\"t\":1700000000.123456,\"v\":23.1},"
               "{\"n\":\"urn:dev:ow:10e2073a01080063:label\",\"t\":1700000000.123456,"
               "\"vs\":\"Machine Room\"},"
               "{\"n\":\"urn:dev:ow:10e2073a01080063:open\",\"t\":1700000000.123456,\"vb\":false},"
               "{\"n\":\"urn:dev:ow:10e2073a01080063:nfv-reader\",\"t\":1700000000.123456,"
               "\"vd\":\"aGkgCg\"}]"),
        MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 1);
    assert_reading(0, "temperature", 23.1, INT64_C(1700000000123456));
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "skipped"), "3");
    /* Only the boolean was a would-be measurement; text and data are skipped silently. */
    MUE_ASSERT_UINT_EQ(res.nwarn, 1);
    MUE_ASSERT_STR_EQ(res.warning[0], "SenML 'open' () skipped: no quantity of that name");
}

/* RFC 8428 5.1.6, resolved: two devices' temperature at the same time cannot both be this
 * device's; the first is kept. */
static void test_rfc_collection_keeps_one_value_per_quantity_and_time(void)
{
    MUE_ASSERT_INT_EQ(
        decode("[{\"n\":\"2001:db8::2/temperature\",\"u\":\"Cel\",\"t\":1320078429,\"v\":25.2},"
               "{\"n\":\"2001:db8::2/humidity\",\"u\":\"%RH\",\"t\":1320078429,\"v\":30},"
               "{\"n\":\"2001:db8::1/temperature\",\"u\":\"Cel\",\"t\":1320078429,\"v\":12.3},"
               "{\"n\":\"2001:db8::1/humidity\",\"u\":\"%RH\",\"t\":1320078429,\"v\":67}]"),
        MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 2);
    assert_reading(0, "temperature", 25.2, INT64_C(1320078429000000));
    assert_reading(1, "humidity", 30, INT64_C(1320078429000000));
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "skipped"), "2");
    MUE_ASSERT_STR_EQ(res.warning[0],
                      "SenML 'temperature' (Cel) skipped: quantity already at that time");
}

/* SenML units into the vocabulary's: each line a record and the reading it must give. */
static void test_units_are_converted_to_the_quantity_unit(void)
{
    static const struct {
        const char *name, *unit;
        double v;
        const char *quantity;
        double want;
    } cases[] = {
        { "dev:temperature", "Cel", 21.5, "temperature", 21.5 },
        { "dev:temperature", "K", 273.15, "temperature", 0 },
        { "dev:device_temperature", "K", 300, "device_temperature", 26.85 },
        { "dev:humidity", "%RH", 45, "humidity", 45 },
        { "dev:humidity", "/", 0.45, "humidity", 45 },
        { "dev:battery", "%EL", 87, "battery", 87 },
        { "dev:battery", "/100", 87, "battery", 87 },
        { "dev:fill_level", "/", 0.5, "fill_level", 50 },
        { "dev:fill_level", "/1000", 500, "fill_level", 50 },
        { "dev:distance", "m", 1.25, "distance", 1.25 },
        { "dev:distance", "mm", 1250, "distance", 1.25 },
        { "dev:distance", "cm", 125, "distance", 1.25 },
        { "dev:water_level", "m", -0.5, "water_level", -0.5 },
        { "dev:pressure", "Pa", 101325, "pressure", 1.01325 },
        { "dev:pressure", "hPa", 1013.25, "pressure", 1.01325 },
        { "dev:battery_voltage", "V", 3.6, "battery_voltage", 3.6 },
        { "dev:battery_voltage", "mV", 3600, "battery_voltage", 3.6 },
        { "dev:current", "mA", 250, "current", 0.25 },
        { "dev:power", "W", 60, "power", 60 },
        { "dev:power", "kW", 0.06, "power", 60 },
        { "dev:energy", "J", 3.6e6, "energy", 1 },
        { "dev:energy", "Wh", 1500, "energy", 1.5 },
        { "dev:energy", "kWh", 1.5, "energy", 1.5 },
        { "dev:illuminance", "lx", 320, "illuminance", 320 },
        { "dev:co2", "ppm", 415, "co2", 415 },
        { "dev:LAeq", "dB", 55.2, "LAeq", 55.2 },
        { "dev:LCF", "dB", 60, "LCF", 60 },
        { "dev:LAFmax", "Bspl", 7.1, "LAFmax", 71 },
        { "dev:snr", "dB", 7.5, "snr", 7.5 },
        { "dev:rssi", "dBm", -95, "rssi", -95 },
        { "dev:rssi", "dBW", -125, "rssi", -95 },
        { "dev:latitude", "lat", 43.3, "latitude", 43.3 },
        { "dev:tilt_angle", "deg", 12, "tilt_angle", 12 },
        { "dev:tilt_angle", "rad", 3.14159265358979323846, "tilt_angle", 180 },
        { "dev:conductivity", "S/m", 0.05, "conductivity", 500 },
        { "dev:ph", "pH", 7.2, "ph", 7.2 },
        { "dev:dissolved_oxygen", "kg/m3", 0.008, "dissolved_oxygen", 8 },
        { "dev:lamp_on_time_2", "s", 7200, "lamp_on_time_2", 2 },
        { "dev:driver_operating_time", "h", 100, "driver_operating_time", 100 },
        { "dev:driver_operating_time", "min", 90, "driver_operating_time", 1.5 },
        { "dev:motion", "count", 3, "motion", 3 },
        { "dev:power_factor", "/", 0.95, "power_factor", 0.95 },
        { "dev:switch_3", "/", 1, "switch_3", 1 },
        { "dev:dim_level_12", "/", 0.7, "dim_level_12", 70 },
        { "temp", "Cel", 19, "temperature", 19 },
        { "dev/batteryLevel", "%EL", 80, "battery", 80 },
    };
    char pack[256];

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(pack, sizeof(pack), "[{\"n\":\"%s\",\"u\":\"%s\",\"t\":1700000000,\"v\":%.17g}]",
                 cases[i].name, cases[i].unit, cases[i].v);
        MUE_ASSERT_INT_EQ(decode(pack), MUE_OK);
        MUE_ASSERT_UINT_EQ(res.nwarn, 0);
        MUE_ASSERT_UINT_EQ(res.n, 1);
        MUE_ASSERT_STR_EQ(res.r[0].quantity, cases[i].quantity);
        MUE_ASSERT_DBL_NEAR(res.r[0].value, cases[i].want, 1e-9 * (1 + fabs(cases[i].want)));
        MUE_ASSERT_INT_EQ(res.r[0].time_us, INT64_C(1700000000000000));
        codec_test_assert_vocabulary(&res);
    }
}

/* Records the codec will not read as a quantity, and the warning naming why. */
static void test_records_that_map_to_no_quantity_are_skipped_with_a_reason(void)
{
    static const struct {
        const char *record, *warning;
    } cases[] = {
        { "{\"n\":\"dev:temperature\",\"u\":\"m\",\"t\":1,\"v\":1}",
          "SenML 'temperature' (m) skipped: unit not convertible" },
        { "{\"n\":\"dev:humidity\",\"u\":\"%EL\",\"t\":1,\"v\":1}",
          "SenML 'humidity' (%EL) skipped: unit not convertible" },
        { "{\"n\":\"dev:temperature\",\"t\":1,\"v\":1}",
          "SenML 'temperature' () skipped: no unit" },
        { "{\"n\":\"dev:battery\",\"u\":\"%\",\"t\":1,\"v\":87}",
          "SenML 'battery' (%) skipped: unit % is ambiguous: use / or /100" },
        { "{\"n\":\"dev:temperature\",\"t\":1,\"vb\":true}",
          "SenML 'temperature' () skipped: a boolean for a non-flag" },
        { "{\"n\":\"dev:laeq\",\"u\":\"dB\",\"t\":1,\"v\":50}",
          "SenML 'laeq' (dB) skipped: no quantity of that name" },
        { "{\"n\":\"dev:pressure\",\"u\":\"bar\",\"t\":1,\"v\":1}",
          "SenML 'pressure' (bar) skipped: unit not convertible" },
        { "{\"n\":\"dev:distance\",\"u\":\"km\",\"t\":1,\"v\":1e308}",
          "SenML 'distance' (km) skipped: value out of range" },
        /* Bytes outside printable ASCII are not copied into the warning. */
        { "{\"n\":\"dev:x\",\"u\":\"\\u00b0C\\n\",\"t\":1,\"v\":1}",
          "SenML 'x' (?\?C?) skipped: no quantity of that name" },
    };
    char pack[256];

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(pack, sizeof(pack), "[%s]", cases[i].record);
        MUE_ASSERT_INT_EQ(decode(pack), MUE_OK);
        MUE_ASSERT_UINT_EQ(res.n, 0);
        MUE_ASSERT_STR_EQ(codec_test_attr(&res, "skipped"), "1");
        MUE_ASSERT_UINT_EQ(res.nwarn, 1);
        MUE_ASSERT_STR_EQ(res.warning[0], cases[i].warning);
    }
}

/* One warning, for the first record skipped; the count has them all. */
static void test_only_the_first_skipped_record_is_named(void)
{
    MUE_ASSERT_INT_EQ(decode("[{\"n\":\"a\",\"u\":\"Cel\",\"t\":1,\"v\":1},"
                             "{\"n\":\"temperature\",\"u\":\"Cel\",\"t\":1,\"v\":2},"
                             "{\"n\":\"b\",\"u\":\"Cel\",\"t\":1,\"v\":3},"
                             "{\"n\":\"c\",\"t\":1,\"s\":3}]"),
                      MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 1);
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "skipped"), "3");
    MUE_ASSERT_UINT_EQ(res.nwarn, 1);
    MUE_ASSERT_STR_EQ(res.warning[0], "SenML 'a' (Cel) skipped: no quantity of that name");
}

/* Flags and counts need no unit; a boolean is 1 or 0. */
static void test_flags_and_counts(void)
{
    MUE_ASSERT_INT_EQ(
        decode("[{\"n\":\"bin7:full_alarm\",\"t\":1700000000,\"vb\":true},"
               "{\"n\":\"bin7:fire_alarm\",\"u\":\"/\",\"t\":1700000000,\"vb\":false},"
               "{\"n\":\"bin7:motion\",\"t\":1700000000,\"v\":4},"
               "{\"n\":\"bin7:lamp_on_2\",\"t\":1700000000,\"vb\":true}]"),
        MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 4);
    assert_reading(0, "full_alarm", 1, INT64_C(1700000000000000));
    assert_reading(1, "fire_alarm", 0, INT64_C(1700000000000000));
    assert_reading(2, "motion", 4, INT64_C(1700000000000000));
    assert_reading(3, "lamp_on_2", 1, INT64_C(1700000000000000));
    MUE_ASSERT_UINT_EQ(res.nattr, 0);
    MUE_ASSERT_UINT_EQ(res.nwarn, 0);
}

/* The name's last segment after ':' or '/' is compared, case-sensitively; a name that is only a
 * quantity works too. */
static void test_name_segments(void)
{
    MUE_ASSERT_INT_EQ(decode("[{\"n\":\"LAeq\",\"u\":\"dB\",\"t\":1700000000,\"v\":50},"
                             "{\"n\":\"a:b/LAmax\",\"u\":\"dB\",\"t\":1700000000,\"v\":60},"
                             "{\"n\":\"a/b:LA90\",\"u\":\"dB\",\"t\":1700000000,\"v\":40},"
                             "{\"n\":\"dev.LA10\",\"u\":\"dB\",\"t\":1700000000,\"v\":45}]"),
                      MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 3);
    assert_reading(0, "LAeq", 50, INT64_C(1700000000000000));
    assert_reading(1, "LAmax", 60, INT64_C(1700000000000000));
    assert_reading(2, "LA90", 40, INT64_C(1700000000000000));
    MUE_ASSERT_STR_EQ(codec_test_attr(&res, "skipped"), "1");
}

/* Readings keep their µs, and records may be any distance apart. */
static void test_each_reading_has_its_record_time(void)
{
    MUE_ASSERT_INT_EQ(decode("[{\"n\":\"temperature\",\"u\":\"Cel\",\"t\":1699990000.000001,"
                             "\"v\":1},"
                             "{\"n\":\"temperature\",\"u\":\"Cel\",\"t\":1700000000.123456,"
                             "\"v\":2}]"),
                      MUE_OK);
    assert_reading(0, "temperature", 1, INT64_C(1699990000000001));
    assert_reading(1, "temperature", 2, INT64_C(1700000000123456));
}

static void test_malformed_packs_are_refused(void)
{
    assert_refused("", "not a SenML pack (a JSON array) at line 1, column 0");
    assert_refused("{\"n\":\"temperature\"}",
                   "not a SenML pack (a JSON array) at line 1, column 1");
    assert_refused("[{\"n\":\"temperature\",\"t\":1,\"v\":1}",
                   "not a SenML pack (a JSON array) at line 1, column 32");
    assert_refused("[]", "empty SenML pack");
    assert_refused("[1]", "record 0 is not an object");
    assert_refused("[{\"t\":1,\"v\":1}]", "record 0 has no name (n)");
    assert_refused("[{\"n\":\"\",\"t\":1,\"v\":1}]", "record 0 has no name (n)");
    assert_refused("[{\"n\":\"temperature\",\"v\":1}]",
                   "record 0 has no time (t): not a resolved pack");
    assert_refused("[{\"n\":\"temperature\",\"t\":\"1\",\"v\":1}]",
                   "record 0 has no time (t): not a resolved pack");
    assert_refused("[{\"n\":\"temperature\",\"t\":-1,\"v\":1}]", "record 0: time (t) out of range");
    assert_refused("[{\"n\":\"temperature\",\"t\":1e300,\"v\":1}]",
                   "record 0: time (t) out of range");
    assert_refused("[{\"n\":\"temperature\",\"u\":1,\"t\":1,\"v\":1}]",
                   "record 0: unit (u) is not a string");
    assert_refused("[{\"n\":\"x\",\"t\":1,\"v\":1},{\"n\":\"temperature\",\"t\":1,\"v\":\"1\"}]",
                   "record 1: value (v) is not a number");
    assert_refused("[{\"n\":\"temperature\",\"t\":1,\"vb\":1}]",
                   "record 0: boolean value (vb) is not a boolean");
    assert_refused("[{\"n\":\"temperature\",\"t\":1,\"v\":1,\"v\":2}]",
                   "not a SenML pack (a JSON array) at line 1, column 35");
}

/* A failed pack leaves the result as it was, readings already decoded included. */
static void test_a_refused_pack_adds_nothing(void)
{
    static const char pack[] = "[{\"n\":\"temperature\",\"u\":\"Cel\",\"t\":1,\"v\":1},"
                               "{\"n\":\"x\",\"u\":\"Cel\",\"t\":1,\"v\":1},7]";

    memset(&res, 0, sizeof(res));
    MUE_ASSERT_INT_EQ(codec_add(&res, "rssi", -90), MUE_OK);
    MUE_ASSERT_INT_EQ(codec_decode(&codec_senml, (const uint8_t *)pack, strlen(pack), 0, &res),
                      MUE_EDECODE);
    MUE_ASSERT_UINT_EQ(res.n, 1);
    MUE_ASSERT_UINT_EQ(res.nattr, 0);
    MUE_ASSERT_UINT_EQ(res.nwarn, 0);
    MUE_ASSERT_STR_EQ(res.reason, "record 2 is not an object");
}

static void test_record_count_is_bounded(void)
{
    static char pack[8192];
    size_t len = 0;

    pack[len++] = '[';
    for (int i = 0; i < 65; i++)
        len += (size_t)snprintf(pack + len, sizeof(pack) - len,
                                "%s{\"n\":\"temperature\",\"u\":\"Cel\",\"t\":%d,\"v\":1}",
                                i > 0 ? "," : "", 1700000000 + i);
    snprintf(pack + len, sizeof(pack) - len, "]");
    assert_refused(pack, "SenML pack of 65 records, more than 64");
    /* The same 64: every one a reading. */
    len = strlen(pack);
    pack[len - 1] = '\0';
    *strrchr(pack, '{') = '\0';
    pack[strlen(pack) - 1] = ']';
    MUE_ASSERT_INT_EQ(decode(pack), MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 64);
}

/* Not NUL-terminated: only 'len' bytes are read. */
static void test_only_len_bytes_are_read(void)
{
    static const char pack[] = "[{\"n\":\"temperature\",\"u\":\"Cel\",\"t\":1,\"v\":1}]garbage";

    MUE_ASSERT_INT_EQ(
        codec_test_decode(&codec_senml, (const uint8_t *)pack, strlen(pack) - 7, 0, &res), MUE_OK);
    MUE_ASSERT_UINT_EQ(res.n, 1);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_codec_is_listed_as_senml),
        MUE_TEST(test_rfc_resolved_data_maps_by_unit),
        MUE_TEST(test_rfc_single_datapoint_has_no_quantity_name),
        MUE_TEST(test_rfc_voltage_and_current),
        MUE_TEST(test_rfc_multiple_data_types),
        MUE_TEST(test_rfc_collection_keeps_one_value_per_quantity_and_time),
        MUE_TEST(test_units_are_converted_to_the_quantity_unit),
        MUE_TEST(test_records_that_map_to_no_quantity_are_skipped_with_a_reason),
        MUE_TEST(test_only_the_first_skipped_record_is_named),
        MUE_TEST(test_flags_and_counts),
        MUE_TEST(test_name_segments),
        MUE_TEST(test_each_reading_has_its_record_time),
        MUE_TEST(test_malformed_packs_are_refused),
        MUE_TEST(test_a_refused_pack_adds_nothing),
        MUE_TEST(test_record_count_is_bounded),
        MUE_TEST(test_only_len_bytes_are_read),
    };
    return mue_test_run("codec_senml", tests);
}
