/* encode_elsys_ers_sound.c - Elsys ERS Sound uplinks: what an ERS sends (encode_elsys_ers.c:
 * temperature, humidity, light, motion, VDD), then type 15, sound: peak and average level, one
 * unscaled byte each in dB(A), as in TTN's ERS Sound example 0100e202290400270506150101 (fPort 5
 * here, like the ERS). Inverse of services/normalizer/codec_elsys_ers_sound.c and elsys_tlv.c
 * (after TheThingsNetwork/lorawan-devices vendor/elsys/elsys.js and ers-sound-codec.yaml).
 * SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <stdint.h>

#include "encode.h"
#include "encode_util.h"
#include "mue_err.h"

#define ERS_SOUND_TYPE 0x15

/* The ERS's encoder: the ERS Sound's frame starts as an ERS's (encode_elsys_ers.c). */
extern const struct sim_encoder sim_encoder_elsys_ers;

/* Values: those of the ERS, and LAmax, LAeq (dB, 1 dB steps, 0..255); the sound entry is left
 * out when the frame has neither, and one missing is 0. */
static int encode(const struct sim_frame *f, uint8_t *buf, size_t cap, size_t *len, unsigned *fport)
{
    struct encode_buf b;
    double peak, avg;
    int has_peak = sim_frame_get(f, "LAmax", &peak), has_avg = sim_frame_get(f, "LAeq", &avg);
    int rc = sim_encoder_elsys_ers.encode(f, buf, cap, len, fport);

    if (rc != MUE_OK || (!has_peak && !has_avg))
        return rc;
    encode_begin(&b, buf, cap);
    b.len = *len; /* after the ERS's entries */
    encode_u8(&b, ERS_SOUND_TYPE);
    encode_u8(&b, (unsigned)encode_scaled(has_peak ? peak : 0.0, 1.0, 0, 0xFF));
    encode_u8(&b, (unsigned)encode_scaled(has_avg ? avg : 0.0, 1.0, 0, 0xFF));
    return encode_end(&b, *fport, len, fport);
}

const struct sim_encoder sim_encoder_elsys_ers_sound = { "elsys-ers-sound", encode };
