/* test_signal_counting.c - bike and pedestrian counters: commuter peaks each way, quieter
 * weekends, rain days emptying the cycle lanes, and totals that are exactly the sum of the
 * reported counts (across midnight and the night the clocks go back).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdint.h>

#include "signal_test.h"
#include "weather.h"

#define BIKE_IN  "{\"counts\":\"bike\",\"ltr\":\"in\",\"daily_mean\":2000}"
#define BIKE_OUT "{\"counts\":\"bike\",\"ltr\":\"out\",\"daily_mean\":1200}"
#define WALK_OUT "{\"counts\":\"pedestrian\",\"ltr\":\"out\",\"daily_mean\":5000}"

static void test_totals_are_the_sum_of_counts(void)
{
    static const struct {
        const char *profile, *params;
    } cases[] = { { "commute", BIKE_IN }, { "leisure", WALK_OUT } };
    int64_t t0 = st_local(2026, 10, 22, 0, 0), t1 = st_local(2026, 10, 28, 0, 0);

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct sim_device d = st_device("counting", "parametric-pcr2", cases[i].profile, 900,
                                        600 + i, cases[i].params);
        double prev_ltr = -1.0, prev_rtl = -1.0;
        long sum = 0;

        for (int64_t t = st_tick(&d, t0); t < t1; t += 900) {
            struct sim_frame f[SIM_MAX_FRAMES_PER_TICK];
            double ltr, rtl, tl, tr;

            MUE_ASSERT_INT_EQ(st_frames(&d, t, f), 1);
            ltr = st_get(&f[0], "count_ltr");
            rtl = st_get(&f[0], "count_rtl");
            tl = st_get(&f[0], "count_ltr_total");
            tr = st_get(&f[0], "count_rtl_total");
            MUE_ASSERT(ltr >= 0.0 && ltr == floor(ltr));
            MUE_ASSERT(rtl >= 0.0 && rtl == floor(rtl));
            MUE_ASSERT(tl >= 0.0 && tl < 65536.0 && tr >= 0.0 && tr < 65536.0);
            if (prev_ltr >= 0.0) {
                MUE_ASSERT_INT_EQ(fmod(tl - prev_ltr + 65536.0, 65536.0), ltr);
                MUE_ASSERT_INT_EQ(fmod(tr - prev_rtl + 65536.0, 65536.0), rtl);
            }
            prev_ltr = tl;
            prev_rtl = tr;
            sum += (long)(ltr + rtl);
        }
        /* Six days of a busy counter. */
        MUE_ASSERT(sum > 6 * 1000);
        st_device_free(&d);
    }
}

/* Mean count per quarter hour going in (or out) over weekdays, between two local hours. */
struct peaks {
    double in_morning, out_morning, in_evening, out_evening, in_midday, out_midday;
};

static void weekday_peaks(const char *params, struct peaks *p, int inbound_is_ltr)
{
    struct sim_device d = st_device("counting", "parametric-pcr2", "commute", 900, 77, params);
    int64_t t0 = st_local(2026, 5, 4, 0, 0);
    double sum[6] = { 0 };
    int n[6] = { 0 };

    for (int64_t t = st_tick(&d, t0); t < t0 + 21 * 86400; t += 900) {
        struct sim_frame f[SIM_MAX_FRAMES_PER_TICK];
        struct mue_localtime lt;
        double h, in, out;
        int slot;

        mue_localtime_from_utc(t - 450, &lt);
        h = lt.hour + lt.minute / 60.0;
        if (lt.wday == 0 || lt.wday == 6)
            continue;
        slot = h >= 7.5 && h < 9.0 ? 0 : h >= 17.0 && h < 19.0 ? 1 : h >= 10.5 && h < 16.0 ? 2 : -1;
        if (slot < 0)
            continue;
        st_frames(&d, t, f);
        in = st_get(&f[0], inbound_is_ltr ? "count_ltr" : "count_rtl");
        out = st_get(&f[0], inbound_is_ltr ? "count_rtl" : "count_ltr");
        sum[2 * slot] += in;
        sum[2 * slot + 1] += out;
        n[2 * slot]++;
        n[2 * slot + 1]++;
    }
    p->in_morning = sum[0] / n[0];
    p->out_morning = sum[1] / n[1];
    p->in_evening = sum[2] / n[2];
    p->out_evening = sum[3] / n[3];
    p->in_midday = sum[4] / n[4];
    p->out_midday = sum[5] / n[5];
    st_device_free(&d);
}

/* Commuters ride in between 7:30 and 9:00 and out between 17:00 and 19:00; whichever way the
 * counter faces, its left-to-right follows its "ltr" parameter. */
static void test_commuter_peaks(void)
{
    struct peaks p;

    for (int facing = 0; facing < 2; facing++) {
        weekday_peaks(facing ? BIKE_OUT : BIKE_IN, &p, !facing);
        MUE_ASSERT(p.in_morning > 3.0 * p.in_midday);
        MUE_ASSERT(p.out_evening > 3.0 * p.out_midday);
        MUE_ASSERT(p.in_morning > 2.0 * p.out_morning);
        MUE_ASSERT(p.out_evening > 2.0 * p.in_evening);
    }
}

/* Each local day's count: the total at its last tick minus the one at the day before's. */
static long day_count(const struct sim_device *d, int64_t day)
{
    struct sim_frame f[SIM_MAX_FRAMES_PER_TICK];
    long v[2];

    for (int i = 0; i < 2; i++) {
        int y, m, dd;
        int64_t next;

        mue_localtime_civil_from_days(day + i, &y, &m, &dd);
        next = mue_localtime_to_utc(y, m, dd, 0, 0, 0);
        /* The last tick whose quarter hour is mostly before midnight. */
        st_frames(d, st_tick(d, next + d->period_s / 2) - d->period_s, f);
        v[i] = (long)(st_get(&f[0], "count_ltr_total") + st_get(&f[0], "count_rtl_total"));
    }
    return ((v[1] - v[0]) % 131072 + 131072) % 65536;
}

/* Bikes: weekends are quieter than weekdays on a commuter route, and rain days emptier than dry
 * ones. */
static void test_weekends_and_rain(void)
{
    struct sim_device d = st_device("counting", "parametric-pcr2", "commute", 900, 91, BIKE_IN);
    double wet = 0.0, dry = 0.0, weekend = 0.0;
    int nw = 0, nd = 0, ne = 0;

    for (int64_t day = mue_localtime_days_from_civil(2026, 4, 1);
         day < mue_localtime_days_from_civil(2026, 11, 1); day++) {
        int wday = (int)((day + 4) % 7);
        double rain = weather_rain_day_mm(day), n = (double)day_count(&d, day);

        if (wday == 0 || wday == 6) {
            weekend += n;
            ne++;
        } else if (rain >= 5.0) {
            wet += n;
            nw++;
        } else if (rain < 0.1) {
            dry += n;
            nd++;
        }
    }
    MUE_ASSERT(nw >= 10 && nd >= 60);
    MUE_ASSERT(wet / nw < 0.75 * dry / nd);
    MUE_ASSERT(weekend / ne < 0.7 * dry / nd);
    /* A typical dry weekday is near the configured mean. */
    MUE_ASSERT(dry / nd > 1500.0 && dry / nd < 2600.0);
    st_device_free(&d);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_totals_are_the_sum_of_counts),
        MUE_TEST(test_commuter_peaks),
        MUE_TEST(test_weekends_and_rain),
    };
    return mue_test_run("signal_counting", tests);
}
