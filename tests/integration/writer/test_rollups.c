/* test_rollups.c - the writer's rollups equal a recomputation from raw rows after a random stream.
 * SPDX-License-Identifier: MIT */
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mue_buf.h"
#include "mue_db.h"
#include "mue_err.h"
#include "mue_migrate.h"
#include "mue_time.h"
#include "store.h"
#include "../../unit/mue_test.h"
#include "../c/server_test.h"

#define SEED       UINT64_C(0x6d75652d726f6c6c) /* fixed: the same stream on every run */
#define CANDIDATES 16000                        /* rows drawn before removing equal keys */
#define MAX_BATCH  700
#define REPLAYED   8 /* whole batches written a second time at the end of the stream */
#define US_PER_S   INT64_C(1000000)
#define US_PER_H   (3600 * US_PER_S)
#define US_PER_DAY (24 * US_PER_H)
#define NDEVICES   4

static struct test_db tdb; /* the suite's own database */
static struct mue_db *db;  /* tdb.db */
static struct store *store;

/* ------------------------------------------------------------------ time, without the C library's
 * time zone: civil dates in UTC, and Europe/Paris by the EU rule (CEST from the last Sunday of
 * March 01:00 UTC to the last Sunday of October 01:00 UTC). */

static int64_t days_from_civil(int y, int m, int d)
{
    int64_t yy = y - (m <= 2);
    int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
    int64_t yoe = yy - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static int64_t utc_us(int y, int mo, int d, int h, int mi)
{
    return (days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60) * US_PER_S;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* The day number (since 1970-01-01) of the last Sunday of month 'm' (March or October). */
static int64_t last_sunday(int y, int m)
{
    int64_t last = days_from_civil(y, m, 31);
    int64_t weekday = ((last + 4) % 7 + 7) % 7; /* 1970-01-01 was a Thursday; Sunday is 0 */
    return last - weekday;
}

static int paris_offset_h(int64_t t_us)
{
    int y, m, d;
    civil_from_days(floor_div(t_us, US_PER_DAY), &y, &m, &d);
    int64_t from = (last_sunday(y, 3) * 86400 + 3600) * US_PER_S;
    int64_t to = (last_sunday(y, 10) * 86400 + 3600) * US_PER_S;
    return t_us >= from && t_us < to ? 2 : 1;
}

/* The day number of the local (Paris) date of 't_us'. */
static int64_t paris_day(int64_t t_us)
{
    return floor_div(t_us + paris_offset_h(t_us) * US_PER_H, US_PER_DAY);
}

static void format_day(int64_t day, char *out, size_t cap)
{
    int y, m, d;
    civil_from_days(day, &y, &m, &d);
    snprintf(out, cap, "%04d-%02d-%02d", y, m, d);
}

/* ------------------------------------------------------------------ the seeded stream */

static uint64_t rng = SEED;

static uint64_t rng_next(void) /* splitmix64 */
{
    uint64_t z = (rng += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static double rng_u01(void)
{
    return (double)(rng_next() >> 11) * 0x1.0p-53;
}

static size_t rng_below(size_t n)
{
    return (size_t)(rng_next() % n);
}

struct series {
    int device; /* index into device_id[] */
    const char *quantity;
    int sound; /* matches ^L[ACZ]: its rollups carry an energy */
};

static const struct series series[] = {
    { 0, "LAeq", 1 },        { 0, "LCeq", 1 },     { 0, "battery", 0 },
    { 1, "LAeq", 1 },        { 1, "LZpeak", 1 },   { 2, "level", 0 },
    { 2, "temperature", 0 }, { 2, "Lux", 0 }, /* starts with L, but not a sound level */
    { 3, "fill_level", 0 },  { 3, "distance", 0 },
};
#define NSERIES (sizeof(series) / sizeof(series[0]))

static const char *const device_use_case[NDEVICES] = { "noise", "noise", "water", "waste" };
static int64_t device_id[NDEVICES];

struct gen_row {
    int series;
    int64_t time_us;
    double value;
};

static struct gen_row *rows; /* distinct (series, time), sorted by series then time */
static size_t nrows;
static size_t *seq; /* the written sequence: indices into rows[], batch after batch */
static size_t nseq;
static size_t batch_off[256], batch_len[256];
static size_t nbatches;
static size_t in_batch_dups, cross_batch_dups;
static long long total_inserted; /* the sum of store_write's returns, replays included */
static int replay_returns[REPLAYED];

/* Instants the stream crowds around: both 2026 clock changes, Paris midnights (22:00 or 23:00
 * UTC), UTC month boundaries and a Paris month start that is still the previous UTC month. */
static const int anchors[][4] = {
    { 3, 29, 1, 0 },   { 3, 28, 23, 0 },  { 3, 29, 22, 0 }, { 10, 25, 1, 0 },
    { 10, 24, 22, 0 }, { 10, 25, 23, 0 }, { 4, 1, 0, 0 },   { 3, 31, 22, 0 },
    { 11, 1, 0, 0 },   { 10, 31, 23, 0 }, { 7, 1, 0, 0 },   { 6, 30, 22, 0 },
};
#define NANCHORS (sizeof(anchors) / sizeof(anchors[0]))

static int64_t draw_time(void)
{
    double u = rng_u01();
    const int *a = anchors[rng_below(NANCHORS)];
    int64_t anchor = utc_us(2026, a[0], a[1], a[2], a[3]);

    if (u < 0.5) /* anywhere in the 8 hours around an anchor, to the microsecond */
        return anchor - 4 * US_PER_H + (int64_t)(rng_u01() * 8.0 * (double)US_PER_H);
    if (u < 0.6) /* on an hour boundary near an anchor, or one microsecond either side of it */
        return anchor + ((int64_t)rng_below(9) - 4) * US_PER_H + ((int64_t)rng_below(3) - 1);
    /* anywhere from 20 February to 10 November */
    int64_t lo = utc_us(2026, 2, 20, 0, 0), hi = utc_us(2026, 11, 10, 0, 0);
    return lo + (int64_t)(rng_u01() * (double)(hi - lo));
}

static double draw_value(int sound)
{
    static const double scales[] = { 1e-3, 1.0, 100.0, 1e5 };

    if (sound)
        return rng_u01() < 0.05 ? -20.0 * rng_u01() : 25.0 + 75.0 * rng_u01();
    return (2.0 * rng_u01() - 1.0) * scales[rng_below(4)];
}

static int cmp_row(const void *pa, const void *pb)
{
    const struct gen_row *a = pa, *b = pb;
    if (a->series != b->series)
        return a->series < b->series ? -1 : 1;
    return a->time_us < b->time_us ? -1 : a->time_us > b->time_us;
}

static int cmp_size(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    return a < b ? -1 : a > b;
}

static void shuffle(size_t *v, size_t n)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = rng_below(i), t = v[i - 1];
        v[i - 1] = v[j];
        v[j] = t;
    }
}

/* Draws the distinct rows, then the written sequence: every row once, a quarter more as
 * duplicates (a fifth of the stream), shuffled, cut in batches of 1..700, some batches given
 * copies of their own rows. */
static void generate(void)
{
    size_t n = 0, extra, len, *stream, pos = 0;

    rows = malloc(CANDIDATES * sizeof(*rows));
    for (size_t i = 0; i < CANDIDATES; i++) {
        rows[i].series = (int)rng_below(NSERIES);
        rows[i].time_us = draw_time();
        rows[i].value = draw_value(series[rows[i].series].sound);
    }
    qsort(rows, CANDIDATES, sizeof(*rows), cmp_row);
    for (size_t i = 0; i < CANDIDATES; i++) /* one value per key */
        if (n == 0 || cmp_row(&rows[n - 1], &rows[i]) != 0)
            rows[n++] = rows[i];
    nrows = n;

    extra = nrows / 4;
    len = nrows + extra;
    stream = malloc(len * sizeof(*stream));
    for (size_t i = 0; i < nrows; i++)
        stream[i] = i;
    for (size_t i = 0; i < extra; i++)
        stream[nrows + i] = rng_below(nrows);
    shuffle(stream, len);

    seq = malloc((len + 6 * 256) * sizeof(*seq));
    while (pos < len && nbatches < 256) {
        size_t size = 1 + rng_below(MAX_BATCH), copies = 0;
        if (size > len - pos)
            size = len - pos;
        batch_off[nbatches] = nseq;
        memcpy(seq + nseq, stream + pos, size * sizeof(*seq));
        if (rng_u01() < 0.3)
            copies = 1 + rng_below(5);
        for (size_t c = 0; c < copies; c++)
            seq[nseq + size + c] = stream[pos + rng_below(size)];
        shuffle(seq + nseq, size + copies);
        batch_len[nbatches++] = size + copies;
        nseq += size + copies;
        pos += size;
    }
    free(stream);
}

/* Counts the duplicates of the sequence: inside one batch, and of a row written in an earlier
 * batch. */
static void count_duplicates(void)
{
    size_t *seen = calloc(nrows, sizeof(*seen)); /* batch number + 1 of the last occurrence */
    size_t *sorted = malloc(MAX_BATCH * 2 * sizeof(*sorted));

    for (size_t b = 0; b < nbatches; b++) {
        memcpy(sorted, seq + batch_off[b], batch_len[b] * sizeof(*sorted));
        qsort(sorted, batch_len[b], sizeof(*sorted), cmp_size);
        for (size_t i = 0; i < batch_len[b]; i++) {
            if (i > 0 && sorted[i] == sorted[i - 1]) {
                in_batch_dups++;
                continue;
            }
            if (seen[sorted[i]] != 0)
                cross_batch_dups++;
            seen[sorted[i]] = b + 1;
        }
    }
    free(sorted);
    free(seen);
}

static int write_batch(size_t b)
{
    static struct store_row buf[MAX_BATCH * 2];

    for (size_t i = 0; i < batch_len[b]; i++) {
        const struct gen_row *g = &rows[seq[batch_off[b] + i]];
        const struct series *s = &series[g->series];
        buf[i] = (struct store_row){ device_id[s->device], s->quantity, g->time_us, g->value,
                                     device_use_case[s->device] };
    }
    return store_write(store, buf, batch_len[b]);
}

/* ------------------------------------------------------------------ SQL helpers */

/* The one value of a one-row, one-column query, copied into 'out'. */
static void query_value(const char *sql, int nparams, const char *const *params, char *out,
                        size_t cap)
{
    PGresult *r = NULL;
    int n = mue_db_query(db, "test value", &r, sql, nparams, params);

    MUE_ASSERT_INT_EQ(n, 1);
    snprintf(out, cap, "%s", PQgetisnull(r, 0, 0) ? "(null)" : PQgetvalue(r, 0, 0));
    PQclear(r);
}

static long long query_count(const char *sql)
{
    char v[32];
    query_value(sql, 0, NULL, v, sizeof(v));
    return strtoll(v, NULL, 10);
}

/* The number of rows query 'a' gives that query 'b' does not (EXCEPT). */
static long long rows_missing_from(const char *a, const char *b)
{
    char sql[2048];
    int n = snprintf(sql, sizeof(sql), "SELECT count(*) FROM (%s EXCEPT %s) x", a, b);

    MUE_ASSERT(n > 0 && (size_t)n < sizeof(sql));
    return query_count(sql);
}

/* COPY 'text' in with the command 'copy'. */
static void copy_in(const char *copy, const struct mue_buf *text)
{
    PGconn *c = mue_db_conn(db);
    PGresult *r = PQexec(c, copy);
    int status = PQresultStatus(r), failed = 0;

    PQclear(r);
    MUE_ASSERT_INT_EQ(status, PGRES_COPY_IN);
    MUE_ASSERT_INT_EQ(PQputCopyData(c, text->data, (int)text->len), 1);
    MUE_ASSERT_INT_EQ(PQputCopyEnd(c, NULL), 1);
    while ((r = PQgetResult(c)) != NULL) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            fprintf(stderr, "  copy: %s", PQresultErrorMessage(r));
            failed = 1;
        }
        PQclear(r);
    }
    MUE_ASSERT_INT_EQ(failed, 0);
}

/* A digest of everything the writer derives from the raw rows, and of the raw rows' count. */
static void derived_checksum(char *out, size_t cap)
{
    query_value("SELECT md5("
                " (SELECT coalesce(string_agg(r::text, ';' ORDER BY device_id, quantity, hour), '')"
                "  FROM rollup_hour r) || '|' ||"
                " (SELECT coalesce(string_agg(r::text, ';' ORDER BY device_id, quantity, day), '')"
                "  FROM rollup_day r) || '|' ||"
                " (SELECT coalesce(string_agg(l::text, ';' ORDER BY device_id, quantity), '')"
                "  FROM latest_value l) || '|' ||"
                " (SELECT count(*)::text FROM measurement))",
                0, NULL, out, cap);
}

/* ------------------------------------------------------------------ aggregates in C */

struct agg {
    int series;
    int64_t bucket; /* the UTC hour's start in µs, or the Paris day's number */
    long long count;
    double min, max, sum, abssum, energy;
    size_t first, last; /* rows[] indices */
};

/* Groups the sorted rows by series and hour (daily == 0) or Paris day (daily == 1). */
static struct agg *aggregate(int daily, size_t *nout)
{
    struct agg *a = malloc(nrows * sizeof(*a));
    size_t n = 0;

    for (size_t i = 0; i < nrows; i++) {
        const struct gen_row *g = &rows[i];
        int64_t bucket = daily ? paris_day(g->time_us) : floor_div(g->time_us, US_PER_H) * US_PER_H;
        if (n == 0 || a[n - 1].series != g->series || a[n - 1].bucket != bucket) {
            a[n++] = (struct agg){ g->series, bucket, 0, g->value, g->value, 0, 0, 0, i, i };
        }
        struct agg *x = &a[n - 1];
        x->count++;
        x->min = fmin(x->min, g->value);
        x->max = fmax(x->max, g->value);
        x->sum += g->value;
        x->abssum += fabs(g->value);
        if (series[g->series].sound)
            x->energy += pow(10.0, g->value / 10.0);
        x->last = i; /* rows are in time order within a series */
    }
    *nout = n;
    return a;
}

/* Loads the C aggregates into the temp table 'table' (bucket typed 'type'). */
static void load_expected(int daily, const char *table, const char *type)
{
    char sql[512], b[40], ft[40], lt[40];
    size_t n;
    struct agg *a = aggregate(daily, &n);
    struct mue_buf text;

    snprintf(sql, sizeof(sql),
             "CREATE TEMP TABLE %s (device_id bigint, quantity text, bucket %s, count bigint,"
             " min float8, max float8, first_time timestamptz, first_value float8,"
             " last_time timestamptz, last_value float8, sum float8, abssum float8,"
             " energy float8)",
             table, type);
    MUE_ASSERT_INT_EQ(mue_db_exec(db, "test expected", sql), MUE_OK);
    mue_buf_init(&text, 0);
    for (size_t i = 0; i < n; i++) {
        const struct series *s = &series[a[i].series];
        if (daily)
            format_day(a[i].bucket, b, sizeof(b));
        else
            mue_time_format(a[i].bucket, b, sizeof(b));
        mue_time_format(rows[a[i].first].time_us, ft, sizeof(ft));
        mue_time_format(rows[a[i].last].time_us, lt, sizeof(lt));
        mue_buf_printf(
            &text, "%lld\t%s\t%s\t%lld\t%.17g\t%.17g\t%s\t%.17g\t%s\t%.17g\t%.17g\t%.17g\t",
            (long long)device_id[s->device], s->quantity, b, a[i].count, a[i].min, a[i].max, ft,
            rows[a[i].first].value, lt, rows[a[i].last].value, a[i].sum, a[i].abssum);
        if (s->sound)
            mue_buf_printf(&text, "%.17g\n", a[i].energy);
        else
            mue_buf_append_str(&text, "\\N\n");
    }
    free(a);
    snprintf(sql, sizeof(sql), "COPY %s FROM STDIN", table);
    copy_in(sql, &text);
    mue_buf_fini(&text);
}

/* ------------------------------------------------------------------ tests */

static void test_the_paris_clock_changes_of_2026_are_on_29_march_and_25_october(void)
{
    MUE_ASSERT_INT_EQ(paris_offset_h(utc_us(2026, 3, 29, 1, 0) - 1), 1);
    MUE_ASSERT_INT_EQ(paris_offset_h(utc_us(2026, 3, 29, 1, 0)), 2);
    MUE_ASSERT_INT_EQ(paris_offset_h(utc_us(2026, 10, 25, 1, 0) - 1), 2);
    MUE_ASSERT_INT_EQ(paris_offset_h(utc_us(2026, 10, 25, 1, 0)), 1);
    /* 23:30 UTC on 31 March is 1 April in Paris; 22:30 UTC on 31 October is still 31 October. */
    MUE_ASSERT_INT_EQ(paris_day(utc_us(2026, 3, 31, 23, 30)), days_from_civil(2026, 4, 1));
    MUE_ASSERT_INT_EQ(paris_day(utc_us(2026, 10, 31, 22, 30)), days_from_civil(2026, 10, 31));
}

static void test_the_stream_has_duplicates_inside_and_across_batches(void)
{
    MUE_ASSERT(nrows > 15000);
    MUE_ASSERT(nseq >= 19000);
    MUE_ASSERT_UINT_EQ(nseq - nrows, in_batch_dups + cross_batch_dups);
    MUE_ASSERT(in_batch_dups >= 20);
    MUE_ASSERT(cross_batch_dups >= 2000);
    MUE_ASSERT(nbatches >= 40);
}

static void test_the_stream_covers_both_clock_change_days_in_every_series(void)
{
    size_t n;
    struct agg *a = aggregate(1, &n);
    int spring[NSERIES] = { 0 }, autumn[NSERIES] = { 0 };

    for (size_t i = 0; i < n; i++) {
        if (a[i].bucket == days_from_civil(2026, 3, 29))
            spring[a[i].series] = (int)a[i].count;
        if (a[i].bucket == days_from_civil(2026, 10, 25))
            autumn[a[i].series] = (int)a[i].count;
    }
    free(a);
    for (size_t s = 0; s < NSERIES; s++) {
        MUE_ASSERT(spring[s] >= 20);
        MUE_ASSERT(autumn[s] >= 20);
    }
}

static void test_the_sum_of_store_writes_returns_is_the_number_of_distinct_rows(void)
{
    MUE_ASSERT_INT_EQ(total_inserted, (long long)nrows);
    for (size_t i = 0; i < REPLAYED; i++)
        MUE_ASSERT_INT_EQ(replay_returns[i], 0);
}

static void test_measurement_holds_each_distinct_row_once(void)
{
    struct mue_buf text;
    char t[40];

    MUE_ASSERT_INT_EQ(query_count("SELECT count(*) FROM measurement"), (long long)nrows);
    MUE_ASSERT_INT_EQ(mue_db_exec(db, "test expected rows",
                                  "CREATE TEMP TABLE expect_row (device_id bigint, quantity text,"
                                  " time timestamptz, value float8, use_case text)"),
                      MUE_OK);
    mue_buf_init(&text, 0);
    for (size_t i = 0; i < nrows; i++) {
        const struct series *s = &series[rows[i].series];
        mue_time_format(rows[i].time_us, t, sizeof(t));
        mue_buf_printf(&text, "%lld\t%s\t%s\t%.17g\t%s\n", (long long)device_id[s->device],
                       s->quantity, t, rows[i].value, device_use_case[s->device]);
    }
    copy_in("COPY expect_row FROM STDIN", &text);
    mue_buf_fini(&text);
    MUE_ASSERT_INT_EQ(rows_missing_from("SELECT * FROM measurement", "SELECT * FROM expect_row"),
                      0);
    MUE_ASSERT_INT_EQ(rows_missing_from("SELECT * FROM expect_row", "SELECT * FROM measurement"),
                      0);
}

/* The rollups recomputed from the raw rows, by the hour (UTC) and by the Paris day. */
#define RECOMPUTED(bucket)                                                                         \
    "SELECT device_id, quantity, " bucket ", count(*), sum(value::text::numeric), min(value),"     \
    " max(value), min(time), (array_agg(value ORDER BY time))[1], max(time),"                      \
    " (array_agg(value ORDER BY time DESC))[1], sum(mue_sound_energy(quantity, value))"            \
    " FROM measurement GROUP BY 1, 2, 3"
#define ROLLUP_COLUMNS                                                                             \
    "count, sum, min, max, first_time, first_value, last_time, last_value, energy"

static const char hour_recomputed[] = RECOMPUTED("date_trunc('hour', time)");
static const char hour_stored[] =
    "SELECT device_id, quantity, hour, " ROLLUP_COLUMNS " FROM rollup_hour";
static const char day_recomputed[] = RECOMPUTED("(time AT TIME ZONE 'Europe/Paris')::date");
static const char day_stored[] =
    "SELECT device_id, quantity, day, " ROLLUP_COLUMNS " FROM rollup_day";

static void test_rollup_hour_equals_a_recomputation_from_raw_rows(void)
{
    MUE_ASSERT(query_count("SELECT count(*) FROM rollup_hour") > 1000);
    MUE_ASSERT_INT_EQ(rows_missing_from(hour_recomputed, hour_stored), 0);
    MUE_ASSERT_INT_EQ(rows_missing_from(hour_stored, hour_recomputed), 0);
}

static void test_rollup_day_equals_a_recomputation_from_raw_rows_in_paris_days(void)
{
    MUE_ASSERT(query_count("SELECT count(*) FROM rollup_day") > 300);
    MUE_ASSERT_INT_EQ(rows_missing_from(day_recomputed, day_stored), 0);
    MUE_ASSERT_INT_EQ(rows_missing_from(day_stored, day_recomputed), 0);
}

/* Both rollups against the aggregates of the generated rows, bucketed in C with explicit UTC
 * offsets: counts, extremes and first/last exactly, sums and energies to 1e-12 relative. */
#define EXACT_COLUMNS "count, min, max, first_time, first_value, last_time, last_value"
#define INEXACT_MISMATCHES(table, column, expect)                                                  \
    "SELECT count(*) FROM " table " r JOIN " expect " e"                                           \
    " ON (r.device_id, r.quantity, r." column ") = (e.device_id, e.quantity, e.bucket)"            \
    " WHERE abs(r.sum::float8 - e.sum) > 1e-12 * e.abssum + 1e-300"                                \
    " OR (r.energy IS NULL) <> (e.energy IS NULL)"                                                 \
    " OR abs(r.energy::float8 - e.energy) > 1e-12 * e.energy"

static void test_rollups_equal_the_aggregates_of_the_generated_rows_bucketed_in_c(void)
{
    static const char hour_exact[] =
        "SELECT device_id, quantity, hour, " EXACT_COLUMNS " FROM rollup_hour";
    static const char hour_in_c[] =
        "SELECT device_id, quantity, bucket, " EXACT_COLUMNS " FROM expect_hour";
    static const char day_exact[] =
        "SELECT device_id, quantity, day, " EXACT_COLUMNS " FROM rollup_day";
    static const char day_in_c[] =
        "SELECT device_id, quantity, bucket, " EXACT_COLUMNS " FROM expect_day";
    size_t nh, nd;

    free(aggregate(0, &nh));
    free(aggregate(1, &nd));
    load_expected(0, "expect_hour", "timestamptz");
    load_expected(1, "expect_day", "date");
    MUE_ASSERT_INT_EQ(query_count("SELECT count(*) FROM rollup_hour"), (long long)nh);
    MUE_ASSERT_INT_EQ(query_count("SELECT count(*) FROM rollup_day"), (long long)nd);
    MUE_ASSERT_INT_EQ(rows_missing_from(hour_exact, hour_in_c), 0);
    MUE_ASSERT_INT_EQ(rows_missing_from(hour_in_c, hour_exact), 0);
    MUE_ASSERT_INT_EQ(query_count(INEXACT_MISMATCHES("rollup_hour", "hour", "expect_hour")), 0);
    MUE_ASSERT_INT_EQ(rows_missing_from(day_exact, day_in_c), 0);
    MUE_ASSERT_INT_EQ(rows_missing_from(day_in_c, day_exact), 0);
    MUE_ASSERT_INT_EQ(query_count(INEXACT_MISMATCHES("rollup_day", "day", "expect_day")), 0);
}

static void test_latest_value_holds_the_last_raw_row_of_each_series(void)
{
    static const char stored[] = "SELECT device_id, quantity, time, value FROM latest_value";
    static const char last_raw[] =
        "(SELECT DISTINCT ON (device_id, quantity) device_id, quantity, time, value"
        " FROM measurement ORDER BY device_id, quantity, time DESC)";
    PGresult *r = NULL;
    size_t last[NSERIES];
    int64_t got_dev[NSERIES], got_t[NSERIES];
    double got_v[NSERIES];
    char got_q[NSERIES][32];
    int n;

    MUE_ASSERT_INT_EQ(rows_missing_from(stored, last_raw), 0);
    MUE_ASSERT_INT_EQ(rows_missing_from(last_raw, stored), 0);
    for (size_t i = 0; i < nrows; i++)
        last[rows[i].series] = i;
    n = mue_db_query(db, "test latest", &r,
                     "SELECT device_id, quantity,"
                     " (extract(epoch FROM time) * 1000000)::bigint, value::text"
                     " FROM latest_value ORDER BY device_id, quantity",
                     0, NULL);
    if (n != (int)NSERIES)
        PQclear(r);
    MUE_ASSERT_INT_EQ(n, (int)NSERIES);
    for (int i = 0; i < n && i < (int)NSERIES; i++) {
        got_dev[i] = strtoll(PQgetvalue(r, i, 0), NULL, 10);
        snprintf(got_q[i], sizeof(got_q[i]), "%s", PQgetvalue(r, i, 1));
        got_t[i] = strtoll(PQgetvalue(r, i, 2), NULL, 10);
        got_v[i] = strtod(PQgetvalue(r, i, 3), NULL);
    }
    PQclear(r);
    for (int i = 0; i < n; i++) {
        size_t s = 0;
        while (s < NSERIES && (device_id[series[s].device] != got_dev[i] ||
                               strcmp(series[s].quantity, got_q[i]) != 0))
            s++;
        MUE_ASSERT(s < NSERIES);
        MUE_ASSERT_INT_EQ(got_t[i], rows[last[s]].time_us);
        MUE_ASSERT_DBL_NEAR(got_v[i], rows[last[s]].value, 0.0);
    }
}

/* The energetic mean of rollup_hour_stats against 10·log10(mean of 10^(L/10)) from the generated
 * rows, for the LAeq hours of the clock changes and the fullest LAeq hours. */
static void test_energetic_means_of_chosen_laeq_hours_equal_the_ones_computed_in_c(void)
{
    int64_t hours[8];
    int series_of[8];
    size_t nh = 0, n;
    struct agg *a = aggregate(0, &n);
    struct agg *best[2] = { NULL, NULL };

    for (size_t i = 0; i < n; i++) {
        int s = a[i].series;
        if (strcmp(series[s].quantity, "LAeq") != 0)
            continue;
        if (nh < 6 && (a[i].bucket == utc_us(2026, 3, 29, 1, 0) ||
                       a[i].bucket == utc_us(2026, 10, 25, 0, 0) ||
                       a[i].bucket == utc_us(2026, 10, 25, 1, 0))) {
            hours[nh] = a[i].bucket;
            series_of[nh++] = s;
        }
        int k = series[s].device; /* devices 0 and 1 carry LAeq */
        if (best[k] == NULL || a[i].count > best[k]->count)
            best[k] = &a[i];
    }
    for (int k = 0; k < 2; k++) {
        MUE_ASSERT(best[k] != NULL);
        hours[nh] = best[k]->bucket;
        series_of[nh++] = best[k]->series;
    }
    free(a);
    MUE_ASSERT(nh >= 5);
    for (size_t h = 0; h < nh; h++) {
        double energy = 0, got;
        long long count = 0;
        char dev[24], hour[40], v[64];
        const char *params[2] = { dev, hour };

        for (size_t i = 0; i < nrows; i++) {
            if (rows[i].series != series_of[h] || rows[i].time_us < hours[h] ||
                rows[i].time_us >= hours[h] + US_PER_H)
                continue;
            energy += pow(10.0, rows[i].value / 10.0);
            count++;
        }
        MUE_ASSERT(count >= 5);
        snprintf(dev, sizeof(dev), "%lld", (long long)device_id[series[series_of[h]].device]);
        mue_time_format(hours[h], hour, sizeof(hour));
        query_value("SELECT count FROM rollup_hour_stats"
                    " WHERE device_id = $1 AND quantity = 'LAeq' AND hour = $2",
                    2, params, v, sizeof(v));
        MUE_ASSERT_INT_EQ(strtoll(v, NULL, 10), count);
        query_value("SELECT energetic_mean FROM rollup_hour_stats"
                    " WHERE device_id = $1 AND quantity = 'LAeq' AND hour = $2",
                    2, params, v, sizeof(v));
        got = strtod(v, NULL);
        MUE_ASSERT_DBL_NEAR(got, 10.0 * log10(energy / (double)count), 1e-9);
    }
}

static void test_a_replay_of_a_stored_batch_returns_0_and_changes_no_rollup_row(void)
{
    char before[40], after[40];
    size_t largest = 0;

    for (size_t b = 1; b < nbatches; b++)
        if (batch_len[b] > batch_len[largest])
            largest = b;
    derived_checksum(before, sizeof(before));
    MUE_ASSERT_INT_EQ(write_batch(largest), 0);
    MUE_ASSERT_INT_EQ(write_batch(0), 0);
    MUE_ASSERT_INT_EQ(write_batch(nbatches - 1), 0);
    derived_checksum(after, sizeof(after));
    MUE_ASSERT_STR_EQ(after, before);
    MUE_ASSERT_INT_EQ(query_count("SELECT count(*) FROM measurement"), (long long)nrows);
}

/* A device's use case can change (mue-admin devices import updates it), and the writer takes the
 * use case from the message: a batch stored before the change and delivered again after it (a
 * JetStream redelivery) must still insert nothing. Runs last: it adds a series of its own. */
static void
test_a_stored_row_delivered_again_after_its_device_changed_use_case_inserts_nothing(void)
{
    const char *params[1] = { "70b3d5e75e0000ff" };
    struct store_row row = { 0, "level", utc_us(2026, 5, 1, 10, 0) + 123, 1.5, "water" };
    char before[40], after[40], id[24], sql[128];
    PGresult *r = NULL;
    int n = mue_db_query(db, "test device", &r,
                         "INSERT INTO device (dev_eui, name, model, use_case)"
                         " VALUES ($1, 'rollups-moved', 'test-model', 'water') RETURNING id",
                         1, params);

    if (n != 1)
        PQclear(r);
    MUE_ASSERT_INT_EQ(n, 1);
    snprintf(id, sizeof(id), "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    row.device_id = strtoll(id, NULL, 10);
    MUE_ASSERT_INT_EQ(store_write(store, &row, 1), 1);
    snprintf(sql, sizeof(sql), "UPDATE device SET use_case = 'waste' WHERE id = %s", id);
    MUE_ASSERT_INT_EQ(mue_db_exec(db, "test move", sql), MUE_OK);
    derived_checksum(before, sizeof(before));
    row.use_case = "waste";
    MUE_ASSERT_INT_EQ(store_write(store, &row, 1), 0);
    derived_checksum(after, sizeof(after));
    MUE_ASSERT_STR_EQ(after, before);
}

/* ------------------------------------------------------------------ setup */

static int register_devices(void)
{
    for (int i = 0; i < NDEVICES; i++) {
        char eui[20], name[32];
        const char *params[3] = { eui, name, device_use_case[i] };
        PGresult *r = NULL;

        snprintf(eui, sizeof(eui), "70b3d5e75e0000%02x", i);
        snprintf(name, sizeof(name), "rollups-%d", i);
        if (mue_db_query(db, "test device", &r,
                         "INSERT INTO device (dev_eui, name, model, use_case)"
                         " VALUES ($1, $2, 'test-model', $3) RETURNING id",
                         3, params) != 1) {
            PQclear(r);
            return -1;
        }
        device_id[i] = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
        PQclear(r);
    }
    return 0;
}

/* Writes the sequence batch after batch, then replays some whole batches. Returns 0, or -1 when
 * a write failed. */
static int write_stream(void)
{
    for (size_t b = 0; b < nbatches; b++) {
        int rc = write_batch(b);
        if (rc < 0)
            return -1;
        total_inserted += rc;
    }
    for (size_t i = 0; i < REPLAYED; i++) {
        int rc = write_batch(rng_below(nbatches));
        if (rc < 0)
            return -1;
        replay_returns[i] = rc;
        total_inserted += rc;
    }
    return 0;
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_the_paris_clock_changes_of_2026_are_on_29_march_and_25_october),
        MUE_TEST(test_the_stream_has_duplicates_inside_and_across_batches),
        MUE_TEST(test_the_stream_covers_both_clock_change_days_in_every_series),
        MUE_TEST(test_the_sum_of_store_writes_returns_is_the_number_of_distinct_rows),
        MUE_TEST(test_measurement_holds_each_distinct_row_once),
        MUE_TEST(test_rollup_hour_equals_a_recomputation_from_raw_rows),
        MUE_TEST(test_rollup_day_equals_a_recomputation_from_raw_rows_in_paris_days),
        MUE_TEST(test_rollups_equal_the_aggregates_of_the_generated_rows_bucketed_in_c),
        MUE_TEST(test_latest_value_holds_the_last_raw_row_of_each_series),
        MUE_TEST(test_energetic_means_of_chosen_laeq_hours_equal_the_ones_computed_in_c),
        MUE_TEST(test_a_replay_of_a_stored_batch_returns_0_and_changes_no_rollup_row),
        MUE_TEST(
            test_a_stored_row_delivered_again_after_its_device_changed_use_case_inserts_nothing),
    };
    int rc = 1;

    if (test_db_open(&tdb, "rollups") < 0)
        goto out;
    db = tdb.db;
    if (register_devices() < 0) {
        fprintf(stderr, "the test devices cannot be registered\n");
        printf("rollups: 0 passed, 1 failed\n");
        goto out;
    }
    store = store_new(db);
    generate();
    count_duplicates();
    if (write_stream() < 0) {
        fprintf(stderr, "store_write failed: see the log above\n");
        printf("rollups: 0 passed, 1 failed\n");
        goto out;
    }
    rc = mue_test_run("rollups", tests);
out:
    store_free(store);
    free(rows);
    free(seq);
    test_db_close(&tdb);
    return rc;
}
