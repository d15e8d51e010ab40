/* encode_milesight_ws558.c - Milesight WS558 uplinks: the periodic report on fPort 85, channel/
 * type TLV, little-endian: 03 74 voltage (uint16, 0.1 V), 04 80 active power (uint32 W), 05 81
 * power factor (uint8 %), 06 83 power consumption (uint32 Wh), 07 C9 total current (uint16 mA),
 * 08 31 switch status (change mask, then one state bit per circuit, L1 in bit 0) - the channels
 * of the vendor's full uplink 0831000105816407c902000374b208068301000000048001000000, here in
 * channel order. Inverse of services/normalizer/codec_milesight_ws558.c (after
 * Milesight-IoT/SensorDecoders ws-series/ws558/ws558-decoder.js and the WS558 user guide).
 * SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "encode.h"
#include "encode_util.h"
#include "mue_err.h"

#define WS558_FPORT 85

/* A measurement channel, written only when the frame has its value. */
struct ws558_channel {
    uint8_t id, type, size; /* size: value bytes, 1, 2 or 4 */
    const char *name;
    double per_unit; /* field steps per unit of the value */
    int64_t max;     /* the largest raw value; 0: a counter that wraps like the device's */
};

static const struct ws558_channel ws558_channels[] = {
    { 0x03, 0x74, 2, "voltage", 10.0, 0xFFFF },    /* V */
    { 0x04, 0x80, 4, "power", 1.0, 0xFFFFFFFF },   /* W */
    { 0x05, 0x81, 1, "power_factor", 100.0, 100 }, /* 0..1, sent in % */
    { 0x06, 0x83, 4, "energy", 1000.0, 0 },        /* kWh, cumulative in Wh */
    { 0x07, 0xC9, 2, "current", 1000.0, 0xFFFF },  /* A */
};

/* The switch status byte: bit n set when "switch_<n+1>" is on (default off). */
static unsigned ws558_switches(const struct sim_frame *f)
{
    unsigned state = 0, n;
    char name[16];

    for (n = 0; n < 8; n++) {
        snprintf(name, sizeof(name), "switch_%u", n + 1);
        state |= encode_flag(encode_get(f, name, 0.0)) << n;
    }
    return state;
}

/* Values: voltage (V), power (W), power_factor (0..1), energy (kWh, a counter of Wh that wraps at
 * 2^32), current (A), each left out when absent and clamped to its field; switch_1..switch_8
 * (0/1, default 0), always sent, with a change mask of 0 as in a periodic report. */
static int encode(const struct sim_frame *f, uint8_t *buf, size_t cap, size_t *len, unsigned *fport)
{
    struct encode_buf b;
    double v;
    size_t i;

    if (f->kind != SIM_FRAME_DATA)
        return MUE_EINVAL;
    encode_begin(&b, buf, cap);
    for (i = 0; i < sizeof(ws558_channels) / sizeof(ws558_channels[0]); i++) {
        const struct ws558_channel *c = &ws558_channels[i];
        uint32_t raw;

        if (!sim_frame_get(f, c->name, &v))
            continue;
        raw = c->max == 0 ? encode_counter(v, c->per_unit, 8u * c->size)
                          : (uint32_t)encode_scaled(v, c->per_unit, 0, c->max);
        encode_u8(&b, c->id);
        encode_u8(&b, c->type);
        if (c->size == 1)
            encode_u8(&b, raw);
        else if (c->size == 2)
            encode_le16(&b, raw);
        else
            encode_le32(&b, raw);
    }
    encode_u8(&b, 0x08);
    encode_u8(&b, 0x31);
    encode_u8(&b, 0x00);
    encode_u8(&b, ws558_switches(f));
    return encode_end(&b, WS558_FPORT, len, fport);
}

const struct sim_encoder sim_encoder_milesight_ws558 = { "milesight-ws558", encode };
