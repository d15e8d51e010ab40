/* uplink.h - a parsed webhook uplink as the protobuf mue.v1.Uplink (event_pack.h names its
 * subject). SPDX-License-Identifier: MIT */
#ifndef UPLINK_H
#define UPLINK_H

#include <stddef.h>
#include <stdint.h>

#include "webhook.h"

/* Packs 'u' as a mue.v1.Uplink stamped with 'ingested_at_us'. Returns a buffer the caller frees,
 * its length in *len. */
uint8_t *uplink_pack(const struct webhook_uplink *u, int64_t ingested_at_us, size_t *len);

#endif
