/* device_status.h - what a network server reports about a device (mue.v1.DeviceEvent) as
 * measurements of its health. SPDX-License-Identifier: MIT */
#ifndef DEVICE_STATUS_H
#define DEVICE_STATUS_H

#include "mue/v1/device_event.pb-c.h"
#include "normalize.h"
#include "registry.h"

/* A STATUS event becomes "battery" (when the device could measure it) and "link_margin"
 * readings at the event's time. Returns 1 with out->batch set, 0 when the event carries no
 * measurement (joins, logs, locations resolved by the network), or MUE_EDECODE with out->code
 * and out->reason. */
int normalize_device_event(const Mue__V1__DeviceEvent *ev, const struct registry_device *dev,
                           struct normalize_out *out);

#endif
