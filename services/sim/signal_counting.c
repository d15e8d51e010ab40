/* signal_counting.c - bike and pedestrian counters with public displays (Parametric PCR2): counts
 * per 15 minutes in each direction, commuter peaks or leisure afternoons, rain days emptying the
 * cycle lanes, and totals since installation that are the exact sum of the reported counts.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <string.h>

#include "mue_err.h"
#include "signal_util.h"
#include "weather.h"

#define TAG_DAYNOISE 0xc0a701
#define TAG_TOTAL    0xc0a702 /* + direction */
#define TAG_SPLIT    0xc0a704 /* + direction */

/* The ticks of one local day that share out its traffic: 100 quarter hours on the day the clocks
 * go back; a device reporting more often than every 216 s would see the rest of its day in the
 * last of these. */
#define MAX_TICKS 400

enum dir { IN, OUT };

struct bump {
    double weight, mean_h, sd_h;
};

/* A traffic shape: bumps over the day (weights are shares of the day's traffic, each bump a
 * normal curve in local hours), per direction. */
struct shape {
    struct bump b[2][4];
};

static const struct shape commute_weekday = { {
    [IN] = { { 0.20, 8.25, 0.55 }, { 0.06, 12.5, 1.2 }, { 0.07, 17.9, 0.9 }, { 0.17, 14.0, 4.5 } },
    [OUT] = { { 0.07, 8.25, 0.6 }, { 0.06, 13.5, 1.2 }, { 0.20, 18.0, 0.85 }, { 0.17, 14.0, 4.5 } },
} };
static const struct shape leisure_week = { {
    [IN] = { { 0.10, 12.0, 1.5 }, { 0.26, 15.5, 2.3 }, { 0.06, 20.5, 1.5 }, { 0.08, 13.0, 5.0 } },
    [OUT] = { { 0.06, 12.5, 1.5 }, { 0.28, 17.0, 2.3 }, { 0.08, 21.0, 1.5 }, { 0.08, 13.0, 5.0 } },
} };

static double shape_at(const struct shape *s, enum dir dir, double h)
{
    double v = 0.0;

    for (int i = 0; i < 4; i++) {
        const struct bump *b = &s->b[dir][i];
        double z = (h - b->mean_h) / b->sd_h;

        v += b->weight * exp(-0.5 * z * z) / (b->sd_h * sqrt(2.0 * M_PI));
    }
    return v + 0.0003; /* the odd night owl */
}

/* The share of the day's traffic going 'dir' under shape 's'. */
static double dir_share(const struct shape *s, enum dir dir)
{
    double w[2] = { 0.0, 0.0 };

    for (int k = 0; k < 2; k++) {
        for (int i = 0; i < 4; i++)
            w[k] += s->b[k][i].weight;
    }
    return w[dir] / (w[IN] + w[OUT]);
}

struct counter {
    int bikes;     /* else pedestrians */
    int commute;   /* else leisure */
    int ltr_is_in; /* the counter's left-to-right is inbound */
    double daily;  /* a typical weekday, both directions */
};

static const struct shape *shape_of(const struct counter *c, int wday)
{
    int weekend = wday == 0 || wday == 6;

    return c->commute && !weekend ? &commute_weekday : &leisure_week;
}

/* Expected traffic of local day 'day', both directions. */
static double day_mean(const struct sim_device *d, const struct counter *c, int64_t day)
{
    static const double bike_month[12] = { 0.75, 0.8,  0.9, 1.0, 1.1,  1.1,
                                           0.95, 0.75, 1.1, 1.0, 0.85, 0.75 };
    static const double walk_month[12] = { 0.9, 0.9, 0.95, 1.0, 1.05, 1.05,
                                           1.1, 1.1, 1.0,  1.0, 0.95, 0.95 };
    int wday = (int)(((day + 4) % 7 + 7) % 7), y, m, dd;
    double n = c->daily, rain = weather_rain_day_mm(day);

    mue_localtime_civil_from_days(day, &y, &m, &dd);
    if (c->commute)
        n *= wday == 6 ? 0.55 : wday == 0 ? 0.45 : 1.0;
    else
        n *= wday == 6 ? 1.6 : wday == 0 ? 1.8 : 1.0;
    n *= c->bikes ? bike_month[m - 1] : walk_month[m - 1];
    if (rain >= 1.0)
        n *= c->bikes ? 1.0 - (0.3 + 0.3 * fmin(1.0, rain / 20.0))
                      : 1.0 - 0.15 * fmin(1.0, rain / 10.0);
    return n * exp(0.08 * sig_n(d, (uint64_t)day, TAG_DAYNOISE));
}

/* How many passed each way on local day 'day' (one Poisson draw each: the day's totals are
 * known without its quarter hours, which share them out below). */
static void day_totals(const struct sim_device *d, const struct counter *c, int64_t day,
                       long total[2])
{
    int wday = (int)(((day + 4) % 7 + 7) % 7);
    double mean = day_mean(d, c, day);

    for (int dir = IN; dir <= OUT; dir++)
        total[dir] = sig_poisson(mean * dir_share(shape_of(c, wday), (enum dir)dir), d->seed,
                                 (uint64_t)day, TAG_TOTAL + (uint64_t)dir);
}

/* The ticks whose interval (t - period, t] has its middle in local day 'day': k_lo..k_hi. */
static void day_ticks(const struct sim_device *d, int64_t day, int64_t *k_lo, int64_t *k_hi)
{
    int64_t p = d->period_s, half = p / 2;

    *k_lo = -sig_floor_div(-(sig_day_start(day) - d->phase_s + half), p);
    *k_hi = -sig_floor_div(-(sig_day_start(day + 1) - d->phase_s + half), p) - 1;
}

/* The count of tick 'k' of local day 'day' going 'dir', and the day's count up to it. The day's
 * total is dealt out tick by tick, each taking a binomial share of what is left in proportion to
 * its traffic: the ticks of a day always add up to its total. */
static void tick_count(const struct sim_device *d, const struct counter *c, int64_t day, int64_t k,
                       enum dir dir, long *count, long *so_far)
{
    const struct shape *s;
    struct mue_localtime lt;
    int64_t k_lo, k_hi, j;
    double w[MAX_TICKS], left = 0.0;
    long totals[2], rest;

    day_ticks(d, day, &k_lo, &k_hi);
    if (k_hi - k_lo + 1 > MAX_TICKS)
        k_hi = k_lo + MAX_TICKS - 1;
    mue_localtime_from_utc(sig_day_start(day) + 43200, &lt);
    s = shape_of(c, lt.wday);
    for (j = k_lo; j <= k_hi; j++) {
        int64_t mid = j * d->period_s + d->phase_s - d->period_s / 2;

        w[j - k_lo] = shape_at(s, dir, sig_local(mid, &lt));
        left += w[j - k_lo];
    }
    day_totals(d, c, day, totals);
    rest = totals[dir];
    *so_far = 0;
    *count = 0;
    for (j = k_lo; j <= k && j <= k_hi; j++) {
        double p = w[j - k_lo] / left;
        long n = j == k_hi ? rest : sig_binomial(rest, p, d->seed, (uint64_t)j, TAG_SPLIT + dir);

        rest -= n;
        left -= w[j - k_lo];
        *so_far += n;
        *count = n;
    }
}

static int counter_of(const struct sim_device *d, struct counter *c)
{
    const char *counts = sim_param_str(d, "counts", "bike");
    const char *ltr = sim_param_str(d, "ltr", "in");

    if (strcmp(d->model, "parametric-pcr2") != 0 || d->period_s <= 0)
        return 0;
    if (strcmp(counts, "bike") != 0 && strcmp(counts, "pedestrian") != 0)
        return 0;
    if (strcmp(ltr, "in") != 0 && strcmp(ltr, "out") != 0)
        return 0;
    if (strcmp(d->profile, "commute") != 0 && strcmp(d->profile, "leisure") != 0)
        return 0;
    c->bikes = strcmp(counts, "bike") == 0;
    c->commute = strcmp(d->profile, "commute") == 0;
    c->ltr_is_in = strcmp(ltr, "in") == 0;
    c->daily = sim_param(d, "daily_mean", c->bikes ? 1500.0 : 5000.0);
    return c->daily >= 0.0;
}

static int counting_frames(const struct sim_device *d, int64_t t_us, struct sim_frame *out,
                           size_t cap)
{
    int64_t t = sig_seconds(t_us), k, day, first;
    struct counter c;
    long count[2], total[2];
    struct sig_env env;
    int rc;

    if (!counter_of(d, &c))
        return MUE_EINVAL;
    if (cap < 1)
        return MUE_E2BIG;
    k = sig_floor_div(t - d->phase_s, d->period_s);
    day = mue_localtime_day(k * d->period_s + d->phase_s - d->period_s / 2);
    first = sig_install_day(d, day);
    for (int dir = IN; dir <= OUT; dir++)
        tick_count(d, &c, day, k, (enum dir)dir, &count[dir], &total[dir]);
    for (int64_t dd = first; dd < day; dd++) {
        long past[2];

        day_totals(d, &c, dd, past);
        total[IN] += past[IN];
        total[OUT] += past[OUT];
    }
    sig_env(d, SIG_SITE_STREET, t, &env);
    sig_frame_init(&out[0], SIM_FRAME_DATA);
    /* The totals are the device's 16-bit registers: they wrap as the PCR2's do. */
    rc = sig_set(MUE_OK, &out[0], "count_ltr", (double)count[c.ltr_is_in ? IN : OUT]);
    rc = sig_set(rc, &out[0], "count_rtl", (double)count[c.ltr_is_in ? OUT : IN]);
    rc = sig_set(rc, &out[0], "count_ltr_total", (double)(total[c.ltr_is_in ? IN : OUT] % 65536));
    rc = sig_set(rc, &out[0], "count_rtl_total", (double)(total[c.ltr_is_in ? OUT : IN] % 65536));
    rc = sig_set(rc, &out[0], "device_temperature", env.temp_c + 4.0);
    return rc == MUE_OK ? 1 : rc;
}

const struct sim_signal sim_signal_counting = { "counting", counting_frames };
