/* elsys_tlv.h - the Elsys generic payload the Elsys codecs share: data frames of [type][value]
 * entries and settings dumps. Each model says which data types its sensors send.
 * SPDX-License-Identifier: MIT */
#ifndef ELSYS_TLV_H
#define ELSYS_TLV_H

#include <stddef.h>
#include <stdint.h>

#include "codec.h"

/* The data types a model can be given (the other types of the Elsys list are known, to be named
 * in refusals, but no model here has their sensors). */
#define ELSYS_TEMP   0x01 /* int16 BE, 0.1 °C: "temperature" */
#define ELSYS_RH     0x02 /* uint8, % (0..100): "humidity" */
#define ELSYS_LIGHT  0x04 /* uint16 BE, lx: "illuminance" */
#define ELSYS_MOTION 0x05 /* uint8, PIR count: "motion" */
#define ELSYS_VDD    0x07 /* uint16 BE, mV: "battery_voltage" in V */
#define ELSYS_SOUND  0x15 /* uint8 peak, uint8 average, dB(A): "LAmax", "LAeq" */

/* The bit of data type 'id' in elsys_model.types (every type id is below 64). */
#define ELSYS_BIT(id) (UINT64_C(1) << (id))

/* A sensor type code of the settings dump (setting 245) and the name shown for it. */
struct elsys_sensor_type {
    unsigned code;
    const char *name;
};

struct elsys_model {
    const char *name; /* with its article, for refusals: "an ERS Sound" */
    uint64_t types;   /* ELSYS_BIT() of every data type the model sends */
    const struct elsys_sensor_type *sensor_types; /* the model's codes; others show as numbers */
    size_t nsensor_types;
};

/* Decodes one Elsys payload received on 'fport' as model 'm' sends it: a settings dump (first
 * byte 0x3E) into attributes, else a data frame into readings. The debug and CRC types are
 * attributes any model may send. Refuses ports that carry no Elsys payload (0, 224..255), an
 * empty payload, an unknown type, a type of another model's sensors, a truncated or repeated
 * value, a humidity above 100 %, and a settings dump whose sizes do not add up. Returns 0, or
 * MUE_EDECODE with out->reason set (what was appended before the failure stays: codec_decode
 * takes it back). */
int elsys_tlv_decode(const struct elsys_model *m, const uint8_t *buf, size_t len, unsigned fport,
                     struct codec_result *out);

#endif
