/* test_weather.c - the simulated region's weather: storms every 5 to 6 days, wet autumns and dry
 * summers, a heatwave every July, a believable daily temperature cycle.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdint.h>

#include "mue_localtime.h"
#include "weather.h"
#include "../mue_test.h"

static int64_t day_of(int y, int m, int d)
{
    return mue_localtime_days_from_civil(y, m, d);
}

/* Storms keep their rhythm (the rivers' demo relies on it), each strong enough to reach yellow,
 * and red comes about once a month. */
static void test_storm_rhythm_and_strength(void)
{
    struct weather_storm prev, s;
    int64_t first = weather_storm_last(mue_localtime_to_utc(2025, 1, 1, 0, 0, 0));
    int red = 0, n = 0;

    weather_storm(first, &prev);
    for (int64_t i = first + 1; prev.start_s < mue_localtime_to_utc(2030, 1, 1, 0, 0, 0); i++) {
        weather_storm(i, &s);
        MUE_ASSERT(s.start_s - prev.start_s >= 5 * 86400);
        MUE_ASSERT(s.start_s - prev.start_s <= 6 * 86400);
        MUE_ASSERT(s.end_s > s.start_s);
        MUE_ASSERT(s.end_s - s.start_s <= 14 * 3600);
        MUE_ASSERT(s.strength >= 1.3);
        MUE_ASSERT(s.rain_mm > 0.0);
        MUE_ASSERT_INT_EQ(weather_storm_last(s.start_s), i);
        MUE_ASSERT_INT_EQ(weather_storm_last(s.start_s - 1), i - 1);
        red += s.strength >= 3.0;
        n++;
        prev = s;
    }
    /* Five years: about 330 storms, about 60 of them red. */
    MUE_ASSERT(n > 300 && n < 340);
    MUE_ASSERT(red >= 30 && red <= 100);
}

/* Rain sums up: the days around a storm hold all of its rain. */
static void test_daily_rain_adds_up_to_the_storms(void)
{
    int64_t d0 = day_of(2026, 9, 1), d1 = day_of(2026, 12, 1);
    double days = 0.0, storms = 0.0;
    struct weather_storm s;

    for (int64_t d = d0; d < d1; d++)
        days += weather_rain_day_mm(d);
    for (int64_t i = weather_storm_last(mue_localtime_to_utc(2026, 9, 1, 0, 0, 0)) + 1;; i++) {
        weather_storm(i, &s);
        if (s.end_s > mue_localtime_to_utc(2026, 12, 1, 0, 0, 0))
            break;
        storms += s.rain_mm;
    }
    /* The first and last storms may straddle the span's ends. */
    MUE_ASSERT(days >= storms - 1e-6);
    MUE_ASSERT(days <= storms + 150.0);
    MUE_ASSERT_DBL_NEAR(weather_rain_mm(0, 0), 0.0, 0.0);
}

/* A Mediterranean year: dry summer, wet autumn, a few hundred millimetres in all. */
static void test_wet_autumn_dry_summer(void)
{
    for (int y = 2025; y <= 2030; y++) {
        double summer = 0.0, autumn = 0.0, year = 0.0;

        for (int64_t d = day_of(y, 1, 1); d < day_of(y + 1, 1, 1); d++) {
            int yy, m, dd;
            double r = weather_rain_day_mm(d);

            mue_localtime_civil_from_days(d, &yy, &m, &dd);
            year += r;
            summer += m >= 6 && m <= 8 ? r : 0.0;
            autumn += m >= 9 && m <= 11 ? r : 0.0;
        }
        MUE_ASSERT(autumn > 2.0 * summer);
        MUE_ASSERT(year > 400.0 && year < 1000.0);
    }
}

/* Every July has a heatwave with at least three full days whose nights stay above 23 °C. */
static void test_heatwave_every_july(void)
{
    for (int y = 2020; y <= 2035; y++) {
        int full = 0;

        for (int64_t d = day_of(y, 7, 1); d < day_of(y, 8, 1); d++) {
            double tmin, tmax;

            if (weather_heatwave(d) < 1.0)
                continue;
            full++;
            weather_day_temps(d, &tmin, &tmax);
            MUE_ASSERT(tmin > 23.0);
            MUE_ASSERT(tmax > 34.0);
        }
        MUE_ASSERT(full >= 3);
        MUE_ASSERT_DBL_NEAR(weather_heatwave(day_of(y, 1, 15)), 0.0, 0.0);
    }
}

/* Marseille's seasons, and a daily cycle with its minimum near sunrise and its maximum in the
 * afternoon, continuous across midnight. */
static void test_temperature_cycle(void)
{
    double jan = 0.0, jul = 0.0;

    for (int d = 1; d <= 31; d++) {
        double a, b;

        weather_day_temps(day_of(2026, 1, d), &a, &b);
        jan += (a + b) / 62.0;
        weather_day_temps(day_of(2026, 7, d), &a, &b);
        jul += (a + b) / 62.0;
    }
    MUE_ASSERT(jan > 4.0 && jan < 11.0);
    MUE_ASSERT(jul > 22.0 && jul < 29.0);

    for (int64_t day = day_of(2026, 4, 1); day < day_of(2026, 4, 21); day++) {
        int64_t start = mue_localtime_to_utc(2026, 4, (int)(day - day_of(2026, 4, 1)) + 1, 0, 0, 0);
        double tmin, tmax, t6 = weather_air_temp(start + 7 * 3600 + 1800); /* around sunrise */
        double t15 = weather_air_temp(start + 16 * 3600);                  /* mid-afternoon */

        weather_day_temps(day, &tmin, &tmax);
        MUE_ASSERT(t15 > t6);
        MUE_ASSERT(fabs(t15 - tmax) < 1.0);
        MUE_ASSERT(fabs(t6 - tmin) < 1.0);
        /* No jump at midnight, nor anywhere by the quarter hour. */
        MUE_ASSERT(fabs(weather_air_temp(start) - weather_air_temp(start - 1)) < 0.01);
        for (int64_t t = start; t < start + 86400; t += 900)
            MUE_ASSERT(fabs(weather_air_temp(t + 900) - weather_air_temp(t)) < 1.5);
    }
}

static void test_humidity_and_clouds(void)
{
    int64_t t0 = mue_localtime_to_utc(2026, 10, 1, 0, 0, 0);
    struct weather_storm s;

    MUE_ASSERT_DBL_NEAR(weather_rh(20.0, 20.0), 100.0, 1e-9);
    MUE_ASSERT_DBL_NEAR(weather_rh(30.0, 10.0), 28.5, 1.0);
    for (int64_t t = t0; t < t0 + 30 * 86400; t += 1800)
        MUE_ASSERT(weather_dew_point(t) <= weather_air_temp(t));
    weather_storm(weather_storm_last(t0 + 10 * 86400), &s);
    MUE_ASSERT(weather_cloud((s.start_s + s.end_s) / 2) >= 0.9);
    MUE_ASSERT(weather_cloud(s.start_s - 86400) < weather_cloud(s.start_s));
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_storm_rhythm_and_strength), MUE_TEST(test_daily_rain_adds_up_to_the_storms),
        MUE_TEST(test_wet_autumn_dry_summer),     MUE_TEST(test_heatwave_every_july),
        MUE_TEST(test_temperature_cycle),         MUE_TEST(test_humidity_and_clouds),
    };
    return mue_test_run("weather", tests);
}
