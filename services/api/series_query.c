/* series_query.c - the query string of a device's series read and checked without a connection.
 * SPDX-License-Identifier: MIT */
#include "series_query.h"

#include <stdio.h>
#include <string.h>

#include "mue_time.h"
#include "query.h"

#define US_PER_DAY    (INT64_C(86400) * 1000000)
#define AUTO_RAW_MAX  (2 * US_PER_DAY)
#define AUTO_HOUR_MAX (90 * US_PER_DAY)
#define NBUCKETS      4
#define NAGGS         (sizeof(aggs) / sizeof(aggs[0]))

static const char *const bucket_names[NBUCKETS] = { "auto", "raw", "hour", "day" };

static const struct series_agg aggs[] = {
    /* The exact numeric sum to a double first: a numeric division costs more than the rest of
     * a year's series, and the double quotient is within one unit in the last place of it. */
    { "mean", "sum::float8 / count", false },
    { "min", "min", false },
    { "max", "max", false },
    { "sum", "sum::float8", false },
    { "count", "count::float8", false },
    { "first", "first_value", false },
    { "last", "last_value", false },
    { "energetic_mean", "(10 * log(energy / count))::float8", true },
};

const char *series_query_bucket_name(enum series_bucket bucket)
{
    return (unsigned)bucket < NBUCKETS ? bucket_names[bucket] : "auto";
}

/* The sound levels (dB) whose rollups carry an energy: the same test as mue_sound_energy() in
 * deploy/sql/0003_storage.sql. */
static bool is_sound_level(const char *q)
{
    return q[0] == 'L' && (q[1] == 'A' || q[1] == 'C' || q[1] == 'Z');
}

/* from and to. Returns 0, or -1 with why. */
static int parse_range(const char *query, int64_t now_us, struct series_query *s, char *why,
                       size_t cap)
{
    static const char example[] = "an RFC 3339 time, like 2026-11-28T10:00:00Z";
    char buf[64];
    int n;

    n = query_get(query, "from", buf, sizeof(buf));
    if (n == 0)
        return snprintf(why, cap, "from is required (RFC 3339)"), -1;
    if (n < 0)
        return snprintf(why, cap, "from must be an RFC 3339 time"), -1;
    if (mue_time_parse(buf, &s->from) != 0)
        return snprintf(why, cap, "from must be %s", example), -1;
    n = query_get(query, "to", buf, sizeof(buf));
    if (n == 0)
        s->to = now_us;
    else if (n < 0)
        return snprintf(why, cap, "to must be an RFC 3339 time"), -1;
    else if (mue_time_parse(buf, &s->to) != 0)
        return snprintf(why, cap, "to must be %s", example), -1;
    if (s->from >= s->to)
        return snprintf(why, cap, "from must be before to"), -1;
    if (s->to - s->from > SERIES_QUERY_RANGE_MAX)
        return snprintf(why, cap, "from and to may be at most 20 years apart"), -1;
    return 0;
}

int series_query_parse(const char *query, int64_t now_us, struct series_query *s, char *why,
                       size_t cap)
{
    char buf[64];
    int n;

    n = query_get(query, "quantity", s->quantity, sizeof(s->quantity));
    if (n == 0)
        return snprintf(why, cap, "quantity is required"), -1;
    if (n < 0 || s->quantity[0] == '\0' ||
        strspn(s->quantity, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") !=
            strlen(s->quantity))
        return snprintf(why, cap,
                        "quantity must be 1 to %d letters, digits or '_' (docs/quantities.md)",
                        SERIES_QUERY_QUANTITY_MAX),
               -1;

    if (parse_range(query, now_us, s, why, cap) < 0)
        return -1;

    s->bucket = SERIES_BUCKET_AUTO;
    n = query_get(query, "bucket", buf, sizeof(buf));
    if (n != 0) {
        size_t i;

        for (i = 0; n > 0 && i < NBUCKETS; i++)
            if (strcmp(buf, bucket_names[i]) == 0)
                break;
        if (n < 0 || i == NBUCKETS)
            return snprintf(why, cap, "bucket must be raw, hour, day or auto"), -1;
        s->bucket = (enum series_bucket)i;
    }
    if (s->bucket == SERIES_BUCKET_AUTO)
        s->bucket = s->to - s->from <= AUTO_RAW_MAX    ? SERIES_BUCKET_RAW
                    : s->to - s->from <= AUTO_HOUR_MAX ? SERIES_BUCKET_HOUR
                                                       : SERIES_BUCKET_DAY;

    s->agg = &aggs[0];
    n = query_get(query, "agg", buf, sizeof(buf));
    if (n != 0) {
        s->agg = NULL;
        for (size_t i = 0; n > 0 && i < NAGGS; i++)
            if (strcmp(buf, aggs[i].name) == 0)
                s->agg = &aggs[i];
        if (s->agg == NULL)
            return snprintf(why, cap,
                            "agg must be mean, min, max, sum, count, first, last or "
                            "energetic_mean"),
                   -1;
        /* Checked even for raw, where agg is ignored: the request is wrong either way. */
        if (s->agg->sound_only && !is_sound_level(s->quantity))
            return snprintf(why, cap,
                            "agg energetic_mean is for sound levels in dB (L[ACZ]...), not %s",
                            s->quantity),
                   -1;
    }

    s->csv = false;
    n = query_get(query, "format", buf, sizeof(buf));
    if (n != 0) {
        if (n > 0 && strcmp(buf, "csv") == 0)
            s->csv = true;
        else if (n < 0 || strcmp(buf, "json") != 0)
            return snprintf(why, cap, "format must be json or csv"), -1;
    }
    return 0;
}
