/* nas_ul20xx_events.c - NAS UL20xx alerts and notifications (fPort 61) and system packets
 * (fPort 99: boot, refused downlink). Source: nasys/nas-codecs
 * src/ul20xx_1_1_x_decoder.processed.js @4691977b (decodeFport61, decodeFport99).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "codec.h"
#include "mue_err.h"
#include "nas_ul20xx.h"

/* 0x80: byte 1's high nibble is the length of what follows: 2 = a u16 event counter, 4 = the
 * input state (bit 0 of byte 1) and a u32 counter. */
static int dig_input_notification(struct ul20xx_rd *rd, unsigned b1)
{
    rd->what = "dig_input_notification";
    ul20xx_attr(rd, "packet_type", "%s", rd->what);
    if (b1 >> 4 == 2) {
        ul20xx_attr(rd, "dig_input_event_counter", "%u", ul20xx_u16(rd));
    } else if (b1 >> 4 == 4) {
        ul20xx_bool_attr(rd, "dig_input_on", b1 & 1u);
        ul20xx_attr(rd, "dig_input_event_counter", "%lu", (unsigned long)ul20xx_u32(rd));
    } else {
        return ul20xx_fail(rd, "dig_input_notification length %u at byte 1 (2 or 4)", b1 >> 4);
    }
    return rd->err;
}

static int ldr_input_notification(struct ul20xx_rd *rd, unsigned b1)
{
    rd->what = "ldr_input_notification";
    if (b1 >> 4 != 2)
        return ul20xx_fail(rd, "ldr_input_notification length %u at byte 1 (2)", b1 >> 4);
    ul20xx_attr(rd, "packet_type", "%s", rd->what);
    ul20xx_bool_attr(rd, "ldr_input_on", ul20xx_u8(rd) & 1u);
    ul20xx_add(rd, "light_sensor", (double)ul20xx_u8(rd));
    return rd->err;
}

/* 0x83: [address][DALI status] for each driver that raised the alert. */
static int dali_driver_alert(struct ul20xx_rd *rd)
{
    static const char *const keys[CODEC_MAX_ATTRS] = UL20XX_KEYS("driver_status");
    struct ul20xx_list drivers = { keys, 0, 0 };

    rd->what = "dali_driver_alert";
    ul20xx_attr(rd, "packet_type", "%s", rd->what);
    while (ul20xx_left(rd) > 0 && rd->err == 0) {
        struct ul20xx_addr a;
        unsigned bits;

        ul20xx_addr_read(rd, NULL, &a);
        bits = ul20xx_u8(rd);
        ul20xx_list_add(rd, &drivers, "%s 0x%02x", a.name, bits);
        ul20xx_dali_status(rd, &a, bits);
    }
    return rd->err;
}

/* 0x84: byte 1 holds the alert conditions; then power u16 W, voltage u16 V, power factor /100. */
static int metering_alert(struct ul20xx_rd *rd, unsigned cond)
{
    static const struct {
        const char *quantity, *warning;
    } alerts[5] = {
        { "lamp_error_alert", "metering_lamp_error" },
        { "over_current_alert", "metering_over_current" },
        { "under_voltage_alert", "metering_under_voltage" },
        { "over_voltage_alert", "metering_over_voltage" },
        { "low_power_factor_alert", "metering_low_power_factor" },
    };
    unsigned pf;

    rd->what = "metering_alert";
    if (ul20xx_expect_left(rd, 5) != MUE_OK)
        return rd->err;
    ul20xx_attr(rd, "packet_type", "%s", rd->what);
    for (unsigned i = 0; i < 5; i++) {
        ul20xx_add(rd, alerts[i].quantity, (double)(cond >> i & 1u));
        if (cond & 1u << i)
            codec_warn(rd->out, "%s", alerts[i].warning);
    }
    ul20xx_add(rd, "power", (double)ul20xx_u16(rd));
    ul20xx_add(rd, "voltage", (double)ul20xx_u16(rd));
    pf = ul20xx_u8(rd);
    /* The vendor divides any byte by 100; 0xFF is "unknown" in the usage packet, and more than
     * 100 is no power factor. */
    if (pf > 100 && pf != 0xFF)
        return ul20xx_fail(rd, "power factor %u/100 > 1 at byte 6", pf);
    if (pf != 0xFF)
        ul20xx_add(rd, "power_factor", (double)pf / 100.0);
    return rd->err;
}

/* 0x86: byte 1 is the fix status; a good fix adds two float32 degrees and the fix's time. */
static int location_notification(struct ul20xx_rd *rd, unsigned status)
{
    static const char *const names[3] = { "good_fix", "no_fix", "internal_error" };
    double lat, lon;
    uint32_t fix;

    rd->what = "location_notification";
    if (status > 0x02 && status != 0xFF)
        return ul20xx_fail(rd, "unknown location status 0x%02x at byte 1", status);
    ul20xx_attr(rd, "packet_type", "%s", rd->what);
    ul20xx_attr(rd, "location_status", "%s", names[status == 0xFF ? 2 : status]);
    if (status != 0x00)
        return rd->err;
    lat = ul20xx_f32(rd);
    lon = ul20xx_f32(rd);
    fix = ul20xx_u32(rd);
    if (rd->err == 0 && !(fabs(lat) <= 90.0 && fabs(lon) <= 180.0))
        return ul20xx_fail(rd, "position %g, %g out of range at byte 2", lat, lon);
    /* The vendor's decoder throws on a fix time before 2015 (it passes no error list); here it
     * is an unset clock like elsewhere, and the position is then taken at the uplink's time. */
    if (ul20xx_epoch_attr(rd, "last_fix_utc_time", fix)) {
        ul20xx_add_at(rd, "latitude", lat, (int64_t)fix * 1000000);
        ul20xx_add_at(rd, "longitude", lon, (int64_t)fix * 1000000);
    } else {
        ul20xx_add(rd, "latitude", lat);
        ul20xx_add(rd, "longitude", lon);
    }
    return rd->err;
}

int ul20xx_decode_alert(struct ul20xx_rd *rd)
{
    unsigned header, b1;

    rd->what = "alert packet";
    header = ul20xx_u8(rd);
    if (rd->err == 0 && (header < 0x80 || header > 0x86 || header == 0x82))
        return ul20xx_fail(rd, "unknown fport 61 packet header 0x%02x at byte 0", header);
    b1 = ul20xx_u8(rd);
    if (rd->err != 0)
        return rd->err;
    switch (header) {
    case 0x80:
        return dig_input_notification(rd, b1);
    case 0x81:
        return ldr_input_notification(rd, b1);
    case 0x83:
        return dali_driver_alert(rd);
    case 0x84:
        return metering_alert(rd, b1);
    case 0x85:
        rd->what = "deprecated_light_sensor_notification";
        ul20xx_attr(rd, "packet_type", "%s", rd->what);
        ul20xx_attr(rd, "active_dim_step", "%u", b1);
        return rd->err;
    default: /* 0x86 */
        return location_notification(rd, b1);
    }
}

static const char *const device_configs[8] = {
    "dali",      "dali_nc",        "dali_no",        "analog_nc",
    "analog_no", "dali_analog_nc", "dali_analog_no", "dali_analog_nc_no",
};

/* Optional features (bits 2..5) and reset reasons (bits 0..7) as comma-separated names. */
static void bit_names(struct ul20xx_rd *rd, const char *key, unsigned bits,
                      const char *const *names, unsigned first, unsigned count)
{
    char buf[sizeof(rd->out->attr[0].value)];
    size_t used = 0;

    buf[0] = '\0';
    for (unsigned i = 0; i < count; i++) {
        if ((bits & 1u << (first + i)) != 0 && used < sizeof(buf))
            used +=
                (size_t)snprintf(buf + used, sizeof(buf) - used, "%s%s", used ? "," : "", names[i]);
    }
    ul20xx_attr(rd, key, "%s", used ? buf : "none");
}

static void boot_dali(struct ul20xx_rd *rd)
{
    unsigned supply = ul20xx_u8(rd), drivers = ul20xx_u8(rd), state = supply & 0x7F;

    if (rd->err != 0)
        return;
    /* Below 0x70 the DALI bus voltage in V; 0x7E high, 0x7F shorted or overloaded. */
    if (state == 0x7E) {
        ul20xx_attr(rd, "dali_supply_state", "%s", "bus_high");
    } else if (state == 0x7F) {
        ul20xx_attr(rd, "dali_supply_state", "%s", "bus_error");
        codec_warn(rd->out, "dali_bus_error");
    } else if (state < 0x70) {
        ul20xx_attr(rd, "dali_supply_state", "%u V", state);
    } else {
        ul20xx_fail(rd, "dali_supply_state 0x%02x undefined at byte 14", state);
        return;
    }
    ul20xx_attr(rd, "dali_power_source", "%s", supply & 0x80 ? "external" : "internal");
    ul20xx_attr(rd, "dali_addressed_driver_count", "%u", drivers & 0x7F);
    ul20xx_bool_attr(rd, "dali_unaddressed_driver_found", drivers >> 7);
    if (drivers & 0x80)
        codec_warn(rd->out, "unadressed_dali_driver_on_bus"); /* sic, the vendor's name */
}

static int boot_packet(struct ul20xx_rd *rd)
{
    static const char *const features[4] = { "dig_input", "ldr_input", "open_drain_output",
                                             "metering" };
    static const char *const resets[8] = { "reset_0", "watchdog_reset", "soft_reset", "reset_3",
                                           "reset_4", "reset_5",        "reset_6",    "reset_7" };
    unsigned serial, major, minor, patch, config;

    rd->what = "boot_packet";
    if (ul20xx_left(rd) != 15 && ul20xx_left(rd) != 16)
        return ul20xx_fail(rd, "boot_packet of %zu bytes (16 or 17)", rd->len);
    ul20xx_attr(rd, "packet_type", "%s", rd->what);
    serial = (unsigned)ul20xx_u32(rd);
    ul20xx_attr(rd, "device_serial", "%08X", serial);
    major = ul20xx_u8(rd);
    minor = ul20xx_u8(rd);
    patch = ul20xx_u8(rd);
    ul20xx_attr(rd, "firmware_version", "%u.%u.%u", major, minor, patch);
    ul20xx_epoch_attr(rd, "device_unix_epoch", ul20xx_u32(rd));
    config = ul20xx_u8(rd);
    if (config > 7)
        return ul20xx_fail(rd, "unknown device_config %u at byte 12", config);
    ul20xx_attr(rd, "device_config", "%s", device_configs[config]);
    bit_names(rd, "optional_features", ul20xx_u8(rd), features, 2, 4);
    boot_dali(rd);
    if (ul20xx_left(rd) > 0 && rd->err == 0) {
        unsigned reset = ul20xx_u8(rd);

        bit_names(rd, "reset_reason", reset, resets, 0, 8);
        if (reset & 0x02)
            codec_warn(rd->out, "watchdog_reset");
    }
    return rd->err;
}

static const char *const downlink_errors[] = {
    "n/a",
    "n/a",
    "unknown_fport",
    "packet_size_short",
    "packet_size_long",
    "value_error",
    "protocol_parse_error",
    "reserved_flag_set",
    "invalid_flag_combination",
    "unavailable_feature_request",
    "unsupported_header",
    "unreachable_hw_request",
    "address_not_available",
    "internal_error",
    "packet_size_error",
};

static const char *const profile_errors[] = {
    "profile_id_seq_error",     "profile_destination_eror", /* sic */
    "profile_days_error",       "profile_step_count_error",
    "profile_step_value_error", "profile_step_unsorted_error",
};

/* 0x13: the device refused a downlink; [fport][error code]. */
static int invalid_downlink(struct ul20xx_rd *rd)
{
    unsigned port, code;
    const char *name = NULL;
    const size_t nd = sizeof(downlink_errors) / sizeof(downlink_errors[0]);
    const size_t np = sizeof(profile_errors) / sizeof(profile_errors[0]);

    rd->what = "invalid_downlink_packet";
    if (ul20xx_expect_left(rd, 2) != MUE_OK)
        return rd->err;
    port = ul20xx_u8(rd);
    code = ul20xx_u8(rd);
    if (code < nd)
        name = downlink_errors[code];
    else if (code >= 0x81 && code - 0x81 < np)
        name = profile_errors[code - 0x81];
    if (name == NULL)
        return ul20xx_fail(rd, "unknown downlink error code 0x%02x at byte 2", code);
    ul20xx_attr(rd, "packet_type", "%s", rd->what);
    ul20xx_attr(rd, "downlink_from_fport", "%u", port);
    ul20xx_attr(rd, "error_reason", "%s", name);
    codec_warn(rd->out, "downlink_error %s", name);
    return rd->err;
}

int ul20xx_decode_system(struct ul20xx_rd *rd)
{
    unsigned header = ul20xx_u8(rd);

    if (rd->err != 0)
        return rd->err;
    if (header == 0x00)
        return boot_packet(rd);
    if (header == 0x13)
        return invalid_downlink(rd);
    return ul20xx_fail(rd, "unknown fport 99 packet header 0x%02x at byte 0", header);
}
