/* lighting_send.h - the queued configuration commands go out on DOWNLINKS, again when they are
 * not acknowledged in time, until they expire or run out of attempts.
 * SPDX-License-Identifier: MIT */
#ifndef LIGHTING_SEND_H
#define LIGHTING_SEND_H

#include <stdint.h>

struct mue_bus;
struct mue_db;

struct send_stats {
    int sent, expired, failed;
};

/* The prefix of DownlinkRequest ids: "lighting-<command id>-<attempt>". */
#define LIGHTING_DOWNLINK_PREFIX "lighting-"

/* Sends every command due (pending, or queued/sent without acknowledgement past its wait),
 * at most 'max' of them. An attempt waits 'ack_wait_s' for an acknowledgement before the next;
 * after 'max_attempts' the command fails. Returns 0, MUE_EDB or MUE_EBUS. */
int lighting_send_due(struct mue_db *db, struct mue_bus *bus, int64_t now_s, long ack_wait_s,
                      int max, struct send_stats *st);

#endif
