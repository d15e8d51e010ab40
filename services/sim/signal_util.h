/* signal_util.h - what the signal_<use case>.c files share (defined in signal.c, and the site
 * climate in signal_heat.c): their table entries, time and randomness helpers, batteries,
 * installation days for cumulative counters.
 * SPDX-License-Identifier: MIT */
#ifndef SIGNAL_UTIL_H
#define SIGNAL_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "mue_localtime.h"
#include "signal.h"
#include "sim.h"

/* Each use case's entry of sim_signals[] (signal_<use case>.c). */
extern const struct sim_signal sim_signal_noise;
extern const struct sim_signal sim_signal_waste;
extern const struct sim_signal sim_signal_water;
extern const struct sim_signal sim_signal_counting;
extern const struct sim_signal sim_signal_lighting;
extern const struct sim_signal sim_signal_heat;

#define SIG_DAY_S INT64_C(86400)

/* Seconds since the epoch of a time in µs (rounded down, also before 1970). */
int64_t sig_seconds(int64_t t_us);

/* Floor division, for day and slot numbers of times before the epoch. */
int64_t sig_floor_div(int64_t a, int64_t b);

/* Local time of 't_s', and its hour of the day as a fraction (13:30 -> 13.5). */
double sig_local(int64_t t_s, struct mue_localtime *lt);

/* The instant local midnight starts local day 'day' (days since 1970-01-01). */
int64_t sig_day_start(int64_t day);

/* The device's draws: uniform in [0, 1) and standard normal, from (seed, slot, tag). */
double sig_u(const struct sim_device *d, uint64_t slot, uint64_t tag);
double sig_n(const struct sim_device *d, uint64_t slot, uint64_t tag);

/* A Poisson count of mean 'lambda' (>= 0) drawn from (seed, slot, tag). */
long sig_poisson(double lambda, uint64_t seed, uint64_t slot, uint64_t tag);

/* A binomial count: of 'n' trials of probability 'p', drawn from (seed, slot, tag). */
long sig_binomial(long n, double p, uint64_t seed, uint64_t slot, uint64_t tag);

/* Clears 'f' and gives it a kind. */
void sig_frame_init(struct sim_frame *f, enum sim_frame_kind kind);

/* sim_frame_set for several values in a row: returns 0 when every earlier call and this one
 * succeeded, else MUE_E2BIG ('rc' is the result so far). */
int sig_set(int rc, struct sim_frame *f, const char *name, double v);

/* The local day the device was last (re)installed at or before local day 'day': cumulative
 * counters (energy, totals) start there. Devices were installed in winter 2025-2026 (each on its
 * own day) and are replaced every three years, so a counter sums at most 1096 days. */
int64_t sig_install_day(const struct sim_device *d, int64_t day);

/* A battery gauge that drains slowly from its installation: percent (100 down to 'floor_pct'
 * after 'years' years), or volts from 'v_full' to 'v_low' over the same span. */
double sig_battery_pct(const struct sim_device *d, int64_t t_s, double years, double floor_pct);
double sig_battery_v(const struct sim_device *d, int64_t t_s, double v_full, double v_low,
                     double years);

/* The local microclimate a sensor sees: heat-island offset, sun on the sensor, shade. */
enum sig_site {
    SIG_SITE_MINERAL, /* a paved square in full sun */
    SIG_SITE_SCHOOLYARD,
    SIG_SITE_STREET, /* a street canyon */
    SIG_SITE_PARK,   /* under trees, the cool reference */
};

struct sig_env {
    double temp_c;
    double rh_pct;
    double lux;
};

/* Air temperature, relative humidity and illuminance at the device's site at 't_s'
 * (signal_heat.c). */
void sig_env(const struct sim_device *d, enum sig_site site, int64_t t_s, struct sig_env *out);

#endif
