/* codec_decentlab_dl_mbx.c - Decentlab DL-MBX ultrasonic distance sensor (Decentlab protocol v2).
 * SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <stdint.h>

#include "codec.h"
#include "decentlab_v2.h"
#include "mue_err.h"

/* Sensor groups in flag-bit order, with their number of 16-bit words (vendor dl-mbx.js,
 * TheThingsNetwork/lorawan-devices @0a254aaa): bit0 distance + valid samples, bit1 battery. */
static const unsigned dlmbx_group_words[] = { 2, 1 };
#define DLMBX_NGROUPS (sizeof(dlmbx_group_words) / sizeof(dlmbx_group_words[0]))

static int dlmbx_report(const struct decentlab_v2_frame *f, struct codec_result *out)
{
    int rc = codec_attr(out, "device_id", "%u", f->device_id);

    if (rc == MUE_OK && f->group[0] != NULL) {
        unsigned samples = decentlab_v2_word(f->group[0], 1);

        /* With no valid sample the distance word is not a measurement; passing it on would
         * turn into a false water level downstream. */
        if (samples > 0)
            rc = codec_add(out, "distance", (double)decentlab_v2_word(f->group[0], 0) / 1000.0);
        if (rc == MUE_OK)
            rc = codec_add(out, "valid_samples", (double)samples);
    }
    if (rc == MUE_OK && f->group[1] != NULL)
        rc = codec_add(out, "battery_voltage", (double)decentlab_v2_word(f->group[1], 0) / 1000.0);
    return rc == MUE_OK ? MUE_OK : MUE_EDECODE; /* codec_add/codec_attr set the reason */
}

static int decode(const uint8_t *buf, size_t len, unsigned fport, struct codec_result *out)
{
    struct decentlab_v2_frame f;
    size_t n0 = out->n, nattr0 = out->nattr;
    int rc;

    (void)fport; /* Decentlab sends on port 1, but the payload carries its own version byte */
    rc = decentlab_v2_parse(buf, len, dlmbx_group_words, DLMBX_NGROUPS, &f, out);
    if (rc == MUE_OK)
        rc = dlmbx_report(&f, out);
    if (rc != MUE_OK) {
        out->n = n0;
        out->nattr = nattr0;
    }
    return rc;
}

const struct codec codec_decentlab_dl_mbx = { "decentlab-dl-mbx", "Decentlab",
                                              "DL-MBX ultrasonic distance sensor", decode };
