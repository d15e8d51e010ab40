/* sun.h - "mue-admin sun": the official sunrise and sunset of a place and a date, in Europe/Paris
 * time, as the lighting's astronomical clock computes them (common/mue_sun.c).
 * SPDX-License-Identifier: MIT */
#ifndef SUN_H
#define SUN_H

#include <stddef.h>

/* Room sun_lines needs, terminating NUL included. */
#define SUN_LINES_CAP 64
/* Years accepted: those over which mue_sun is stated to be within a minute of NOAA. */
#define SUN_YEAR_MIN 1900
#define SUN_YEAR_MAX 2100

/* Runs "sun --lat LAT --lon LON --date YYYY-MM-DD" (argv[0] is "sun"; each option also as
 * --opt=VALUE; all three required, once each): LAT in -90..90 and LON in -180..180 degrees,
 * north and east positive; a real calendar date within SUN_YEAR_MIN..SUN_YEAR_MAX. Prints
 * sun_lines() on stdout. Returns the exit status: 0, or 2 after one line
 * "mue-admin sun: <what>" on stderr for bad arguments. */
int sun_command(int argc, char **argv);

/* Writes the two lines of the date y-m-d at lat/lon into 'out':
 *   "sunrise HH:MM\nsunset HH:MM\n"
 * Europe/Paris civil time (mue_localtime: CET or CEST as in force at each event), rounded to the
 * nearest minute as NOAA's calculator shows it. On a day when the sun does not cross the
 * horizon both lines say so: "sunrise none (sun always up)\nsunset none (sun always up)\n", or
 * "... (sun always down)". Returns 0, or MUE_EINVAL (out untouched) when lat or lon is out of
 * range, y-m-d is not a real date within SUN_YEAR_MIN..SUN_YEAR_MAX, or cap < SUN_LINES_CAP. */
int sun_lines(double lat, double lon, int y, int m, int d, char *out, size_t cap);

#endif
