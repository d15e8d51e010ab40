/* encode_nas_ul20xx.c - NAS UL20xx (firmware 1.1.x) uplinks, little-endian:
 * - SIM_FRAME_STATUS, the status packet on fPort 23 with header 01 (firmware >= 1.1.4): device
 *   time (uint32 s), status bits (bit 7: internal relay closed), second status byte, downlink
 *   RSSI and SNR, MCU temperature (int8 °C), alert bits of the last 24 h (bit 5: lamp error), the
 *   length-prefixed sensor block, then one dimming source: address FE (DALI broadcast), dimming
 *   reason, level (%), DALI status (IEC 62386-102: bit 1 lamp failure, bit 2 lamp on). The shape
 *   of the vendor's example 01f37f205e8244320916200701d20294550401fe50190012501900 and of a real
 *   capture, 018eb28266200047071a000201defe210000.
 * - SIM_FRAME_USAGE, the usage packet on fPort 26: header 00, then one record of the
 *   controller's own meter (address FF) with a field mask and the fields it sets (active energy
 *   Wh, power W, load-side energy and power, power factor /100, mains voltage V, driver
 *   operating time s, lamp on time s), as in the vendor's example 00ff80d0ef2f01....
 * - SIM_FRAME_ALERT, the metering alert on fPort 61: 84, alert bits (bit 0 lamp error, 1 over
 *   current, 2 under voltage, 3 over voltage, 4 low power factor), power (uint16 W), voltage
 *   (uint16 V), power factor /100, as in the vendor's example 84025900e50056.
 * A failed lamp shows as a real controller reports it: in the status packet, the DALI driver's
 * lamp failure bit and the 24 h lamp error alert; at once, the metering alert's lamp error
 * (its meter sees no load while the lamp should be on).
 * Inverse of services/normalizer/codec_nas_ul20xx.c and nas_ul20xx_events.c (after
 * nasys/nas-codecs src/ul20xx_1_1_x_decoder.processed.js and its tests, the annex of the payload
 * description at docs.nasys.no/en/lcu/payloads).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "encode.h"
#include "encode_util.h"
#include "mue_err.h"

#define UL20XX_FPORT_STATUS 23
#define UL20XX_FPORT_USAGE  26
#define UL20XX_FPORT_ALERT  61

#define UL20XX_BROADCAST      0xFE
#define UL20XX_INTERNAL_METER 0xFF
/* Dimming reasons: the calendar's day and night steps (what a lamp on a schedule reports). */
#define UL20XX_REASON_DAY   0x21
#define UL20XX_REASON_NIGHT 0x22
/* What the device sees of our downlinks: plain constants, shown as attributes only. */
#define UL20XX_DOWNLINK_RSSI 80 /* -80 dBm */
#define UL20XX_DOWNLINK_SNR  7

/* The sensor block's types: LDR input (uint8), light sensor (uint16 log code), tilt (uint8 °). */
static void status_sensors(struct encode_buf *b, const struct sim_frame *f)
{
    double ldr, lx, tilt;
    int has_ldr = sim_frame_get(f, "light_sensor", &ldr);
    int has_lx = sim_frame_get(f, "illuminance", &lx);
    int has_tilt = sim_frame_get(f, "tilt_angle", &tilt);

    encode_u8(b, (unsigned)(2 * has_ldr + 3 * has_lx + 2 * has_tilt));
    if (has_ldr) {
        encode_u8(b, 0x01);
        encode_u8(b, (unsigned)encode_scaled(ldr, 1.0, 0, 0xFF));
    }
    if (has_lx) {
        /* lx = 10^(raw / 4000) / 1000 on 15 bits: 0.001 lx to about 155 klx, 0.06 % steps. */
        encode_u8(b, 0x02);
        encode_le16(
            b, (unsigned)encode_scaled(lx > 0.0 ? log10(lx * 1000.0) : 0.0, 4000.0, 0, 0x7FFF));
    }
    if (has_tilt) {
        encode_u8(b, 0x08);
        encode_u8(b, (unsigned)encode_scaled(tilt, 1.0, 0, 0xFE)); /* 0xFF: no reading */
    }
}

/* Values: relay_closed (0/1; default: closed when dim_level > 0), dim_level (%, 0..100, default
 * 0), lamp_failure (0/1, default 0), lamp_on (0/1; default: relay closed, dimmed above 0 and no
 * failure), device_temperature (°C, int8, default 20), light_sensor (0..255), illuminance (lx)
 * and tilt_angle (0..254 °) when present, device_unix_epoch (s, default 0: a clock the network
 * has not set yet, which the codec flags as invalid_timestamp). */
static void write_status(const struct sim_frame *f, struct encode_buf *b)
{
    unsigned dim = (unsigned)encode_scaled(encode_get(f, "dim_level", 0.0), 1.0, 0, 100);
    unsigned relay = encode_flag(encode_get(f, "relay_closed", dim > 0 ? 1.0 : 0.0));
    unsigned failure = encode_flag(encode_get(f, "lamp_failure", 0.0));
    unsigned on = encode_flag(encode_get(f, "lamp_on", relay && dim > 0 && !failure ? 1.0 : 0.0));

    encode_u8(b, 0x01);
    encode_le32(b, encode_counter(encode_get(f, "device_unix_epoch", 0.0), 1.0, 32));
    encode_u8(b, relay << 7);
    encode_u8(b, 0x00);
    encode_u8(b, UL20XX_DOWNLINK_RSSI);
    encode_u8(b, UL20XX_DOWNLINK_SNR);
    encode_u8(b,
              (unsigned)encode_scaled(encode_get(f, "device_temperature", 20.0), 1.0, -128, 127));
    encode_u8(b, failure << 5);
    status_sensors(b, f);
    encode_u8(b, UL20XX_BROADCAST);
    encode_u8(b, dim > 0 ? UL20XX_REASON_NIGHT : UL20XX_REASON_DAY);
    encode_u8(b, dim);
    encode_u8(b, failure << 1 | on << 2);
}

/* The usage record's fields in the order of their mask bits; each is sent when the frame has
 * it. Energies and times are counters that wrap at 2^32 like the device's. */
static const struct {
    const char *name;
    unsigned size;
    double per_unit;
    int64_t max; /* 0: a counter */
} usage_fields[8] = {
    { "energy", 4, 1000.0, 0 },                /* kWh, sent in Wh */
    { "power", 2, 1.0, 0xFFFF },               /* W */
    { "load_side_energy", 4, 1000.0, 0 },      /* kWh, sent in Wh */
    { "load_side_power", 2, 1.0, 0xFFFF },     /* W */
    { "power_factor", 1, 100.0, 100 },         /* 0..1; 0xFF would be "unknown" */
    { "voltage", 1, 1.0, 0xFF },               /* V */
    { "driver_operating_time", 4, 3600.0, 0 }, /* h, sent in s */
    { "lamp_on_time", 4, 3600.0, 0 },          /* h, sent in s */
};

static void write_usage(const struct sim_frame *f, struct encode_buf *b)
{
    unsigned mask = 0, k;
    double v;

    for (k = 0; k < 8; k++)
        mask |= (unsigned)sim_frame_get(f, usage_fields[k].name, &v) << k;
    encode_u8(b, 0x00);
    encode_u8(b, UL20XX_INTERNAL_METER);
    encode_u8(b, mask);
    for (k = 0; k < 8; k++) {
        uint32_t raw;

        if (!sim_frame_get(f, usage_fields[k].name, &v))
            continue;
        raw = usage_fields[k].max == 0
                  ? encode_counter(v, usage_fields[k].per_unit, 32)
                  : (uint32_t)encode_scaled(v, usage_fields[k].per_unit, 0, usage_fields[k].max);
        if (usage_fields[k].size == 4)
            encode_le32(b, raw);
        else if (usage_fields[k].size == 2)
            encode_le16(b, raw);
        else
            encode_u8(b, raw);
    }
}

static const char *const alert_names[5] = { "lamp_error_alert", "over_current_alert",
                                            "under_voltage_alert", "over_voltage_alert",
                                            "low_power_factor_alert" };

/* Values: the five alert flags (0/1, default 0), power (W, 0..65535, default 0), voltage (V,
 * 0..65535, default 230), power_factor (0..1; sent as "unknown" when absent). */
static void write_alert(const struct sim_frame *f, struct encode_buf *b)
{
    unsigned cond = 0, k;
    double pf;

    for (k = 0; k < 5; k++)
        cond |= encode_flag(encode_get(f, alert_names[k], 0.0)) << k;
    encode_u8(b, 0x84);
    encode_u8(b, cond);
    encode_le16(b, (unsigned)encode_scaled(encode_get(f, "power", 0.0), 1.0, 0, 0xFFFF));
    encode_le16(b, (unsigned)encode_scaled(encode_get(f, "voltage", 230.0), 1.0, 0, 0xFFFF));
    encode_u8(b, sim_frame_get(f, "power_factor", &pf) ? (unsigned)encode_scaled(pf, 100.0, 0, 100)
                                                       : 0xFFu);
}

static int encode(const struct sim_frame *f, uint8_t *buf, size_t cap, size_t *len, unsigned *fport)
{
    struct encode_buf b;

    encode_begin(&b, buf, cap);
    switch (f->kind) {
    case SIM_FRAME_STATUS:
        write_status(f, &b);
        return encode_end(&b, UL20XX_FPORT_STATUS, len, fport);
    case SIM_FRAME_USAGE:
        write_usage(f, &b);
        return encode_end(&b, UL20XX_FPORT_USAGE, len, fport);
    case SIM_FRAME_ALERT:
        write_alert(f, &b);
        return encode_end(&b, UL20XX_FPORT_ALERT, len, fport);
    default:
        return MUE_EINVAL;
    }
}

const struct sim_encoder sim_encoder_nas_ul20xx = { "nas-ul20xx", encode };
