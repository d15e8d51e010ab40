/* encode_parametric_pcr2.c - Parametric PCR2 uplinks: the Extended Application Payload V4 on
 * fPort 14 (17 bytes, big-endian): be 01 04, LTR and RTL counts since the last uplink, LTR_SUM
 * and RTL_SUM since power-up (uint16 each), SBX_BATT (uint16 mV), SBX_PV (uint16 mW), TEMP (int16,
 * 0.1 °C), as in TTN's example be010400010002000300041c200ce40139. V4 is the firmware-3 frame with
 * the solar box fields; it is chosen over firmware 4's AppData V5 because only V3/V4 carry the
 * totals. Inverse of services/normalizer/codec_parametric_pcr2.c (after TheThingsNetwork/
 * lorawan-devices vendor/parametric/pcr2.js and pcr2-codec.yaml, and Parametric's "PCR2 LoRaWAN
 * Payload Description" V4).
 * SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <stdint.h>

#include "encode.h"
#include "encode_util.h"
#include "mue_err.h"

#define PCR2_FPORT 14

/* Values: count_ltr, count_rtl (0..65535), count_ltr_total, count_rtl_total (counters that wrap
 * at 2^16 like the device's), battery_voltage (V, 1 mV steps) and solar_power (W, 1 mW steps) of
 * the solar box, both 0 when absent, which the codec reads as "no solar box fitted";
 * device_temperature (°C, 0.1 steps, -409.6..409.5, the documented span; default 20). */
static int encode(const struct sim_frame *f, uint8_t *buf, size_t cap, size_t *len, unsigned *fport)
{
    struct encode_buf b;
    int64_t temp = encode_scaled(encode_get(f, "device_temperature", 20.0), 10.0, -0x1000, 0x0FFF);

    if (f->kind != SIM_FRAME_DATA)
        return MUE_EINVAL;
    encode_begin(&b, buf, cap);
    encode_u8(&b, 0xBE);
    encode_u8(&b, 0x01);
    encode_u8(&b, 0x04);
    encode_be16(&b, (unsigned)encode_scaled(encode_get(f, "count_ltr", 0.0), 1.0, 0, 0xFFFF));
    encode_be16(&b, (unsigned)encode_scaled(encode_get(f, "count_rtl", 0.0), 1.0, 0, 0xFFFF));
    encode_be16(&b, encode_counter(encode_get(f, "count_ltr_total", 0.0), 1.0, 16));
    encode_be16(&b, encode_counter(encode_get(f, "count_rtl_total", 0.0), 1.0, 16));
    encode_be16(&b,
                (unsigned)encode_scaled(encode_get(f, "battery_voltage", 0.0), 1000.0, 0, 0xFFFF));
    encode_be16(&b, (unsigned)encode_scaled(encode_get(f, "solar_power", 0.0), 1000.0, 0, 0xFFFF));
    encode_be16(&b, (unsigned)(temp & 0xFFFF));
    return encode_end(&b, PCR2_FPORT, len, fport);
}

const struct sim_encoder sim_encoder_parametric_pcr2 = { "parametric-pcr2", encode };
