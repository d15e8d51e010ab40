/* mue_time.c - RFC 3339 parsing and formatting in µs since the epoch, and the two clocks.
 * SPDX-License-Identifier: MIT */
#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "mue_err.h"
#include "mue_time.h"

#define US_PER_SEC  INT64_C(1000000)
#define SEC_PER_DAY INT64_C(86400)
/* Days from 0000-01-01 to 1970-01-01 in the proleptic Gregorian calendar. */
#define DAYS_0000_TO_EPOCH INT64_C(719528)
/* mue_time_format keeps four-digit years, so it clamps to 0000-01-01 .. 9999-12-31T23:59:59.999999.
 */
#define FORMAT_MIN_US (-DAYS_0000_TO_EPOCH * SEC_PER_DAY * US_PER_SEC)
#define FORMAT_MAX_US (INT64_C(253402300800) * US_PER_SEC - 1)
#define FORMAT_LEN    27 /* "YYYY-MM-DDTHH:MM:SS.ffffffZ" */

static const int month_days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

static bool is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int64_t y, int m)
{
    return m == 2 && is_leap(y) ? 29 : month_days[m - 1];
}

/* Leap years in 1..y, for y >= 0. */
static int64_t leaps_through(int64_t y)
{
    return y / 4 - y / 100 + y / 400;
}

/* Days from 1970-01-01 to y-m-d, for a valid date with y >= 1970. */
static int64_t days_since_epoch(int64_t y, int m, int d)
{
    int64_t days = (y - 1970) * 365 + leaps_through(y - 1) - leaps_through(1969);

    for (int i = 1; i < m; i++)
        days += days_in_month(y, i);
    return days + d - 1;
}

/* Reads exactly 'n' decimal digits; stops at the first non-digit, so a NUL is never passed. */
static bool read_digits(const char **p, int n, int *out)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    *p += n;
    *out = v;
    return true;
}

static bool expect(const char **p, char c)
{
    if (**p != c)
        return false;
    (*p)++;
    return true;
}

int mue_time_parse(const char *text, int64_t *out_us)
{
    const char *p = text;
    int y, mo, d, h, mi, s, oh = 0, om = 0, sign = 0;
    int64_t frac = 0, secs;

    if (p == NULL)
        return MUE_EDECODE;
    if (!read_digits(&p, 4, &y) || !expect(&p, '-') || !read_digits(&p, 2, &mo) ||
        !expect(&p, '-') || !read_digits(&p, 2, &d))
        return MUE_EDECODE;
    /* RFC 3339 §5.6 allows 't' and, "for readability", a space in place of 'T'. */
    if (*p != 'T' && *p != 't' && *p != ' ')
        return MUE_EDECODE;
    p++;
    if (!read_digits(&p, 2, &h) || !expect(&p, ':') || !read_digits(&p, 2, &mi) ||
        !expect(&p, ':') || !read_digits(&p, 2, &s))
        return MUE_EDECODE;
    if (*p == '.') {
        int ndigits = 0;
        p++;
        /* ChirpStack sends nanoseconds; digits past the sixth are truncated, not rounded, so a
         * time never moves into the next second. */
        while (*p >= '0' && *p <= '9') {
            if (ndigits < 6)
                frac = frac * 10 + (*p - '0');
            ndigits++;
            p++;
        }
        if (ndigits == 0)
            return MUE_EDECODE;
        for (; ndigits < 6; ndigits++)
            frac *= 10;
    }
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        sign = *p == '-' ? -1 : 1;
        p++;
        if (!read_digits(&p, 2, &oh) || !expect(&p, ':') || !read_digits(&p, 2, &om))
            return MUE_EDECODE;
        if (oh > 23 || om > 59)
            return MUE_EDECODE;
    } else {
        return MUE_EDECODE; /* RFC 3339 requires an offset: a local time is ambiguous */
    }
    if (*p != '\0')
        return MUE_EDECODE;

    /* Before 1970 nothing we store was measured; five-digit years cannot be written here. */
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
        return MUE_EDECODE;
    /* 60 admits a leap second; it lands on the first second of the next minute. */
    if (h > 23 || mi > 59 || s > 60)
        return MUE_EDECODE;

    secs = days_since_epoch(y, mo, d) * SEC_PER_DAY + h * 3600 + mi * 60 + s;
    secs -= (int64_t)sign * (oh * 3600 + om * 60);
    *out_us = secs * US_PER_SEC + frac;
    return 0;
}

size_t mue_time_format(int64_t us, char *out, size_t cap)
{
    int64_t secs, sub, days, sod, year, rest;
    int month = 1, n;

    /* A cut-off timestamp would read as a different time: write nothing instead. */
    if (cap < FORMAT_LEN + 1) {
        if (cap > 0)
            out[0] = '\0';
        return 0;
    }
    if (us < FORMAT_MIN_US)
        us = FORMAT_MIN_US;
    if (us > FORMAT_MAX_US)
        us = FORMAT_MAX_US;

    /* Shift to days since 0000-01-01 so every division below is on non-negative numbers. */
    us -= FORMAT_MIN_US;
    secs = us / US_PER_SEC;
    sub = us % US_PER_SEC;
    days = secs / SEC_PER_DAY;
    sod = secs % SEC_PER_DAY;

    /* 400 Gregorian years are exactly 146097 days, and year 0 starts such a cycle. */
    year = days / 146097 * 400;
    rest = days % 146097;
    for (;;) {
        int64_t ylen = is_leap(year) ? 366 : 365;
        if (rest < ylen)
            break;
        rest -= ylen;
        year++;
    }
    while (rest >= days_in_month(year, month)) {
        rest -= days_in_month(year, month);
        month++;
    }

    n = snprintf(out, cap, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", (int)year, month, (int)rest + 1,
                 (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60), (int)sub);
    return n > 0 ? (size_t)n : 0;
}

int64_t mue_time_now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * US_PER_SEC + ts.tv_nsec / 1000;
}

int64_t mue_time_mono_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
