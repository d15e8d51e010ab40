/* encode_decentlab_dl_pr26.c - Decentlab DL-PR26 (0-1 bar) uplinks: a Decentlab protocol v2
 * frame, big-endian: version 2, device id (uint16), sensor-group flags (uint16), then group 0
 * (pressure: the transducer's 16384..49152 span over 0..1 bar; temperature: (word - 384) *
 * 0.003125 - 50 °C) and group 1 (battery voltage in mV), as in the vendor's example
 * 02016700033e8060170c7f. Sent on fPort 1, Decentlab's default. Inverse of
 * services/normalizer/codec_decentlab_dl_pr26.c and decentlab_v2.c (after TheThingsNetwork/
 * lorawan-devices vendor/decentlab/dl-pr26-0-1.js and dl-pr26-0-1-codec.yaml).
 * SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <stdint.h>

#include "encode.h"
#include "encode_util.h"
#include "mue_err.h"

#define DLPR26_FPORT     1
#define DLPR26_DEVICE_ID 1 /* when the frame has no "device_id" */

/* Both words are offset by 16384: pressure = (w - 16384) / 32768 bar (Pmin 0, Pmax 1), and
 * temperature = (w - 384) * 0.003125 - 50 = (w - 16384) / 320 °C. */
static unsigned dlpr26_word(double v, double per_unit)
{
    return (unsigned)(encode_scaled(v, per_unit, -16384, 0xFFFF - 16384) + 16384);
}

/* Values: pressure (bar, 1/32768 bar steps, -0.5..1.49997), temperature (°C, 0.003125 steps,
 * -51.2..153.6), group 0 being left out when the frame has neither (one missing is 0);
 * battery_voltage (V, 1 mV steps, default 3.2 V); device_id (0..65535). */
static int encode(const struct sim_frame *f, uint8_t *buf, size_t cap, size_t *len, unsigned *fport)
{
    struct encode_buf b;
    double p, t;
    int has_p = sim_frame_get(f, "pressure", &p), has_t = sim_frame_get(f, "temperature", &t);

    if (f->kind != SIM_FRAME_DATA)
        return MUE_EINVAL;
    encode_begin(&b, buf, cap);
    encode_u8(&b, 2);
    encode_be16(
        &b, (unsigned)encode_scaled(encode_get(f, "device_id", DLPR26_DEVICE_ID), 1.0, 0, 0xFFFF));
    encode_be16(&b, has_p || has_t ? 0x03u : 0x02u);
    if (has_p || has_t) {
        encode_be16(&b, dlpr26_word(has_p ? p : 0.0, 32768.0));
        encode_be16(&b, dlpr26_word(has_t ? t : 0.0, 320.0));
    }
    encode_be16(&b,
                (unsigned)encode_scaled(encode_get(f, "battery_voltage", 3.2), 1000.0, 0, 0xFFFF));
    return encode_end(&b, DLPR26_FPORT, len, fport);
}

const struct sim_encoder sim_encoder_decentlab_dl_pr26 = { "decentlab-dl-pr26", encode };
