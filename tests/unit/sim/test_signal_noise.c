/* test_signal_noise.c - urban sound levels: quiet nights, loud rush hours, busy Saturday nights
 * in nightlife districts, passing events, and LAeq never above the interval's maximum.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdint.h>

#include "signal_test.h"

struct bands {
    double day, evening, night; /* energy sums */
    int nd, ne, nn;
};

static double energy(double db)
{
    return pow(10.0, db / 10.0);
}

static double db(double e)
{
    return 10.0 * log10(e);
}

/* Lden with the European periods (day 7-19, evening 19-23, night 23-7) and its penalties. */
static double lden(const struct bands *b)
{
    double ld = db(b->day / b->nd), le = db(b->evening / b->ne), ln = db(b->night / b->nn);

    return db((12.0 * energy(ld) + 4.0 * energy(le + 5.0) + 8.0 * energy(ln + 10.0)) / 24.0);
}

/* Four weeks of March 2026 (no holidays, no summer terraces), every 10 minutes. */
static void collect(const char *model, const char *profile, uint64_t seed, struct bands *b,
                    double *rush, double *deep_night, double *max_seen)
{
    struct sim_device d = st_device("noise", model, profile, 600, seed, NULL);
    int64_t t0 = st_local(2026, 3, 2, 0, 0), t1 = st_local(2026, 3, 30, 0, 0);
    double rush_e = 0.0, night_e = 0.0;
    int nr = 0, nn = 0;
    const char *max_name = model[0] == 'e' ? "LAmax" : "LAFmax";

    *b = (struct bands){ 0 };
    *max_seen = 0.0;
    for (int64_t t = st_tick(&d, t0); t < t1; t += 600) {
        struct sim_frame f[SIM_MAX_FRAMES_PER_TICK];
        struct mue_localtime lt;
        double laeq, lmax, h;

        MUE_ASSERT_INT_EQ(st_frames(&d, t, f), 1);
        laeq = st_get(&f[0], "LAeq");
        lmax = st_get(&f[0], max_name);
        MUE_ASSERT(laeq <= lmax);
        MUE_ASSERT(laeq > 30.0 && lmax < 120.0);
        if (model[0] == 'm') {
            double laf = st_get(&f[0], "LAF");

            MUE_ASSERT(laf <= lmax);
            MUE_ASSERT(laf >= 30.0);
        }
        *max_seen = lmax > *max_seen ? lmax : *max_seen;
        /* The interval ends at t: its hour is the one 5 minutes before. */
        mue_localtime_from_utc(t - 300, &lt);
        h = lt.hour + lt.minute / 60.0;
        if (h >= 7.0 && h < 19.0) {
            b->day += energy(laeq);
            b->nd++;
        } else if (h >= 19.0 && h < 23.0) {
            b->evening += energy(laeq);
            b->ne++;
        } else {
            b->night += energy(laeq);
            b->nn++;
        }
        if (lt.wday >= 1 && lt.wday <= 5 && ((h >= 7.5 && h < 9.5) || (h >= 17.0 && h < 19.5))) {
            rush_e += energy(laeq);
            nr++;
        }
        if (h >= 1.0 && h < 5.0) {
            night_e += energy(laeq);
            nn++;
        }
    }
    *rush = db(rush_e / nr);
    *deep_night = db(night_e / nn);
    st_device_free(&d);
}

static void test_street_rush_hours_and_quiet_nights(void)
{
    for (uint64_t seed = 1; seed <= 4; seed++) {
        struct bands b;
        double rush, night, max, ld, ln;

        collect("milesight-ws302", "street", 0x24e1247200000000ULL + seed, &b, &rush, &night, &max);
        ld = db(b.day / b.nd);
        ln = db(b.night / b.nn);
        /* Nights 8 to 12 dB below days, give or take the device's own site. */
        MUE_ASSERT(ld - ln >= 7.5 && ld - ln <= 13.0);
        MUE_ASSERT(rush > night + 10.0);
        MUE_ASSERT(lden(&b) >= 55.0 && lden(&b) <= 77.0);
        /* Sirens and scooters: some interval's maximum reaches 90 dB(A). */
        MUE_ASSERT(max >= 90.0);
    }
}

static void test_square_and_elsys_sound(void)
{
    struct bands b;
    double rush, night, max;

    collect("milesight-ws302", "square", 0x24e1247200000100ULL, &b, &rush, &night, &max);
    MUE_ASSERT(db(b.day / b.nd) > db(b.night / b.nn) + 6.0);
    MUE_ASSERT(lden(&b) >= 55.0 && lden(&b) <= 75.0);
    collect("elsys-ers-sound", "square", 0xa817580000000100ULL, &b, &rush, &night, &max);
    MUE_ASSERT(db(b.day / b.nd) > db(b.night / b.nn) + 6.0);
}

/* A nightlife district is loudest in the small hours of Saturday and Sunday. */
static void test_nightlife_weekend_nights(void)
{
    struct sim_device d = st_device("noise", "milesight-ws302", "nightlife", 600, 77, NULL);
    double sat = 0.0, tue = 0.0;
    int ns = 0, nt = 0;

    for (int week = 0; week < 4; week++) {
        int64_t sat0 = st_local(2026, 3, 7 + 7 * week, 0, 30),
                tue0 = st_local(2026, 3, 3 + 7 * week, 0, 30);

        for (int64_t t = st_tick(&d, sat0); t < sat0 + 2 * 3600; t += 600, ns++) {
            struct sim_frame f[SIM_MAX_FRAMES_PER_TICK];

            st_frames(&d, t, f);
            sat += energy(st_get(&f[0], "LAeq"));
        }
        for (int64_t t = st_tick(&d, tue0); t < tue0 + 2 * 3600; t += 600, nt++) {
            struct sim_frame f[SIM_MAX_FRAMES_PER_TICK];

            st_frames(&d, t, f);
            tue += energy(st_get(&f[0], "LAeq"));
        }
    }
    MUE_ASSERT(db(sat / ns) > db(tue / nt) + 6.0);
    st_device_free(&d);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_street_rush_hours_and_quiet_nights),
        MUE_TEST(test_square_and_elsys_sound),
        MUE_TEST(test_nightlife_weekend_nights),
    };
    return mue_test_run("signal_noise", tests);
}
