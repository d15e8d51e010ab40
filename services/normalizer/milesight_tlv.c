/* milesight_tlv.c - the channel/type TLV walk the Milesight codecs share, and its common channels.
 * SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <stdint.h>

#include "codec.h"
#include "milesight_tlv.h"
#include "mue_err.h"

/* The user guides read "01" as V1; the vendor decoders split it into nibbles ("v0.1"). */
static int protocol_version(const struct milesight_channel *ch, const uint8_t *v, size_t at,
                            struct codec_result *out)
{
    (void)at;
    return codec_attr(out, ch->key, "%u", v[0]);
}

/* "01 40" is 1.4: the major byte reads as hex digits, the minor is the high nibble. */
static int hardware_version(const struct milesight_channel *ch, const uint8_t *v, size_t at,
                            struct codec_result *out)
{
    (void)at;
    return codec_attr(out, ch->key, "%x.%u", (unsigned)v[0], (unsigned)v[1] >> 4);
}

/* "01 14" is 1.14: both bytes read as hex digits. */
static int firmware_version(const struct milesight_channel *ch, const uint8_t *v, size_t at,
                            struct codec_result *out)
{
    (void)at;
    return codec_attr(out, ch->key, "%x.%x", (unsigned)v[0], (unsigned)v[1]);
}

static int tsl_version(const struct milesight_channel *ch, const uint8_t *v, size_t at,
                       struct codec_result *out)
{
    (void)at;
    return codec_attr(out, ch->key, "%u.%u", (unsigned)v[0], (unsigned)v[1]);
}

static int serial_number(const struct milesight_channel *ch, const uint8_t *v, size_t at,
                         struct codec_result *out)
{
    (void)at;
    return codec_attr(out, ch->key, "%02x%02x%02x%02x%02x%02x%02x%02x", v[0], v[1], v[2], v[3],
                      v[4], v[5], v[6], v[7]);
}

static int lorawan_class(const struct milesight_channel *ch, const uint8_t *v, size_t at,
                         struct codec_result *out)
{
    static const char *const classes[] = { "Class A", "Class B", "Class C", "Class CtoB" };

    if (v[0] >= sizeof(classes) / sizeof(classes[0]))
        return codec_fail(out, "%s value %u out of range at byte %zu", ch->name, v[0], at);
    return codec_attr(out, ch->key, "%s", classes[v[0]]);
}

/* The device sends these two once, as events; the byte is reserved (0xFF in the user guides)
 * and the vendor decoders ignore it. */
static int reset_event(const struct milesight_channel *ch, const uint8_t *v, size_t at,
                       struct codec_result *out)
{
    (void)v;
    (void)at;
    return codec_attr(out, ch->key, "reset");
}

static int power_on(const struct milesight_channel *ch, const uint8_t *v, size_t at,
                    struct codec_result *out)
{
    (void)v;
    (void)at;
    return codec_attr(out, ch->key, "on");
}

/* What every model sends on joining: the same eight channels in Milesight-IoT/SensorDecoders
 * ws-series/ws302/ws302-decoder.js, ws-series/ws558/ws558-decoder.js and
 * em-series/em310-udl/em310-udl-decoder.js @15e4f80b. Keys are the vendor's, but for the
 * protocol version (ipso_version there) and the serial number (sn). */
static const struct milesight_channel attribute_channels[] = {
    { 0xFF, 0x01, 1, "protocol version", "protocol_version", protocol_version },
    { 0xFF, 0x09, 2, "hardware version", "hardware_version", hardware_version },
    { 0xFF, 0x0A, 2, "firmware version", "firmware_version", firmware_version },
    { 0xFF, 0xFF, 2, "TSL version", "tsl_version", tsl_version },
    { 0xFF, 0x16, 8, "serial number", "serial_number", serial_number },
    { 0xFF, 0x0F, 1, "LoRaWAN class", "lorawan_class", lorawan_class },
    { 0xFF, 0xFE, 1, "reset event", "reset_event", reset_event },
    { 0xFF, 0x0B, 1, "device status", "device_status", power_on },
};

int milesight_battery(const struct milesight_channel *ch, const uint8_t *v, size_t at,
                      struct codec_result *out)
{
    if (v[0] > 100)
        return codec_fail(out, "%s value %u out of range at byte %zu", ch->name, v[0], at);
    return codec_add(out, "battery", (double)v[0]);
}

int milesight_yes(const struct milesight_channel *ch, const uint8_t *v, size_t at,
                  struct codec_result *out)
{
    (void)v;
    (void)at;
    return codec_attr(out, ch->key, "yes");
}

int milesight_enable(const struct milesight_channel *ch, const uint8_t *v, size_t at,
                     struct codec_result *out)
{
    if (v[0] > 1)
        return codec_fail(out, "%s value %u out of range at byte %zu", ch->name, v[0], at);
    return codec_attr(out, ch->key, "%s", v[0] ? "enabled" : "disabled");
}

int milesight_u16_attr(const struct milesight_channel *ch, const uint8_t *v, size_t at,
                       struct codec_result *out)
{
    (void)at;
    return codec_attr(out, ch->key, "%u", milesight_u16(v));
}

static const struct milesight_channel *channel_find(const struct milesight_channel *t, size_t n,
                                                    uint8_t id, uint8_t type)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (t[i].type != type)
            continue;
        if (t[i].id == id || (t[i].id == MILESIGHT_REPLY && (id == 0xFE || id == 0xFF)))
            return &t[i];
    }
    return NULL;
}

static int tlv_walk(const struct milesight_channel *model, size_t nmodel, const uint8_t *buf,
                    size_t len, unsigned fport, struct codec_result *out)
{
    size_t i = 0;

    if (fport != MILESIGHT_FPORT)
        return codec_fail(out, "unexpected fport %u", fport);
    if (len == 0)
        return codec_fail(out, "empty payload");
    while (i < len) {
        const struct milesight_channel *ch;
        int rc = MUE_OK;

        if (len - i < 2)
            return codec_fail(out, "truncated channel header at byte %zu", i);
        ch = channel_find(model, nmodel, buf[i], buf[i + 1]);
        if (ch == NULL)
            ch = channel_find(attribute_channels,
                              sizeof(attribute_channels) / sizeof(attribute_channels[0]), buf[i],
                              buf[i + 1]);
        /* The vendor decoders stop silently at an unknown channel (or throw on an unknown reply);
         * we refuse the frame, so a firmware with new channels shows in the dead letters rather
         * than losing data. */
        if (ch == NULL)
            return codec_fail(out, "unknown channel 0x%02x 0x%02x at byte %zu", buf[i], buf[i + 1],
                              i);
        if (len - i - 2 < ch->len)
            return codec_fail(out, "truncated %s at byte %zu", ch->name, i);
        if (ch->value != NULL)
            rc = ch->value(ch, buf + i + 2, i, out);
        if (rc == MUE_E2BIG)
            return MUE_EDECODE; /* codec_add or codec_attr set the reason */
        if (rc != MUE_OK)
            return rc;
        i += 2 + (size_t)ch->len;
    }
    return MUE_OK;
}

int milesight_tlv_decode(const struct milesight_channel *model, size_t nmodel, const uint8_t *buf,
                         size_t len, unsigned fport, struct codec_result *out)
{
    size_t n0 = out->n, nattr0 = out->nattr, nwarn0 = out->nwarn;
    int rc = tlv_walk(model, nmodel, buf, len, fport, out);

    /* A rejected frame yields nothing at all, not what came before the bad byte. */
    if (rc != MUE_OK) {
        out->n = n0;
        out->nattr = nattr0;
        out->nwarn = nwarn0;
        return MUE_EDECODE;
    }
    return MUE_OK;
}
