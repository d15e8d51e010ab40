/* energy.c - a lamp's planned energy over a span, and what its schedule saves against burning at
 * full power from sunset to sunrise.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdlib.h>

#include "mue_localtime.h"
#include "mue_mem.h"
#include "schedule.h"

void light_energy(const struct light_lamp *lamp, double power_w, int64_t from_s, int n,
                  struct light_energy *out)
{
    uint8_t *levels = mue_xmalloc(n > 0 ? (size_t)n : 1);
    struct light_sun sun = { -1, -1 };
    int64_t sun_date = INT64_MIN;
    long level_min = 0, night_min = 0;

    light_plan(lamp, from_s, n, levels);
    out->lit_minutes = 0;
    for (int i = 0; i < n; i++) {
        struct mue_localtime lt;
        int64_t date;
        int m;

        level_min += levels[i];
        out->lit_minutes += levels[i] > 0;
        mue_localtime_from_utc(from_s + (int64_t)i * 60, &lt);
        date = mue_localtime_days_from_civil(lt.year, lt.month, lt.day);
        if (date != sun_date) {
            light_sun_of(lamp->lat, lamp->lon, date, &sun);
            sun_date = date;
        }
        m = lt.hour * 60 + lt.minute;
        night_min += sun.rise_min >= 0 && (m < sun.rise_min || m >= sun.set_min);
    }
    free(levels);
    out->planned_wh = power_w * (double)level_min / 100.0 / 60.0;
    out->full_wh = power_w * (double)night_min / 60.0;
    out->saving_wh = out->full_wh - out->planned_wh;
}
