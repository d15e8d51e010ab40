/* weather.h - the regional weather every simulated signal shares: Mediterranean rain in storms
 * (rare in summer, heavy in autumn) and the air temperature of Marseille (climatology, day/night
 * cycle, daily anomalies, summer heatwaves). A rain day raises the rivers, lowers the bike counts
 * and cools the afternoon alike, because every signal asks here.
 * Like the signals, everything is a pure function of time: no state, the same in every run.
 * Times are seconds since the epoch (UTC); "days" are local (Europe/Paris) calendar days counted
 * from 1970-01-01, as mue_localtime_day() gives.
 * SPDX-License-Identifier: MIT */
#ifndef WEATHER_H
#define WEATHER_H

#include <stddef.h>
#include <stdint.h>

/* The reference place of the climate (Marseille). */
#define WEATHER_LAT 43.2965
#define WEATHER_LON 5.3698

/* Storms come every 5 to 6 days (one every 5.5 days on average, so the rivers of the demo cross
 * their thresholds every week), their strength by season: short summer thunderstorms, heavy
 * autumn episodes. */
#define WEATHER_STORM_PERIOD_S 475200

struct weather_storm {
    int64_t index;   /* n-th storm from 2000-01-01 (negative before) */
    int64_t start_s; /* the first rain */
    int64_t end_s;   /* the last rain */
    double rain_mm;  /* regional total, spread evenly between start and end */
    double strength; /* the flood it drives on the region's small rivers, in vigilance steps:
                        1..2 above yellow, 2..3 above orange, above 3 red (about once a month) */
};

/* The storm of index 'n'. */
void weather_storm(int64_t n, struct weather_storm *out);

/* The index of the last storm that started at or before 't_s'. */
int64_t weather_storm_last(int64_t t_s);

/* Rain fallen in [from_s, to_s), mm. Meant for spans of hours or days (it looks at the storms
 * around the span: cost grows with its length). */
double weather_rain_mm(int64_t from_s, int64_t to_s);

/* Rain of local day 'day', mm. */
double weather_rain_day_mm(int64_t day);

/* Heatwave intensity of local day 'day': 0 outside, up to 1 in the heart of an episode. Every
 * July has one (5 to 9 days), some years another in late June or August. */
double weather_heatwave(int64_t day);

/* The day's minimum (around sunrise) and maximum (mid-afternoon) air temperature, °C. */
void weather_day_temps(int64_t day, double *tmin, double *tmax);

/* Air temperature at 't_s', °C: the day's minimum at sunrise, its maximum two and a half hours
 * after solar noon, a fast evening cooling that slows through the night. */
double weather_air_temp(int64_t t_s);

/* Dew point at 't_s', °C (air humidity: relative humidity follows from it and the temperature). */
double weather_dew_point(int64_t t_s);

/* Cloud cover at 't_s', 0 (clear) .. 1 (overcast): mostly clear, overcast around storms. */
double weather_cloud(int64_t t_s);

/* Relative humidity, % (0..100), of air at 'temp_c' with dew point 'dew_c' (Magnus formula). */
double weather_rh(double temp_c, double dew_c);

#endif
