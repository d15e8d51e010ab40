/* codec_milesight_ws558.c - Milesight WS558 8-circuit smart light controller (TLV on fport 85).
 * SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "codec.h"
#include "milesight_tlv.h"
#include "mue_err.h"

/* Sources: Milesight-IoT/SensorDecoders ws-series/ws558/ws558-decoder.js and ws558-encoder.js
 * @15e4f80b (same logic at HEAD e79c9d8b) and its README; TheThingsNetwork/lorawan-devices
 * vendor/milesight-iot/ws558.js @9fa6bf1a and ws558-codec.yaml @62c8acdd; the WS558 user guide
 * (section 5, uplink and downlink payloads).
 *
 * Every counter is unsigned, as the user guide says (UINT16, UINT32). The 2025 vendor decoder
 * reads uint32 with "value & 0xffffffff", which JavaScript makes signed: from 2^31 W or Wh up it
 * outputs negative power and consumption. Its 2023 TTN decoder had fixed that with ">>> 0". */

static int ws558_voltage(const struct milesight_channel *ch, const uint8_t *v, size_t at,
                         struct codec_result *out)
{
    (void)ch;
    (void)at;
    return codec_add(out, "voltage", (double)milesight_u16(v) / 10.0);
}

static int ws558_power(const struct milesight_channel *ch, const uint8_t *v, size_t at,
                       struct codec_result *out)
{
    (void)ch;
    (void)at;
    return codec_add(out, "power", (double)milesight_u32(v));
}

/* A percentage: above 100 the byte is not a power factor. */
static int ws558_power_factor(const struct milesight_channel *ch, const uint8_t *v, size_t at,
                              struct codec_result *out)
{
    if (v[0] > 100)
        return codec_fail(out, "%s value %u out of range at byte %zu", ch->name, v[0], at);
    return codec_add(out, "power_factor", (double)v[0] / 100.0);
}

/* Power consumption, Wh since the counter was last cleared. */
static int ws558_energy(const struct milesight_channel *ch, const uint8_t *v, size_t at,
                        struct codec_result *out)
{
    (void)ch;
    (void)at;
    return codec_add(out, "energy", (double)milesight_u32(v) / 1000.0);
}

static int ws558_current(const struct milesight_channel *ch, const uint8_t *v, size_t at,
                         struct codec_result *out)
{
    (void)ch;
    (void)at;
    return codec_add(out, "current", (double)milesight_u16(v) / 1000.0);
}

/* Byte 0: which circuits changed (bit n is L(n+1)); byte 1: the state of each, 1 on (the user
 * guide's "open", the vendor decoders' "on"). */
static int ws558_switches(const struct milesight_channel *ch, const uint8_t *v, size_t at,
                          struct codec_result *out)
{
    unsigned n;
    int rc = MUE_OK;

    (void)ch;
    (void)at;
    for (n = 0; n < 8 && rc == MUE_OK; n++)
        rc = codec_add_indexed(out, "switch", n + 1, (double)((v[1] >> n) & 1u));
    if (rc == MUE_OK)
        rc = codec_attr(out, "switch_change_mask", "0x%02x", v[0]);
    return rc;
}

/* Reply to "cancel delay task": the task id, then a filler byte (0xFF). */
static int ws558_cancel_task(const struct milesight_channel *ch, const uint8_t *v, size_t at,
                             struct codec_result *out)
{
    (void)at;
    return codec_attr(out, ch->key, "%u", v[0]);
}

/* Appends to 's' the circuits 'sel' selects after a label: "on:1,3". At most 8 circuits in
 * two groups fit in far less than an attribute's 48 bytes. */
static void ws558_group(char *s, size_t size, const char *label, unsigned sel)
{
    size_t used = strlen(s);
    int first = 1;
    unsigned n;

    for (n = 0; n < 8; n++) {
        if (!((sel >> n) & 1u))
            continue;
        snprintf(s + used, size - used, "%s%s%u", first && used ? " " : "", first ? label : ",",
                 n + 1);
        used = strlen(s);
        first = 0;
    }
}

/* Reply to "switch with delay": task id, delay (uint16 LE, s), then mask and state bytes like
 * the switch command's. */
static int ws558_delay_task(const struct milesight_channel *ch, const uint8_t *v, size_t at,
                            struct codec_result *out)
{
    char list[48];
    int rc;

    (void)ch;
    (void)at;
    list[0] = '\0';
    ws558_group(list, sizeof(list), "on:", (unsigned)v[3] & v[4]);
    ws558_group(list, sizeof(list), "off:", (unsigned)v[3] & ~(unsigned)v[4] & 0xFFu);
    if (list[0] == '\0')
        snprintf(list, sizeof(list), "none");
    rc = codec_attr(out, "delay_task_id", "%u", v[0]);
    if (rc == MUE_OK)
        rc = codec_attr(out, "delay_task_s", "%u", milesight_u16(v + 1));
    if (rc == MUE_OK)
        rc = codec_attr(out, "delay_task_switches", "%s", list);
    return rc;
}

static const struct milesight_channel ws558_channels[] = {
    { 0x03, 0x74, 2, "voltage", NULL, ws558_voltage },
    { 0x04, 0x80, 4, "active power", NULL, ws558_power },
    { 0x05, 0x81, 1, "power factor", NULL, ws558_power_factor },
    { 0x06, 0x83, 4, "power consumption", NULL, ws558_energy },
    { 0x07, 0xC9, 2, "total current", NULL, ws558_current },
    { 0x08, 0x31, 2, "switch status", NULL, ws558_switches },
    /* 0xFF26 is both a join attribute and the reply to its command. */
    { MILESIGHT_REPLY, 0x26, 1, "power consumption enable", "power_consumption", milesight_enable },
    /* Replies to the downlink commands of ws558-encoder.js, on 0xFE or 0xFF. */
    { MILESIGHT_REPLY, 0x10, 1, "reboot reply", "reboot", milesight_yes },
    { MILESIGHT_REPLY, 0x28, 1, "report status reply", "report_status", milesight_yes },
    { MILESIGHT_REPLY, 0x03, 2, "report interval reply", "report_interval_s", milesight_u16_attr },
    { MILESIGHT_REPLY, 0x23, 2, "cancel delay task reply", "cancel_delay_task", ws558_cancel_task },
    { MILESIGHT_REPLY, 0x27, 1, "clear power consumption reply", "clear_power_consumption",
      milesight_yes },
    { MILESIGHT_REPLY, 0x32, 5, "delay task reply", NULL, ws558_delay_task },
};

static int decode(const uint8_t *buf, size_t len, unsigned fport, struct codec_result *out)
{
    return milesight_tlv_decode(ws558_channels, sizeof(ws558_channels) / sizeof(ws558_channels[0]),
                                buf, len, fport, out);
}

const struct codec codec_milesight_ws558 = { "milesight-ws558", "Milesight",
                                             "WS558 8-circuit smart light controller", decode };
