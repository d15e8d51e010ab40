/* encode_decentlab_dl_ctd10.c - Decentlab DL-CTD10 uplinks: a Decentlab protocol v2 frame,
 * big-endian: version 2, device id (uint16), sensor-group flags (uint16), then group 0 (water
 * depth in mm and temperature in 0.1 °C, both offset by 32768; conductivity in µS/cm; freezing
 * flag) and group 1 (battery voltage in mV), as in the vendor's example 0207d9000390888081006400
 * 000c60. Sent on fPort 1, Decentlab's default. Inverse of
 * services/normalizer/codec_decentlab_dl_ctd10.c and decentlab_v2.c (after TheThingsNetwork/
 * lorawan-devices vendor/decentlab/dl-ctd10.js and dl-ctd10-codec.yaml).
 * SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <stdint.h>

#include "encode.h"
#include "encode_util.h"
#include "mue_err.h"

#define DLCTD10_FPORT     1
#define DLCTD10_DEVICE_ID 1 /* when the frame has no "device_id" */
#define DLCTD10_OFFSET    32768

static const char *const dlctd10_group0[] = { "water_depth", "temperature", "conductivity",
                                              "freezing" };

/* An offset-binary word: v * per_unit + 32768, clamped to the word. */
static unsigned offset_word(double v, double per_unit)
{
    return (unsigned)(encode_scaled(v, per_unit, -DLCTD10_OFFSET, DLCTD10_OFFSET - 1) +
                      DLCTD10_OFFSET);
}

/* Values: water_depth (m, 1 mm steps, -32.768..32.767), temperature (°C, 0.1 steps,
 * -3276.8..3276.7), conductivity (µS/cm, 0..65535), freezing (0/1), group 0 being left out when
 * the frame has none of them (one missing is 0); battery_voltage (V, 1 mV steps, default 3.2 V);
 * device_id (0..65535). */
static int encode(const struct sim_frame *f, uint8_t *buf, size_t cap, size_t *len, unsigned *fport)
{
    struct encode_buf b;
    int group0 = 0;
    double v;
    size_t k;

    if (f->kind != SIM_FRAME_DATA)
        return MUE_EINVAL;
    for (k = 0; k < sizeof(dlctd10_group0) / sizeof(dlctd10_group0[0]); k++)
        group0 |= sim_frame_get(f, dlctd10_group0[k], &v);
    encode_begin(&b, buf, cap);
    encode_u8(&b, 2);
    encode_be16(
        &b, (unsigned)encode_scaled(encode_get(f, "device_id", DLCTD10_DEVICE_ID), 1.0, 0, 0xFFFF));
    encode_be16(&b, group0 ? 0x03u : 0x02u);
    if (group0) {
        encode_be16(&b, offset_word(encode_get(f, "water_depth", 0.0), 1000.0));
        encode_be16(&b, offset_word(encode_get(f, "temperature", 0.0), 10.0));
        encode_be16(&b,
                    (unsigned)encode_scaled(encode_get(f, "conductivity", 0.0), 1.0, 0, 0xFFFF));
        encode_be16(&b, encode_flag(encode_get(f, "freezing", 0.0)));
    }
    encode_be16(&b,
                (unsigned)encode_scaled(encode_get(f, "battery_voltage", 3.2), 1000.0, 0, 0xFFFF));
    return encode_end(&b, DLCTD10_FPORT, len, fport);
}

const struct sim_encoder sim_encoder_decentlab_dl_ctd10 = { "decentlab-dl-ctd10", encode };
