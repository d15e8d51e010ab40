/* codec_decentlab_dl_ctd10.c - Decentlab DL-CTD10 water depth, temperature and electrical
 * conductivity sensor (Decentlab protocol v2).
 * SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <stdint.h>

#include "codec.h"
#include "decentlab_v2.h"
#include "mue_err.h"

/* Sensor groups in flag-bit order, with their number of 16-bit words (vendor dl-ctd10.js,
 * TheThingsNetwork/lorawan-devices @0a254aaa; the same in decentlab/decentlab-decoders
 * DL-CTD10/DL-CTD10.js): bit0 depth, temperature, conductivity, freezing flag; bit1 battery. */
static const unsigned dlctd10_group_words[] = { 4, 1 };
#define DLCTD10_NGROUPS (sizeof(dlctd10_group_words) / sizeof(dlctd10_group_words[0]))

/* Depth and temperature are offset-binary: 32768 is zero, so values below it are negative (a
 * sensor lifted out of the water, water below 0 °C). */
#define DLCTD10_OFFSET 32768.0

static int dlctd10_measurement(const uint8_t *w, struct codec_result *out)
{
    unsigned freezing = decentlab_v2_word(w, 3);
    int rc;

    /* The vendor passes the word on as is; anything but 0 or 1 is not a flag, so the group
     * cannot be trusted. */
    if (freezing > 1)
        return codec_fail(out, "freezing flag %u at offset 11, expected 0 or 1", freezing);
    rc = codec_add(out, "water_depth", ((double)decentlab_v2_word(w, 0) - DLCTD10_OFFSET) / 1000.0);
    if (rc == MUE_OK)
        rc = codec_add(out, "temperature",
                       ((double)decentlab_v2_word(w, 1) - DLCTD10_OFFSET) / 10.0);
    if (rc == MUE_OK)
        rc = codec_add(out, "conductivity", (double)decentlab_v2_word(w, 2));
    if (rc == MUE_OK)
        rc = codec_add(out, "freezing", (double)freezing);
    return rc == MUE_OK ? MUE_OK : MUE_EDECODE; /* codec_add set the reason */
}

static int dlctd10_report(const struct decentlab_v2_frame *f, struct codec_result *out)
{
    int rc = codec_attr(out, "device_id", "%u", f->device_id);

    if (rc == MUE_OK && f->group[0] != NULL)
        rc = dlctd10_measurement(f->group[0], out);
    if (rc == MUE_OK && f->group[1] != NULL)
        rc = codec_add(out, "battery_voltage", (double)decentlab_v2_word(f->group[1], 0) / 1000.0);
    return rc == MUE_OK ? MUE_OK : MUE_EDECODE; /* the callee set the reason */
}

static int decode(const uint8_t *buf, size_t len, unsigned fport, struct codec_result *out)
{
    struct decentlab_v2_frame f;
    size_t n0 = out->n, nattr0 = out->nattr;
    int rc;

    if (!decentlab_v2_fport_is_valid(fport))
        return codec_fail(out, "fPort %u: Decentlab devices send on a port from 1 to 223", fport);
    rc = decentlab_v2_parse(buf, len, dlctd10_group_words, DLCTD10_NGROUPS, &f, out);
    if (rc == MUE_OK)
        rc = dlctd10_report(&f, out);
    if (rc != MUE_OK) {
        out->n = n0;
        out->nattr = nattr0;
    }
    return rc;
}

const struct codec codec_decentlab_dl_ctd10 = {
    "decentlab-dl-ctd10", "Decentlab",
    "DL-CTD10 water depth, temperature and electrical conductivity sensor", decode
};
