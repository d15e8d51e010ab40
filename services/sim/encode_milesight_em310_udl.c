/* encode_milesight_em310_udl.c - Milesight EM310-UDL uplinks: the periodic report on fPort 85,
 * channel/type TLV, little-endian: 01 75 battery (uint8 %), 03 82 distance (uint16 mm), 04 00
 * position (uint8, 0 normal, 1 tilt), in the order of the vendor's example 01755c03824408040001.
 * Inverse of services/normalizer/codec_milesight_em310_udl.c (after Milesight-IoT/SensorDecoders
 * em-series/em310-udl/em310-udl-decoder.js and TTN vendor/milesight-iot/em310-udl-codec.yaml).
 * SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <stdint.h>

#include "encode.h"
#include "encode_util.h"
#include "mue_err.h"

#define EM310_FPORT 85

/* Values: battery (%, default 100), distance (m, 1 mm steps, 0..65.535 m; left out when the
 * frame has none), tilt (0/1, default 0). */
static int encode(const struct sim_frame *f, uint8_t *buf, size_t cap, size_t *len, unsigned *fport)
{
    struct encode_buf b;
    double v;

    if (f->kind != SIM_FRAME_DATA)
        return MUE_EINVAL;
    encode_begin(&b, buf, cap);
    encode_u8(&b, 0x01);
    encode_u8(&b, 0x75);
    encode_u8(&b, (unsigned)encode_scaled(encode_get(f, "battery", 100.0), 1.0, 0, 100));
    if (sim_frame_get(f, "distance", &v)) {
        encode_u8(&b, 0x03);
        encode_u8(&b, 0x82);
        encode_le16(&b, (unsigned)encode_scaled(v, 1000.0, 0, 0xFFFF));
    }
    encode_u8(&b, 0x04);
    encode_u8(&b, 0x00);
    encode_u8(&b, encode_flag(encode_get(f, "tilt", 0.0)));
    return encode_end(&b, EM310_FPORT, len, fport);
}

const struct sim_encoder sim_encoder_milesight_em310_udl = { "milesight-em310-udl", encode };
