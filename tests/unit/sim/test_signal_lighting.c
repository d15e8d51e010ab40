/* test_signal_lighting.c - street lighting: lamps off by day, on at night with the 23:00-05:30
 * dimming, meters that never run backwards and agree with the power, failed lamps drawing nothing
 * while they should shine, cabinets tripping and their lamps going dark with them.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "mue_sun.h"
#include "signal_test.h"

#define LAMP    "{\"lamp_power_w\":60}"
#define CABINET "{\"lamps\":12,\"lamp_power_w\":60}"

static struct sim_device lamp(uint64_t seed)
{
    struct sim_device d = st_device("lighting", "nas-ul20xx", "lamp", 1800, seed, LAMP);

    d.lat = 43.6931; /* Pertuis */
    d.lon = 5.5017;
    return d;
}

/* The level the default schedule asks for at 't', from the sun and the local clock. */
static int expected_level(const struct sim_device *d, int64_t t)
{
    struct mue_localtime lt;
    double elev = mue_sun_elevation(d->lat, d->lon, t), h;

    mue_localtime_from_utc(t, &lt);
    h = lt.hour + lt.minute / 60.0;
    if (elev > -0.5)
        return 0;
    return h >= 23.0 || h < 5.5 ? 50 : 100;
}

/* Two weeks of a lamp's status: off in daylight, 100 % after sunset and before sunrise, 50 %
 * from 23:00 to 05:30. Ticks within a few minutes of sunrise or sunset are left out. */
static void test_lamp_follows_the_astronomical_clock(void)
{
    struct sim_device d = lamp(0x0011223344550001ULL);
    int64_t t0 = st_local(2026, 6, 10, 0, 0);
    int lit = 0, dark = 0;

    for (int64_t t = st_tick(&d, t0); t < t0 + 14 * 86400; t += 1800) {
        struct sim_frame f[SIM_MAX_FRAMES_PER_TICK];
        const struct sim_frame *s;
        double elev = mue_sun_elevation(d.lat, d.lon, t);
        int n = st_frames(&d, t, f), want = expected_level(&d, t);

        if (n == 0 || fabs(elev + 0.833) < 1.5)
            continue; /* the cabinet is off; or it is sunrise or sunset */
        s = st_kind(f, n, SIM_FRAME_STATUS);
        MUE_ASSERT(s != NULL);
        MUE_ASSERT_INT_EQ(st_get(s, "dim_level"), want);
        MUE_ASSERT_INT_EQ(st_get(s, "relay_closed"), want > 0);
        lit += want > 0;
        dark += want == 0;
    }
    MUE_ASSERT(lit > 200 && dark > 300);
    st_device_free(&d);
}

/* Thirty days of usage packets (every other tick): energy and lamp hours never decrease; over a
 * dimmed night hour they grow by half the lamp's rated power and by one hour. */
static void test_lamp_meters(void)
{
    for (uint64_t seed = 10; seed < 12; seed++) {
        struct sim_device d = lamp(seed);
        int64_t t0 = st_local(2026, 5, 1, 0, 0);
        double prev_e = -1.0, prev_h = -1.0;
        int64_t prev_t = 0;
        int steady = 0;

        for (int64_t t = st_tick(&d, t0); t < t0 + 30 * 86400; t += 1800) {
            struct sim_frame f[SIM_MAX_FRAMES_PER_TICK];
            const struct sim_frame *u, *s;
            struct mue_localtime lt;
            int n = st_frames(&d, t, f);
            double e, h;

            u = st_kind(f, n, SIM_FRAME_USAGE);
            s = st_kind(f, n, SIM_FRAME_STATUS);
            if (u == NULL)
                continue;
            e = st_get(u, "energy");
            h = st_get(u, "lamp_on_time");
            MUE_ASSERT(e >= prev_e);
            MUE_ASSERT(h >= prev_h);
            mue_localtime_from_utc(t, &lt);
            if (prev_e >= 0.0 && t - prev_t == 3600 && lt.hour >= 1 && lt.hour <= 4 &&
                st_get(s, "lamp_on") == 1.0) {
                MUE_ASSERT(e - prev_e > 0.9 * 0.030 && e - prev_e < 1.1 * 0.030);
                MUE_ASSERT_DBL_NEAR(h - prev_h, 1.0, 1e-6);
                MUE_ASSERT(st_get(u, "power") > 27.0 && st_get(u, "power") < 33.0);
                steady++;
            }
            prev_e = e;
            prev_h = h;
            prev_t = t;
        }
        MUE_ASSERT(steady > 50);
        st_device_free(&d);
    }
}

/* A few percent of the lamps fail in a month, for a day or more: at night the controller still
 * closes its relay and asks for light, the driver reports the lamp failure and the meter reads
 * no power. Sampled each night after midnight on a status-only tick (cheap: no meter to sum),
 * and on the next tick's usage packet when the lamp has failed. */
static void test_lamp_failures(void)
{
    int failed_lamps = 0, failed_nights = 0;

    for (uint64_t i = 0; i < 40; i++) {
        struct sim_device d = lamp(0x0011223344560000ULL + i);
        int failed = 0;

        for (int day = 0; day < 90; day++) {
            int64_t t = st_tick(&d, st_local(2026, 5, 1, 0, 30) + day * 86400);
            struct sim_frame f[SIM_MAX_FRAMES_PER_TICK];
            const struct sim_frame *s, *u;
            int n;

            if ((((t - d.phase_s) / d.period_s) & 1) == 0)
                t += d.period_s;
            n = st_frames(&d, t, f);
            if (n == 0)
                continue; /* its cabinet tripped */
            MUE_ASSERT_INT_EQ(n, 1);
            MUE_ASSERT_INT_EQ(st_get(&f[0], "relay_closed"), 1);
            MUE_ASSERT_INT_EQ(st_get(&f[0], "dim_level"), 50);
            if (st_get(&f[0], "lamp_failure") == 0.0) {
                MUE_ASSERT_INT_EQ(st_get(&f[0], "lamp_on"), 1);
                continue;
            }
            MUE_ASSERT_INT_EQ(st_get(&f[0], "lamp_on"), 0);
            failed = 1;
            failed_nights++;
            n = st_frames(&d, t + d.period_s, f);
            s = st_kind(f, n, SIM_FRAME_STATUS);
            u = st_kind(f, n, SIM_FRAME_USAGE);
            MUE_ASSERT(s != NULL && u != NULL);
            if (st_get(s, "lamp_failure") == 1.0)
                MUE_ASSERT_DBL_NEAR(st_get(u, "power"), 0.0, 0.0);
        }
        failed_lamps += failed;
        st_device_free(&d);
    }
    /* About 4 % a month: over three months, some lamps but far from all. */
    MUE_ASSERT(failed_lamps >= 1 && failed_lamps <= 12);
    MUE_ASSERT(failed_nights >= failed_lamps);
}

/* A cabinet closes its circuits at night and opens them by day; its power is its lamps' at the
 * scheduled level over the drivers' efficiency, its energy the integral of that power. */
static void test_cabinet(void)
{
    struct sim_device d = st_device("lighting", "milesight-ws558", "cabinet", 900, 4321, CABINET);
    int64_t t0 = st_local(2026, 4, 20, 12, 0);
    double prev_e = -1.0, prev_p = 0.0, integral = 0.0, e0 = 0.0;
    int n_on = 0;

    d.lat = 43.6931;
    d.lon = 5.5017;
    for (int64_t t = st_tick(&d, t0); t < t0 + 10 * 86400; t += 900) {
        struct sim_frame f[SIM_MAX_FRAMES_PER_TICK];
        double e, p, v, want = expected_level(&d, t);
        double elev = mue_sun_elevation(d.lat, d.lon, t);

        MUE_ASSERT_INT_EQ(st_frames(&d, t, f), 1);
        e = st_get(&f[0], "energy");
        p = st_get(&f[0], "power");
        v = st_get(&f[0], "voltage");
        MUE_ASSERT(e >= prev_e);
        if (prev_e < 0.0)
            e0 = e;
        else
            integral += (p + prev_p) / 2.0 * 900.0 / 3600.0 / 1000.0;
        prev_e = e;
        prev_p = p;
        if (v == 0.0 || fabs(elev + 0.833) < 1.5)
            continue; /* a trip, or the switching minutes */
        MUE_ASSERT(v > 220.0 && v < 240.0);
        MUE_ASSERT_INT_EQ(st_get(&f[0], "switch_1"), want > 0);
        MUE_ASSERT_INT_EQ(st_get(&f[0], "switch_2"), want > 0);
        MUE_ASSERT_INT_EQ(st_get(&f[0], "switch_3"), 0); /* 12 lamps: two circuits */
        MUE_ASSERT(fabs(p - 12 * 60 * want / 100.0 / 0.92) <= 0.05 * 12 * 60 / 0.92);
        if (p > 0.0) {
            MUE_ASSERT(fabs(st_get(&f[0], "current") - p / (v * st_get(&f[0], "power_factor"))) <
                       1e-9);
            n_on++;
        }
    }
    MUE_ASSERT(n_on > 300);
    MUE_ASSERT(fabs((prev_e - e0) - integral) < 0.03 * integral);
    st_device_free(&d);
}

/* Now and then a cabinet trips for a few hours: it reads no voltage and no power, and the lamps
 * of its site (same site name) are unpowered and silent at the same times. */
static void test_cabinet_trip_darkens_its_lamps(void)
{
    int trips = 0;

    for (int site = 0; site < 7; site++) {
        struct sim_device l = lamp((uint64_t)site + 7000); /* site "Site <seed % 7>" */
        struct sim_device c = st_device("lighting", "milesight-ws558", "cabinet", 900,
                                        (uint64_t)site + 7000, CABINET);
        int64_t t0 = st_local(2026, 3, 1, 0, 0);

        /* Every lamp tick is a cabinet tick too. */
        c.phase_s = l.phase_s % c.period_s;
        MUE_ASSERT_STR_EQ(l.site, c.site);
        for (int64_t t = st_tick(&l, t0); t < t0 + 180 * 86400; t += 2 * l.period_s) {
            struct sim_frame f[SIM_MAX_FRAMES_PER_TICK];
            int64_t tl = t;

            /* A status-only tick of the lamp (no meter to sum): cheap to ask. */
            if ((((tl - l.phase_s) / l.period_s) & 1) == 0)
                tl += l.period_s;
            if (st_frames(&l, tl, f) != 0)
                continue;
            MUE_ASSERT_INT_EQ(st_tick(&c, tl), tl);
            st_frames(&c, tl, f);
            MUE_ASSERT_DBL_NEAR(st_get(&f[0], "voltage"), 0.0, 0.0);
            MUE_ASSERT_DBL_NEAR(st_get(&f[0], "power"), 0.0, 0.0);
            trips++;
        }
        st_device_free(&l);
        st_device_free(&c);
    }
    /* Seven sites over six months: a handful of trips of a few hours. */
    MUE_ASSERT(trips >= 1 && trips <= 60);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_lamp_follows_the_astronomical_clock),
        MUE_TEST(test_lamp_meters),
        MUE_TEST(test_lamp_failures),
        MUE_TEST(test_cabinet),
        MUE_TEST(test_cabinet_trip_darkens_its_lamps),
    };
    return mue_test_run("signal_lighting", tests);
}
