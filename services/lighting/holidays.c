/* holidays.c - the date of Easter and the French public holidays, for calendar rules that light
 * holidays like Sundays.
 * SPDX-License-Identifier: MIT */
#include <stddef.h>

#include "mue_localtime.h"
#include "schedule.h"

/* Floor division and its remainder: the computus below is written for positive years; with
 * floored arithmetic it extends to the proleptic calendar before year 1 as well. */
static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;

    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int64_t floor_mod(int64_t a, int64_t b)
{
    return a - floor_div(a, b) * b;
}

/* The anonymous Gregorian algorithm (Meeus, "Astronomical Algorithms", after Jones 1876 and
 * Butcher 1876): the golden number, the century's solar and lunar corrections, the epact, then
 * the Sunday after the Paschal full moon. Exact for every Gregorian year. */
int64_t light_easter(int year)
{
    int64_t y = year;
    int64_t golden = floor_mod(y, 19); /* place in the 19-year Metonic cycle */
    int64_t century = floor_div(y, 100);
    int64_t in_century = floor_mod(y, 100);
    int64_t leap_skips = floor_div(century, 4), century_mod4 = floor_mod(century, 4);
    int64_t moon_fix = floor_div(century + 8, 25);
    int64_t moon_corr = floor_div(century - moon_fix + 1, 3);
    /* days from 21 March to the Paschal full moon */
    int64_t full_moon = floor_mod(19 * golden + century - leap_skips - moon_corr + 15, 30);
    int64_t leaps = floor_div(in_century, 4), in_century_mod4 = floor_mod(in_century, 4);
    /* days from the full moon to the next Sunday */
    int64_t to_sunday =
        floor_mod(32 + 2 * century_mod4 + 2 * leaps - full_moon - in_century_mod4, 7);
    int64_t late_fix = floor_div(golden + 11 * full_moon + 22 * to_sunday, 451);
    int64_t n = full_moon + to_sunday - 7 * late_fix + 114;
    int month = (int)floor_div(n, 31), day = (int)floor_mod(n, 31) + 1;

    return mue_localtime_days_from_civil(year, month, day);
}

/* Holidays on a fixed day of the year. */
static const struct fixed_holiday {
    int month, day;
    const char *name;
} fixed[] = {
    { 1, 1, "Jour de l'an" },     { 5, 1, "Fête du Travail" }, { 5, 8, "Victoire 1945" },
    { 7, 14, "Fête nationale" },  { 8, 15, "Assomption" },     { 11, 1, "Toussaint" },
    { 11, 11, "Armistice 1918" }, { 12, 25, "Noël" },
};

/* Holidays a number of days after Easter Sunday. */
static const struct movable_holiday {
    int after_easter;
    const char *name;
} movable[] = {
    { 1, "Lundi de Pâques" },
    { 39, "Ascension" },
    { 50, "Lundi de Pentecôte" },
};

bool light_holiday(int64_t date, const char **name)
{
    int y, m, d;
    int64_t since_easter;

    mue_localtime_civil_from_days(date, &y, &m, &d);
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
        if (fixed[i].month == m && fixed[i].day == d) {
            if (name != NULL)
                *name = fixed[i].name;
            return true;
        }
    }
    /* Every movable holiday falls in March to June, so Easter of the date's own year serves. */
    since_easter = date - light_easter(y);
    for (size_t i = 0; i < sizeof(movable) / sizeof(movable[0]); i++) {
        if (movable[i].after_easter == since_easter) {
            if (name != NULL)
                *name = movable[i].name;
            return true;
        }
    }
    return false;
}
