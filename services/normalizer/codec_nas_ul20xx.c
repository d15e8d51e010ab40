/* codec_nas_ul20xx.c - NAS UL20xx LoRaWAN luminaire controller (DALI / 0-10 V), firmware 1.1.x.
 * SPDX-License-Identifier: MIT
 *
 * Layouts from the vendor's decoder, nasys/nas-codecs src/ul20xx_1_1_x_decoder.processed.js
 * @4691977b60f3f1dba1eb4ef2a52f9324c21dc919 (the annex of the payload description at
 * docs.nasys.no/en/lcu/payloads), and its tests test/ul20xx_1_1_x_*.test.js. The fPort names the
 * packet family: 23 status, 26 usage, 50 configuration echoes, 60 command replies, 61 alerts and
 * notifications, 99 boot and refused downlinks; 49 and 51 carry downlinks only (configuration
 * requests, DFU/reboot), decoded because the vendor's decoder does. 24 and 25 are the status and
 * usage ports of firmware 1.0.x, whose configuration layouts differ: not this codec.
 *
 * Times: every reading is taken at the uplink's time. The status packet's device_unix_epoch is
 * when the device built the frame, i.e. the uplink, and it is unset (year 2000) until the
 * network answers DeviceTimeReq, so it is kept as an attribute rather than stamped on readings.
 * Only the GNSS position of a location notification carries its own (fix) time.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "codec.h"
#include "mue_err.h"
#include "nas_ul20xx.h"

/* Dimming reason codes of the status packet's dimming sources; a range with a 'numbered' name
 * gives "<name><code - lo>". */
static const struct {
    unsigned lo, hi;
    const char *name;
    int numbered;
} reasons[] = {
    { 0x00, 0x07, "profile_", 1 },
    { 0x21, 0x21, "calendar_day", 0 },
    { 0x22, 0x22, "calendar_night", 0 },
    { 0x30, 0x3F, "calendar_dawn_step_", 1 },
    { 0x50, 0x5F, "calendar_dusk_step_", 1 },
    { 0x70, 0x70, "dig_inactive", 0 },
    { 0x71, 0x71, "dig_active", 0 },
    { 0x80, 0x87, "light_monitor_step_", 1 },
    { 0xF5, 0xF5, "relay_off", 0 },
    { 0xF6, 0xF6, "driver_not_found", 0 },
    { 0xF8, 0xF8, "fallback_active", 0 },
    { 0xFA, 0xFA, "ldr_input_active", 0 },
    { 0xFC, 0xFC, "dig_input_active", 0 },
    { 0xFD, 0xFD, "manual_active", 0 },
    { 0xFF, 0xFF, "unknown", 0 },
};

/* Returns 1 and the name of 'code', or 0 when the vendor knows no such reason. */
static int reason_name(unsigned code, char *buf, size_t size)
{
    for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++) {
        if (code < reasons[i].lo || code > reasons[i].hi)
            continue;
        if (reasons[i].numbered)
            snprintf(buf, size, "%s%u", reasons[i].name, code - reasons[i].lo);
        else
            snprintf(buf, size, "%s", reasons[i].name);
        return 1;
    }
    return 0;
}

/* One [address][reason][level][DALI status] record of the status packet's tail. */
static void status_dimming_source(struct ul20xx_rd *rd, struct ul20xx_list *sources)
{
    struct ul20xx_addr a;
    char reason[32] = "", level[16], name[CODEC_QUANTITY_MAX];
    size_t at = rd->pos;
    unsigned code, bits;
    int lv;

    if (ul20xx_left(rd) < 4) {
        ul20xx_fail(rd, "truncated dimming source at byte %zu: %zu of 4 bytes", at,
                    ul20xx_left(rd));
        return;
    }
    ul20xx_addr_read(rd, NULL, &a);
    code = ul20xx_u8(rd);
    if (rd->err == 0 && !reason_name(code, reason, sizeof(reason))) {
        ul20xx_fail(rd, "unknown dimming reason 0x%02x at byte %zu", code, at + 1);
        return;
    }
    if (code == 0xFF)
        codec_warn(rd->out, "unknown_reason"); /* the vendor's "error" for a valid code */
    lv = ul20xx_level_read(rd, "n/a", level, sizeof(level));
    bits = ul20xx_u8(rd);
    ul20xx_list_add(rd, sources, "%s %s %s", a.name, reason, level);
    if (lv >= 0 && a.kind == UL20XX_ADDR_SHORT) {
        snprintf(name, sizeof(name), "dim_level_%u", a.num);
        ul20xx_add_once(rd, name, (double)lv);
    } else if (lv >= 0 && a.kind != UL20XX_ADDR_GROUP) {
        /* Broadcast and the 0-10 V output share the plain name; a second one stays in the
         * dimming_source attribute. */
        ul20xx_add_once(rd, "dim_level", (double)lv);
    }
    ul20xx_dali_status(rd, &a, bits);
}

/* Returns the value length of a sensor source type, 0 for types the vendor does not know. */
static size_t sensor_len(unsigned type)
{
    switch (type) {
    case 0x01: /* LDR input */
    case 0x04: /* digital inputs */
    case 0x08: /* tilt */
        return 1;
    case 0x02: /* light sensor */
    case 0x03: /* D4i light sensor */
        return 2;
    default:
        return 0;
    }
}

/* The light sensors' logarithmic code: lx = 10^(raw / 4000) / 1000 on the low 15 bits. */
static double sensor_lux(unsigned raw)
{
    return pow(10.0, (double)(raw & 0x7FFF) / 4000.0) / 1000.0;
}

static void sensor_value(struct ul20xx_rd *rd, unsigned type)
{
    unsigned v;
    char lux[24];

    switch (type) {
    case 0x01:
        ul20xx_add_once(rd, "light_sensor", (double)ul20xx_u8(rd));
        return;
    case 0x02:
        v = ul20xx_u16(rd);
        if (v == 0xFFFF)
            ul20xx_attr(rd, "light_sensor_lx", "%s", "unavailable");
        else
            ul20xx_add_once(rd, "illuminance", sensor_lux(v));
        return;
    case 0x03:
        /* A second light sensor, on the luminaire's D4i bus: "illuminance" is the controller's
         * own, so this one stays an attribute rather than a contradicting second value. */
        v = ul20xx_u16(rd);
        ul20xx_lux_format(sensor_lux(v), lux, sizeof(lux));
        ul20xx_attr(rd, "d4i_light_sensor_lx", "%s", v == 0xFFFF ? "unavailable" : lux);
        return;
    case 0x04:
        ul20xx_bool_attr(rd, "dig_input_1_on", ul20xx_u8(rd) & 1u);
        return;
    default: /* 0x08 */
        v = ul20xx_u8(rd);
        if (v != 0xFF) /* 0xFF: no reading */
            ul20xx_add_once(rd, "tilt_angle", (double)v);
        return;
    }
}

/* The length-prefixed [type][value] block of firmware >= 1.1.4. An unknown type ends the block
 * with a warning (the vendor reports an error there and skips the rest of the block the same
 * way): the length prefix exists so that newer sensors do not break older decoders. */
static void status_sensors(struct ul20xx_rd *rd)
{
    size_t at = rd->pos, end;
    unsigned n = ul20xx_u8(rd);

    if (rd->err != 0)
        return;
    if (n > ul20xx_left(rd)) {
        ul20xx_fail(rd, "sensor source block of %u bytes at byte %zu overruns the frame", n, at);
        return;
    }
    end = rd->pos + n;
    while (rd->pos < end && rd->err == 0) {
        size_t tat = rd->pos;
        unsigned type = ul20xx_u8(rd);
        size_t vlen = sensor_len(type);

        if (vlen == 0) {
            codec_warn(rd->out, "unsupported_sensor_source 0x%02x at byte %zu", type, tat);
            rd->pos = end;
        } else if (end - rd->pos < vlen) {
            ul20xx_fail(rd, "sensor source 0x%02x at byte %zu overruns its block (ends at %zu)",
                        type, tat, end);
        } else {
            sensor_value(rd, type);
        }
    }
}

static void status_alerts(struct ul20xx_rd *rd)
{
    static const char *const names[4] = { "voltage_alert_in_24h", "lamp_error_alert_in_24h",
                                          "power_alert_in_24h", "power_factor_alert_in_24h" };
    unsigned bits = ul20xx_u8(rd);

    for (unsigned i = 0; i < 4 && rd->err == 0; i++) {
        if (bits & 1u << (4 + i))
            codec_warn(rd->out, "%s", names[i]);
    }
}

/* Header 0x00 (firmware before 1.1.4): a flags byte, an optional LDR value and optional alerts
 * replace the second status byte and the sensor block. */
static void status_legacy_tail(struct ul20xx_rd *rd)
{
    unsigned bits = ul20xx_u8(rd);

    ul20xx_bool_attr(rd, "open_drain_output_on", bits >> 2 & 1u);
    if (bits & 0x02)
        ul20xx_add_once(rd, "light_sensor", (double)ul20xx_u8(rd));
    if (bits & 0x10)
        status_alerts(rd);
}

static int decode_status(struct ul20xx_rd *rd)
{
    static const char *const keys[CODEC_MAX_ATTRS] = UL20XX_KEYS("dimming_source");
    struct ul20xx_list sources = { keys, 0, 0 };
    unsigned header, bits, b;

    rd->what = "status_packet";
    header = ul20xx_u8(rd);
    if (rd->err == 0 && header > 0x01)
        return ul20xx_fail(rd, "unknown status packet header 0x%02x at byte 0", header);
    ul20xx_attr(rd, "packet_type", "%s", "status_packet");
    ul20xx_epoch_attr(rd, "device_unix_epoch", ul20xx_u32(rd));
    bits = ul20xx_u8(rd);
    /* Bit 0 (external DALI error) and bit 3 are not reported by the 1.1.x decoder. */
    if (bits & 0x02)
        codec_warn(rd->out, "dali_connection_error");
    if (bits & 0x20)
        codec_warn(rd->out, "metering_com_error");
    if (bits & 0x40)
        codec_warn(rd->out, "ext_rtc_warning");
    ul20xx_add(rd, "relay_closed", (double)(bits >> 7 & 1u));
    if (header == 0x00) {
        ul20xx_bool_attr(rd, "ldr_input_on", bits >> 2 & 1u);
        ul20xx_bool_attr(rd, "dig_input_on", bits >> 4 & 1u);
    } else {
        b = ul20xx_u8(rd);
        ul20xx_bool_attr(rd, "open_drain_output_on", b >> 2 & 1u);
        ul20xx_bool_attr(rd, "lumalink_connected", b >> 6 & 1u);
        ul20xx_bool_attr(rd, "lumalink_connected_after_boot", b >> 7 & 1u);
    }
    /* The device's view of our downlinks; "rssi"/"snr" in the vocabulary are the uplink's. */
    ul20xx_attr(rd, "downlink_rssi_dbm", "%d", -(int)ul20xx_u8(rd));
    ul20xx_attr(rd, "downlink_snr_db", "%d", ul20xx_i8(rd));
    ul20xx_add(rd, "device_temperature", (double)ul20xx_i8(rd));
    if (header == 0x00) {
        status_legacy_tail(rd);
    } else {
        status_alerts(rd);
        status_sensors(rd);
    }
    while (ul20xx_left(rd) > 0 && rd->err == 0)
        status_dimming_source(rd, &sources);
    return rd->err;
}

/* The usage record's fields, in the order of the bits of its field mask. */
static const struct {
    size_t size;
    const char *quantity;
    double scale;    /* raw to the vocabulary's unit */
    int per_address; /* indexed by the DALI short address */
} usage_fields[8] = {
    { 4, "energy", 1e-3, 0 },                      /* active_energy, Wh */
    { 2, "power", 1.0, 0 },                        /* active_power, W */
    { 4, "load_side_energy", 1e-3, 0 },            /* Wh */
    { 2, "load_side_power", 1.0, 0 },              /* W */
    { 1, "power_factor", 0.01, 0 },                /* 0xFF: unknown */
    { 1, "voltage", 1.0, 0 },                      /* mains_voltage, V */
    { 4, "driver_operating_time", 1.0 / 3600, 1 }, /* s; the vendor rounds to whole hours */
    { 4, "lamp_on_time", 1.0 / 3600, 1 },          /* s; the vendor rounds to 0.1 h */
};

static void usage_value(struct ul20xx_rd *rd, const struct ul20xx_addr *a, unsigned f, uint32_t raw,
                        struct ul20xx_list *dup)
{
    char name[CODEC_QUANTITY_MAX];
    double v = (double)raw * usage_fields[f].scale;

    if (usage_fields[f].per_address && a->kind == UL20XX_ADDR_SHORT)
        snprintf(name, sizeof(name), "%s_%u", usage_fields[f].quantity, a->num);
    else
        snprintf(name, sizeof(name), "%s", usage_fields[f].quantity);
    /* energy, power, power_factor... have no index in the vocabulary: the first record that
     * has one wins (the controller's own meter, which decode_usage takes first); the others'
     * values stay visible as attributes. */
    if (!ul20xx_add_once(rd, name, v) && rd->err == 0)
        ul20xx_list_add(rd, dup, "%s %s=%.10g", a->name, name, v);
}

/* One [address][field mask][fields...] record; emits it only in its pass: the controller's own
 * measurement (0xFF) in pass 0, the drivers in pass 1. */
static void usage_record(struct ul20xx_rd *rd, int pass, struct ul20xx_list *dup)
{
    struct ul20xx_addr a;
    unsigned mask;

    ul20xx_addr_read(rd, "internal_measurement", &a);
    mask = ul20xx_u8(rd);
    for (unsigned f = 0; f < 8 && rd->err == 0; f++) {
        size_t at = rd->pos;
        uint32_t raw;

        if (!(mask & 1u << f))
            continue;
        raw = usage_fields[f].size == 4   ? ul20xx_u32(rd)
              : usage_fields[f].size == 2 ? ul20xx_u16(rd)
                                          : ul20xx_u8(rd);
        if (f == 4 && raw == 0xFF)
            continue;
        if (f == 4 && raw > 100) {
            ul20xx_fail(rd, "power factor %u/100 > 1 at byte %zu", (unsigned)raw, at);
            return;
        }
        if (rd->err == 0 && (a.kind == UL20XX_ADDR_FF) == (pass == 0))
            usage_value(rd, &a, f, raw, dup);
    }
}

static int decode_usage(struct ul20xx_rd *rd)
{
    static const char *const keys[CODEC_MAX_ATTRS] = UL20XX_KEYS("usage_duplicate");
    struct ul20xx_list dup = { keys, 0, 0 };
    size_t start;
    unsigned header;

    rd->what = "usage_packet";
    header = ul20xx_u8(rd);
    if (rd->err == 0 && header != 0x00)
        return ul20xx_fail(rd, "unknown usage packet header 0x%02x at byte 0", header);
    ul20xx_attr(rd, "packet_type", "%s", "usage_packet");
    start = rd->pos;
    for (int pass = 0; pass < 2 && rd->err == 0; pass++) {
        rd->pos = start;
        while (ul20xx_left(rd) > 0 && rd->err == 0)
            usage_record(rd, pass, &dup);
    }
    return rd->err;
}

static int decode_port(struct ul20xx_rd *rd, unsigned fport)
{
    switch (fport) {
    case 23:
        return decode_status(rd);
    case 26:
        return decode_usage(rd);
    case 49:
        return ul20xx_decode_config_request(rd);
    case 50:
        return ul20xx_decode_config(rd);
    case 51:
        return ul20xx_decode_dfu_command(rd);
    case 60:
        return ul20xx_decode_command(rd);
    case 61:
        return ul20xx_decode_alert(rd);
    case 99:
        return ul20xx_decode_system(rd);
    case 24:
    case 25:
        return ul20xx_fail(rd, "fport %u is firmware 1.0.x's %s port; this codec reads 1.1.x",
                           fport, fport == 24 ? "status" : "usage");
    default:
        return ul20xx_fail(rd, "unexpected fport %u", fport);
    }
}

static int decode(const uint8_t *buf, size_t len, unsigned fport, struct codec_result *out)
{
    size_t n = out->n, nattr = out->nattr, nwarn = out->nwarn;
    struct ul20xx_rd rd;
    int rc;

    ul20xx_rd_init(&rd, buf, len, out);
    if (len == 0)
        rc = ul20xx_fail(&rd, "empty payload on fport %u", fport);
    else
        rc = decode_port(&rd, fport);
    if (rc == MUE_OK && ul20xx_left(&rd) > 0)
        rc = ul20xx_fail(&rd, "%zu unexpected byte(s) after the %s at byte %zu", ul20xx_left(&rd),
                         rd.what, rd.pos);
    if (rc != MUE_OK) {
        /* A rejected frame yields nothing, not the part before the bad byte. */
        out->n = n;
        out->nattr = nattr;
        out->nwarn = nwarn;
        return MUE_EDECODE;
    }
    return MUE_OK;
}

const struct codec codec_nas_ul20xx = { "nas-ul20xx", "NAS",
                                        "UL20xx LoRaWAN luminaire controller (DALI, 0-10 V)",
                                        decode };
