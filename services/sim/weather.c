/* weather.c - the simulated region's rain and air temperature, as pure functions of time.
 * SPDX-License-Identifier: MIT */
#include "weather.h"

#include <math.h>

#include "mue_localtime.h"
#include "mue_sun.h"
#include "sim.h"

/* The region's own randomness, and one tag per purpose so that draws never coincide. */
#define WSEED        UINT64_C(0x5eed0f4a1b2c3d4e)
#define TAG_JITTER   1
#define TAG_CLASS    2
#define TAG_STRENGTH 3
#define TAG_DURATION 4
#define TAG_RAIN     5
#define TAG_ANOM     6
#define TAG_SLOW     7
#define TAG_HW       8
#define TAG_DEW      9
#define TAG_CLOUD    10

#define DAY_S         INT64_C(86400)
#define STORM_ANCHOR  INT64_C(946684800) /* 2000-01-01T00:00:00Z */
#define STORM_JITTER  (DAY_S / 4)        /* +- 6 h: gaps between storms of 5 to 6 days */
#define ANOM_KNOT_DAY 5                  /* the slow anomaly's knots, days apart */

/* Marignane (Marseille-Provence airport) monthly normals, °C: mean daily minimum and maximum. */
static const double clim_min[12] = { 2.9,  3.5,  6.3,  9.2,  13.0, 16.9,
                                     19.6, 19.4, 15.9, 12.2, 7.3,  3.8 };
static const double clim_max[12] = { 11.8, 12.9, 16.4, 19.4, 23.6, 28.1,
                                     31.2, 30.8, 26.1, 21.2, 15.5, 12.4 };

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;

    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static double u01(uint64_t b, uint64_t tag)
{
    return sim_uniform(WSEED, b, tag);
}

/* Month (1..12) and day of year (0-based) of a local day. */
static void day_date(int64_t day, int *year, int *month, int *doy)
{
    int d;

    mue_localtime_civil_from_days(day, year, month, &d);
    *doy = (int)(day - mue_localtime_days_from_civil(*year, 1, 1));
}

/* A monthly normal at a day of the year, linear between mid-month values. */
static double climate(const double *normals, int doy)
{
    double x = ((double)doy - 15.0) / (365.25 / 12.0);
    double i = floor(x), f = x - i;
    int a = ((int)i % 12 + 12) % 12, b = (a + 1) % 12;

    return normals[a] + (normals[b] - normals[a]) * f;
}

void weather_storm(int64_t n, struct weather_storm *out)
{
    int64_t base = STORM_ANCHOR + n * WEATHER_STORM_PERIOD_S;
    uint64_t key = (uint64_t)n;
    double c = u01(key, TAG_CLASS), s = u01(key, TAG_STRENGTH), k, red, orange, hours;
    int year, month, doy;

    out->index = n;
    out->start_s = base + (int64_t)((u01(key, TAG_JITTER) - 0.5) * 2.0 * (double)STORM_JITTER);
    day_date(mue_localtime_day(out->start_s), &year, &month, &doy);
    if (month >= 6 && month <= 8) { /* thunderstorms: short, rarely strong */
        red = 0.08, orange = 0.33, k = 3.0;
        hours = 1.0 + 2.0 * u01(key, TAG_DURATION);
    } else if (month >= 9 && month <= 11) { /* autumn episodes: long and heavy */
        red = 0.35, orange = 0.70, k = 8.0;
        hours = 4.0 + 10.0 * u01(key, TAG_DURATION);
    } else {
        red = 0.15, orange = 0.45, k = 3.5;
        hours = 3.0 + 7.0 * u01(key, TAG_DURATION);
    }
    if (c < red)
        out->strength = 3.15 + 0.6 * s;
    else if (c < orange)
        out->strength = 2.2 + 0.6 * s;
    else
        out->strength = 1.3 + 0.5 * s;
    out->end_s = out->start_s + (int64_t)(hours * 3600.0);
    out->rain_mm = out->strength * k * (0.8 + 0.4 * u01(key, TAG_RAIN));
}

int64_t weather_storm_last(int64_t t_s)
{
    int64_t n = floor_div(t_s - STORM_ANCHOR, WEATHER_STORM_PERIOD_S) + 1;
    struct weather_storm s;

    /* The jitter is far smaller than the period: the answer is one of three slots. */
    for (;; n--) {
        weather_storm(n, &s);
        if (s.start_s <= t_s)
            return n;
    }
}

double weather_rain_mm(int64_t from_s, int64_t to_s)
{
    double mm = 0.0;
    struct weather_storm s;

    if (to_s <= from_s)
        return 0.0;
    /* Storms last hours and come days apart: only the one before 'from' can reach into it. */
    for (int64_t n = weather_storm_last(from_s), last = weather_storm_last(to_s - 1); n <= last;
         n++) {
        int64_t a, b;

        weather_storm(n, &s);
        a = s.start_s > from_s ? s.start_s : from_s;
        b = s.end_s < to_s ? s.end_s : to_s;
        if (b > a)
            mm += s.rain_mm * (double)(b - a) / (double)(s.end_s - s.start_s);
    }
    return mm;
}

static int64_t day_start(int64_t day)
{
    int y, m, d;

    mue_localtime_civil_from_days(day, &y, &m, &d);
    return mue_localtime_to_utc(y, m, d, 0, 0, 0);
}

double weather_rain_day_mm(int64_t day)
{
    return weather_rain_mm(day_start(day), day_start(day + 1));
}

/* One episode: intensity 0.5 on its first day, 0.6 on its last, 1 between. */
static double episode(int64_t day, int64_t first, int64_t len)
{
    if (day < first || day >= first + len)
        return 0.0;
    if (day == first)
        return 0.5;
    return day == first + len - 1 ? 0.6 : 1.0;
}

double weather_heatwave(int64_t day)
{
    int year, month, doy;
    uint64_t key;
    double hw, u;
    int64_t first, len;

    day_date(day, &year, &month, &doy);
    if (month < 6 || month > 8)
        return 0.0;
    key = (uint64_t)year * 8;
    /* July's: starts between the 5th and the 22nd, 5 to 9 days. */
    first = mue_localtime_days_from_civil(year, 7, 5) + (int64_t)(u01(key, TAG_HW) * 18.0);
    len = 5 + (int64_t)(u01(key + 1, TAG_HW) * 5.0);
    hw = episode(day, first, len);
    /* In six years out of ten another, shorter one, in late June or in August. */
    u = u01(key + 2, TAG_HW);
    if (u < 0.6) {
        first = u < 0.25 ? mue_localtime_days_from_civil(year, 6, 18)
                         : mue_localtime_days_from_civil(year, 8, 1);
        first += (int64_t)(u01(key + 3, TAG_HW) * (u < 0.25 ? 10.0 : 18.0));
        len = 3 + (int64_t)(u01(key + 4, TAG_HW) * 4.0);
        u = episode(day, first, len);
        hw = u > hw ? u : hw;
    }
    return hw;
}

/* The day's departure from the normals, °C: a day-to-day part and a slow one drifting over
 * several days (smooth between knots). */
static double anomaly(int64_t day)
{
    int64_t k = floor_div(day, ANOM_KNOT_DAY);
    double f = (double)(day - k * ANOM_KNOT_DAY) / ANOM_KNOT_DAY;
    double w = (1.0 - cos(M_PI * f)) / 2.0;
    double slow = sim_normal(WSEED, (uint64_t)k, TAG_SLOW) * (1.0 - w) +
                  sim_normal(WSEED, (uint64_t)(k + 1), TAG_SLOW) * w;

    return 1.2 * sim_normal(WSEED, (uint64_t)day, TAG_ANOM) + 1.5 * slow;
}

void weather_day_temps(int64_t day, double *tmin, double *tmax)
{
    int year, month, doy;
    double hw = weather_heatwave(day), rain = weather_rain_day_mm(day);
    double a, lo, hi, cool = 0.0;

    day_date(day, &year, &month, &doy);
    /* A heatwave is a settled anticyclone: little spread, hot days and nights that stay warm. */
    a = anomaly(day) * (1.0 - 0.8 * hw);
    if (rain >= 1.0)
        cool = fmin(5.0, 1.0 + rain / 4.0) * (1.0 - hw);
    /* At its heart it lifts the nights to 24 °C and the afternoons to 36 °C at least. */
    lo = climate(clim_min, doy);
    hi = climate(clim_max, doy);
    *tmax = hi + a + hw * fmax(6.5, 36.5 - hi) - cool;
    *tmin = lo + 0.7 * a + hw * fmax(4.5, 24.2 - lo) - 0.3 * cool;
    if (*tmax < *tmin + 2.0)
        *tmax = *tmin + 2.0;
}

/* The day's sunrise and the time of its maximum (two and a half hours after solar noon). */
static void day_marks(int64_t day, int64_t *rise, int64_t *peak)
{
    int y, m, d;
    int64_t set;

    mue_localtime_civil_from_days(day, &y, &m, &d);
    if (mue_sun_times(WEATHER_LAT, WEATHER_LON, y, m, d, MUE_SUN_ZENITH_OFFICIAL, rise, &set) !=
        0) {
        *rise = day_start(day) + 6 * 3600; /* not at this latitude; keeps the shape defined */
        set = *rise + 12 * 3600;
    }
    *peak = (*rise + set) / 2 + 9000;
}

/* Night cooling from 'hot' at 'from' to 'cold' at 'to': fast after the peak, slow by dawn. */
static double cooling(double hot, double cold, int64_t from, int64_t to, int64_t t)
{
    double x = (double)(t - from) / (double)(to - from);
    double f = (1.0 - exp(-2.5 * x)) / (1.0 - exp(-2.5));

    return hot + (cold - hot) * f;
}

double weather_air_temp(int64_t t_s)
{
    int64_t day = mue_localtime_day(t_s), rise, peak, rise2, peak0;
    double tmin, tmax, t2min, t0max;

    day_marks(day, &rise, &peak);
    weather_day_temps(day, &tmin, &tmax);
    if (t_s < rise) {
        day_marks(day - 1, &rise2, &peak0);
        weather_day_temps(day - 1, &t2min, &t0max);
        return cooling(t0max, tmin, peak0, rise, t_s);
    }
    if (t_s < peak)
        return tmin + (tmax - tmin) *
                          (1.0 - cos(M_PI * (double)(t_s - rise) / (double)(peak - rise))) / 2.0;
    day_marks(day + 1, &rise2, &peak0);
    weather_day_temps(day + 1, &t2min, &t0max);
    return cooling(tmax, t2min, peak, rise2, t_s);
}

/* The day's dew point depression below its minimum temperature: humid on rain days, dry under
 * the mistral. */
static double dew_point_of_day(int64_t day)
{
    double tmin, tmax, u = u01((uint64_t)day, TAG_DEW);
    double dd = weather_rain_day_mm(day) >= 1.0 ? 0.5 + u : 1.0 + 6.0 * u * u;

    weather_day_temps(day, &tmin, &tmax);
    return tmin - dd;
}

double weather_dew_point(int64_t t_s)
{
    int64_t day = mue_localtime_day(t_s), start = day_start(day), next = day_start(day + 1);
    double f = (double)(t_s - start) / (double)(next - start);
    double a = dew_point_of_day(day), b = dew_point_of_day(day + 1);
    double td = a + (b - a) * f, t = weather_air_temp(t_s);

    return td < t ? td : t;
}

static double cloud_of_day(int64_t day)
{
    int year, month, doy;
    double u = u01((uint64_t)day, TAG_CLOUD);

    day_date(day, &year, &month, &doy);
    return 0.05 + 0.45 * u * u + (month <= 3 || month >= 11 ? 0.15 : 0.0);
}

double weather_cloud(int64_t t_s)
{
    int64_t day = mue_localtime_day(t_s), start = day_start(day), next = day_start(day + 1);
    double f = (double)(t_s - start) / (double)(next - start);
    double c = cloud_of_day(day) + (cloud_of_day(day + 1) - cloud_of_day(day)) * f;
    struct weather_storm s;

    /* Overcast during a storm, clouds building six hours before and clearing six hours after. */
    for (int64_t n = weather_storm_last(t_s + 6 * 3600), k = 0; k < 2; k++, n--) {
        double storm;

        weather_storm(n, &s);
        if (t_s >= s.start_s && t_s <= s.end_s)
            storm = 1.0;
        else if (t_s < s.start_s)
            storm = 1.0 - (double)(s.start_s - t_s) / (6.0 * 3600.0);
        else
            storm = 1.0 - (double)(t_s - s.end_s) / (6.0 * 3600.0);
        storm *= 0.95;
        if (storm > c)
            c = storm;
    }
    return c > 1.0 ? 1.0 : c;
}

double weather_rh(double temp_c, double dew_c)
{
    double rh = 100.0 * exp(17.62 * dew_c / (243.12 + dew_c) - 17.62 * temp_c / (243.12 + temp_c));

    return rh > 100.0 ? 100.0 : rh < 0.0 ? 0.0 : rh;
}
