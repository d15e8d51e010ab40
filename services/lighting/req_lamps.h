/* req_lamps.h - the schedules of many lamps at once, for a group's plan and the energy request:
 * programs and calendars read once, each lamp's driving assignment, position, power and
 * overrides in one query apiece, and a day's energy computed once per distinct program and sun.
 * Each lamp is what lamp_load() would load for it.
 * SPDX-License-Identifier: MIT */
#ifndef LIGHTING_REQ_LAMPS_H
#define LIGHTING_REQ_LAMPS_H

#include <stdint.h>

#include "req_common.h"
#include "schedule.h"

struct req_lamp {
    char dev_eui[17];
    long long device_id;
    double power_w;         /* as lamp_load: lamp_power_w, times lamps for a cabinet */
    struct light_lamp lamp; /* calendar NULL when no assignment drives it */
};

/* One lamp of one group. */
struct req_member {
    int group, lamp;
};

struct req_fleet {
    struct light_program *programs;
    int nprograms;
    struct light_calendar *calendars; /* the assigned ones */
    int ncalendars;
    char (*groups)[REQ_GROUP_MAX]; /* the groups asked for, in byte order of their names */
    int ngroups;
    struct req_lamp *lamps; /* the lamps of those groups, once each, by device id */
    int nlamps;
    struct req_member *members; /* by group, then DevEUI */
    int nmembers;
    struct light_override *overrides; /* those touching the span, lamp by lamp */
    int noverrides;
};

/* Loads the active lighting devices of 'group' (NULL: of every assigned group) with what their
 * plan needs over [from_s, to_s). Returns 0 (out->ngroups 0 when 'group' does not exist), MUE_EDB,
 * or MUE_EINVAL when a stored program or calendar no longer parses (err says which). */
int req_fleet_load(struct req *r, const char *group, int64_t from_s, int64_t to_s,
                   struct req_fleet *out, char *err, size_t cap);
void req_fleet_free(struct req_fleet *f);

#define REQ_DAY_CACHE 64

/* What one local day of a fleet's lamps shares: the clock minutes of its real minutes (a day of 23
 * or 25 hours skips or repeats 02:00-02:59), each calendar's program, and the level- and
 * night-minutes of each (program, sunrise, sunset) met so far. */
struct req_day {
    const struct req_fleet *fleet;
    int64_t date, from_s;
    int n; /* real minutes: 1380, 1440 or 1500 */
    uint8_t weight[LIGHT_DAY_MIN];
    const char **picked; /* per calendar: the program id it picks for the date ("" none) */
    const struct light_program **program;
    int ncached;
    struct {
        const struct light_program *p;
        int rise, set;
        long level_min, night_min;
        int lit;
    } cache[REQ_DAY_CACHE];
};

void req_day_init(struct req_day *d, const struct req_fleet *f, int64_t date);
void req_day_fini(struct req_day *d);
/* The lamp's energy over the day, equal to light_energy() over it, and the program the calendar
 * picks (NULL: no calendar, or one that picks none). */
void req_day_energy(struct req_day *d, const struct req_lamp *l, struct light_energy *out,
                    const char **program);

#endif
