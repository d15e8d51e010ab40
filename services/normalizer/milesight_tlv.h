/* milesight_tlv.h - the channel/type TLV walk the Milesight codecs share, and its common channels.
 * SPDX-License-Identifier: MIT */
#ifndef MILESIGHT_TLV_H
#define MILESIGHT_TLV_H

#include <stddef.h>
#include <stdint.h>

#include "codec.h"

/* Milesight's uplink port: every frame family of these models comes on it. */
#define MILESIGHT_FPORT 85

/* In a model table, this id stands for both ids a device answers a downlink command on (0xFE
 * and 0xFF); the vendor decoders treat the two alike. */
#define MILESIGHT_REPLY 0xFE

struct milesight_channel;

/* Converts the value of one channel. 'v' holds exactly ch->len bytes; 'at' is the offset of the
 * channel id in the payload, for the failure reason. Returns MUE_OK, MUE_E2BIG (the reason set by
 * codec_add or codec_attr) or MUE_EDECODE (from codec_fail). */
typedef int (*milesight_value_fn)(const struct milesight_channel *ch, const uint8_t *v, size_t at,
                                  struct codec_result *out);

/* One channel of a model. The TLV carries no length byte, so every channel the device may send
 * must be listed with its exact length, including those that carry nothing we report. */
struct milesight_channel {
    uint8_t id; /* channel id, or MILESIGHT_REPLY */
    uint8_t type;
    uint8_t len;              /* value bytes after id and type */
    const char *name;         /* for failure reasons: "truncated <name> at byte N" */
    const char *key;          /* attribute key of the generic converters below, else NULL */
    milesight_value_fn value; /* NULL: a known length with nothing to report */
};

/* Decodes a whole payload, looking each channel up in the model's table, then among the
 * attribute channels every model sends on joining (0xFF01 protocol version .. 0xFF0B power-on,
 * in milesight_tlv.c). Refuses another fport, an empty payload, an unknown channel, a truncated
 * value. On failure out->n, nattr and nwarn are back to what they were. Returns MUE_OK or
 * MUE_EDECODE. */
int milesight_tlv_decode(const struct milesight_channel *model, size_t nmodel, const uint8_t *buf,
                         size_t len, unsigned fport, struct codec_result *out);

/* Battery level, uint8 in %: the reading "battery"; above 100 is refused. */
int milesight_battery(const struct milesight_channel *ch, const uint8_t *v, size_t at,
                      struct codec_result *out);

/* A command the device acknowledges without a value (reboot, report now): ch->key = "yes". The
 * byte is the command's filler (0xFF) and carries nothing. */
int milesight_yes(const struct milesight_channel *ch, const uint8_t *v, size_t at,
                  struct codec_result *out);

/* 0 disabled, 1 enabled: ch->key = "disabled" or "enabled"; other values are refused. */
int milesight_enable(const struct milesight_channel *ch, const uint8_t *v, size_t at,
                     struct codec_result *out);

/* uint16 LE (an interval in seconds): ch->key = the number. */
int milesight_u16_attr(const struct milesight_channel *ch, const uint8_t *v, size_t at,
                       struct codec_result *out);

static inline unsigned milesight_u16(const uint8_t *p)
{
    return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static inline uint32_t milesight_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

#endif
