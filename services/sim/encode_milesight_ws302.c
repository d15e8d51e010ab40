/* encode_milesight_ws302.c - Milesight WS302 uplinks: the periodic report on fPort 85, channel/
 * type TLV, little-endian: 01 75 battery (uint8 %), then 05 5B with the weighting byte 0x05
 * (A-weighted, fast) and LAF, LAeq, LAFmax (uint16, 0.1 dB), as in the vendor's README example
 * 017564055b053f02da016a02. Inverse of services/normalizer/codec_milesight_ws302.c (after
 * Milesight-IoT/SensorDecoders ws-series/ws302/ws302-decoder.js and the WS302 user guide).
 * SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <stdint.h>

#include "encode.h"
#include "encode_util.h"
#include "mue_err.h"

#define WS302_FPORT     85
#define WS302_WEIGHTING 0x05 /* bits 0-1: 1 = A; bits 2-3: 1 = fast */

static const char *const ws302_levels[] = { "LAF", "LAeq", "LAFmax" };

/* Values: battery (%, default 100), LAF, LAeq, LAFmax (dB, 0.1 dB steps, 0..6553.5). The sound
 * channel is left out when the frame has none of the three; one missing among them is 0. */
static int encode(const struct sim_frame *f, uint8_t *buf, size_t cap, size_t *len, unsigned *fport)
{
    struct encode_buf b;
    int any = 0;
    double v;
    size_t k;

    if (f->kind != SIM_FRAME_DATA)
        return MUE_EINVAL;
    for (k = 0; k < 3; k++)
        any |= sim_frame_get(f, ws302_levels[k], &v);
    encode_begin(&b, buf, cap);
    encode_u8(&b, 0x01);
    encode_u8(&b, 0x75);
    encode_u8(&b, (unsigned)encode_scaled(encode_get(f, "battery", 100.0), 1.0, 0, 100));
    if (any) {
        encode_u8(&b, 0x05);
        encode_u8(&b, 0x5B);
        encode_u8(&b, WS302_WEIGHTING);
        for (k = 0; k < 3; k++)
            encode_le16(
                &b, (unsigned)encode_scaled(encode_get(f, ws302_levels[k], 0.0), 10.0, 0, 0xFFFF));
    }
    return encode_end(&b, WS302_FPORT, len, fport);
}

const struct sim_encoder sim_encoder_milesight_ws302 = { "milesight-ws302", encode };
