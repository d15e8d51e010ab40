/* codec_milesight_em310_udl.c - Milesight EM310-UDL ultrasonic distance sensor (channel/type TLV).
 * SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <stdint.h>

#include "codec.h"
#include "mue_err.h"

/* Milesight's usual uplink port; other ports carry nothing this decoder knows. */
#define EM310_FPORT 85

enum em310_kind {
    EM310_SKIP, /* attribute or downlink reply: known length, no measurement */
    EM310_BATTERY,
    EM310_DISTANCE,
    EM310_POSITION,
};

struct em310_channel {
    uint8_t id;
    uint8_t type;
    uint8_t len; /* value bytes after id and type */
    enum em310_kind kind;
    const char *name; /* for the failure reason */
};

/* Every channel the vendor decoder handles (Milesight-IoT/SensorDecoders
 * em-series/em310-udl/em310-udl-decoder.js @15e4f80b, and the 2021 TTN decoder). The device has
 * no alarm or history channels, unlike the EM400/EM500 UDL. Skipped channels must still be
 * listed with their exact length, since the TLV carries no length byte of its own. */
static const struct em310_channel em310_channels[] = {
    { 0x01, 0x75, 1, EM310_BATTERY, "battery" },
    { 0x03, 0x82, 2, EM310_DISTANCE, "distance" },
    { 0x04, 0x00, 1, EM310_POSITION, "position" },
    { 0xFF, 0x01, 1, EM310_SKIP, "protocol version" },
    { 0xFF, 0x09, 2, EM310_SKIP, "hardware version" },
    { 0xFF, 0x0A, 2, EM310_SKIP, "firmware version" },
    { 0xFF, 0xFF, 2, EM310_SKIP, "TSL version" },
    { 0xFF, 0x16, 8, EM310_SKIP, "serial number" },
    { 0xFF, 0x0F, 1, EM310_SKIP, "LoRaWAN class" },
    { 0xFF, 0xFE, 1, EM310_SKIP, "reset event" },
    { 0xFF, 0x0B, 1, EM310_SKIP, "device status" },
    /* Replies to downlink commands come on 0xFF or 0xFE. */
    { 0xFF, 0x10, 1, EM310_SKIP, "reboot reply" },
    { 0xFE, 0x10, 1, EM310_SKIP, "reboot reply" },
    { 0xFF, 0x02, 2, EM310_SKIP, "collection interval" },
    { 0xFE, 0x02, 2, EM310_SKIP, "collection interval" },
    { 0xFF, 0x03, 2, EM310_SKIP, "report interval" },
    { 0xFE, 0x03, 2, EM310_SKIP, "report interval" },
    { 0xFF, 0x06, 9, EM310_SKIP, "distance alarm config" },
    { 0xFE, 0x06, 9, EM310_SKIP, "distance alarm config" },
};

static const struct em310_channel *em310_channel_find(uint8_t id, uint8_t type)
{
    size_t i;

    for (i = 0; i < sizeof(em310_channels) / sizeof(em310_channels[0]); i++) {
        if (em310_channels[i].id == id && em310_channels[i].type == type)
            return &em310_channels[i];
    }
    return NULL;
}

/* Converts one value of a known channel; 'at' is the offset of its channel id. */
static int em310_value(const struct em310_channel *ch, const uint8_t *v, size_t at,
                       struct codec_result *out)
{
    switch (ch->kind) {
    case EM310_SKIP:
        return MUE_OK;
    case EM310_BATTERY:
        return codec_add(out, "battery", (double)v[0]);
    case EM310_DISTANCE:
        return codec_add(out, "distance", (double)((unsigned)v[0] | (unsigned)v[1] << 8) / 1000.0);
    case EM310_POSITION:
        /* The vendor defines only 0 and 1; anything else is not a tilt we can trust. */
        if (v[0] > 1)
            return codec_fail(out, "position value %u out of range at byte %zu", v[0], at);
        return codec_add(out, "tilt", (double)v[0]);
    }
    return codec_fail(out, "internal: channel kind %d", (int)ch->kind);
}

static int em310_parse(const uint8_t *buf, size_t len, unsigned fport, struct codec_result *out)
{
    size_t i = 0;

    if (fport != EM310_FPORT)
        return codec_fail(out, "unexpected fport %u", fport);
    if (len == 0)
        return codec_fail(out, "empty payload");
    while (i < len) {
        const struct em310_channel *ch;
        int rc;

        if (len - i < 2)
            return codec_fail(out, "truncated channel header at byte %zu", i);
        ch = em310_channel_find(buf[i], buf[i + 1]);
        /* The vendor decoder silently stops at an unknown channel; we refuse instead, so a
         * firmware with new channels shows up in the dead letters rather than losing data. */
        if (ch == NULL)
            return codec_fail(out, "unknown channel 0x%02x 0x%02x at byte %zu", buf[i], buf[i + 1],
                              i);
        if (len - i - 2 < ch->len)
            return codec_fail(out, "truncated %s at byte %zu", ch->name, i);
        rc = em310_value(ch, buf + i + 2, i, out);
        if (rc == MUE_E2BIG)
            return MUE_EDECODE; /* codec_add set the reason */
        if (rc != MUE_OK)
            return rc;
        i += 2 + (size_t)ch->len;
    }
    return MUE_OK;
}

static int decode(const uint8_t *buf, size_t len, unsigned fport, struct codec_result *out)
{
    size_t n0 = out->n;
    int rc = em310_parse(buf, len, fport, out);

    /* A rejected frame yields no readings at all, not the ones before the bad byte. */
    if (rc != MUE_OK)
        out->n = n0;
    return rc;
}

const struct codec codec_milesight_em310_udl = { "milesight-em310-udl", "Milesight",
                                                 "EM310-UDL ultrasonic distance sensor", decode };
