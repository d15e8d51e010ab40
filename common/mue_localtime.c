/* mue_localtime.c - Europe/Paris civil time by the EU summer-time rule, with no tzdata.
 * SPDX-License-Identifier: MIT */
#include "mue_localtime.h"

#define SEC_PER_DAY INT64_C(86400)

/* Floor division and its remainder, so that instants before 1970 fall in the right day. */
static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;

    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int64_t floor_mod(int64_t a, int64_t b)
{
    return a - floor_div(a, b) * b;
}

/* The civil calendar counted in 400-year eras of 146097 days, with years starting on 1 March so
 * that the leap day ends the year (the usual days-from-civil arithmetic). */
int64_t mue_localtime_days_from_civil(int year, int month, int day)
{
    int64_t y = (int64_t)year - (month <= 2);
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;                         /* 0..399 */
    int64_t mp = (month + 9) % 12;                       /* March = 0 */
    int64_t doy = (153 * mp + 2) / 5 + (int64_t)day - 1; /* day of the March-based year */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; /* 0..146096 */

    return era * 146097 + doe - 719468; /* 719468: 0000-03-01 to 1970-01-01 */
}

void mue_localtime_civil_from_days(int64_t days, int *year, int *month, int *day)
{
    int64_t z = days + 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;

    *day = (int)(doy - (153 * mp + 2) / 5 + 1);
    *month = (int)m;
    *year = (int)(yoe + era * 400 + (m <= 2));
}

/* 1970-01-01 was a Thursday. */
static int weekday(int64_t days)
{
    return (int)floor_mod(days + 4, 7);
}

/* The day of the last Sunday of 'month'. */
static int64_t last_sunday(int year, int month)
{
    int64_t last = mue_localtime_days_from_civil(year, month + 1, 1) - 1;

    return last - weekday(last);
}

int mue_localtime_offset(int64_t t_s)
{
    int year, month, day;
    int64_t start, end;

    mue_localtime_civil_from_days(floor_div(t_s, SEC_PER_DAY), &year, &month, &day);
    start = last_sunday(year, 3) * SEC_PER_DAY + 3600;
    end = last_sunday(year, 10) * SEC_PER_DAY + 3600;
    return t_s >= start && t_s < end ? MUE_LOCALTIME_CEST : MUE_LOCALTIME_CET;
}

void mue_localtime_from_utc(int64_t t_s, struct mue_localtime *out)
{
    int offset = mue_localtime_offset(t_s);
    int64_t local = t_s + offset;
    int64_t days = floor_div(local, SEC_PER_DAY);
    int64_t sod = local - days * SEC_PER_DAY;

    mue_localtime_civil_from_days(days, &out->year, &out->month, &out->day);
    out->hour = (int)(sod / 3600);
    out->minute = (int)(sod / 60 % 60);
    out->second = (int)(sod % 60);
    out->wday = weekday(days);
    out->yday = (int)(days - mue_localtime_days_from_civil(out->year, 1, 1));
    out->utc_offset_s = offset;
}

int64_t mue_localtime_to_utc(int year, int month, int day, int hour, int minute, int second)
{
    int64_t local = mue_localtime_days_from_civil(year, month, day) * SEC_PER_DAY +
                    (int64_t)hour * 3600 + (int64_t)minute * 60 + second;
    int64_t summer = local - MUE_LOCALTIME_CEST;

    /* Summer time wins when it is in force at the instant it gives: that picks the first of the
     * October double hour, and reads the missing March hour as winter time. */
    if (mue_localtime_offset(summer) == MUE_LOCALTIME_CEST)
        return summer;
    return local - MUE_LOCALTIME_CET;
}

int64_t mue_localtime_day(int64_t t_s)
{
    return floor_div(t_s + mue_localtime_offset(t_s), SEC_PER_DAY);
}
