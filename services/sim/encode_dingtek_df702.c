/* encode_dingtek_df702.c - CNDingtek DF702 uplinks: the 17-byte data frame without GPS on fPort 3
 * (DF702&DF703 LoRaWAN protocol V2.8): 80 00 01, data type 01, length 0x11, level (uint16 BE,
 * mm from the sensor down to the waste), GPS flag 0, temperature (int8 °C), angle sign (low
 * nibble non-zero: negative), angle (uint8 °), alarms (one nibble each: full, fire, tilt, low
 * battery), frame counter (uint16 BE), a reserved 00, then 81, as in TTN's example
 * 800001011107d000190000000000000081. Inverse of services/normalizer/codec_dingtek_df702.c (after
 * TheThingsNetwork/lorawan-devices vendor/dingtek/df702.js and df702-codec.yaml, and the vendor's
 * DF703 codecs for the counter).
 * SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <stdint.h>

#include "encode.h"
#include "encode_util.h"
#include "mue_err.h"

#define DF702_FPORT 3
#define DF702_LEN   17
/* The periodic data type. The TTN example sends 1 and the vendor's DF703 example 2, which the
 * codecs read alike; what tells them apart on the device is not documented, so 1 always. */
#define DF702_TYPE_DATA 0x01

/* Values: distance (m, 1 mm steps, 0..65.535; 0 when absent), temperature (°C, 1 °C steps,
 * -128..127; default 20), tilt_angle (°, 1° steps, -255..255; default 0), full_alarm,
 * fire_alarm, tilt, battery_low (0/1, default 0), frame_counter (wraps at 2^16; default 0). The
 * frame carries no battery level, only the low-battery flag. */
static int encode(const struct sim_frame *f, uint8_t *buf, size_t cap, size_t *len, unsigned *fport)
{
    struct encode_buf b;
    int64_t angle = encode_scaled(encode_get(f, "tilt_angle", 0.0), 1.0, -255, 255);

    if (f->kind != SIM_FRAME_DATA)
        return MUE_EINVAL;
    encode_begin(&b, buf, cap);
    encode_u8(&b, 0x80);
    encode_u8(&b, 0x00);
    encode_u8(&b, 0x01);
    encode_u8(&b, DF702_TYPE_DATA);
    encode_u8(&b, DF702_LEN);
    encode_be16(&b, (unsigned)encode_scaled(encode_get(f, "distance", 0.0), 1000.0, 0, 0xFFFF));
    encode_u8(&b, 0x00); /* no GPS */
    encode_u8(&b, (unsigned)encode_scaled(encode_get(f, "temperature", 20.0), 1.0, -128, 127));
    encode_u8(&b, angle < 0 ? 0x01u : 0x00u);
    encode_u8(&b, (unsigned)(angle < 0 ? -angle : angle));
    encode_u8(&b, encode_flag(encode_get(f, "full_alarm", 0.0)) << 4 |
                      encode_flag(encode_get(f, "fire_alarm", 0.0)));
    encode_u8(&b, encode_flag(encode_get(f, "tilt", 0.0)) << 4 |
                      encode_flag(encode_get(f, "battery_low", 0.0)));
    encode_be16(&b, encode_counter(encode_get(f, "frame_counter", 0.0), 1.0, 16));
    encode_u8(&b, 0x00);
    encode_u8(&b, 0x81);
    return encode_end(&b, DF702_FPORT, len, fport);
}

const struct sim_encoder sim_encoder_dingtek_df702 = { "dingtek-df702", encode };
