/* encode_elsys_ers.c - Elsys ERS uplinks: the data frame of the Elsys generic format, [type]
 * [value] entries, big-endian, in type order: 01 temperature (int16, 0.1 °C), 02 humidity (uint8
 * %), 04 light (uint16 lx), 05 motion (uint8 PIR count), 07 VDD (uint16 mV), as in
 * akenza-io/device-type-library's ERS example 0100f1021704041a0500070e5a. Sent on fPort 5, the
 * port of the Elsys settings dumps we have (the port is a device setting). Inverse of
 * services/normalizer/codec_elsys_ers.c and elsys_tlv.c (after TheThingsNetwork/lorawan-devices
 * vendor/elsys/elsys.js and ers-codec.yaml).
 * SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <stdint.h>

#include "encode.h"
#include "encode_util.h"
#include "mue_err.h"

#define ERS_FPORT 5

/* One entry, written only when the frame has its value (a real ERS sends the sensors it is set
 * to report), except VDD which defaults to 3.6 V, the nominal voltage of its lithium cells. */
struct ers_entry {
    uint8_t type;
    const char *name;
    double per_unit;
    int64_t lo, hi;
    int wide;     /* 2 bytes, else 1 */
    int defaults; /* sent with 'dflt' when absent, else left out */
    double dflt;
};

static const struct ers_entry ers_entries[] = {
    { 0x01, "temperature", 10.0, -32768, 32767, 1, 0, 0.0 },
    { 0x02, "humidity", 1.0, 0, 100, 0, 0, 0.0 },
    { 0x04, "illuminance", 1.0, 0, 0xFFFF, 1, 0, 0.0 },
    { 0x05, "motion", 1.0, 0, 0xFF, 0, 0, 0.0 },
    { 0x07, "battery_voltage", 1000.0, 0, 0xFFFF, 1, 1, 3.6 },
};

/* Values: temperature (°C, 0.1 steps, -3276.8..3276.7), humidity (%, 1 % steps, 0..100),
 * illuminance (lx, 0..65535), motion (count, 0..255), battery_voltage (V, 1 mV steps). */
static int encode(const struct sim_frame *f, uint8_t *buf, size_t cap, size_t *len, unsigned *fport)
{
    struct encode_buf b;
    size_t i;

    if (f->kind != SIM_FRAME_DATA)
        return MUE_EINVAL;
    encode_begin(&b, buf, cap);
    for (i = 0; i < sizeof(ers_entries) / sizeof(ers_entries[0]); i++) {
        const struct ers_entry *e = &ers_entries[i];
        double v = e->dflt;
        int64_t raw;

        if (!sim_frame_get(f, e->name, &v) && !e->defaults)
            continue;
        raw = encode_scaled(v, e->per_unit, e->lo, e->hi);
        encode_u8(&b, e->type);
        if (e->wide)
            encode_be16(&b, (unsigned)(raw & 0xFFFF)); /* two's complement for temperature */
        else
            encode_u8(&b, (unsigned)raw);
    }
    return encode_end(&b, ERS_FPORT, len, fport);
}

const struct sim_encoder sim_encoder_elsys_ers = { "elsys-ers", encode };
