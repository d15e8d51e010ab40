/* lighting_track.h - follows each configuration command: the network server's word on its
 * downlink (mue.dlstatus.>) and the device's echo of it (an uplink with the same port and bytes).
 * SPDX-License-Identifier: MIT */
#ifndef LIGHTING_TRACK_H
#define LIGHTING_TRACK_H

#include <stddef.h>
#include <stdint.h>

struct mue_db;

struct track_stats {
    int queued, sent, acknowledged, retried, failed, expired;
};

/* Applies one DownlinkStatus (protobuf bytes). Statuses of other services' downlinks and of
 * older attempts are ignored. A failed or nacked attempt is tried again after retry_s, doubled
 * with each attempt, or fails the command after its last. Returns 0, MUE_EDECODE (not a
 * DownlinkStatus), or MUE_EDB. */
int lighting_track_status(struct mue_db *db, const void *data, size_t len, long retry_s,
                          struct track_stats *st);

/* Applies one Uplink (protobuf bytes): when its device has an open command with the same fPort
 * and bytes, the device took it. 'watched' lists the DevEUIs with open commands (NULL-ended):
 * others are not looked up. Returns 0, MUE_EDECODE, or MUE_EDB. */
int lighting_track_uplink(struct mue_db *db, const void *data, size_t len,
                          const char *const *watched, struct track_stats *st);

/* The DevEUIs with open commands, as a NULL-ended array the caller frees with free() (one
 * block). Returns 0, or MUE_EDB. */
int lighting_track_watched(struct mue_db *db, char ***out);

#endif
