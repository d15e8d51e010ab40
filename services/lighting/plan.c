/* plan.c - a lamp's planned level minute by minute in real time: the calendar's program of each
 * local date, then the overrides in force.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "mue_localtime.h"
#include "schedule.h"

const struct light_program *light_find_program(const struct light_program *programs, int n,
                                               const char *id)
{
    for (int i = 0; i < n && id != NULL && id[0] != '\0'; i++) {
        if (strcmp(programs[i].id, id) == 0)
            return &programs[i];
    }
    return NULL;
}

const struct light_override *light_override_at(const struct light_lamp *lamp, int64_t t)
{
    const struct light_override *best = NULL;

    for (int i = 0; i < lamp->noverrides; i++) {
        const struct light_override *o = &lamp->overrides[i];

        if (t < o->start_s || t >= o->end_s)
            continue;
        if (best == NULL || o->priority > best->priority ||
            (o->priority == best->priority && o->start_s > best->start_s))
            best = o;
    }
    return best;
}

/* One local date's levels, computed once for the minutes that fall in it. */
struct day_cache {
    int64_t date;
    uint8_t levels[LIGHT_DAY_MIN];
};

static void day_levels(const struct light_lamp *lamp, int64_t date, struct day_cache *c)
{
    const struct light_program *p = NULL;
    struct light_sun sun;

    c->date = date;
    if (lamp->calendar != NULL)
        p = light_find_program(lamp->programs, lamp->nprograms,
                               light_calendar_program(lamp->calendar, date));
    if (p == NULL) {
        memset(c->levels, 0, sizeof(c->levels));
        return;
    }
    light_sun_of(lamp->lat, lamp->lon, date, &sun);
    light_program_levels(p, &sun, c->levels);
}

void light_plan(const struct light_lamp *lamp, int64_t from_s, int n, uint8_t *levels)
{
    struct day_cache c = { INT64_MIN, { 0 } };

    for (int i = 0; i < n; i++) {
        int64_t t = from_s + (int64_t)i * 60;
        struct mue_localtime lt;
        int64_t date;
        const struct light_override *o = light_override_at(lamp, t);

        if (o != NULL) {
            levels[i] = (uint8_t)o->level;
            continue;
        }
        mue_localtime_from_utc(t, &lt);
        date = mue_localtime_days_from_civil(lt.year, lt.month, lt.day);
        if (date != c.date)
            day_levels(lamp, date, &c);
        levels[i] = c.levels[lt.hour * 60 + lt.minute];
    }
}
