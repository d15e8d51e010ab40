/* elsys_tlv.c - the Elsys generic payload: [type][value] data frames and settings dumps (see
 * elsys_tlv.h), shared by codec_elsys_ers.c and codec_elsys_ers_sound.c.
 * SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <stdint.h>

#include "codec.h"
#include "elsys_tlv.h"
#include "mue_err.h"

/* The application port is a device setting (5 in the settings dumps we have seen, 1 in the TTN
 * examples), so any application port is accepted. 0 carries MAC commands, 224 is the LoRaWAN test
 * protocol and 225..255 are reserved: no Elsys payload comes on those. */
#define ELSYS_FPORT_MIN 1u
#define ELSYS_FPORT_MAX 223u

/* A frame that starts with this byte is a settings dump (akenza's decoder expects it on port 6),
 * not sensor data: 0x3E is no data type. */
#define ELSYS_SETTINGS_HEADER 0x3E

enum elsys_kind {
    ELSYS_OTHER, /* a sensor no model here has: refused, see parse_data */
    ELSYS_KIND_TEMP,
    ELSYS_KIND_RH,
    ELSYS_KIND_LIGHT,
    ELSYS_KIND_MOTION,
    ELSYS_KIND_VDD,
    ELSYS_KIND_SOUND,
    ELSYS_KIND_ATTR_HEX32, /* not a measurement: shown as an attribute, whatever the model */
};

struct elsys_type {
    uint8_t id;
    uint8_t len; /* value bytes after the type byte; 0 for the variable-length byte array */
    enum elsys_kind kind;
    const char *name;
};

/* The whole Elsys type list with each value's exact length, from the generic decoder
 * (TheThingsNetwork/lorawan-devices vendor/elsys/elsys.js @0a254aaa, types 0x01..0x1C and 0x3D)
 * and, for the types added for the ERS2/ECO generation (0x1D..0x24, 0x3B, 0x3C), the Elsys
 * decoder kept by akenza-io/device-type-library types/elsys/ers-sound/uplink.js @fb9ef3e5. A
 * model's own list (elsys_model.types) says which of these its sensors send. */
static const struct elsys_type elsys_types[] = {
    { ELSYS_TEMP, 2, ELSYS_KIND_TEMP, "temperature" },
    { ELSYS_RH, 1, ELSYS_KIND_RH, "humidity" },
    { 0x03, 3, ELSYS_OTHER, "acceleration" },
    { ELSYS_LIGHT, 2, ELSYS_KIND_LIGHT, "light" },
    { ELSYS_MOTION, 1, ELSYS_KIND_MOTION, "motion" },
    { 0x06, 2, ELSYS_OTHER, "co2" },
    { ELSYS_VDD, 2, ELSYS_KIND_VDD, "vdd" },
    { 0x08, 2, ELSYS_OTHER, "analog input 1" },
    { 0x09, 6, ELSYS_OTHER, "gps" },
    { 0x0A, 2, ELSYS_OTHER, "pulse count 1" },
    { 0x0B, 4, ELSYS_OTHER, "absolute pulse count 1" },
    { 0x0C, 2, ELSYS_OTHER, "external temperature 1" },
    { 0x0D, 1, ELSYS_OTHER, "external digital input 1" },
    { 0x0E, 2, ELSYS_OTHER, "external distance" },
    { 0x0F, 1, ELSYS_OTHER, "acceleration motion count" },
    { 0x10, 4, ELSYS_OTHER, "ir temperature" },
    { 0x11, 1, ELSYS_OTHER, "occupancy" },
    { 0x12, 1, ELSYS_OTHER, "water leak" },
    { 0x13, 65, ELSYS_OTHER, "grid-eye" },
    { 0x14, 4, ELSYS_OTHER, "pressure" },
    { ELSYS_SOUND, 2, ELSYS_KIND_SOUND, "sound" },
    { 0x16, 2, ELSYS_OTHER, "pulse count 2" },
    { 0x17, 4, ELSYS_OTHER, "absolute pulse count 2" },
    { 0x18, 2, ELSYS_OTHER, "analog input 2" },
    { 0x19, 2, ELSYS_OTHER, "external temperature 2" },
    { 0x1A, 1, ELSYS_OTHER, "external digital input 2" },
    { 0x1B, 4, ELSYS_OTHER, "external analog uV" },
    { 0x1C, 2, ELSYS_OTHER, "tvoc" },
    { 0x1D, 1, ELSYS_OTHER, "iaq" },
    { 0x1E, 1, ELSYS_OTHER, "generic bool" },
    { 0x1F, 1, ELSYS_OTHER, "generic int8" },
    { 0x20, 2, ELSYS_OTHER, "generic int16" },
    { 0x21, 1, ELSYS_OTHER, "display view" },
    { 0x22, 2, ELSYS_OTHER, "setpoint" },
    { 0x23, 1, ELSYS_OTHER, "fan speed" },
    { 0x24, 1, ELSYS_OTHER, "external humidity" },
    { 0x3B, 0, ELSYS_OTHER, "byte array" },
    { 0x3C, 4, ELSYS_KIND_ATTR_HEX32, "crc" },
    { 0x3D, 4, ELSYS_KIND_ATTR_HEX32, "debug" },
};

static const struct elsys_type *type_find(uint8_t id)
{
    size_t i;

    for (i = 0; i < sizeof(elsys_types) / sizeof(elsys_types[0]); i++) {
        if (elsys_types[i].id == id)
            return &elsys_types[i];
    }
    return NULL;
}

static unsigned be16(const uint8_t *p)
{
    return (unsigned)p[0] << 8 | (unsigned)p[1];
}

static unsigned long be32(const uint8_t *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 |
           (unsigned long)p[3];
}

/* Elsys' sound type carries two unscaled bytes, "soundPeak" and "soundAvg" in dB. The ERS Sound
 * "measures the average and peak sound pressure level with dBA filtering. It wakes and samples
 * both signals every 10s, and does the final calculation before sending the data at the desired
 * send interval" (device description in akenza-io/device-type-library
 * types/elsys/ers-sound/meta.json @0c405d3d, after Elsys' product page; the ERS Sound manual
 * says "indoor sound levels (peak and average)"). So both are A-weighted:
 * - the peak is the highest A-weighted level seen in the interval, with no time weighting
 *   stated: LAmax (not a peak sound pressure, Lpeak, which is a different, unweighted or
 *   C-weighted quantity);
 * - the average is the A-weighted level averaged over the interval: LAeq, the closest
 *   vocabulary entry (Elsys does not say whether the average is taken on energy, as Leq is, or on
 *   the dB samples; on steady indoor noise the two agree).
 * The TTN example's 1/1 is a schema example, not a plausible reading, so no range is enforced
 * beyond the byte's. */
static int sound_value(const uint8_t *v, struct codec_result *out)
{
    int rc = codec_add(out, "LAmax", (double)v[0]);

    if (rc == MUE_OK)
        rc = codec_add(out, "LAeq", (double)v[1]);
    return rc;
}

/* Converts one value of a type the model sends; 'at' is the offset of its type byte. */
static int type_value(const struct elsys_type *t, const uint8_t *v, size_t at,
                      struct codec_result *out)
{
    long raw;

    switch (t->kind) {
    case ELSYS_KIND_TEMP:
        raw = (long)be16(v);
        if (raw >= 0x8000)
            raw -= 0x10000;
        return codec_add(out, "temperature", (double)raw / 10.0);
    case ELSYS_KIND_RH:
        if (v[0] > 100)
            return codec_fail(out, "humidity %u %% out of range at byte %zu", v[0], at);
        return codec_add(out, "humidity", (double)v[0]);
    case ELSYS_KIND_LIGHT:
        return codec_add(out, "illuminance", (double)be16(v));
    case ELSYS_KIND_MOTION:
        return codec_add(out, "motion", (double)v[0]);
    case ELSYS_KIND_VDD:
        return codec_add(out, "battery_voltage", (double)be16(v) / 1000.0);
    case ELSYS_KIND_SOUND:
        return sound_value(v, out);
    case ELSYS_KIND_ATTR_HEX32:
        return codec_attr(out, t->name, "0x%08lx", be32(v));
    case ELSYS_OTHER:
        break;
    }
    return codec_fail(out, "internal: type kind %d", (int)t->kind);
}

/* 1 when model 'm' sends type 't'. A model list naming a type no conversion exists for would
 * be a programming error: such a type is refused like a foreign one. */
static int model_sends(const struct elsys_model *m, const struct elsys_type *t)
{
    if (t->kind == ELSYS_KIND_ATTR_HEX32)
        return 1;
    return t->kind != ELSYS_OTHER && (m->types & ELSYS_BIT(t->id)) != 0;
}

static int parse_data(const struct elsys_model *m, const uint8_t *buf, size_t len,
                      struct codec_result *out)
{
    uint64_t seen = 0; /* every type id is below 64 */
    size_t i = 0;

    while (i < len) {
        const struct elsys_type *t = type_find(buf[i]);
        int rc;

        /* The vendor decoder silently stops at an unknown type and drops the rest; we refuse,
         * so a firmware with new types shows up in the dead letters. */
        if (t == NULL)
            return codec_fail(out, "unknown type 0x%02x at byte %zu", buf[i], i);
        /* Another model's sensor in the frame means the device is registered under the wrong
         * model: decoding it as this one would be a guess. */
        if (!model_sends(m, t))
            return codec_fail(out, "type 0x%02x (%s) at byte %zu is not sent by %s", t->id, t->name,
                              i, m->name);
        if (len - i - 1 < t->len)
            return codec_fail(out, "truncated %s at byte %zu", t->name, i);
        /* The vendor decoder keeps the last of two values; which one is right is unknown. */
        if (seen & ELSYS_BIT(t->id))
            return codec_fail(out, "repeated %s at byte %zu", t->name, i);
        seen |= ELSYS_BIT(t->id);
        rc = type_value(t, buf + i + 1, i, out);
        if (rc != MUE_OK)
            return MUE_EDECODE; /* the reason is set */
        i += 1 + (size_t)t->len;
    }
    return MUE_OK;
}

struct elsys_setting {
    uint8_t id;
    uint8_t size;    /* value bytes; SETTING_VARIABLE when the size is not documented */
    const char *key; /* attribute shown, or NULL for a setting we only step over */
};

#define SETTING_VARIABLE 0xFF

/* Elsys settings ids and sizes, as listed by akenza-io/device-type-library
 * types/elsys/ers-sound/uplink.js @fb9ef3e5 (from Elsys' settings documentation). Every size
 * must be right, since the dump has no length per setting. LoRaWAN keys and addresses (1..6)
 * are stepped over and never shown. Values are shown raw: the sources give no units (a real dump
 * reads sample period 600 next to temperature period 1). */
/* One line per setting would be 80 lines of the same shape. */
/* clang-format off */
static const struct elsys_setting elsys_settings[] = {
    { 1, 16, NULL }, { 2, 16, NULL }, { 3, 8, NULL }, { 4, 8, NULL }, { 5, 16, NULL },
    { 6, 4, NULL }, { 7, 1, NULL }, { 8, 1, "lora_port" }, { 9, 1, NULL }, { 10, 1, NULL },
    { 11, 1, NULL }, { 12, 1, NULL }, { 13, 1, NULL }, { 14, 1, NULL }, { 15, 1, NULL },
    { 16, 1, NULL }, { 17, 1, NULL }, { 18, 1, NULL }, { 19, 4, NULL },
    { 20, 4, "sample_period" }, { 21, 4, "temp_period" }, { 22, 4, "rh_period" },
    { 23, 4, "light_period" }, { 24, 4, "pir_period" }, { 25, 4, NULL }, { 26, 4, NULL },
    { 27, 4, NULL }, { 28, 4, NULL }, { 29, 4, NULL }, { 30, 4, "vdd_period" },
    { 31, 4, "send_period" }, { 32, 4, NULL }, { 33, 4, NULL }, { 34, 4, NULL }, { 35, 4, NULL },
    { 36, 4, "sound_period" }, { 37, 1, NULL }, { 38, 1, NULL }, { 39, 1, NULL }, { 40, 1, NULL },
    { 41, 1, NULL }, { 42, 4, NULL }, { 43, 4, NULL }, { 44, 4, NULL }, { 45, 1, NULL },
    { 46, 1, NULL }, { 47, 1, NULL }, { 48, 1, NULL }, { 49, 2, NULL }, { 50, 1, NULL },
    { 51, 2, NULL }, { 52, 1, NULL }, { 53, 2, NULL }, { 54, 1, NULL }, { 55, 4, NULL },
    { 56, 1, NULL }, { 57, 1, NULL }, { 58, 1, NULL }, { 59, 1, NULL }, { 60, 1, NULL },
    { 61, 1, NULL }, { 62, 1, NULL }, { 63, 4, NULL }, { 64, 4, NULL },
    { 65, SETTING_VARIABLE, NULL }, { 66, 1, NULL }, { 67, 51, NULL }, { 239, 0, NULL },
    { 240, 4, NULL }, { 241, 4, NULL }, { 242, 4, NULL }, { 243, 4, NULL }, { 244, 1, NULL },
    { 245, 1, "sensor_type" }, { 246, 2, NULL }, { 247, 4, NULL }, { 248, 4, NULL },
    { 249, 0, NULL }, { 250, 1, NULL }, { 251, 2, "firmware_version" }, { 252, 4, NULL },
    { 253, 0, NULL }, { 254, 0, NULL },
};
/* clang-format on */

#define SETTING_SENSOR_TYPE 245

static const struct elsys_setting *setting_find(uint8_t id)
{
    size_t i;

    for (i = 0; i < sizeof(elsys_settings) / sizeof(elsys_settings[0]); i++) {
        if (elsys_settings[i].id == id)
            return &elsys_settings[i];
    }
    return NULL;
}

static const char *sensor_type_name(const struct elsys_model *m, unsigned long code)
{
    size_t i;

    for (i = 0; i < m->nsensor_types; i++) {
        if (m->sensor_types[i].code == code)
            return m->sensor_types[i].name;
    }
    return NULL;
}

static int setting_attr(const struct elsys_model *m, const struct elsys_setting *s,
                        const uint8_t *v, struct codec_result *out)
{
    unsigned long value = 0;
    const char *name;
    size_t k;

    for (k = 0; k < s->size; k++)
        value = value << 8 | v[k];
    name = s->id == SETTING_SENSOR_TYPE ? sensor_type_name(m, value) : NULL;
    if (name != NULL)
        return codec_attr(out, s->key, "%s", name);
    return codec_attr(out, s->key, "%lu", value);
}

static int parse_settings(const struct elsys_model *m, const uint8_t *buf, size_t len,
                          struct codec_result *out)
{
    size_t i = 2;

    if (len < 2)
        return codec_fail(out, "truncated settings header");
    if ((size_t)buf[1] != len - 2)
        return codec_fail(out, "settings size %u does not match the %zu bytes that follow", buf[1],
                          len - 2);
    if (codec_attr(out, "frame_type", "settings") != MUE_OK)
        return MUE_EDECODE;
    while (i < len) {
        const struct elsys_setting *s = setting_find(buf[i]);

        if (s == NULL)
            return codec_fail(out, "unknown setting %u at byte %zu", buf[i], i);
        if (s->size == SETTING_VARIABLE)
            return codec_fail(out, "setting %u at byte %zu has no documented size", s->id, i);
        if (len - i - 1 < s->size)
            return codec_fail(out, "truncated setting %u at byte %zu", s->id, i);
        if (s->key != NULL && setting_attr(m, s, buf + i + 1, out) != MUE_OK)
            return MUE_EDECODE;
        i += 1 + (size_t)s->size;
    }
    return MUE_OK;
}

int elsys_tlv_decode(const struct elsys_model *m, const uint8_t *buf, size_t len, unsigned fport,
                     struct codec_result *out)
{
    if (fport < ELSYS_FPORT_MIN || fport > ELSYS_FPORT_MAX)
        return codec_fail(out, "unexpected fport %u", fport);
    if (len == 0)
        return codec_fail(out, "empty payload");
    if (buf[0] == ELSYS_SETTINGS_HEADER)
        return parse_settings(m, buf, len, out);
    return parse_data(m, buf, len, out);
}
