/* downlink_log.h - what became of the downlinks: requests and statuses kept on DOWNLINKS.
 * SPDX-License-Identifier: MIT */
#ifndef DOWNLINK_LOG_H
#define DOWNLINK_LOG_H

#include <stdio.h>

struct mue_bus;

struct downlink_log_filter {
    const char *dev_eui; /* NULL: every device */
    const char *id;      /* NULL: every downlink */
};

/* Prints each matching request and status of the DOWNLINKS stream as one JSON object a line,
 * oldest first: {"seq","time","kind":"request"|"status","id","network","dev_eui", then the
 * request's f_port, payload_hex, confirmed, origin, or the status's state, reason, network_ref,
 * attempt, f_cnt_down, source}. With an id, the statuses that name only one of its network
 * server's queue items (an event that came back before the item was recorded) are shown too.
 * Returns the number printed, or MUE_EBUS. */
int downlink_log_print(struct mue_bus *bus, const struct downlink_log_filter *f, FILE *out);

#endif
