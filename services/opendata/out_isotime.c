/* out_isotime.c - ISO 8601 timestamps of exported rows: read leniently, written in one form.
 * SPDX-License-Identifier: MIT */
#include "out_isotime.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Reads exactly 'n' digits. */
static bool digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return false;
        v = v * 10 + ((*p)[i] - '0');
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

/* The offset east of UTC in seconds: "Z", "", "+HH", "+HHMM", "+HH:MM". */
static bool parse_offset(const char *p, long *offset_s)
{
    int sign, hh, mm = 0;

    *offset_s = 0;
    if (*p == '\0' || strcmp(p, "Z") == 0)
        return true;
    if (*p != '+' && *p != '-')
        return false;
    sign = *p == '-' ? -1 : 1;
    p++;
    if (!digits(&p, 2, &hh))
        return false;
    if (*p == ':')
        p++;
    if (*p != '\0' && !digits(&p, 2, &mm))
        return false;
    if (*p != '\0' || hh > 23 || mm > 59)
        return false;
    *offset_s = sign * (hh * 3600L + mm * 60L);
    return true;
}

bool out_isotime_parse(const char *text, time_t *out)
{
    const char *p = text;
    int y, mo, d, h, mi, s = 0;
    long offset_s;
    struct tm tm;
    time_t t;

    if (text == NULL)
        return false;
    if (!digits(&p, 4, &y) || !expect(&p, '-') || !digits(&p, 2, &mo) || !expect(&p, '-') ||
        !digits(&p, 2, &d))
        return false;
    if (*p != 'T' && *p != ' ')
        return false;
    p++;
    if (!digits(&p, 2, &h) || !expect(&p, ':') || !digits(&p, 2, &mi))
        return false;
    if (*p == ':') {
        p++;
        if (!digits(&p, 2, &s))
            return false;
        if (*p == '.') {
            p++;
            if (!isdigit((unsigned char)*p))
                return false;
            while (isdigit((unsigned char)*p))
                p++;
        }
    }
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
        return false;
    if (!parse_offset(p, &offset_s))
        return false;
    memset(&tm, 0, sizeof(tm));
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    t = timegm(&tm);
    /* timegm() normalises 31 February into March: a date that moved was not a date. */
    if (tm.tm_mday != d || tm.tm_mon != mo - 1)
        return false;
    *out = t - offset_s;
    return true;
}

void out_isotime_iso(time_t t, char buf[21])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void out_isotime_compact(time_t t, char buf[17])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 17, "%Y%m%dT%H%M%SZ", &tm);
}
