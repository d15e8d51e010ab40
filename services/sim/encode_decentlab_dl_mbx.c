/* encode_decentlab_dl_mbx.c - Decentlab DL-MBX uplinks: a Decentlab protocol v2 frame, big-endian:
 * version 2, device id (uint16), sensor-group flags (uint16), then group 0 (distance in mm,
 * number of valid samples) and group 1 (battery voltage in mV), as in the vendor's example
 * 02012f000304d200010bb1. Sent on fPort 1, Decentlab's default. Inverse of
 * services/normalizer/codec_decentlab_dl_mbx.c and decentlab_v2.c (after TheThingsNetwork/
 * lorawan-devices vendor/decentlab/dl-mbx.js and dl-mbx-codec.yaml).
 * SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <stdint.h>

#include "encode.h"
#include "encode_util.h"
#include "mue_err.h"

#define DLMBX_FPORT     1
#define DLMBX_DEVICE_ID 1 /* when the frame has no "device_id" */

/* Values: distance (m, 1 mm steps, 0..65.535) and valid_samples (0..65535, default 1), group 0
 * being left out when the frame has neither (with no valid sample the codec drops the distance,
 * as the device's word is then no measurement); battery_voltage (V, 1 mV steps, default 3.2 V,
 * near the vendor examples' fresh cells); device_id (0..65535). */
static int encode(const struct sim_frame *f, uint8_t *buf, size_t cap, size_t *len, unsigned *fport)
{
    struct encode_buf b;
    double dist, samples;
    int has_dist = sim_frame_get(f, "distance", &dist);
    int has_samples = sim_frame_get(f, "valid_samples", &samples);
    int group0 = has_dist || has_samples;

    if (f->kind != SIM_FRAME_DATA)
        return MUE_EINVAL;
    encode_begin(&b, buf, cap);
    encode_u8(&b, 2);
    encode_be16(
        &b, (unsigned)encode_scaled(encode_get(f, "device_id", DLMBX_DEVICE_ID), 1.0, 0, 0xFFFF));
    encode_be16(&b, group0 ? 0x03u : 0x02u);
    if (group0) {
        encode_be16(&b, (unsigned)encode_scaled(has_dist ? dist : 0.0, 1000.0, 0, 0xFFFF));
        encode_be16(&b, (unsigned)encode_scaled(has_samples ? samples : 1.0, 1.0, 0, 0xFFFF));
    }
    encode_be16(&b,
                (unsigned)encode_scaled(encode_get(f, "battery_voltage", 3.2), 1000.0, 0, 0xFFFF));
    return encode_end(&b, DLMBX_FPORT, len, fport);
}

const struct sim_encoder sim_encoder_decentlab_dl_mbx = { "decentlab-dl-mbx", encode };
