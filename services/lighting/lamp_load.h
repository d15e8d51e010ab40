/* lamp_load.h - a lamp's schedule as the database holds it: its position and power, the calendar
 * of its group's assignment with the programs, and the overrides of a span.
 * SPDX-License-Identifier: MIT */
#ifndef LIGHTING_LAMP_LOAD_H
#define LIGHTING_LAMP_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "schedule.h"

struct mue_db;

/* Where a lamp is assumed to be when the registry has no position: the metropolis's centre
 * (Marseille), as the simulator does. */
#define LAMP_DEFAULT_LAT 43.2965
#define LAMP_DEFAULT_LON 5.3698

struct lamp_schedule {
    char dev_eui[17];
    char name[128];
    char model[64];
    long long device_id;
    double power_w; /* the lamp's (or a cabinet's lamps') rated power, 0 unknown */
    char group[72]; /* the group whose assignment drives it, "" none */
    char calendar_id[LIGHT_ID_MAX];
    struct light_calendar calendar;
    struct light_program *programs; /* every stored program */
    struct light_override *overrides;
    struct light_lamp lamp; /* points into the above */
};

/* Loads the lamp 'dev_eui' (an active device) with the overrides that touch [from_s, to_s).
 * Returns 0; MUE_EUNKNOWN when there is no such active device; MUE_EDB; MUE_EINVAL when a
 * stored program or calendar no longer parses (err says which). */
int lamp_load(struct mue_db *db, const char *dev_eui, int64_t from_s, int64_t to_s,
              struct lamp_schedule *out, char *err, size_t cap);
void lamp_schedule_free(struct lamp_schedule *s);

#endif
