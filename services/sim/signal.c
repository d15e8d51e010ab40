/* signal.c - the table of the simulator's signals, and the helpers they share.
 * SPDX-License-Identifier: MIT */
#include "signal.h"

#include <math.h>
#include <string.h>

#include "mue_err.h"
#include "signal_util.h"

const struct sim_signal *const sim_signals[] = {
    &sim_signal_noise,
    &sim_signal_waste,
    &sim_signal_water,
    &sim_signal_counting,
    &sim_signal_lighting,
    &sim_signal_heat,
    NULL,
};

const struct sim_signal *sim_signal_find(const char *use_case)
{
    for (size_t i = 0; sim_signals[i] != NULL; i++) {
        if (strcmp(sim_signals[i]->use_case, use_case) == 0)
            return sim_signals[i];
    }
    return NULL;
}

int64_t sig_floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;

    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t sig_seconds(int64_t t_us)
{
    return sig_floor_div(t_us, 1000000);
}

double sig_local(int64_t t_s, struct mue_localtime *lt)
{
    mue_localtime_from_utc(t_s, lt);
    return lt->hour + lt->minute / 60.0 + lt->second / 3600.0;
}

int64_t sig_day_start(int64_t day)
{
    int y, m, d;

    mue_localtime_civil_from_days(day, &y, &m, &d);
    return mue_localtime_to_utc(y, m, d, 0, 0, 0);
}

double sig_u(const struct sim_device *d, uint64_t slot, uint64_t tag)
{
    return sim_uniform(d->seed, slot, tag);
}

double sig_n(const struct sim_device *d, uint64_t slot, uint64_t tag)
{
    return sim_normal(d->seed, slot, tag);
}

long sig_poisson(double lambda, uint64_t seed, uint64_t slot, uint64_t tag)
{
    double u, p, cdf;
    long k = 0;

    if (!(lambda > 0.0))
        return 0;
    /* Large means: the normal approximation, rounded and kept non-negative. */
    if (lambda > 30.0) {
        double x = lambda + sqrt(lambda) * sim_normal(seed, slot, tag) + 0.5;

        return x < 0.0 ? 0 : (long)x;
    }
    /* Small means: inversion of the cumulative distribution with one uniform draw. */
    u = sim_uniform(seed, slot, tag);
    p = exp(-lambda);
    cdf = p;
    while (u > cdf && k < 200) {
        k++;
        p *= lambda / (double)k;
        cdf += p;
    }
    return k;
}

long sig_binomial(long n, double p, uint64_t seed, uint64_t slot, uint64_t tag)
{
    double mean, x;

    if (n <= 0 || !(p > 0.0))
        return 0;
    if (p >= 1.0)
        return n;
    mean = (double)n * p;
    /* Rare successes: Poisson; otherwise the normal approximation, kept within 0..n. */
    if (mean < 20.0 && p < 0.2) {
        long k = sig_poisson(mean, seed, slot, tag);

        return k > n ? n : k;
    }
    x = mean + sqrt(mean * (1.0 - p)) * sim_normal(seed, slot, tag) + 0.5;
    if (x < 0.0)
        return 0;
    return x > (double)n ? n : (long)x;
}

void sig_frame_init(struct sim_frame *f, enum sim_frame_kind kind)
{
    memset(f, 0, sizeof(*f));
    f->kind = kind;
}

int sig_set(int rc, struct sim_frame *f, const char *name, double v)
{
    if (rc != MUE_OK)
        return rc;
    return sim_frame_set(f, name, v) == MUE_OK ? MUE_OK : MUE_E2BIG;
}

#define INSTALL_PERIOD_DAYS 1096 /* a replacement every three years */
#define INSTALL_SPREAD_DAYS 150  /* the fleet went in over five months */

int64_t sig_install_day(const struct sim_device *d, int64_t day)
{
    int64_t first = mue_localtime_days_from_civil(2025, 11, 1) +
                    (int64_t)(sim_hash(d->seed, 0, 0x1457a11) % INSTALL_SPREAD_DAYS);

    return first + sig_floor_div(day - first, INSTALL_PERIOD_DAYS) * INSTALL_PERIOD_DAYS;
}

/* The fraction of the battery's life used at 't_s', 0..1, from the last installation (a new
 * device, a new battery) and the device's own starting charge. */
static double battery_used(const struct sim_device *d, int64_t t_s, double years)
{
    int64_t day = mue_localtime_day(t_s);
    double age = (double)(day - sig_install_day(d, day)) / 365.25;
    double used = 0.05 * sim_uniform(d->seed, 0, 0xba77) + age / years;

    return used > 1.0 ? 1.0 : used;
}

double sig_battery_pct(const struct sim_device *d, int64_t t_s, double years, double floor_pct)
{
    return floor(100.0 - (100.0 - floor_pct) * battery_used(d, t_s, years));
}

double sig_battery_v(const struct sim_device *d, int64_t t_s, double v_full, double v_low,
                     double years)
{
    /* Lithium cells hold their voltage and fall off at the end: a slow then faster drop. */
    double u = battery_used(d, t_s, years);

    return v_full - (v_full - v_low) * (0.3 * u + 0.7 * pow(u, 4.0));
}
