/* mue_localtime.h - the metropolis's civil time (Europe/Paris) without tzdata: the UTC offset of
 * an instant, local broken-down time, and back.
 * SPDX-License-Identifier: MIT */
#ifndef MUE_LOCALTIME_H
#define MUE_LOCALTIME_H

#include <stdint.h>

/* The rule is the EU's (in force in France since 1996, applied here to every year): UTC+1
 * (CET), and UTC+2 (CEST) from the last Sunday of March at 01:00 UTC to the last Sunday of
 * October at 01:00 UTC. Instants are seconds since the Unix epoch (UTC); the functions are pure
 * and thread-safe. */

#define MUE_LOCALTIME_CET  3600
#define MUE_LOCALTIME_CEST 7200

/* Local broken-down time. */
struct mue_localtime {
    int year;
    int month;        /* 1..12 */
    int day;          /* 1..31 */
    int hour;         /* 0..23 */
    int minute;       /* 0..59 */
    int second;       /* 0..59 */
    int wday;         /* 0 Sunday, 1 Monday ... 6 Saturday (as struct tm) */
    int yday;         /* 0..365, 0 = 1 January */
    int utc_offset_s; /* MUE_LOCALTIME_CET or MUE_LOCALTIME_CEST */
};

/* The UTC offset in force at 't_s': MUE_LOCALTIME_CET or MUE_LOCALTIME_CEST. */
int mue_localtime_offset(int64_t t_s);

/* Breaks 't_s' down into local civil time. */
void mue_localtime_from_utc(int64_t t_s, struct mue_localtime *out);

/* The instant of a local civil time. Fields may overflow and are carried (hour 24 is midnight of
 * the next day; month must be 1..12). A time that happens twice (the October hour, 02:00-02:59)
 * gives the first, summer-time, instant; a time that does not exist (the March hour 02:00-02:59)
 * is read as winter time, i.e. an hour later on the clock (02:30 -> 03:30 CEST). */
int64_t mue_localtime_to_utc(int year, int month, int day, int hour, int minute, int second);

/* Days from 1970-01-01 to the proleptic Gregorian date year-month-day (negative before), and
 * back. month is 1..12; day may overflow the month and is carried. */
int64_t mue_localtime_days_from_civil(int year, int month, int day);
void mue_localtime_civil_from_days(int64_t days, int *year, int *month, int *day);

/* The local calendar day of 't_s' as days since 1970-01-01 (the day that starts at local
 * midnight), e.g. to group an instant by local date. */
int64_t mue_localtime_day(int64_t t_s);

#endif
