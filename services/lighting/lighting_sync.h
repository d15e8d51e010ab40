/* lighting_sync.h - what each lamp controller should be running, compiled from its schedule, and
 * the configuration commands queued for the settings that changed.
 * SPDX-License-Identifier: MIT */
#ifndef LIGHTING_SYNC_H
#define LIGHTING_SYNC_H

#include <stddef.h>
#include <stdint.h>

#include "lamp_load.h"
#include "packet.h"

struct mue_db;

/* The key of a WS558 switching: this prefix, then the instant it is due (unix seconds). */
#define LIGHTING_KEY_WS558_AT "ws558.at."
#define SYNC_MAX_PACKETS      24
/* A failed or expired setting is tried again this long after its last command. */
#define SYNC_RETRY_FAILED_S (24 * 3600)

struct sync_stats {
    int lamps;      /* controllers compiled */
    int queued;     /* commands queued */
    int superseded; /* open commands replaced by newer bytes */
    int errors;     /* lamps whose schedule did not load or compile */
};

/* The settings a controller should have at now_s (pure). A NAS UL20xx with a calendar: its week
 * (nas_compile from today), and for the override in force its dimming command, key
 * "nas.ovr.<start>.<end>" (minutes since the epoch) (a timed dim when it ends within 255 minutes,
 * else a plain one); a Milesight WS558 with a calendar or an override: the next switching of its
 * plan within the delay a task can hold, key "ws558.at.<unix s>" (the task's delay is counted at
 * sending). Returns 0 and sets *n (0 for a model it does not drive), or MUE_EINVAL with err set. */
int lighting_desired(const struct lamp_schedule *s, int64_t now_s, struct light_packet *out,
                     int cap, int *n, char *err, size_t errcap);

/* Compiles one controller and queues what changed (one transaction). Returns 0, MUE_EINVAL
 * (its schedule does not compile: err says why), or MUE_EDB. */
int lighting_sync_lamp(struct mue_db *db, const char *dev_eui, int64_t now_s, struct sync_stats *st,
                       char *err, size_t errcap);

/* Every active lighting controller of a driven model. Returns 0, or MUE_EDB. */
int lighting_sync_all(struct mue_db *db, int64_t now_s, struct sync_stats *st);

#endif
