/* codec_decentlab_dl_pr26.c - Decentlab DL-PR26 pressure / liquid level and temperature sensor,
 * 0-1 bar range variant (Decentlab protocol v2).
 * SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <stdint.h>

#include "codec.h"
#include "decentlab_v2.h"
#include "mue_err.h"

/* Sensor groups in flag-bit order, with their number of 16-bit words (vendor dl-pr26-0-1.js,
 * TheThingsNetwork/lorawan-devices @0a254aaa; the same in decentlab/decentlab-decoders
 * DL-PR26/DL-PR26.py): bit0 pressure + temperature, bit1 battery voltage. */
static const unsigned dlpr26_group_words[] = { 2, 1 };
#define DLPR26_NGROUPS (sizeof(dlpr26_group_words) / sizeof(dlpr26_group_words[0]))

/* The pressure range is a property of the ordered sensor, not of the frame: the word is the
 * transducer's 16384..49152 span scaled onto Pmin..Pmax. These are the constants of the vendor's
 * codec for the 0-1 bar variant (PARAMETERS Pmin 0.0, Pmax 1.0 in dl-pr26-0-1.js), the variant of
 * the published examples; another range needs its own codec id with its own constants. */
#define DLPR26_PMIN_BAR 0.0
#define DLPR26_PMAX_BAR 1.0

static double dlpr26_pressure_bar(unsigned word)
{
    return ((double)word - 16384.0) / 32768.0 * (DLPR26_PMAX_BAR - DLPR26_PMIN_BAR) +
           DLPR26_PMIN_BAR;
}

static int dlpr26_report(const struct decentlab_v2_frame *f, struct codec_result *out)
{
    int rc = codec_attr(out, "device_id", "%u", f->device_id);

    /* Slightly negative or above-range pressures are what the transducer measured (an offset
     * near 0 bar, an overload): they are passed on, not refused. */
    if (rc == MUE_OK && f->group[0] != NULL)
        rc = codec_add(out, "pressure", dlpr26_pressure_bar(decentlab_v2_word(f->group[0], 0)));
    if (rc == MUE_OK && f->group[0] != NULL)
        rc = codec_add(out, "temperature",
                       ((double)decentlab_v2_word(f->group[0], 1) - 384.0) * 0.003125 - 50.0);
    if (rc == MUE_OK && f->group[1] != NULL)
        rc = codec_add(out, "battery_voltage", (double)decentlab_v2_word(f->group[1], 0) / 1000.0);
    return rc == MUE_OK ? MUE_OK : MUE_EDECODE; /* codec_add/codec_attr set the reason */
}

static int decode(const uint8_t *buf, size_t len, unsigned fport, struct codec_result *out)
{
    struct decentlab_v2_frame f;
    size_t n0 = out->n, nattr0 = out->nattr;
    int rc;

    if (!decentlab_v2_fport_is_valid(fport))
        return codec_fail(out, "fPort %u: Decentlab devices send on a port from 1 to 223", fport);
    rc = decentlab_v2_parse(buf, len, dlpr26_group_words, DLPR26_NGROUPS, &f, out);
    if (rc == MUE_OK)
        rc = dlpr26_report(&f, out);
    if (rc != MUE_OK) {
        out->n = n0;
        out->nattr = nattr0;
    }
    return rc;
}

const struct codec codec_decentlab_dl_pr26 = {
    "decentlab-dl-pr26", "Decentlab",
    "DL-PR26 pressure / liquid level and temperature sensor (0-1 bar)", decode
};
