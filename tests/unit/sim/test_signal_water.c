/* test_signal_water.c - river levels: every week a flood crosses the yellow line and recedes,
 * orange and red in a wet autumn, downstream stations later than upstream ones, floods diluting
 * the water, temperatures following the seasons.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "signal_test.h"

#define BAR_PER_M (1000.0 * 9.80665 / 100000.0)

struct station {
    const char *model, *profile, *params;
    double yellow, orange, red;
};

static const struct station stations[] = {
    { "decentlab-dl-mbx", "level",
      "{\"river\":\"touloubre\",\"base_level_m\":0.6,\"vigilance_yellow_m\":1.5,"
      "\"vigilance_orange_m\":2.2,\"vigilance_red_m\":3.0,\"sensor_height_m\":4.5,"
      "\"flood_lag_h\":0}",
      1.5, 2.2, 3.0 },
    { "decentlab-dl-pr26", "level",
      "{\"river\":\"cadiere\",\"base_level_m\":0.35,\"vigilance_yellow_m\":1.1,"
      "\"vigilance_orange_m\":1.6,\"vigilance_red_m\":2.3,\"sensor_elevation_m\":0.05,"
      "\"flood_lag_h\":2}",
      1.1, 1.6, 2.3 },
    { "decentlab-dl-ctd10", "quality",
      "{\"river\":\"touloubre\",\"base_level_m\":0.6,\"vigilance_yellow_m\":1.5,"
      "\"vigilance_orange_m\":2.2,\"vigilance_red_m\":3.0,\"sensor_elevation_m\":0.2,"
      "\"flood_lag_h\":6}",
      1.5, 2.2, 3.0 },
};

/* The water level, m, from whatever the model measures (as the normalizer derives it). */
static double level_of(const struct sim_device *d, const struct sim_frame *f)
{
    double v;

    if (sim_frame_get(f, "distance", &v))
        return sim_param(d, "sensor_height_m", 0) - v;
    if (sim_frame_get(f, "pressure", &v))
        return sim_param(d, "sensor_elevation_m", 0) + v / BAR_PER_M;
    return sim_param(d, "sensor_elevation_m", 0) + st_get(f, "water_depth");
}

/* Sixty days every 15 minutes from 'start': no 7 days without the yellow line crossed, each
 * flood back under it within 4 days; returns the highest level. */
static double check_weekly_floods(const struct station *s, uint64_t seed, int64_t start)
{
    struct sim_device d = st_device("water", s->model, s->profile, 900, seed, s->params);
    int64_t end = start + 60 * 86400, last_above = start, rose_at = 0;
    double highest = 0.0;
    int above = 0, floods = 0;

    for (int64_t t = st_tick(&d, start); t < end; t += 900) {
        struct sim_frame f[SIM_MAX_FRAMES_PER_TICK];
        double level;

        MUE_ASSERT_INT_EQ(st_frames(&d, t, f), 1);
        level = level_of(&d, &f[0]);
        highest = level > highest ? level : highest;
        if (level > s->yellow) {
            if (!above) {
                rose_at = t;
                floods++;
            }
            above = 1;
            last_above = t;
        } else if (above) {
            MUE_ASSERT(t - rose_at < 4 * 86400); /* receded */
            above = 0;
        }
        MUE_ASSERT(t - last_above < 7 * 86400);
    }
    MUE_ASSERT(end - last_above < 7 * 86400);
    MUE_ASSERT(floods >= 60 / 7);
    st_device_free(&d);
    return highest;
}

static void test_yellow_every_week_and_receding(void)
{
    for (size_t i = 0; i < sizeof(stations) / sizeof(stations[0]); i++) {
        /* A dry summer and a wet autumn alike. */
        check_weekly_floods(&stations[i], 0x70b3d57ba0000100ULL + i, st_local(2026, 6, 1, 0, 0));
        check_weekly_floods(&stations[i], 0x70b3d57ba0000200ULL + i, st_local(2027, 1, 10, 5, 0));
    }
}

/* Autumn 2026 brings orange and red floods. */
static void test_autumn_reaches_orange_and_red(void)
{
    double highest =
        check_weekly_floods(&stations[0], 0x70b3d57ba0000300ULL, st_local(2026, 9, 15, 0, 0));

    MUE_ASSERT(highest > stations[0].orange);
    MUE_ASSERT(highest > stations[0].red);
}

/* The station 6 hours downstream on the same river peaks 6 hours later. */
static void test_downstream_lags(void)
{
    struct sim_device up =
        st_device("water", stations[0].model, stations[0].profile, 900, 1, stations[0].params);
    struct sim_device down =
        st_device("water", stations[2].model, stations[2].profile, 900, 1, stations[2].params);
    int64_t start = st_local(2026, 10, 1, 0, 0), peak_up = 0, peak_down = 0;
    double max_up = 0.0, max_down = 0.0;

    up.phase_s = down.phase_s = 0;
    for (int64_t t = start; t < start + 6 * 86400; t += 900) {
        struct sim_frame f[SIM_MAX_FRAMES_PER_TICK];
        double l;

        st_frames(&up, t, f);
        l = level_of(&up, &f[0]);
        if (l > max_up) {
            max_up = l;
            peak_up = t;
        }
        st_frames(&down, t, f);
        l = level_of(&down, &f[0]);
        if (l > max_down) {
            max_down = l;
            peak_down = t;
        }
    }
    MUE_ASSERT(max_up > stations[0].yellow);
    MUE_ASSERT(llabs(peak_down - peak_up - 6 * 3600) <= 1800);
    st_device_free(&up);
    st_device_free(&down);
}

/* Floods dilute: the conductivity at the flood's peak is well below the base flow's. The water is
 * warm in August and cold in January. */
static void test_quality_follows_floods_and_seasons(void)
{
    struct sim_device d =
        st_device("water", stations[2].model, stations[2].profile, 900, 5, stations[2].params);
    int64_t start = st_local(2026, 10, 1, 0, 0);
    double cond_peak = 0.0, cond_base = 0.0, max = 0.0, aug = 0.0, jan = 0.0;
    int nb = 0;

    for (int64_t t = st_tick(&d, start); t < start + 30 * 86400; t += 900) {
        struct sim_frame f[SIM_MAX_FRAMES_PER_TICK];
        double l;

        st_frames(&d, t, f);
        l = level_of(&d, &f[0]);
        if (l > max) {
            max = l;
            cond_peak = st_get(&f[0], "conductivity");
        }
        if (l < 0.7) {
            cond_base += st_get(&f[0], "conductivity");
            nb++;
        }
        MUE_ASSERT_INT_EQ(st_get(&f[0], "freezing"), 0);
    }
    MUE_ASSERT(nb > 100);
    MUE_ASSERT(cond_peak < 0.75 * cond_base / nb);
    for (int day = 1; day <= 28; day++) {
        struct sim_frame f[SIM_MAX_FRAMES_PER_TICK];

        st_frames(&d, st_tick(&d, st_local(2026, 8, day, 12, 0)), f);
        aug += st_get(&f[0], "temperature") / 28.0;
        st_frames(&d, st_tick(&d, st_local(2027, 1, day, 12, 0)), f);
        jan += st_get(&f[0], "temperature") / 28.0;
    }
    MUE_ASSERT(aug > 19.0 && aug < 27.0);
    MUE_ASSERT(jan > 5.0 && jan < 13.0);
    st_device_free(&d);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_yellow_every_week_and_receding),
        MUE_TEST(test_autumn_reaches_orange_and_red),
        MUE_TEST(test_downstream_lags),
        MUE_TEST(test_quality_follows_floods_and_seasons),
    };
    return mue_test_run("signal_water", tests);
}
