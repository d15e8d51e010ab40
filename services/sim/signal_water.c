/* signal_water.c - the Touloubre and the Cadière: river levels that rise within hours of each
 * storm and recede over one to three days, seen by an ultrasonic gauge (Decentlab DL-MBX), a
 * pressure probe (DL-PR26) and a quality probe (DL-CTD10: depth, temperature, conductivity).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <string.h>

#include "mue_err.h"
#include "signal_util.h"
#include "weather.h"

#define TAG_NOISE   0x3a7e01
#define TAG_SAMPLES 0x3a7e02
#define TAG_COND    0x3a7e03

#define BAR_PER_M (1000.0 * 9.80665 / 100000.0) /* hydrostatic pressure of fresh water */

enum river { TOULOUBRE, CADIERE };

/* Per river: hours from the start of the rain to the peak at the upstream station (besides the
 * rain's own duration), the recession time constant range (h), and the conductivity at low flow
 * (µS/cm: the Touloubre drains limestone; the Cadière runs through Vitrolles' industrial zone). */
static const struct {
    const char *name;
    double rise_h, tau_lo_h, tau_hi_h, cond;
} rivers[] = {
    [TOULOUBRE] = { "touloubre", 4.0, 16.0, 30.0, 780.0 },
    [CADIERE] = { "cadiere", 2.5, 12.0, 24.0, 1350.0 },
};

/* Finds the river by name, as people write it: "touloubre", "Touloubre", "Cadière", "cadiere"
 * (ASCII case folded, the UTF-8 e with an accent read as e). */
static int river_of(const char *name, enum river *r)
{
    char folded[32];
    size_t n = 0;

    for (const unsigned char *c = (const unsigned char *)name; *c && n + 1 < sizeof(folded); c++) {
        if (c[0] == 0xC3 && c[1] >= 0xA8 && c[1] <= 0xAB) { /* è é ê ë */
            folded[n++] = 'e';
            c++;
        } else {
            folded[n++] = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
        }
    }
    folded[n] = '\0';
    for (size_t i = 0; i < sizeof(rivers) / sizeof(rivers[0]); i++) {
        if (strcmp(folded, rivers[i].name) == 0) {
            *r = (enum river)i;
            return 1;
        }
    }
    return 0;
}

/* The flood response at the station, in vigilance steps (0 base flow, 1 yellow, 2 orange, 3
 * red): each storm's hydrograph rises smoothly to its strength, then recedes exponentially. A
 * storm weeks old has gone: only the last few matter. */
static double response(enum river r, int64_t t, double lag_h)
{
    int64_t at = t - (int64_t)(lag_h * 3600.0);
    double u = 0.0;
    struct weather_storm s;

    for (int64_t n = weather_storm_last(at), k = 0; k < 4; k++, n--) {
        double x, peak_h, tau_h, v;

        weather_storm(n, &s);
        x = (double)(at - s.start_s) / 3600.0;
        /* Long rain keeps feeding the rise; each storm recedes at its own pace. */
        peak_h = (double)(s.end_s - s.start_s) / 3600.0 + rivers[r].rise_h;
        tau_h = rivers[r].tau_lo_h +
                (rivers[r].tau_hi_h - rivers[r].tau_lo_h) * sim_uniform(0x7a1e, (uint64_t)n, r);
        if (x < 0.0)
            continue;
        if (x < peak_h)
            v = s.strength * (1.0 - cos(M_PI * x / peak_h)) / 2.0;
        else
            v = s.strength * exp(-(x - peak_h) / tau_h);
        u += v;
    }
    return u;
}

struct thresholds {
    double base, yellow, orange, red;
};

/* Vigilance steps to metres: piecewise linear through the station's own thresholds, so every
 * station crosses its yellow line with each storm whatever its numbers. */
static double level_of(const struct thresholds *th, double u)
{
    if (u < 1.0)
        return th->base + u * (th->yellow - th->base);
    if (u < 2.0)
        return th->yellow + (u - 1.0) * (th->orange - th->yellow);
    if (u < 3.0)
        return th->orange + (u - 2.0) * (th->red - th->orange);
    return th->red + (u - 3.0) * (th->red - th->orange);
}

/* Water temperature: the air's of the last days, damped (a spring-fed river stays cooler in
 * summer and milder in winter), with a small afternoon swing. */
static double water_temp(int64_t t)
{
    double sum = 0.0, tmin, tmax;
    int64_t day = mue_localtime_day(t);
    struct mue_localtime lt;
    double h = sig_local(t, &lt);

    for (int64_t k = 1; k <= 5; k++) {
        weather_day_temps(day - k, &tmin, &tmax);
        sum += (tmin + tmax) / 2.0;
    }
    return 4.0 + 0.72 * sum / 5.0 + 0.6 * cos((h - 16.0) * M_PI / 12.0);
}

static int water_frames(const struct sim_device *d, int64_t t_us, struct sim_frame *out, size_t cap)
{
    int64_t t = sig_seconds(t_us);
    enum river r;
    struct thresholds th;
    struct mue_localtime lt;
    double u, level, h, noise = sig_n(d, (uint64_t)t, TAG_NOISE);
    int mbx = strcmp(d->model, "decentlab-dl-mbx") == 0;
    int pr26 = strcmp(d->model, "decentlab-dl-pr26") == 0;
    int ctd10 = strcmp(d->model, "decentlab-dl-ctd10") == 0;
    int rc;

    if (!river_of(sim_param_str(d, "river", ""), &r) || !(mbx || pr26 || ctd10))
        return MUE_EINVAL;
    if (strcmp(d->profile, ctd10 ? "quality" : "level") != 0)
        return MUE_EINVAL;
    if (cap < 1)
        return MUE_E2BIG;
    th.base = sim_param(d, "base_level_m", 0.5);
    th.yellow = sim_param(d, "vigilance_yellow_m", th.base + 0.8);
    th.orange = sim_param(d, "vigilance_orange_m", th.yellow + 0.6);
    th.red = sim_param(d, "vigilance_red_m", th.orange + 0.8);
    u = response(r, t, sim_param(d, "flood_lag_h", 0.0));
    /* Base flow: lower at the end of summer; plants drink in the afternoon. Floods drown both. */
    h = sig_local(t, &lt);
    level = level_of(&th, u) +
            (-0.04 * (lt.month >= 7 && lt.month <= 9) + 0.008 * cos((h - 6.0) * M_PI / 12.0)) *
                (u < 1.0 ? 1.0 - u : 0.0);
    sig_frame_init(&out[0], SIM_FRAME_DATA);
    if (mbx) {
        double height = sim_param(d, "sensor_height_m", th.red + 1.0);
        double dist = height - level + 0.004 * noise;

        rc = sig_set(MUE_OK, &out[0], "distance", dist > 0.05 ? dist : 0.05);
        rc = sig_set(rc, &out[0], "valid_samples",
                     (double)(12 - (long)(3.0 * sig_u(d, (uint64_t)t, TAG_SAMPLES) *
                                          sig_u(d, (uint64_t)t, TAG_SAMPLES + 1))));
        rc = sig_set(rc, &out[0], "battery_voltage", sig_battery_v(d, t, 3.62, 3.1, 6.0));
    } else {
        double depth = level - sim_param(d, "sensor_elevation_m", th.base - 0.4) + 0.003 * noise;
        double wt = water_temp(t);

        depth = depth > 0.0 ? depth : 0.0; /* the probe stays under water at low flow */
        if (pr26) {
            rc = sig_set(MUE_OK, &out[0], "pressure", depth * BAR_PER_M);
            rc = sig_set(rc, &out[0], "temperature", wt);
        } else {
            /* Floods dilute: rain water carries few ions. */
            double cond = rivers[r].cond * (1.0 - 0.55 * (1.0 - exp(-u / 1.2))) *
                          (1.0 + 0.02 * sig_n(d, (uint64_t)t, TAG_COND));

            rc = sig_set(MUE_OK, &out[0], "water_depth", depth);
            rc = sig_set(rc, &out[0], "temperature", wt);
            rc = sig_set(rc, &out[0], "conductivity", cond);
            rc = sig_set(rc, &out[0], "freezing", 0.0);
        }
        rc = sig_set(rc, &out[0], "battery_voltage", sig_battery_v(d, t, 3.62, 3.1, 6.0));
    }
    return rc == MUE_OK ? 1 : rc;
}

const struct sim_signal sim_signal_water = { "water", water_frames };
