/* series_query.h - the query string of GET /v1/devices/{dev_eui}/series read and checked without
 * a connection: quantity, from, to, bucket, agg, format in, a series to read or the reason for a
 * 400 out (docs: services/api/README.md, "Routes").
 * SPDX-License-Identifier: MIT */
#ifndef SERIES_QUERY_H
#define SERIES_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SERIES_QUERY_QUANTITY_MAX 31
#define SERIES_QUERY_RANGE_MAX    (INT64_C(7305) * 86400 * 1000000) /* 20 years of 365.25 days */

enum series_bucket { SERIES_BUCKET_AUTO, SERIES_BUCKET_RAW, SERIES_BUCKET_HOUR, SERIES_BUCKET_DAY };

/* An aggregate: its name in the query string and its value in SQL over a rollup row. The SQL is
 * one of the table's constants, never the caller's text. */
struct series_agg {
    const char *name;
    const char *expr;
    bool sound_only; /* only levels in dB carry an energy */
};

struct series_query {
    char dev_eui[17]; /* the path's; the caller fills it */
    char quantity[SERIES_QUERY_QUANTITY_MAX + 1];
    int64_t from, to; /* µs since the epoch, [from, to) */
    enum series_bucket bucket;
    const struct series_agg *agg;
    bool csv;
};

/* Reads and checks the parameters of 'query' (the raw query string, NULL for none): quantity
 * (required, 1 to 31 of A-Z a-z 0-9 _), from (required) and to (default now_us) as RFC 3339 times
 * with from < to at most 20 years apart, bucket (raw, hour, day or auto, which picks raw up to 2
 * days, hour up to 90 days, else day), agg (default mean; energetic_mean only for sound levels
 * L[ACZ]...), format (json or csv). Returns 0 with every field but dev_eui set (bucket never
 * auto, agg never NULL), or -1 with the reason in why. */
int series_query_parse(const char *query, int64_t now_us, struct series_query *out, char *why,
                       size_t cap);

/* "raw", "hour", "day" or "auto". */
const char *series_query_bucket_name(enum series_bucket bucket);

#endif
