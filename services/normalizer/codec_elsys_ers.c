/* codec_elsys_ers.c - Elsys ERS and ERS Lite room sensors (Elsys generic TLV and settings frames,
 * elsys_tlv.c).
 * SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <stdint.h>

#include "codec.h"
#include "elsys_tlv.h"

/* The ERS measures temperature, humidity, light and motion (TTN vendor/elsys/ers.yaml: sensors
 * temperature, humidity, light, motion; its ers-codec.yaml example 0100e202290400270506) and
 * reports its supply voltage (akenza-io/device-type-library types/elsys/ers/uplink.spec.js
 * @00d9c3f7: 0100f1021704041a0500070e5a). The ERS Lite is the same without light and PIR (TTN
 * ers-lite-codec.yaml @53a91268: 0100e20229), so the same list covers it. CO2, sound, TVOC and
 * the other types are sent by the ERS CO2, ERS Sound, ERS VOC...: a frame with them is not an
 * ERS's. */
static const uint64_t ers_types = ELSYS_BIT(ELSYS_TEMP) | ELSYS_BIT(ELSYS_RH) |
                                  ELSYS_BIT(ELSYS_LIGHT) | ELSYS_BIT(ELSYS_MOTION) |
                                  ELSYS_BIT(ELSYS_VDD);

/* Sensor type codes of the ERS and ERS Lite generations in a settings dump (the akenza list of
 * types/elsys/ers/uplink.js @081be835). */
static const struct elsys_sensor_type ers_sensor_types[] = {
    { 20, "ERS" },        { 22, "ERS_LITE" }, { 50, "ERS15" },
    { 52, "ERS15_LITE" }, { 60, "ERS2" },     { 62, "ERS2_LITE" },
};

static const struct elsys_model ers = { "an ERS", ers_types, ers_sensor_types,
                                        sizeof(ers_sensor_types) / sizeof(ers_sensor_types[0]) };

static int decode(const uint8_t *buf, size_t len, unsigned fport, struct codec_result *out)
{
    return elsys_tlv_decode(&ers, buf, len, fport, out);
}

const struct codec codec_elsys_ers = { "elsys-ers", "Elsys", "ERS / ERS Lite room sensor", decode };
