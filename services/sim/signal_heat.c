/* signal_heat.c - urban heat islands: Elsys ERS sensors on mineral squares, schoolyards, streets
 * and in parks (the cool reference), and the site climate other signals reuse (sig_env).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <string.h>

#include "mue_err.h"
#include "mue_sun.h"
#include "signal_util.h"
#include "weather.h"

#define TAG_OFFSET 0x4ea701
#define TAG_NOISE  0x4ea702
#define TAG_MOTION 0x4ea703

/* Per site: the night heat-island offset against the regional air (°C, on a clear calm night),
 * the afternoon one, the sun's warming of the sensor's surroundings at full sun (°C), the share
 * of daylight that reaches the sensor, the street lighting at night (lx), and moisture from
 * vegetation raising the dew point (°C). Paved squares store the day's heat and give it back at
 * night; parks cool by evaporation and sky view. */
static const struct {
    double night_uhi, day_uhi, sun_gain, daylight, lamp_lx, dew_gain;
} sites[] = {
    [SIG_SITE_MINERAL] = { 2.8, 0.8, 3.5, 1.0, 20.0, -0.5 },
    [SIG_SITE_SCHOOLYARD] = { 2.3, 0.6, 3.0, 0.85, 5.0, -0.3 },
    [SIG_SITE_STREET] = { 2.0, 0.5, 1.2, 0.35, 15.0, 0.0 },
    [SIG_SITE_PARK] = { -0.3, -0.8, 0.4, 0.15, 1.0, 1.2 },
};

void sig_env(const struct sim_device *d, enum sig_site site, int64_t t_s, struct sig_env *out)
{
    double lat = d->lat != 0.0 ? d->lat : WEATHER_LAT, lon = d->lon != 0.0 ? d->lon : WEATHER_LON;
    double elev = mue_sun_elevation(lat, lon, t_s), cloud = weather_cloud(t_s);
    double hw = weather_heatwave(mue_localtime_day(t_s));
    double night = (20.0 - elev) / 26.0, sun = elev > 0.0 ? sin(elev * M_PI / 180.0) : 0.0;
    double uhi, day, natural;

    /* The island builds up through the evening and lingers for hours after sunrise. */
    night = night < 0.0 ? 0.0 : night > 1.0 ? 1.0 : night;
    /* Clear calm nights make the strongest islands; a heatwave is one long calm spell. */
    uhi = (sites[site].night_uhi + 0.3 * sig_n(d, 0, TAG_OFFSET)) * (1.2 - 0.4 * cloud) *
          (1.0 + 0.3 * hw);
    day = sites[site].day_uhi + sites[site].sun_gain * sun * (1.0 - 0.8 * cloud);
    out->temp_c = weather_air_temp(t_s) + uhi * night + day * (1.0 - night) +
                  0.15 * sig_n(d, (uint64_t)t_s, TAG_NOISE);
    out->rh_pct = weather_rh(out->temp_c, weather_dew_point(t_s) + sites[site].dew_gain);
    /* Daylight on a horizontal sensor, dimmed by clouds and shade; twilight fades over the six
     * degrees below the horizon; lamps take over at night. */
    if (elev > 0.0)
        natural = 110000.0 * pow(sun, 1.15) * (1.0 - 0.75 * cloud) * sites[site].daylight + 400.0;
    else
        natural = elev > -6.0 ? 400.0 * pow(10.0, elev / 2.0) : 0.0;
    out->lux = natural > sites[site].lamp_lx ? natural : sites[site].lamp_lx;
}

/* French school days in the Aix-Marseille academy: Monday, Tuesday, Thursday, Friday and
 * Wednesday morning, outside the holidays (their usual dates, to a few days). */
static int school_open(const struct mue_localtime *lt, double hour)
{
    int md = lt->month * 100 + lt->day;

    if (lt->wday == 0 || lt->wday == 6 || (lt->wday == 3 && hour >= 12.0))
        return 0;
    return !((md >= 705 && md < 902) || (md >= 1018 && md < 1103) || md >= 1220 || md < 105 ||
             (md >= 214 && md < 302) || (md >= 411 && md < 427));
}

/* People passing the sensor in 15 minutes (the PIR's count), by site and hour. */
static double motion_mean(enum sig_site site, const struct mue_localtime *lt, double h)
{
    int weekend = lt->wday == 0 || lt->wday == 6;

    switch (site) {
    case SIG_SITE_SCHOOLYARD:
        if (!school_open(lt, h))
            return 0.1;
        if ((h >= 10.0 && h < 10.5) || (h >= 15.0 && h < 15.5))
            return 35.0; /* break */
        if (h >= 11.5 && h < 13.5)
            return 18.0;
        if ((h >= 8.3 && h < 8.7) || (h >= 16.4 && h < 16.8))
            return 12.0;
        return h >= 8.5 && h < 16.5 ? 1.5 : 0.1;
    case SIG_SITE_MINERAL:
        if (h >= 8.0 && h < 20.0)
            return weekend ? 22.0 : 16.0;
        return h >= 20.0 && h < 23.5 ? 12.0 : 1.0;
    case SIG_SITE_STREET:
        if ((h >= 7.5 && h < 9.5) || (h >= 17.0 && h < 19.5))
            return weekend ? 8.0 : 18.0;
        return h >= 7.0 && h < 22.0 ? 9.0 : 0.8;
    case SIG_SITE_PARK:
        if (h < 8.0 || h >= (lt->month >= 5 && lt->month <= 9 ? 21.0 : 19.0))
            return 0.0; /* closed */
        return (weekend ? 14.0 : 6.0) * (h >= 14.0 ? 1.5 : 1.0);
    }
    return 0.0;
}

static int site_of(const char *profile, enum sig_site *site)
{
    static const char *const names[] = {
        [SIG_SITE_MINERAL] = "mineral_square",
        [SIG_SITE_SCHOOLYARD] = "schoolyard",
        [SIG_SITE_STREET] = "street",
        [SIG_SITE_PARK] = "park",
    };

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(profile, names[i]) == 0) {
            *site = (enum sig_site)i;
            return 1;
        }
    }
    return 0;
}

static int heat_frames(const struct sim_device *d, int64_t t_us, struct sim_frame *out, size_t cap)
{
    int64_t t = sig_seconds(t_us);
    enum sig_site site;
    struct sig_env env;
    struct mue_localtime lt;
    double h;
    int rc;

    if (strcmp(d->model, "elsys-ers") != 0 || !site_of(d->profile, &site))
        return MUE_EINVAL;
    if (cap < 1)
        return MUE_E2BIG;
    sig_env(d, site, t, &env);
    h = sig_local(t - d->period_s / 2, &lt); /* the middle of the interval the count covers */
    sig_frame_init(&out[0], SIM_FRAME_DATA);
    rc = sig_set(MUE_OK, &out[0], "temperature", env.temp_c);
    rc = sig_set(rc, &out[0], "humidity", env.rh_pct);
    rc = sig_set(rc, &out[0], "illuminance", env.lux);
    rc = sig_set(rc, &out[0], "motion",
                 (double)sig_poisson(motion_mean(site, &lt, h), d->seed, (uint64_t)t, TAG_MOTION));
    rc = sig_set(rc, &out[0], "battery_voltage", sig_battery_v(d, t, 3.65, 3.2, 8.0));
    return rc == MUE_OK ? 1 : rc;
}

const struct sim_signal sim_signal_heat = { "heat", heat_frames };
