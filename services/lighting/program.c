/* program.c - what a control program asks of a lamp on one day: the level of each clock minute,
 * from its active period, its steps and their ramps, with the day's sunrise and sunset.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>

#include "mue_localtime.h"
#include "mue_sun.h"
#include "schedule.h"

/* The local clock minute of an instant, to the nearest minute. */
static int clock_minute(int64_t t_s)
{
    struct mue_localtime lt;

    mue_localtime_from_utc(t_s + 30, &lt);
    return lt.hour * 60 + lt.minute;
}

void light_sun_of(double lat, double lon, int64_t date, struct light_sun *out)
{
    int64_t rise, set;
    int y, m, d;

    mue_localtime_civil_from_days(date, &y, &m, &d);
    if (mue_sun_times(lat, lon, y, m, d, MUE_SUN_ZENITH_OFFICIAL, &rise, &set) != 0) {
        out->rise_min = out->set_min = -1;
        return;
    }
    out->rise_min = clock_minute(rise);
    out->set_min = clock_minute(set);
}

int light_time_resolve(const struct light_time *t, const struct light_sun *sun)
{
    int base = 0, m;

    switch (t->anchor) {
    case LIGHT_AT_TIME:
        base = 0;
        break;
    case LIGHT_AT_SUNSET:
        base = sun->set_min;
        break;
    case LIGHT_AT_SUNRISE:
        base = sun->rise_min;
        break;
    }
    if (base < 0)
        return -1;
    m = base + t->minutes;
    return m < 0 ? 0 : m >= LIGHT_DAY_MIN ? LIGHT_DAY_MIN - 1 : m;
}

struct resolved_step {
    int minute;
    int level;
    int ramp_s;
    int order; /* its place in the program: equal minutes keep it */
};

static int by_minute(const void *a, const void *b)
{
    const struct resolved_step *x = a, *y = b;

    if (x->minute != y->minute)
        return x->minute < y->minute ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Minute m is in the active period [on, off), which wraps over midnight when off < on. */
static int is_active(int m, int on, int off)
{
    if (on < 0 || off < 0 || on == off)
        return 0;
    return on < off ? m >= on && m < off : m >= on || m < off;
}

void light_program_levels(const struct light_program *p, const struct light_sun *sun,
                          uint8_t levels[LIGHT_DAY_MIN])
{
    struct resolved_step st[LIGHT_MAX_STEPS];
    int n = 0, on = light_time_resolve(&p->on, sun), off = light_time_resolve(&p->off, sun);

    for (int i = 0; i < p->nsteps && i < LIGHT_MAX_STEPS; i++) {
        int m = light_time_resolve(&p->steps[i].at, sun);

        /* A step at a solar event that does not happen that day does not happen either. */
        if (m < 0)
            continue;
        st[n] = (struct resolved_step){ m, p->steps[i].level, p->steps[i].ramp_s, i };
        n++;
    }
    qsort(st, (size_t)n, sizeof(st[0]), by_minute);

    /* The step in force at minute m is the latest at or before it; before the first, the day's
     * last one (steps wrap from day to day, and so does a ramp begun late the day before). */
    int k = 0;
    for (int m = 0; m < LIGHT_DAY_MIN; m++) {
        int level = 100;

        while (k < n && st[k].minute <= m)
            k++;
        if (n > 0) {
            int cur = k > 0 ? k - 1 : n - 1;
            const struct resolved_step *s = &st[cur], *prev = &st[cur > 0 ? cur - 1 : n - 1];
            int elapsed = k > 0 ? m - s->minute : m + LIGHT_DAY_MIN - s->minute;

            level = s->level;
            if (s->ramp_s > 0 && elapsed * 60 < s->ramp_s) {
                /* At the middle of the minute, linearly from the level before; the change is
                 * rounded half away from zero, in integers so that it is exact. */
                long num = (long)(s->level - prev->level) * (elapsed * 60 + 30);
                long half = s->ramp_s / 2;

                level = prev->level +
                        (int)(num >= 0 ? (num + half) / s->ramp_s : -((-num + half) / s->ramp_s));
            }
        }
        levels[m] = (uint8_t)(is_active(m, on, off) ? level : 0);
    }
}
