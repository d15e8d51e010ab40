/* codec_milesight_em310_udl.c - Milesight EM310-UDL ultrasonic distance sensor (channel/type TLV).
 * SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <stdint.h>

#include "codec.h"
#include "milesight_tlv.h"
#include "mue_err.h"

/* Distance, uint16 LE in mm. */
static int em310_distance(const struct milesight_channel *ch, const uint8_t *v, size_t at,
                          struct codec_result *out)
{
    (void)ch;
    (void)at;
    return codec_add(out, "distance", (double)milesight_u16(v) / 1000.0);
}

/* The vendor defines only 0 (normal) and 1 (tilt); anything else is not a tilt we can trust. */
static int em310_position(const struct milesight_channel *ch, const uint8_t *v, size_t at,
                          struct codec_result *out)
{
    if (v[0] > 1)
        return codec_fail(out, "%s value %u out of range at byte %zu", ch->name, v[0], at);
    return codec_add(out, "tilt", (double)v[0]);
}

/* Every channel the vendor decoder handles (Milesight-IoT/SensorDecoders
 * em-series/em310-udl/em310-udl-decoder.js @15e4f80b, and the 2021 TTN decoder), beside the join
 * attributes milesight_tlv.c knows. The device has no alarm or history channels, unlike the
 * EM400/EM500 UDL. */
static const struct milesight_channel em310_channels[] = {
    { 0x01, 0x75, 1, "battery", NULL, milesight_battery },
    { 0x03, 0x82, 2, "distance", NULL, em310_distance },
    { 0x04, 0x00, 1, "position", NULL, em310_position },
    /* Replies to downlink commands, on 0xFE or 0xFF. */
    { MILESIGHT_REPLY, 0x10, 1, "reboot reply", "reboot", milesight_yes },
    { MILESIGHT_REPLY, 0x02, 2, "collection interval", "collection_interval_s",
      milesight_u16_attr },
    { MILESIGHT_REPLY, 0x03, 2, "report interval", "report_interval_s", milesight_u16_attr },
    { MILESIGHT_REPLY, 0x06, 9, "distance alarm config", NULL, NULL },
};

static int decode(const uint8_t *buf, size_t len, unsigned fport, struct codec_result *out)
{
    return milesight_tlv_decode(em310_channels, sizeof(em310_channels) / sizeof(em310_channels[0]),
                                buf, len, fport, out);
}

const struct codec codec_milesight_em310_udl = { "milesight-em310-udl", "Milesight",
                                                 "EM310-UDL ultrasonic distance sensor", decode };
