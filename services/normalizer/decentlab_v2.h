/* decentlab_v2.h - the Decentlab protocol v2 frame shared by the Decentlab codecs (DL-MBX, DL-PR26,
 * DL-CTD10, ...): version, device id, sensor-group flags, then each present group's words.
 * SPDX-License-Identifier: MIT */
#ifndef DECENTLAB_V2_H
#define DECENTLAB_V2_H

#include <stddef.h>
#include <stdint.h>

#include "codec.h"

#define DECENTLAB_V2_MAX_GROUPS 16 /* one per bit of the 16-bit flags word */

/* One parsed frame. 'group[i]' points at the first byte of sensor group i inside the caller's
 * buffer (borrowed, valid as long as that buffer), or is NULL when flag bit i is clear. */
struct decentlab_v2_frame {
    unsigned device_id;
    unsigned flags;
    const uint8_t *group[DECENTLAB_V2_MAX_GROUPS];
};

/* Parses 'buf' as a v2 frame of a model whose sensor group i has group_words[i] 16-bit words
 * ('ngroups' groups, at most DECENTLAB_V2_MAX_GROUPS). The length must match the flags exactly
 * and no flag beyond the model's groups may be set. Returns 0 and fills 'f', or MUE_EDECODE with
 * out->reason set. Adds nothing to 'out' on success: the caller reports what it decodes. */
int decentlab_v2_parse(const uint8_t *buf, size_t len, const unsigned *group_words, size_t ngroups,
                       struct decentlab_v2_frame *f, struct codec_result *out);

/* Returns word 'i' (big-endian, unsigned) of a group that decentlab_v2_parse found present. */
unsigned decentlab_v2_word(const uint8_t *group, unsigned i);

/* Returns 1 when 'fport' is one a Decentlab device can send on: its uplink port is configurable
 * from 1 to 223 (downlink command 0x001D), 0 being MAC-only and 224-255 reserved. */
int decentlab_v2_fport_is_valid(unsigned fport);

#endif
