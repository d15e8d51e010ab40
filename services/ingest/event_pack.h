/* event_pack.h - a parsed webhook event as the bus message it becomes: subject, protobuf bytes,
 * JetStream message id. SPDX-License-Identifier: MIT */
#ifndef EVENT_PACK_H
#define EVENT_PACK_H

#include <stddef.h>
#include <stdint.h>

#include "webhook.h"

struct event_message {
    char subject[96];
    const char *msg_id; /* borrowed from the event */
    uint8_t *data;      /* the caller frees */
    size_t len;
};

/* Packs 'ev' stamped with 'ingested_at_us': a mue.v1.Uplink on mue.uplink.<network>.<dev_eui>,
 * a mue.v1.DeviceEvent on mue.device...., or a mue.v1.DownlinkStatus on mue.dlstatus....
 * Returns 0, or MUE_E2BIG when the subject does not fit (nothing to free then). */
int event_pack(const struct webhook_event *ev, int64_t ingested_at_us, struct event_message *out);

/* "uplink", "device_event" or "downlink_status": the kind named in answers and logs. */
const char *event_kind_name(enum webhook_kind kind);

#endif
