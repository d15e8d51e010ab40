/* mue_sun.c - solar position, sunrise and sunset from NOAA's formulas (the equations of the NOAA
 * Global Monitoring Laboratory's solar calculator, after Meeus' "Astronomical Algorithms").
 * SPDX-License-Identifier: MIT */
#include "mue_sun.h"

#include <math.h>

#include "mue_err.h"
#include "mue_localtime.h"

#define DEG (M_PI / 180.0)
/* Julian date of the Unix epoch, and of J2000.0. */
#define JD_UNIX  2440587.5
#define JD_J2000 2451545.0

/* What the events need of the sun's position at one instant. */
struct sun_pos {
    double decl;    /* declination, radians */
    double eot_min; /* equation of time: apparent minus mean solar time, minutes */
};

static void sun_position(double t_s, struct sun_pos *p)
{
    double jc = (t_s / 86400.0 + JD_UNIX - JD_J2000) / 36525.0; /* Julian centuries */
    double l0 = fmod(280.46646 + jc * (36000.76983 + jc * 0.0003032), 360.0);
    double m = 357.52911 + jc * (35999.05029 - 0.0001537 * jc);
    double e = 0.016708634 - jc * (0.000042037 + 0.0000001267 * jc);
    double c = sin(m * DEG) * (1.914602 - jc * (0.004817 + 0.000014 * jc)) +
               sin(2 * m * DEG) * (0.019993 - 0.000101 * jc) + sin(3 * m * DEG) * 0.000289;
    double omega = 125.04 - 1934.136 * jc;
    double lambda = l0 + c - 0.00569 - 0.00478 * sin(omega * DEG); /* apparent longitude */
    double eps0 =
        23.0 + (26.0 + (21.448 - jc * (46.815 + jc * (0.00059 - jc * 0.001813))) / 60.0) / 60.0;
    double eps = eps0 + 0.00256 * cos(omega * DEG); /* corrected obliquity */
    double y = tan(eps * DEG / 2) * tan(eps * DEG / 2);
    double l0r = l0 * DEG, mr = m * DEG;

    p->decl = asin(sin(eps * DEG) * sin(lambda * DEG));
    p->eot_min = 4.0 / DEG *
                 (y * sin(2 * l0r) - 2 * e * sin(mr) + 4 * e * y * sin(mr) * cos(2 * l0r) -
                  0.5 * y * y * sin(4 * l0r) - 1.25 * e * e * sin(2 * mr));
}

/* cos of the hour angle at which the sun's centre reaches 'zenith' (radians); beyond -1..1 it
 * never does that day. */
static double cos_hour_angle(double lat, double decl, double zenith)
{
    return cos(zenith) / (cos(lat) * cos(decl)) - tan(lat) * tan(decl);
}

/* Minutes after midnight UTC of the event at hour angle 'sign * ha' (sign 1: rise, -1: set),
 * with the sun at 'p'. */
static double event_minutes(double lat, double lon, double zenith, int sign,
                            const struct sun_pos *p)
{
    double ch = cos_hour_angle(lat, p->decl, zenith);

    ch = ch > 1.0 ? 1.0 : ch < -1.0 ? -1.0 : ch; /* the edge of a polar day: the noon */
    return 720.0 - 4.0 * (lon + sign * acos(ch) / DEG) - p->eot_min;
}

/* The event again with the sun where it is at the first estimate. */
static double refined_minutes(double lat, double lon, double zenith, int sign, double day0,
                              double first_min)
{
    struct sun_pos p;

    sun_position(day0 + first_min * 60.0, &p);
    return event_minutes(lat, lon, zenith, sign, &p);
}

int mue_sun_times(double lat, double lon, int year, int month, int day, double zenith_deg,
                  int64_t *rise_s, int64_t *set_s)
{
    double day0, noon_s, ch, rise_min, set_min;
    double latr = lat * DEG, zen = zenith_deg * DEG;
    struct sun_pos p;

    if (!(lat >= -90.0 && lat <= 90.0) || !(lon >= -180.0 && lon <= 180.0) ||
        !(zenith_deg >= 0.0 && zenith_deg <= 180.0) || month < 1 || month > 12)
        return MUE_EINVAL;
    day0 = (double)mue_localtime_days_from_civil(year, month, day) * 86400.0;
    /* The mean solar noon at 'lon', then the position there to say whether the sun crosses. */
    noon_s = day0 + 43200.0 - lon * 240.0;
    sun_position(noon_s, &p);
    ch = cos_hour_angle(latr, p.decl, zen);
    if (ch > 1.0)
        return MUE_SUN_ALWAYS_DOWN;
    if (ch < -1.0)
        return MUE_SUN_ALWAYS_UP;
    /* Each event once at the noon's position, then again at its own time: the declination moves
     * by up to 0.4 degree a day, which is worth a minute at 60 degrees. */
    rise_min = refined_minutes(latr, lon, zen, 1, day0, event_minutes(latr, lon, zen, 1, &p));
    set_min = refined_minutes(latr, lon, zen, -1, day0, event_minutes(latr, lon, zen, -1, &p));
    *rise_s = (int64_t)llround(day0 + rise_min * 60.0);
    *set_s = (int64_t)llround(day0 + set_min * 60.0);
    return MUE_OK;
}

double mue_sun_elevation(double lat, double lon, int64_t t_s)
{
    struct sun_pos p;
    double sod = fmod((double)t_s, 86400.0), tst, ha, cz;

    if (sod < 0)
        sod += 86400.0;
    sun_position((double)t_s, &p);
    /* True solar time in minutes, and the hour angle from it (0 at the apparent noon). */
    tst = fmod(sod / 60.0 + p.eot_min + 4.0 * lon, 1440.0);
    if (tst < 0)
        tst += 1440.0;
    ha = (tst / 4.0 - 180.0) * DEG;
    cz = sin(lat * DEG) * sin(p.decl) + cos(lat * DEG) * cos(p.decl) * cos(ha);
    cz = cz > 1.0 ? 1.0 : cz < -1.0 ? -1.0 : cz;
    return 90.0 - acos(cz) / DEG;
}
