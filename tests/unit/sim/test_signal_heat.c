/* test_signal_heat.c - urban heat islands: paved squares warmer than parks at night, hotter in
 * the sun, drier; tropical nights at mineral sites in the July heatwave; daylight and school
 * breaks seen by the sensors.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdint.h>

#include "signal_test.h"
#include "weather.h"

static const char *const profiles[] = { "mineral_square", "schoolyard", "street", "park" };
enum { MINERAL, SCHOOLYARD, STREET, PARK };

static struct sim_device sensor(int profile, uint64_t seed)
{
    return st_device("heat", "elsys-ers", profiles[profile], 900, seed, NULL);
}

static double value_at(const struct sim_device *d, int64_t t, const char *name)
{
    struct sim_frame f[SIM_MAX_FRAMES_PER_TICK];

    MUE_ASSERT_INT_EQ(st_frames(d, st_tick(d, t), f), 1);
    return st_get(&f[0], name);
}

/* April 2026, night after night (local 01:00-05:00): mineral squares 2-4 °C above parks, the
 * schoolyard and the street in between; by day the square in the sun is hotter too. */
static void test_mineral_nights_warmer_than_parks(void)
{
    double night[4] = { 0 }, day[4] = { 0 };
    int n = 0, nd = 0;

    for (int p = 0; p < 4; p++) {
        struct sim_device d = sensor(p, 0xa81758fffe000100ULL);

        n = nd = 0;
        for (int dd = 1; dd <= 28; dd++) {
            for (int h = 1; h < 5; h++, n++)
                night[p] += value_at(&d, st_local(2026, 4, dd, h, 0), "temperature");
            for (int h = 13; h < 16; h++, nd++)
                day[p] += value_at(&d, st_local(2026, 4, dd, h, 0), "temperature");
        }
        night[p] /= n;
        day[p] /= nd;
        st_device_free(&d);
    }
    MUE_ASSERT(night[MINERAL] - night[PARK] >= 2.0 && night[MINERAL] - night[PARK] <= 4.5);
    MUE_ASSERT(night[SCHOOLYARD] > night[PARK] && night[SCHOOLYARD] < night[MINERAL]);
    MUE_ASSERT(night[STREET] > night[PARK] && night[STREET] < night[MINERAL]);
    MUE_ASSERT(day[MINERAL] > day[PARK] + 2.0);
}

/* Relative humidity goes against temperature at a site over a week. */
static void test_humidity_inverse_to_temperature(void)
{
    struct sim_device d = sensor(MINERAL, 0xa81758fffe000200ULL);
    int64_t t0 = st_local(2026, 5, 4, 0, 0);
    double st = 0, sh = 0, stt = 0, shh = 0, sth = 0, r;
    int n = 0;

    for (int64_t t = st_tick(&d, t0); t < t0 + 7 * 86400; t += 900, n++) {
        struct sim_frame f[SIM_MAX_FRAMES_PER_TICK];
        double temp, rh;

        st_frames(&d, t, f);
        temp = st_get(&f[0], "temperature");
        rh = st_get(&f[0], "humidity");
        MUE_ASSERT(rh >= 0.0 && rh <= 100.0);
        st += temp;
        sh += rh;
        stt += temp * temp;
        shh += rh * rh;
        sth += temp * rh;
    }
    r = (sth - st * sh / n) / sqrt((stt - st * st / n) * (shh - sh * sh / n));
    MUE_ASSERT(r < -0.6);
    st_device_free(&d);
}

/* In the heart of July 2026's heatwave, the night minimum (20:00 to 09:00 local) of a mineral
 * square stays above 24 °C: a tropical night; the park cools further. */
static void test_heatwave_tropical_nights(void)
{
    struct sim_device m = sensor(MINERAL, 0xa81758fffe000300ULL);
    struct sim_device p = sensor(PARK, 0xa81758fffe000301ULL);
    int nights = 0;

    for (int dd = 1; dd <= 30; dd++) {
        int64_t day = mue_localtime_days_from_civil(2026, 7, dd);
        int64_t t0 = st_local(2026, 7, dd, 20, 0);
        double min_m = 99.0, min_p = 99.0;

        /* Both days of the night at the heatwave's full strength. */
        if (weather_heatwave(day) < 1.0 || weather_heatwave(day + 1) < 1.0)
            continue;
        for (int64_t t = t0; t < t0 + 13 * 3600; t += 900) {
            double a = value_at(&m, t, "temperature"), b = value_at(&p, t, "temperature");

            min_m = a < min_m ? a : min_m;
            min_p = b < min_p ? b : min_p;
        }
        MUE_ASSERT(min_m > 24.0);
        MUE_ASSERT(min_m > min_p + 2.0);
        nights++;
    }
    MUE_ASSERT(nights >= 2);
    st_device_free(&m);
    st_device_free(&p);
}

/* Daylight at noon, lamplight at night; shade in the park. */
static void test_illuminance(void)
{
    struct sim_device m = sensor(MINERAL, 7), p = sensor(PARK, 8);

    for (int dd = 1; dd <= 10; dd++) {
        double noon = value_at(&m, st_local(2026, 6, dd, 13, 30), "illuminance");
        double night = value_at(&m, st_local(2026, 6, dd, 2, 0), "illuminance");

        MUE_ASSERT(noon > 15000.0 && noon < 130000.0);
        MUE_ASSERT(night > 0.0 && night < 50.0);
        MUE_ASSERT(value_at(&p, st_local(2026, 6, dd, 13, 30), "illuminance") < noon);
    }
    st_device_free(&m);
    st_device_free(&p);
}

/* A schoolyard fills at break time on school days, and stays empty on Sundays and in July. */
static void test_schoolyard_breaks(void)
{
    struct sim_device d = sensor(SCHOOLYARD, 0xa81758fffe000400ULL);
    double breaks = 0.0, sundays = 0.0, holidays = 0.0;

    for (int w = 0; w < 4; w++) {
        breaks += value_at(&d, st_local(2026, 3, 2 + 7 * w, 10, 15), "motion");  /* Monday */
        sundays += value_at(&d, st_local(2026, 3, 8 + 7 * w, 10, 15), "motion"); /* Sunday */
        holidays += value_at(&d, st_local(2026, 7, 13 + w, 10, 15), "motion");   /* July */
    }
    MUE_ASSERT(breaks > 60.0);
    MUE_ASSERT(sundays < 5.0);
    MUE_ASSERT(holidays < 5.0);
    st_device_free(&d);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_mineral_nights_warmer_than_parks),
        MUE_TEST(test_humidity_inverse_to_temperature),
        MUE_TEST(test_heatwave_tropical_nights),
        MUE_TEST(test_illuminance),
        MUE_TEST(test_schoolyard_breaks),
    };
    return mue_test_run("signal_heat", tests);
}
