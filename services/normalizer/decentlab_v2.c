/* decentlab_v2.c - parsing of the Decentlab protocol v2 frame (see decentlab_v2.h).
 * Layout from the vendor's decoders (decentlab/decentlab-decoders; their copies in
 * TheThingsNetwork/lorawan-devices vendor/decentlab/dl-mbx.js, dl-pr26-0-1.js, dl-ctd10.js
 * @0a254aaa): byte 0 version (2), bytes 1-2 device id, bytes 3-4 flags (bit i: sensor group i
 * present), then the present groups in bit order, each as its model-specific number of big-endian
 * unsigned 16-bit words.
 * SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "codec.h"
#include "decentlab_v2.h"
#include "mue_err.h"

#define DLV2_VERSION    2
#define DLV2_HEADER_LEN 5 /* version u8, device id u16, flags u16 */

unsigned decentlab_v2_word(const uint8_t *group, unsigned i)
{
    return (unsigned)group[2 * i] << 8 | (unsigned)group[2 * i + 1];
}

int decentlab_v2_fport_is_valid(unsigned fport)
{
    return fport >= 1 && fport <= 223;
}

int decentlab_v2_parse(const uint8_t *buf, size_t len, const unsigned *group_words, size_t ngroups,
                       struct decentlab_v2_frame *f, struct codec_result *out)
{
    size_t want = DLV2_HEADER_LEN, pos = DLV2_HEADER_LEN, g;
    unsigned known;

    if (ngroups > DECENTLAB_V2_MAX_GROUPS)
        return codec_fail(out, "model declares %zu sensor groups, at most %d", ngroups,
                          DECENTLAB_V2_MAX_GROUPS);
    if (len == 0)
        return codec_fail(out, "empty payload");
    if (buf[0] != DLV2_VERSION)
        return codec_fail(out, "protocol version %u, expected %d", buf[0], DLV2_VERSION);
    if (len < DLV2_HEADER_LEN)
        return codec_fail(out, "truncated header: %zu bytes, need %d", len, DLV2_HEADER_LEN);
    memset(f, 0, sizeof(*f));
    f->device_id = decentlab_v2_word(buf + 1, 0);
    f->flags = decentlab_v2_word(buf + 3, 0);
    known = (unsigned)((1ul << ngroups) - 1u);
    if (f->flags & ~known)
        return codec_fail(out, "unknown sensor-group flags 0x%04x", f->flags & ~known);
    for (g = 0; g < ngroups; g++) {
        if (f->flags & (1u << g))
            want += 2 * (size_t)group_words[g];
    }
    /* The vendor decoders read past the end as NaN; an exact length catches a cut or
     * concatenated frame before any value is believed. */
    if (len != want)
        return codec_fail(out, "length %zu does not match flags 0x%04x (expected %zu bytes)", len,
                          f->flags, want);
    for (g = 0; g < ngroups; g++) {
        if (!(f->flags & (1u << g)))
            continue;
        f->group[g] = buf + pos;
        pos += 2 * (size_t)group_words[g];
    }
    return MUE_OK;
}
