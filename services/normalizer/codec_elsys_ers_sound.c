/* codec_elsys_ers_sound.c - Elsys ERS Sound room sensor (Elsys generic TLV and settings frames,
 * elsys_tlv.c).
 * SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <stdint.h>

#include "codec.h"
#include "elsys_tlv.h"

/* The ERS Sound has a temperature/humidity sensor, a light sensor, a PIR, a microphone and
 * reports its supply voltage (ERS Sound manual: "internal sensors for measuring indoor sound
 * levels (peak and average), temperature, ..."; TTN vendor/elsys/ers-sound.yaml lists humidity,
 * temperature, light, motion, sound); the other Elsys types measure things it has no sensor
 * for. */
static const uint64_t ers_sound_types = ELSYS_BIT(ELSYS_TEMP) | ELSYS_BIT(ELSYS_RH) |
                                        ELSYS_BIT(ELSYS_LIGHT) | ELSYS_BIT(ELSYS_MOTION) |
                                        ELSYS_BIT(ELSYS_VDD) | ELSYS_BIT(ELSYS_SOUND);

/* Sensor type codes of the sound models in a settings dump (akenza-io/device-type-library
 * types/elsys/ers-sound/uplink.js @fb9ef3e5). */
static const struct elsys_sensor_type ers_sound_sensor_types[] = {
    { 25, "ERS_SOUND" },
    { 55, "ERS15_SOUND" },
    { 65, "ERS2_SOUND" },
};

static const struct elsys_model ers_sound = { "an ERS Sound", ers_sound_types,
                                              ers_sound_sensor_types,
                                              sizeof(ers_sound_sensor_types) /
                                                  sizeof(ers_sound_sensor_types[0]) };

static int decode(const uint8_t *buf, size_t len, unsigned fport, struct codec_result *out)
{
    return elsys_tlv_decode(&ers_sound, buf, len, fport, out);
}

const struct codec codec_elsys_ers_sound = { "elsys-ers-sound", "Elsys", "ERS Sound room sensor",
                                             decode };
