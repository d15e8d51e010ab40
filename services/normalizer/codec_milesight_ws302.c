/* codec_milesight_ws302.c - Milesight WS302 sound level sensor (channel/type TLV on fport 85).
 * SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "codec.h"
#include "milesight_tlv.h"
#include "mue_err.h"

/* Sources: Milesight-IoT/SensorDecoders ws-series/ws302/ws302-decoder.js @15e4f80b (same logic at
 * HEAD e79c9d8b), its README and ws302-codec.json, the 2023 WS_Series/WS302 decoders @96534da8,
 * and the WS302 user guide (section 6, "Device Payload").
 *
 * The weighting byte: bits 0-1 frequency weighting (0 Z, 1 A, 2 C), bits 2-3 time weighting
 * (0 impulse, 1 fast, 2 slow). Commit f0535312 "fix(ws302): freq_weight & time_weight" kept that
 * mapping; it only stopped the key names from depending on the decoder's RAW_VALUE switch (with it
 * on, keys came out as "L11"). Left unfixed there: a reserved value 3 still makes keys such as
 * "LAundefined". The user guide lists only 0x01, 0x02, 0x05, 0x06 (A or C, "time weighting
 * disabled" or fast), and bits 4-7 are always zero. So we refuse value 3 and any bit set above
 * bit 3.
 * Time weighting 0 is "impulse" in every vendor decoder since 2023 and in the 2025 encoder
 * (0: I, 1: F, 2: S). The first user guide calls it "time weighting disabled". We follow the
 * decoder and the newer firmware, so the level is named LxI.
 * No vendor decoder has a history or alarm channel for this model, and the user guide documents
 * none. The first user guide's commands (0xFF03 interval, 0xFF06 threshold, 0xFF2F LED, 0xFF5D
 * weighting) have no reply in any vendor decoder, so their uplink lengths are unknown: refused. */

static const char ws302_freq[] = { 'Z', 'A', 'C' };
static const char ws302_time[] = { 'I', 'F', 'S' };
static const char *const ws302_time_name[] = { "impulse", "fast", "slow" };

static int ws302_weighting_attrs(unsigned freq, unsigned tw, struct codec_result *out)
{
    int rc = codec_attr(out, "frequency_weighting", "%c", ws302_freq[freq]);

    if (rc == MUE_OK)
        rc = codec_attr(out, "time_weighting", "%s", ws302_time_name[tw]);
    return rc;
}

/* Weighting byte, then L, Leq and Lmax as uint16 LE in 0.1 dB, named after the weighting:
 * 0x05 gives LAF, LAeq, LAFmax. The names say the weighting, so no attribute repeats it. */
static int ws302_sound(const struct milesight_channel *ch, const uint8_t *v, size_t at,
                       struct codec_result *out)
{
    unsigned freq = v[0] & 0x03u, tw = (v[0] >> 2) & 0x03u;
    char name[3][8];
    int rc = MUE_OK;
    size_t k;

    if (v[0] > 0x0F || freq > 2 || tw > 2)
        return codec_fail(out, "%s weighting 0x%02x out of range at byte %zu", ch->name, v[0], at);
    snprintf(name[0], sizeof(name[0]), "L%c%c", ws302_freq[freq], ws302_time[tw]);
    snprintf(name[1], sizeof(name[1]), "L%ceq", ws302_freq[freq]);
    snprintf(name[2], sizeof(name[2]), "L%c%cmax", ws302_freq[freq], ws302_time[tw]);
    for (k = 0; k < 3 && rc == MUE_OK; k++)
        rc = codec_add(out, name[k], (double)milesight_u16(v + 1 + 2 * k) / 10.0);
    return rc;
}

/* Reply to "set weighting": one byte each, frequency (0 Z, 1 A, 2 C), time (0 I, 1 F, 2 S). */
static int ws302_weighting_reply(const struct milesight_channel *ch, const uint8_t *v, size_t at,
                                 struct codec_result *out)
{
    if (v[0] > 2 || v[1] > 2)
        return codec_fail(out, "%s 0x%02x 0x%02x out of range at byte %zu", ch->name, v[0], v[1],
                          at);
    return ws302_weighting_attrs(v[0], v[1], out);
}

/* Reply to "set time": uint32 LE, seconds since the epoch (UTC). */
static int ws302_time_reply(const struct milesight_channel *ch, const uint8_t *v, size_t at,
                            struct codec_result *out)
{
    time_t t = (time_t)milesight_u32(v);
    struct tm tm;
    char iso[32];

    if (gmtime_r(&t, &tm) == NULL || strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        return codec_fail(out, "%s %lld not a date at byte %zu", ch->name, (long long)t, at);
    return codec_attr(out, ch->key, "%s", iso);
}

/* Reply to "set time zone": int16 LE in tenths of an hour, except that 57 is UTC+5:45 and 127
 * UTC+12:45. Only the vendor's list of zones is valid. */
static int ws302_time_zone(const struct milesight_channel *ch, const uint8_t *v, size_t at,
                           struct codec_result *out)
{
    static const int16_t zones[] = {
        -120, -110, -100, -95, -90, -80, -70, -60, -50, -40, -35, -30, -20,
        -10,  0,    10,   20,  30,  35,  40,  45,  50,  55,  57,  60,  65,
        70,   80,   90,   95,  100, 105, 110, 120, 127, 130, 140,
    };
    int zone = (int16_t)milesight_u16(v), minutes, a;
    size_t i;

    for (i = 0; i < sizeof(zones) / sizeof(zones[0]) && zones[i] != zone; i++)
        ;
    if (i == sizeof(zones) / sizeof(zones[0]))
        return codec_fail(out, "%s value %d out of range at byte %zu", ch->name, zone, at);
    minutes = zone * 6 + (zone == 57 || zone == 127 ? 3 : 0);
    a = minutes < 0 ? -minutes : minutes;
    if (minutes == 0)
        return codec_attr(out, ch->key, "UTC");
    if (a % 60 == 0)
        return codec_attr(out, ch->key, "UTC%c%d", minutes < 0 ? '-' : '+', a / 60);
    return codec_attr(out, ch->key, "UTC%c%d:%02d", minutes < 0 ? '-' : '+', a / 60, a % 60);
}

static const struct milesight_channel ws302_channels[] = {
    { 0x01, 0x75, 1, "battery", NULL, milesight_battery },
    { 0x05, 0x5B, 7, "sound level", NULL, ws302_sound },
    /* Replies to the downlink commands of ws302-encoder.js, on 0xFE or 0xFF. */
    { MILESIGHT_REPLY, 0x10, 1, "reboot reply", "reboot", milesight_yes },
    { MILESIGHT_REPLY, 0x11, 4, "time reply", "device_time", ws302_time_reply },
    { MILESIGHT_REPLY, 0x17, 2, "time zone reply", "time_zone", ws302_time_zone },
    { MILESIGHT_REPLY, 0x1D, 2, "weighting reply", NULL, ws302_weighting_reply },
    { MILESIGHT_REPLY, 0x2D, 1, "LED indicator reply", "led_indicator", milesight_enable },
    /* The vendor decoder prints "yes" whatever the byte; the encoder sends the enable flag. */
    { MILESIGHT_REPLY, 0x3B, 1, "time sync reply", "time_sync", milesight_enable },
};

static int decode(const uint8_t *buf, size_t len, unsigned fport, struct codec_result *out)
{
    return milesight_tlv_decode(ws302_channels, sizeof(ws302_channels) / sizeof(ws302_channels[0]),
                                buf, len, fport, out);
}

const struct codec codec_milesight_ws302 = { "milesight-ws302", "Milesight",
                                             "WS302 sound level sensor", decode };
