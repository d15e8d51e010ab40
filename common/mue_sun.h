/* mue_sun.h - sunrise, sunset and the sun's elevation for a place and a date (NOAA's solar
 * position formulas), for the street-lighting astronomical clock and the simulator.
 * SPDX-License-Identifier: MIT */
#ifndef MUE_SUN_H
#define MUE_SUN_H

#include <stdint.h>

/* Zenith angles of the sun's centre, in degrees, that define the events: the official sunrise
 * and sunset (the upper limb on a sea-level horizon, refraction included) and civil twilight. */
#define MUE_SUN_ZENITH_OFFICIAL 90.833
#define MUE_SUN_ZENITH_CIVIL    96.0

/* mue_sun_times' answers besides 0 for the days when the sun does not cross that zenith. */
#define MUE_SUN_ALWAYS_UP   1 /* polar day: above it all day */
#define MUE_SUN_ALWAYS_DOWN 2 /* polar night: below it all day */

/* The sun's crossings of 'zenith_deg' on the calendar date year-month-day at latitude 'lat' and
 * longitude 'lon' (degrees, north and east positive): the rise before and the set after that
 * date's solar noon at 'lon', so far west of Greenwich the set may fall on the next UTC day.
 * Returns 0 and sets *rise_s and *set_s (seconds since the epoch, UTC, rounded to the second),
 * MUE_SUN_ALWAYS_UP or MUE_SUN_ALWAYS_DOWN (neither set), or MUE_EINVAL for a latitude outside
 * -90..90, a longitude outside -180..180 or a zenith outside 0..180. Accuracy: within a minute of
 * the NOAA calculator at latitudes below 60 degrees, for years 1900-2100. */
int mue_sun_times(double lat, double lon, int year, int month, int day, double zenith_deg,
                  int64_t *rise_s, int64_t *set_s);

/* The sun's geometric elevation above the horizon at 't_s' (seconds since the epoch), degrees,
 * -90..90, without refraction. */
double mue_sun_elevation(double lat, double lon, int64_t t_s);

#endif
