/* signal_waste.c - drop-off containers (glass, packaging, paper) filling between collection
 * rounds, seen by ultrasonic sensors (Milesight EM310-UDL, Dingtek DF702): the distance from the
 * lid down to the waste, tilts, and on the DF702 a rare fire.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <string.h>

#include "mue_err.h"
#include "signal_util.h"
#include "weather.h"

#define TAG_RATE  0x3a5701
#define TAG_MISS  0x3a5702
#define TAG_RESID 0x3a5703
#define TAG_DAY   0x3a5704
#define TAG_ROUND 0x3a5705
#define TAG_NOISE 0x3a5706
#define TAG_TILT  0x3a5707
#define TAG_FIRE  0x3a5708
#define TAG_SLOT  0x3a5709

/* How far back a fill is summed: a container missed by every round for two months is full
 * long before. */
#define MAX_BACK_DAYS 60
#define P_MISSED      0.07   /* a round passes a container by */
#define P_TILT        0.004  /* a container knocked over for a few hours, per day */
#define P_FIRE        0.0007 /* a container set on fire, per day */

enum waste { GLASS, PACKAGING, PAPER };

/* Days a container takes to fill on weekdays, by type: glass slowly, packaging fast. */
static const double fill_days[3][2] = {
    [GLASS] = { 12.0, 20.0 },
    [PACKAGING] = { 4.0, 7.0 },
    [PAPER] = { 7.0, 11.0 },
};

static int waste_of(const char *name, enum waste *w)
{
    if (strcmp(name, "glass") == 0)
        *w = GLASS;
    else if (strcmp(name, "packaging") == 0)
        *w = PACKAGING;
    else if (strcmp(name, "paper") == 0)
        *w = PAPER;
    else
        return 0;
    return 1;
}

static int weekday(int64_t day)
{
    return (int)(((day + 4) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
}

/* The commune's round for this waste type: glass every other week, paper weekly, packaging twice
 * a week, on weekdays drawn from the commune's INSEE code. */
static int is_round_day(const struct sim_device *d, enum waste w, int64_t day)
{
    uint64_t h = 1469598103934665603ULL;
    int wd = weekday(day), first;

    for (const char *c = d->insee; *c; c++)
        h = (h ^ (uint64_t)(unsigned char)*c) * 1099511628211ULL;
    h = sim_hash(h, (uint64_t)w, TAG_ROUND);
    switch (w) {
    case GLASS:
        return wd == 1 + (int)(h % 5) && (sig_floor_div(day + 3, 7) & 1) == (int64_t)((h >> 8) & 1);
    case PACKAGING:
        first = 1 + (int)(h % 3);
        return wd == first || wd == first + 3;
    case PAPER:
        return wd == 1 + (int)(h % 5);
    }
    return 0;
}

/* The day's deposits, % of the container: more at weekends, and glass more in summer. */
static double deposits(const struct sim_device *d, enum waste w, int64_t day)
{
    double days = fill_days[w][0] + (fill_days[w][1] - fill_days[w][0]) * sig_u(d, 0, TAG_RATE);
    double a = 100.0 / days * (0.7 + 0.6 * sig_u(d, (uint64_t)day, TAG_DAY));
    int wd = weekday(day), y, m, dd;

    if (wd == 0 || wd == 6)
        a *= 1.4;
    mue_localtime_civil_from_days(day, &y, &m, &dd);
    if (w == GLASS && m >= 6 && m <= 8)
        a *= 1.3;
    return a;
}

/* The share of a day's deposits made by local hour 'h': from 8:00 to 21:00, most around noon
 * and in the evening (a smooth S over the day). */
static double deposited_by(double h)
{
    double x = (h - 8.0) / 13.0;

    x = x < 0.0 ? 0.0 : x > 1.0 ? 1.0 : x;
    return x * x * (3.0 - 2.0 * x);
}

static double hour_of(int64_t t, int64_t day)
{
    return (double)(t - sig_day_start(day)) / 3600.0;
}

/* The container's fill, %, at 't': what was deposited since the round last emptied it. */
static double fill_at(const struct sim_device *d, enum waste w, int64_t t)
{
    int64_t day = mue_localtime_day(t), empty_day = day - MAX_BACK_DAYS, k;
    double round_h = 6.0 + 5.0 * sig_u(d, 0, TAG_SLOT); /* its place in the round */
    double h_empty = 0.0, fill = 0.0, h_now = hour_of(t, day);

    for (k = 0; k < MAX_BACK_DAYS; k++) {
        int64_t dd = day - k;

        if (!is_round_day(d, w, dd) || sig_u(d, (uint64_t)dd, TAG_MISS) < P_MISSED)
            continue;
        if (k == 0 && h_now < round_h)
            continue; /* today's round has not come yet */
        empty_day = dd;
        h_empty = round_h;
        fill = 3.0 * sig_u(d, (uint64_t)dd, TAG_RESID); /* what sticks to the walls */
        break;
    }
    for (int64_t dd = empty_day; dd <= day; dd++) {
        double from = dd == empty_day ? deposited_by(h_empty) : 0.0;
        double to = dd == day ? deposited_by(h_now) : 1.0;

        if (to > from)
            fill += deposits(d, w, dd) * (to - from);
    }
    return fill > 100.0 ? 100.0 : fill;
}

/* Whether a rare event of daily probability 'p' (a tilt, a fire) covers 't': it starts at a
 * random time of its day and lasts 'lo' to 'hi' hours, possibly past midnight. */
static int episode(const struct sim_device *d, int64_t t, double p, uint64_t tag, double lo,
                   double hi)
{
    int64_t day = mue_localtime_day(t);

    for (int64_t dd = day - 1; dd <= day; dd++) {
        int64_t start, end;

        if (sig_u(d, (uint64_t)dd, tag) >= p)
            continue;
        start = sig_day_start(dd) + (int64_t)(86400.0 * sig_u(d, (uint64_t)dd, tag + 100));
        end = start + (int64_t)(3600.0 * (lo + (hi - lo) * sig_u(d, (uint64_t)dd, tag + 200)));
        if (t >= start && t < end)
            return 1;
    }
    return 0;
}

static int waste_frames(const struct sim_device *d, int64_t t_us, struct sim_frame *out, size_t cap)
{
    int64_t t = sig_seconds(t_us);
    const char *kind = sim_param_str(d, "waste", d->profile);
    double empty = sim_param(d, "empty_distance_m", 2.4),
           full = sim_param(d, "full_distance_m", 0.35);
    double fill, distance;
    int em310 = strcmp(d->model, "milesight-em310-udl") == 0, tilted, rc;
    enum waste w;

    if (!waste_of(kind, &w) || (!em310 && strcmp(d->model, "dingtek-df702") != 0) ||
        !(empty > full))
        return MUE_EINVAL;
    if (cap < 1)
        return MUE_E2BIG;
    fill = fill_at(d, w, t);
    distance = empty - fill / 100.0 * (empty - full) + 0.003 * sig_n(d, (uint64_t)t, TAG_NOISE);
    tilted = episode(d, t, P_TILT, TAG_TILT, 2.0, 6.0);
    sig_frame_init(&out[0], SIM_FRAME_DATA);
    if (em310) {
        rc = sig_set(MUE_OK, &out[0], "distance", distance);
        rc = sig_set(rc, &out[0], "tilt", tilted);
        rc = sig_set(rc, &out[0], "battery", sig_battery_pct(d, t, 6.0, 10.0));
    } else {
        int fire = episode(d, t, P_FIRE, TAG_FIRE, 1.0, 3.0);
        struct sig_env env;
        double temp;

        /* Inside a metal container on a square: the sun heats it; a fire far more. */
        sig_env(d, SIG_SITE_MINERAL, t, &env);
        temp = fire ? 65.0 + 40.0 * sig_u(d, (uint64_t)t, TAG_FIRE + 300) : env.temp_c;
        rc = sig_set(MUE_OK, &out[0], "distance", distance);
        rc = sig_set(rc, &out[0], "temperature", temp);
        rc = sig_set(rc, &out[0], "tilt_angle",
                     tilted ? 25.0 + 50.0 * sig_u(d, (uint64_t)(t / 86400), TAG_TILT + 300)
                            : fabs(1.5 * sig_n(d, 0, TAG_TILT + 400)));
        rc = sig_set(rc, &out[0], "full_alarm", fill >= 90.0);
        rc = sig_set(rc, &out[0], "fire_alarm", fire);
        rc = sig_set(rc, &out[0], "tilt", tilted);
        rc = sig_set(rc, &out[0], "battery_low", 0.0);
    }
    return rc == MUE_OK ? 1 : rc;
}

const struct sim_signal sim_signal_waste = { "waste", waste_frames };
