/* lamp_load.h - a lamp's schedule as the database holds it: its position and power, the calendar
 * of its group's assignment with the programs, and the overrides of a span.
 * SPDX-License-Identifier: MIT */
#ifndef LIGHTING_LAMP_LOAD_H
#define LIGHTING_LAMP_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "schedule.h"

struct mue_db;
struct pg_result;

/* SQL every reader of lamps shares, over "device d LEFT JOIN site s ON s.id = d.site_id": the
 * position (the device's, else its site's), the rated power (a lamp controller's is its lamp's, a
 * cabinet's its lamps': params.lamps x params.lamp_power_w; 0 unknown), and the order that picks
 * the assignment driving a lamp among those of its groups (alias a). */
#define LAMP_SQL_LAT "coalesce(d.latitude, s.latitude)"
#define LAMP_SQL_LON "coalesce(d.longitude, s.longitude)"
#define LAMP_SQL_POWER                                                                             \
    "CASE WHEN jsonb_typeof(d.params -> 'lamp_power_w') = 'number'"                                \
    " THEN (d.params ->> 'lamp_power_w')::float8 * CASE WHEN jsonb_typeof(d.params -> 'lamps')"    \
    " = 'number' THEN (d.params ->> 'lamps')::float8 ELSE 1 END ELSE 0 END"
#define LAMP_SQL_DRIVING_ORDER "ORDER BY a.priority DESC, a.group_name LIMIT 1"
#define LAMP_SQL_PROGRAMS      "SELECT id, doc::text FROM lighting_program ORDER BY id"

/* Parses the rows of LAMP_SQL_PROGRAMS into out (n of them). Returns 0, or MUE_EINVAL with err
 * naming the program that does not parse. */
int lamp_parse_programs(struct pg_result *res, int n, struct light_program *out, char *err,
                        size_t cap);

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
