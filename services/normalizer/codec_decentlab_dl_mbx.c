/* codec_decentlab_dl_mbx.c - Decentlab DL-MBX ultrasonic distance sensor (Decentlab protocol v2).
 * SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <stdint.h>

#include "codec.h"
#include "mue_err.h"

#define DLMBX_VERSION    2
#define DLMBX_HEADER_LEN 5 /* version u8, device id u16, flags u16 */

/* Sensor groups in flag-bit order, with their number of 16-bit words (vendor dl-mbx.js,
 * TheThingsNetwork/lorawan-devices @0a254aaa): bit0 distance + valid samples, bit1 battery. */
static const unsigned dlmbx_group_words[] = { 2, 1 };
#define DLMBX_NGROUPS     (sizeof(dlmbx_group_words) / sizeof(dlmbx_group_words[0]))
#define DLMBX_KNOWN_FLAGS ((1u << DLMBX_NGROUPS) - 1u)

static unsigned be16(const uint8_t *p)
{
    return (unsigned)p[0] << 8 | (unsigned)p[1];
}

static int dlmbx_group(unsigned group, const uint8_t *w, struct codec_result *out)
{
    int rc = MUE_OK;

    if (group == 0) {
        unsigned samples = be16(w + 2);

        /* With no valid sample the distance word is not a measurement; passing it on would
         * turn into a false water level downstream. */
        if (samples > 0)
            rc = codec_add(out, "distance", (double)be16(w) / 1000.0);
        if (rc == MUE_OK)
            rc = codec_add(out, "valid_samples", (double)samples);
    } else {
        rc = codec_add(out, "battery_voltage", (double)be16(w) / 1000.0);
    }
    return rc;
}

static int dlmbx_parse(const uint8_t *buf, size_t len, struct codec_result *out)
{
    size_t want = DLMBX_HEADER_LEN, pos = DLMBX_HEADER_LEN;
    unsigned flags, g;

    if (len == 0)
        return codec_fail(out, "empty payload");
    if (buf[0] != DLMBX_VERSION)
        return codec_fail(out, "protocol version %u, expected %d", buf[0], DLMBX_VERSION);
    if (len < DLMBX_HEADER_LEN)
        return codec_fail(out, "truncated header: %zu bytes, need %d", len, DLMBX_HEADER_LEN);
    flags = be16(buf + 3);
    if (flags & ~DLMBX_KNOWN_FLAGS)
        return codec_fail(out, "unknown sensor-group flags 0x%04x", flags & ~DLMBX_KNOWN_FLAGS);
    for (g = 0; g < DLMBX_NGROUPS; g++) {
        if (flags & (1u << g))
            want += 2 * (size_t)dlmbx_group_words[g];
    }
    /* The vendor decoder reads past the end as NaN; an exact length catches a cut or
     * concatenated frame before any value is believed. */
    if (len != want)
        return codec_fail(out, "length %zu does not match flags 0x%04x (expected %zu bytes)", len,
                          flags, want);
    for (g = 0; g < DLMBX_NGROUPS; g++) {
        if (!(flags & (1u << g)))
            continue;
        if (dlmbx_group(g, buf + pos, out) != MUE_OK)
            return MUE_EDECODE; /* codec_add set the reason */
        pos += 2 * (size_t)dlmbx_group_words[g];
    }
    return MUE_OK;
}

static int decode(const uint8_t *buf, size_t len, unsigned fport, struct codec_result *out)
{
    size_t n0 = out->n;
    int rc;

    (void)fport; /* Decentlab sends on port 1, but the payload carries its own version byte */
    rc = dlmbx_parse(buf, len, out);
    if (rc != MUE_OK)
        out->n = n0;
    return rc;
}

const struct codec codec_decentlab_dl_mbx = { "decentlab-dl-mbx", "Decentlab",
                                              "DL-MBX ultrasonic distance sensor", decode };
