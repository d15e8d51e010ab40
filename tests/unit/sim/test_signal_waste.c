/* test_signal_waste.c - drop-off containers: fill rises between rounds, a round empties them on
 * the commune's weekdays, a missed round lets one reach 100 %; tilts and fires now and then.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "signal_test.h"

#define DAYS 60

static const char *const kinds[] = { "glass", "packaging", "paper" };
static const char *const communes[] = { "13001", "13056", "84089", "13041" };

static struct sim_device container(const char *model, int kind, int commune, uint64_t seed)
{
    char params[160];
    struct sim_device d;

    snprintf(params, sizeof(params),
             "{\"empty_distance_m\":%.2f,\"full_distance_m\":%.2f,\"waste\":\"%s\"}",
             2.0 + 0.1 * (double)(seed % 7), 0.3 + 0.01 * (double)(seed % 11), kinds[kind]);
    d = st_device("waste", model, kinds[kind], 3600, seed, params);
    snprintf(d.insee, sizeof(d.insee), "%s", communes[commune]);
    return d;
}

static double fill_of(const struct sim_device *d, const struct sim_frame *f)
{
    double empty = sim_param(d, "empty_distance_m", 0), full = sim_param(d, "full_distance_m", 0);

    return (empty - st_get(f, "distance")) / (empty - full) * 100.0;
}

/* Every container, hour by hour for two months: the fill only grows, except when a round empties
 * it on one of its commune's weekdays for that waste; each is emptied several times, refills,
 * and somewhere one is missed and fills up. */
static void test_fill_and_rounds(void)
{
    int64_t t0 = st_local(2026, 4, 1, 0, 0);
    double highest = 0.0;

    for (int kind = 0; kind < 3; kind++) {
        for (int c = 0; c < 4; c++) {
            unsigned weekdays = 0; /* the commune's round days for this waste, a bit each */

            for (int model = 0; model < 2; model++) {
                struct sim_device d =
                    container(model ? "dingtek-df702" : "milesight-em310-udl", kind, c,
                              0x24e1247100000000ULL + (uint64_t)(100 * kind + 10 * c + model));
                double prev = -1.0, peak = 0.0;
                int rounds = 0, refilled = 0;

                for (int64_t t = st_tick(&d, t0); t < t0 + DAYS * 86400; t += 3600) {
                    struct sim_frame f[SIM_MAX_FRAMES_PER_TICK];
                    double fill;

                    MUE_ASSERT_INT_EQ(st_frames(&d, t, f), 1);
                    fill = fill_of(&d, &f[0]);
                    MUE_ASSERT(fill > -1.0 && fill < 101.0);
                    if (prev >= 0.0 && fill < prev - 1.2) {
                        struct mue_localtime lt;

                        /* A round: back near empty, in the morning. */
                        mue_localtime_from_utc(t, &lt);
                        MUE_ASSERT(fill < 6.0);
                        MUE_ASSERT(lt.hour >= 6 && lt.hour <= 12);
                        weekdays |= 1u << lt.wday;
                        rounds++;
                        refilled += peak > 15.0;
                        peak = 0.0;
                    }
                    peak = fill > peak ? fill : peak;
                    highest = fill > highest ? fill : highest;
                    /* The DF702 also says when it is nearly full. */
                    if (model && fill >= 92.0)
                        MUE_ASSERT_INT_EQ(st_get(&f[0], "full_alarm"), 1);
                    else if (model && fill <= 88.0)
                        MUE_ASSERT_INT_EQ(st_get(&f[0], "full_alarm"), 0);
                    prev = fill;
                }
                /* Glass every other week, paper weekly, packaging twice a week. */
                MUE_ASSERT(rounds >= (kind == 0 ? 2 : kind == 2 ? 6 : 12));
                MUE_ASSERT(refilled >= rounds - 1);
                st_device_free(&d);
            }
            MUE_ASSERT(__builtin_popcount(weekdays) == (kind == 1 ? 2 : 1));
        }
    }
    MUE_ASSERT(highest >= 99.5);
}

/* Rare events over a large fleet: containers knocked over for a few hours, and a fire or two
 * (DF702: above 60 °C with its fire alarm, never the alarm without the heat). */
static void test_tilts_and_fires(void)
{
    int64_t t0 = st_local(2026, 5, 1, 0, 0);
    int tilts = 0, fires = 0;

    for (uint64_t i = 0; i < 40; i++) {
        struct sim_device d = container("dingtek-df702", (int)(i % 3), (int)(i % 4), 9000 + i);
        int run = 0;

        for (int64_t t = st_tick(&d, t0); t < t0 + DAYS * 86400; t += 3600) {
            struct sim_frame f[SIM_MAX_FRAMES_PER_TICK];
            int tilt, fire;

            st_frames(&d, t, f);
            tilt = (int)st_get(&f[0], "tilt");
            fire = (int)st_get(&f[0], "fire_alarm");
            if (tilt) {
                MUE_ASSERT(st_get(&f[0], "tilt_angle") >= 25.0);
                run++;
                MUE_ASSERT(run <= 7); /* a few hours, then put back */
                tilts += run == 1;
            } else {
                MUE_ASSERT(st_get(&f[0], "tilt_angle") < 10.0);
                run = 0;
            }
            MUE_ASSERT_INT_EQ(fire, st_get(&f[0], "temperature") > 60.0);
            fires += fire;
        }
        st_device_free(&d);
    }
    MUE_ASSERT(tilts >= 2);
    MUE_ASSERT(fires >= 1);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_fill_and_rounds),
        MUE_TEST(test_tilts_and_fires),
    };
    return mue_test_run("signal_waste", tests);
}
