/* signal_lighting.c - street lighting on an astronomical clock: lamp controllers (NAS UL20xx)
 * and the cabinets that feed them (Milesight WS558). On at sunset at 100 %, dimmed from 23:00,
 * 100 % again from 05:30 until sunrise, off by day; lamps fail now and then, cabinets lose power
 * more rarely (and their lamps with them).
 * Parameters: lamp_power_w (a lamp's rated power), lamps (a cabinet's count), and optionally
 * dimming: the night level in % (a number, 50 when absent) or "none" for 100 % all night.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mue_err.h"
#include "mue_sun.h"
#include "signal_util.h"
#include "weather.h"

#define TAG_FAIL   0x11a701
#define TAG_FAULT  0x11a702
#define TAG_SPREAD 0x11a703
#define TAG_NOISE  0x11a704
#define TAG_VOLT   0x11a705

#define BLOCK_DAYS      30   /* failures and faults are drawn per 30-day block */
#define P_LAMP_FAIL     0.04 /* a lamp fails in a given block */
#define P_CABINET_FAULT 0.12 /* a cabinet's supply trips in a given block */
#define DRIVER_EFF      0.92 /* cabinet power: the lamps' rated power over their drivers' */
#define MAX_WINDOWS     4

/* One lit span of a local day: [from, to) at 'level' %. */
struct span {
    int64_t from, to;
    double level;
};

/* A failure or a fault: [from, to). */
struct window {
    int64_t from, to;
};

static double night_level(const struct sim_device *d)
{
    const json_t *j = d->params ? json_object_get(d->params, "dimming") : NULL;

    if (json_is_number(j))
        return json_number_value(j);
    if (json_is_string(j) && strcmp(json_string_value(j), "none") == 0)
        return 100.0;
    return 50.0;
}

/* The lit spans of local day 'day': the night's tail dimmed until 05:30 (or sunrise), full from
 * 05:30 to sunrise, full from sunset to 23:00, dimmed from 23:00 to midnight. Returns how many. */
static int day_spans(const struct sim_device *d, int64_t day, struct span *s)
{
    double lat = d->lat != 0.0 ? d->lat : WEATHER_LAT, lon = d->lon != 0.0 ? d->lon : WEATHER_LON;
    double dim = night_level(d);
    int64_t midnight = sig_day_start(day), next = sig_day_start(day + 1), rise, set, t0530, t2300;
    int y, m, dd, n = 0;

    mue_localtime_civil_from_days(day, &y, &m, &dd);
    if (mue_sun_times(lat, lon, y, m, dd, MUE_SUN_ZENITH_OFFICIAL, &rise, &set) != 0) {
        rise = midnight + 7 * 3600; /* never at these latitudes */
        set = midnight + 18 * 3600;
    }
    t0530 = mue_localtime_to_utc(y, m, dd, 5, 30, 0);
    t2300 = mue_localtime_to_utc(y, m, dd, 23, 0, 0);
    s[n++] = (struct span){ midnight, rise < t0530 ? rise : t0530, dim };
    if (rise > t0530)
        s[n++] = (struct span){ t0530, rise, 100.0 };
    if (set < t2300)
        s[n++] = (struct span){ set, t2300, 100.0 };
    s[n++] = (struct span){ set > t2300 ? set : t2300, next, dim };
    return n;
}

/* The level scheduled at 't' (0 by day). */
static double level_at(const struct sim_device *d, int64_t t)
{
    struct span s[4];
    int n = day_spans(d, mue_localtime_day(t), s);

    for (int i = 0; i < n; i++) {
        if (t >= s[i].from && t < s[i].to)
            return s[i].level;
    }
    return 0.0;
}

/* Windows drawn per 30-day block with probability 'p' and a duration of lo..hi hours, keyed by
 * 'key' (a lamp's seed, a site's name): those of the blocks of days 'from_day'..'to_day' (a
 * window is shorter than a block, so the block before is enough). Returns how many. */
static int windows(uint64_t key, uint64_t tag, double p, double lo_h, double hi_h, int64_t from_day,
                   int64_t to_day, struct window *w)
{
    int n = 0;

    for (int64_t b = sig_floor_div(from_day, BLOCK_DAYS) - 1;
         b <= sig_floor_div(to_day, BLOCK_DAYS) && n < MAX_WINDOWS; b++) {
        double start;

        if (sim_uniform(key, (uint64_t)b, tag) >= p)
            continue;
        start = (double)b * BLOCK_DAYS * 86400.0 +
                sim_uniform(key, (uint64_t)b, tag + 1) * BLOCK_DAYS * 86400.0;
        w[n].from = (int64_t)start;
        w[n].to =
            w[n].from +
            (int64_t)(3600.0 * (lo_h + (hi_h - lo_h) * sim_uniform(key, (uint64_t)b, tag + 2)));
        n++;
    }
    return n;
}

static int in_windows(const struct window *w, int n, int64_t t)
{
    for (int i = 0; i < n; i++) {
        if (t >= w[i].from && t < w[i].to)
            return 1;
    }
    return 0;
}

/* A site's cabinet trips now and then for a few hours: the cabinet reads no voltage and its
 * lamps go dark and silent. Keyed by the site's name so that both sides agree. */
static uint64_t site_key(const struct sim_device *d)
{
    uint64_t h = 1469598103934665603ULL;
    const char *s = d->site[0] ? d->site : d->dev_eui;

    for (; *s; s++)
        h = (h ^ (uint64_t)(unsigned char)*s) * 1099511628211ULL;
    return h;
}

static int site_windows(const struct sim_device *d, int64_t from_day, int64_t to_day,
                        struct window *w)
{
    return windows(site_key(d), TAG_FAULT, P_CABINET_FAULT, 2.0, 8.0, from_day, to_day, w);
}

/* The lamp's own failures (1 to 5 days until the repair crew comes). */
static int lamp_windows(const struct sim_device *d, int64_t from_day, int64_t to_day,
                        struct window *w)
{
    return windows(d->seed, TAG_FAIL, P_LAMP_FAIL, 24.0, 120.0, from_day, to_day, w);
}

/* The length of [a, b) outside every window. */
static double uncovered(int64_t a, int64_t b, const struct window *w, int n)
{
    struct window cut[2 * MAX_WINDOWS];
    int64_t pos = a;
    double len = 0.0;
    int m = 0;

    if (b <= a)
        return 0.0;
    for (int i = 0; i < n; i++) {
        if (w[i].to > a && w[i].from < b)
            cut[m++] = w[i];
    }
    /* Sweep the (few) windows in order of start. */
    for (int i = 0; i < m; i++) {
        for (int j = i + 1; j < m; j++) {
            if (cut[j].from < cut[i].from) {
                struct window x = cut[i];

                cut[i] = cut[j];
                cut[j] = x;
            }
        }
    }
    for (int i = 0; i < m; i++) {
        if (cut[i].from > pos)
            len += (double)((cut[i].from < b ? cut[i].from : b) - pos);
        if (cut[i].to > pos)
            pos = cut[i].to;
    }
    if (pos < b)
        len += (double)(b - pos);
    return len;
}

/* Lit hours and level-hours (hours x level/100) since the installation, up to 't', leaving out
 * the cabinet's trips and, for a lamp ('lamp' set), its own failures: what the meters count. */
static void lit_since_install(const struct sim_device *d, int64_t t, int lamp, double *hours,
                              double *level_hours)
{
    int64_t day = mue_localtime_day(t), first = sig_install_day(d, day);

    *hours = 0.0;
    *level_hours = 0.0;
    for (int64_t dd = first; dd <= day; dd++) {
        struct span s[4];
        struct window w[2 * MAX_WINDOWS];
        int n = day_spans(d, dd, s), nw = site_windows(d, dd, dd, w);

        if (lamp)
            nw += lamp_windows(d, dd, dd, w + nw);
        for (int i = 0; i < n; i++) {
            double h = uncovered(s[i].from, s[i].to < t ? s[i].to : t, w, nw) / 3600.0;

            *hours += h;
            *level_hours += h * s[i].level / 100.0;
        }
    }
}

/* The lamp's own spread around its rated power. */
static double lamp_factor(const struct sim_device *d)
{
    return 0.97 + 0.06 * sig_u(d, 0, TAG_SPREAD);
}

static int lamp_frames(const struct sim_device *d, int64_t t, struct sim_frame *out, size_t cap)
{
    int64_t day = mue_localtime_day(t), k = sig_floor_div(t - d->phase_s, d->period_s);
    double rated = sim_param(d, "lamp_power_w", 60.0), level = level_at(d, t);
    struct window w[MAX_WINDOWS];
    int usage = (k & 1) == 0, nw, failed, on, rc;

    nw = site_windows(d, day, day, w);
    if (in_windows(w, nw, t))
        return 0; /* the cabinet is off: no power, no uplink */
    if (cap < (size_t)(usage ? 2 : 1))
        return MUE_E2BIG;
    nw = lamp_windows(d, day, day, w);
    failed = in_windows(w, nw, t);
    on = level > 0.0;
    sig_frame_init(&out[0], SIM_FRAME_STATUS);
    rc = sig_set(MUE_OK, &out[0], "dim_level", level);
    rc = sig_set(rc, &out[0], "relay_closed", on);
    /* The DALI driver reports the lamp only while powered. */
    rc = sig_set(rc, &out[0], "lamp_on", on && !failed);
    rc = sig_set(rc, &out[0], "lamp_failure", on && failed);
    rc = sig_set(rc, &out[0], "device_temperature",
                 weather_air_temp(t) + 6.0 + (on && !failed ? 12.0 * level / 100.0 : 0.0));
    /* The controller's clock, set by the network (DeviceTimeReq): without it every status
     * packet would carry the codec's "clock not set" warning. */
    rc = sig_set(rc, &out[0], "device_unix_epoch", (double)t);
    if (rc == MUE_OK && usage) {
        double hours, level_hours, power = 0.0;

        lit_since_install(d, t, 1, &hours, &level_hours);
        if (on && !failed)
            power = rated * lamp_factor(d) * level / 100.0 *
                    (1.0 + 0.01 * sig_n(d, (uint64_t)t, TAG_NOISE));
        sig_frame_init(&out[1], SIM_FRAME_USAGE);
        rc = sig_set(MUE_OK, &out[1], "energy", rated * lamp_factor(d) * level_hours / 1000.0);
        rc = sig_set(rc, &out[1], "power", power);
        rc = sig_set(rc, &out[1], "lamp_on_time", hours);
        rc = sig_set(rc, &out[1], "voltage", 230.0 + 2.0 * sig_n(d, (uint64_t)t, TAG_VOLT));
        if (power > 0.0)
            rc = sig_set(rc, &out[1], "power_factor", level >= 75.0 ? 0.96 : 0.92);
    }
    if (rc != MUE_OK)
        return rc;
    return usage ? 2 : 1;
}

static int cabinet_frames(const struct sim_device *d, int64_t t, struct sim_frame *out, size_t cap)
{
    int64_t day = mue_localtime_day(t);
    double lamps = sim_param(d, "lamps", 10.0), rated = sim_param(d, "lamp_power_w", 60.0);
    double level = level_at(d, t), load = lamps * rated / DRIVER_EFF * 0.98; /* a few lamps out */
    double hours, level_hours, volts, power, pf, hour;
    struct window w[MAX_WINDOWS];
    struct mue_localtime lt;
    int circuits = 1 + ((int)lamps - 1) / 8, nw, fault, rc = MUE_OK;
    char name[16];

    if (cap < 1)
        return MUE_E2BIG;
    circuits = circuits < 1 ? 1 : circuits > 8 ? 8 : circuits;
    nw = site_windows(d, day, day, w);
    fault = in_windows(w, nw, t);
    hour = sig_local(t, &lt);
    /* The grid sags in the evening peak. */
    volts = fault ? 0.0
                  : 230.0 - 2.5 * cos((hour - 7.0) * M_PI / 12.0) +
                        0.8 * sig_n(d, (uint64_t)t, TAG_VOLT);
    power = fault || level <= 0.0
                ? 0.0
                : load * level / 100.0 * (1.0 + 0.01 * sig_n(d, (uint64_t)t, TAG_NOISE));
    pf = power > 0.0 ? (level >= 75.0 ? 0.95 : 0.9) : 0.0;
    lit_since_install(d, t, 0, &hours, &level_hours);
    sig_frame_init(&out[0], SIM_FRAME_DATA);
    for (int i = 1; i <= 8; i++) {
        snprintf(name, sizeof(name), "switch_%d", i);
        rc = sig_set(rc, &out[0], name, i <= circuits && level > 0.0);
    }
    rc = sig_set(rc, &out[0], "voltage", volts);
    rc = sig_set(rc, &out[0], "current", power > 0.0 ? power / (volts * pf) : 0.0);
    rc = sig_set(rc, &out[0], "power", power);
    rc = sig_set(rc, &out[0], "power_factor", pf);
    rc = sig_set(rc, &out[0], "energy", load * level_hours / 1000.0);
    return rc == MUE_OK ? 1 : rc;
}

static int lighting_frames(const struct sim_device *d, int64_t t_us, struct sim_frame *out,
                           size_t cap)
{
    if (d->period_s <= 0)
        return MUE_EINVAL;
    if (strcmp(d->model, "nas-ul20xx") == 0 && strcmp(d->profile, "lamp") == 0)
        return lamp_frames(d, sig_seconds(t_us), out, cap);
    if (strcmp(d->model, "milesight-ws558") == 0 && strcmp(d->profile, "cabinet") == 0)
        return cabinet_frames(d, sig_seconds(t_us), out, cap);
    return MUE_EINVAL;
}

const struct sim_signal sim_signal_lighting = { "lighting", lighting_frames };
