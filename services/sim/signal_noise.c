/* signal_noise.c - urban sound levels every 10 minutes: traffic streets, pedestrian squares and
 * nightlife districts (Milesight WS302, Elsys ERS Sound), with passing events (a scooter, a
 * delivery, a siren) that raise the interval's maximum and its equivalent level.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <string.h>

#include "mue_err.h"
#include "signal_util.h"
#include "weather.h"

#define TAG_OFFSET 0x501
#define TAG_DAY    0x502
#define TAG_TICK   0x503
#define TAG_EVENTS 0x504
#define TAG_EV     0x510 /* + 4 per event */
#define TAG_FAST   0x505
#define TAG_SIREN  0x506
#define TAG_SWING  0x507
#define TAG_MOTION 0x508
#define MAX_EVENTS 6

enum profile { STREET, SQUARE, NIGHTLIFE };
enum daytype { MON_THU, FRIDAY, SATURDAY, SUNDAY };

/* Background LAeq (dB(A)) at the middle of each local hour, by day type. A day's early hours
 * belong to the night before: Saturday's 0-5 h are Friday night's. */
static const double levels[3][4][24] = {
    [STREET] = {
        [MON_THU] = { 54, 52, 51, 51, 52, 56, 62, 69, 71.5, 70, 67.5, 67.5,
                      68, 67.5, 67.5, 68, 69, 71, 71.5, 69.5, 66, 64, 61, 57 },
        [FRIDAY] = { 54, 52, 51, 51, 52, 56, 62, 69, 71.5, 70, 67.5, 67.5,
                     68, 67.5, 67.5, 68.5, 69.5, 71.5, 71.5, 70, 67, 65.5, 63, 60 },
        [SATURDAY] = { 58, 56, 54, 52, 51, 52, 55, 60, 63, 65.5, 67, 67.5,
                       67, 66.5, 66.5, 67, 67.5, 68, 67.5, 66.5, 65, 64, 62, 60 },
        [SUNDAY] = { 58.5, 56.5, 54, 53, 51, 51, 52, 56, 58, 61, 63.5, 64.5,
                     64, 63, 63, 63.5, 64, 64.5, 64, 63, 61.5, 60, 57.5, 55 },
    },
    [SQUARE] = {
        [MON_THU] = { 53, 51, 49, 48, 48, 49, 52, 55, 58, 59, 60, 61.5,
                      64, 64.5, 62, 61.5, 62, 63, 64.5, 65.5, 65.5, 64.5, 61, 57 },
        [FRIDAY] = { 53, 51, 49, 48, 48, 49, 52, 55, 58, 59, 60, 61.5,
                     64, 64.5, 62.5, 62, 63, 64, 65.5, 66.5, 67, 66, 63.5, 60 },
        [SATURDAY] = { 57, 54, 51, 49, 48, 48, 50, 52, 55, 58, 61, 63,
                       65.5, 66, 64.5, 64.5, 65, 65.5, 66.5, 67.5, 67.5, 66.5, 64, 61 },
        [SUNDAY] = { 58, 55, 52, 50, 48, 48, 49, 51, 53, 56, 59, 62,
                     64.5, 65, 63.5, 63, 63, 63.5, 64, 64.5, 64, 62.5, 59, 55 },
    },
    [NIGHTLIFE] = {
        [MON_THU] = { 62, 59, 56, 53, 51, 51, 54, 57, 59, 60, 60.5, 61,
                      62.5, 62.5, 61, 61, 62, 63.5, 65, 66.5, 67.5, 68.5, 69, 67 },
        [FRIDAY] = { 63, 60, 56, 53, 51, 51, 54, 57, 59, 60, 60.5, 61,
                     62.5, 62.5, 61.5, 61.5, 62.5, 64, 66, 68, 70, 71.5, 72.5, 73 },
        [SATURDAY] = { 73, 72, 70, 66, 60, 54, 53, 54, 56, 58, 60, 61.5,
                       63, 63, 62.5, 62.5, 63.5, 65, 67, 69, 71, 72.5, 73.5, 74 },
        [SUNDAY] = { 73.5, 72.5, 70.5, 67, 61, 55, 52, 52, 53, 55.5, 58, 60,
                     61.5, 61.5, 61, 61, 61.5, 62.5, 63.5, 64.5, 65, 64.5, 63, 60 },
    },
};

/* Passing sources per profile: how loud at the sensor (dB(A), from..to) and how long (s). */
struct source {
    double lo, hi, dur_lo, dur_hi;
};
static const struct source loud[3] = {
    [STREET] = { 78.0, 87.0, 4.0, 20.0 },    /* scooters, motorbikes, delivery trucks */
    [SQUARE] = { 74.0, 84.0, 3.0, 20.0 },    /* shouts, a delivery, a busker */
    [NIGHTLIFE] = { 76.0, 87.0, 3.0, 25.0 }, /* groups, scooters, music through a door */
};
static const struct source siren = { 88.0, 97.0, 10.0, 40.0 };

static int profile_of(const char *name, enum profile *p)
{
    if (strcmp(name, "street") == 0)
        *p = STREET;
    else if (strcmp(name, "square") == 0)
        *p = SQUARE;
    else if (strcmp(name, "nightlife") == 0)
        *p = NIGHTLIFE;
    else
        return 0;
    return 1;
}

static enum daytype daytype_of(int wday)
{
    return wday == 0 ? SUNDAY : wday == 6 ? SATURDAY : wday == 5 ? FRIDAY : MON_THU;
}

/* The background level at local hour 'h', linear between hour middles, across midnight too. */
static double background(enum profile p, const struct mue_localtime *lt, double h)
{
    enum daytype dt = daytype_of(lt->wday), prev = daytype_of((lt->wday + 6) % 7);
    double x = h - 0.5, f;
    int i;

    if (x < 0.0)
        return levels[p][prev][23] + (levels[p][dt][0] - levels[p][prev][23]) * (x + 1.0);
    i = (int)x;
    f = x - i;
    if (i >= 23) {
        enum daytype next = daytype_of((lt->wday + 1) % 7);

        return levels[p][dt][23] + (levels[p][next][0] - levels[p][dt][23]) * f;
    }
    return levels[p][dt][i] + (levels[p][dt][i + 1] - levels[p][dt][i]) * f;
}

/* The day's shift: August empties the streets, summer fills squares and terraces, rain silences
 * terraces but makes tyres hiss. */
static double day_shift(const struct sim_device *d, enum profile p, const struct mue_localtime *lt,
                        double h, int64_t day)
{
    double s = 0.8 * sig_n(d, (uint64_t)day, TAG_DAY);
    double rain = weather_rain_day_mm(day);

    if (p == STREET && lt->month == 8)
        s -= 2.0;
    if (p != STREET && lt->month >= 6 && lt->month <= 9)
        s += 1.5;
    if (rain >= 1.0)
        s += p == STREET ? 1.0 : (h >= 12.0 ? -4.0 : -1.5);
    return s;
}

static double energy(double db)
{
    return pow(10.0, db / 10.0);
}

struct levels {
    double laf, laeq, lafmax, bg;
};

/* The interval ending at 't': background plus the events that happened in it. */
static void interval(const struct sim_device *d, enum profile p, int64_t t, int period,
                     struct levels *out)
{
    struct mue_localtime lt;
    double h = sig_local(t, &lt), offset = 2.0 * sig_n(d, 0, TAG_OFFSET);
    int64_t day = mue_localtime_day(t);
    double bg, activity, rate, e, busy = 0.0, max;
    long n, k;

    offset = offset > 4.0 ? 4.0 : offset < -4.0 ? -4.0 : offset;
    bg = background(p, &lt, h) + offset + day_shift(d, p, &lt, h, day) +
         0.8 * sig_n(d, (uint64_t)t, TAG_TICK);
    /* Loud events follow activity: one per 10 minutes on a busy street at its peak, a few an
     * hour at night, when each one stands out far more. */
    activity = (bg - 48.0) / 22.0;
    activity = activity < 0.02 ? 0.02 : activity > 1.0 ? 1.0 : activity;
    rate = activity * activity * period / 600.0;
    n = sig_poisson(rate, d->seed, (uint64_t)t, TAG_EVENTS);
    n = n > MAX_EVENTS ? MAX_EVENTS : n;
    e = 0.0;
    max = bg + 3.0 + 4.0 * sig_u(d, (uint64_t)t, TAG_SWING); /* the background's own swings */
    for (k = 0; k <= n; k++) {
        const struct source *s = k < n ? &loud[p] : &siren;
        uint64_t tag = TAG_EV + 4 * (uint64_t)k;
        double lev, dur;

        /* The last slot is a siren, once or twice a day. */
        if (k == n && sig_u(d, (uint64_t)t, TAG_SIREN) >=
                          0.012 * (activity > 0.2 ? activity : 0.2) * period / 600.0)
            break;
        lev = s->lo + (s->hi - s->lo) * sig_u(d, (uint64_t)t, tag);
        dur = s->dur_lo + (s->dur_hi - s->dur_lo) * sig_u(d, (uint64_t)t, tag + 1);
        if (busy + dur > period)
            dur = period - busy;
        busy += dur;
        e += energy(lev) * dur;
        if (lev > max)
            max = lev;
    }
    e += energy(bg) * (period - busy);
    out->bg = bg;
    out->laeq = 10.0 * log10(e / period);
    /* The maximum is at least the loudest second, so never below the average. */
    out->lafmax = max > out->laeq + 0.5 ? max : out->laeq + 0.5;
    /* The fast level is one sample at the report: the background, now and then an event. */
    out->laf = bg + 2.5 * sig_n(d, (uint64_t)t, TAG_FAST);
    if (out->laf > out->lafmax)
        out->laf = out->lafmax;
    if (out->laf < 30.0)
        out->laf = 30.0;
}

static int noise_frames(const struct sim_device *d, int64_t t_us, struct sim_frame *out, size_t cap)
{
    int64_t t = sig_seconds(t_us);
    int period = d->period_s > 0 ? d->period_s : 600;
    enum profile p;
    struct levels l;
    int rc;

    if (!profile_of(d->profile, &p))
        return MUE_EINVAL;
    if (strcmp(d->model, "milesight-ws302") != 0 && strcmp(d->model, "elsys-ers-sound") != 0)
        return MUE_EINVAL;
    if (cap < 1)
        return MUE_E2BIG;
    interval(d, p, t, period, &l);
    sig_frame_init(&out[0], SIM_FRAME_DATA);
    if (strcmp(d->model, "milesight-ws302") == 0) {
        rc = sig_set(MUE_OK, &out[0], "LAF", l.laf);
        rc = sig_set(rc, &out[0], "LAeq", l.laeq);
        rc = sig_set(rc, &out[0], "LAFmax", l.lafmax);
        rc = sig_set(rc, &out[0], "battery", sig_battery_pct(d, t, 5.0, 5.0));
    } else {
        /* The ERS Sound sends whole dB; its other sensors see the street around it. */
        struct sig_env env;
        struct mue_localtime lt;
        double people = (l.bg - 45.0) / 2.0;

        sig_local(t, &lt);
        sig_env(d, p == SQUARE ? SIG_SITE_MINERAL : SIG_SITE_STREET, t, &env);
        rc = sig_set(MUE_OK, &out[0], "LAeq", l.laeq);
        rc = sig_set(rc, &out[0], "LAmax", l.lafmax);
        rc = sig_set(rc, &out[0], "temperature", env.temp_c);
        rc = sig_set(rc, &out[0], "humidity", env.rh_pct);
        rc = sig_set(rc, &out[0], "illuminance", env.lux);
        rc = sig_set(
            rc, &out[0], "motion",
            (double)sig_poisson(people > 0.0 ? people : 0.0, d->seed, (uint64_t)t, TAG_MOTION));
        rc = sig_set(rc, &out[0], "battery_voltage", sig_battery_v(d, t, 3.65, 3.2, 6.0));
    }
    return rc == MUE_OK ? 1 : rc;
}

const struct sim_signal sim_signal_noise = { "noise", noise_frames };
