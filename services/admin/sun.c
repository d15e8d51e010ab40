/* sun.c - "mue-admin sun": sunrise and sunset of a place and a date, in Europe/Paris time.
 * SPDX-License-Identifier: MIT */
#include "sun.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mue_err.h"
#include "mue_localtime.h"
#include "mue_sun.h"

#define USAGE "mue-admin sun --lat LAT --lon LON --date YYYY-MM-DD"

__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...)
{
    va_list ap;

    fputs("mue-admin sun: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return 2;
}

static int is_in(double v, double lo, double hi)
{
    return v >= lo && v <= hi; /* false for NaN */
}

/* A decimal number, the whole text, within lo..hi. */
static int parse_degrees(const char *text, double lo, double hi, double *out)
{
    char *end = NULL;
    double v;

    if (text[0] == '\0' || isspace((unsigned char)text[0]))
        return MUE_EINVAL;
    errno = 0;
    v = strtod(text, &end);
    if (errno != 0 || *end != '\0' || !is_in(v, lo, hi))
        return MUE_EINVAL;
    *out = v;
    return MUE_OK;
}

/* A date of the calendar (2026-02-29 is not: it would come back as 1 March). */
static int is_real_date(int y, int m, int d)
{
    int ry, rm, rd;

    if (y < SUN_YEAR_MIN || y > SUN_YEAR_MAX || m < 1 || m > 12 || d < 1 || d > 31)
        return 0;
    mue_localtime_civil_from_days(mue_localtime_days_from_civil(y, m, d), &ry, &rm, &rd);
    return ry == y && rm == m && rd == d;
}

/* Exactly YYYY-MM-DD, a real date. */
static int parse_date(const char *text, int *y, int *m, int *d)
{
    int v[3] = { 0, 0, 0 }, field = 0;

    if (strlen(text) != 10 || text[4] != '-' || text[7] != '-')
        return MUE_EINVAL;
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7) {
            field++;
            continue;
        }
        if (!isdigit((unsigned char)text[i]))
            return MUE_EINVAL;
        v[field] = v[field] * 10 + (text[i] - '0');
    }
    if (!is_real_date(v[0], v[1], v[2]))
        return MUE_EINVAL;
    *y = v[0];
    *m = v[1];
    *d = v[2];
    return MUE_OK;
}

/* The local clock of 't_s' rounded to the nearest minute. The offset is a whole number of hours,
 * so rounding the instant rounds the clock. */
static void local_minute(int64_t t_s, struct mue_localtime *lt)
{
    int64_t q = (t_s + 30) / 60;

    if ((t_s + 30) % 60 < 0) /* floor, for instants before 1970 */
        q--;
    mue_localtime_from_utc(q * 60, lt);
}

int sun_lines(double lat, double lon, int y, int m, int d, char *out, size_t cap)
{
    int64_t rise = 0, set = 0;
    struct mue_localtime r, s;
    int rc;

    if (cap < SUN_LINES_CAP || !is_in(lat, -90.0, 90.0) || !is_in(lon, -180.0, 180.0) ||
        !is_real_date(y, m, d))
        return MUE_EINVAL;
    rc = mue_sun_times(lat, lon, y, m, d, MUE_SUN_ZENITH_OFFICIAL, &rise, &set);
    if (rc == MUE_SUN_ALWAYS_UP || rc == MUE_SUN_ALWAYS_DOWN) {
        const char *why = rc == MUE_SUN_ALWAYS_UP ? "up" : "down";

        snprintf(out, cap, "sunrise none (sun always %s)\nsunset none (sun always %s)\n", why, why);
        return MUE_OK;
    }
    if (rc != MUE_OK)
        return rc;
    local_minute(rise, &r);
    local_minute(set, &s);
    snprintf(out, cap, "sunrise %02d:%02d\nsunset %02d:%02d\n", r.hour, r.minute, s.hour, s.minute);
    return MUE_OK;
}

int sun_command(int argc, char **argv)
{
    static const char *const names[] = { "--lat", "--lon", "--date" };
    const char *val[3] = { NULL, NULL, NULL };
    char out[SUN_LINES_CAP];
    double lat, lon;
    int y, m, d;

    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *v;
        size_t k, len = 0;

        for (k = 0; k < 3; k++) {
            len = strlen(names[k]);
            if (strncmp(arg, names[k], len) == 0 && (arg[len] == '\0' || arg[len] == '='))
                break;
        }
        if (k == 3)
            return usage_error("unknown argument '%s' (usage: %s)", arg, USAGE);
        if (arg[len] == '=')
            v = arg + len + 1;
        else if (i + 1 < argc)
            v = argv[++i];
        else
            return usage_error("%s needs a value", names[k]);
        if (val[k] != NULL)
            return usage_error("%s given twice", names[k]);
        val[k] = v;
    }
    for (size_t k = 0; k < 3; k++)
        if (val[k] == NULL)
            return usage_error("%s is required (usage: %s)", names[k], USAGE);
    if (parse_degrees(val[0], -90.0, 90.0, &lat) < 0)
        return usage_error("--lat must be a number from -90 to 90, not '%s'", val[0]);
    if (parse_degrees(val[1], -180.0, 180.0, &lon) < 0)
        return usage_error("--lon must be a number from -180 to 180, not '%s'", val[1]);
    if (parse_date(val[2], &y, &m, &d) < 0)
        return usage_error("--date must be a real date YYYY-MM-DD from %d to %d, not '%s'",
                           SUN_YEAR_MIN, SUN_YEAR_MAX, val[2]);
    if (sun_lines(lat, lon, y, m, d, out, sizeof(out)) < 0)
        return usage_error("cannot compute the sun of that place and date"); /* not reached */
    fputs(out, stdout);
    return 0;
}
