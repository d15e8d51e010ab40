/* h_series.c - a device's series of one quantity (GET /v1/devices/{dev_eui}/series): raw rows,
 * or hour and day buckets read from the rollups, as JSON or CSV, streamed row by row so that no
 * range, however long, is ever held in memory.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "mue_log.h"
#include "mue_mem.h"
#include "mue_time.h"
#include "series_query.h"

#define STREAM_BUF_SIZE 32768 /* points are sent in chunks of about this size */

/* The output buffer: points gather here and go out a chunk at a time. */
struct out {
    struct api_req *r;
    char *buf;
    size_t len;
    bool gone; /* the client went away */
};

/* An RFC 3339 time as the API writes it: UTC, with the fraction only when there is one. */
static void format_time(int64_t us, char out[32])
{
    size_t n = mue_time_format(us, out, 32);

    if (n >= 8 && strcmp(out + n - 8, ".000000Z") == 0)
        strcpy(out + n - 8, "Z");
}

/* Reads and checks the path's DevEUI and every query parameter. Returns 0, or the status of the
 * 400 it sent. */
static int parse_params(struct api_req *r, struct series_query *s)
{
    char why[160];

    if (api_dev_eui(r, r->param[0], s->dev_eui) != 0)
        return 400;
    if (series_query_parse(r->query, mue_time_now_us(), s, why, sizeof(why)) < 0)
        return api_error(r, 400, "bad_parameter", "%s", why);
    return 0;
}

static int out_flush(struct out *o)
{
    if (o->len > 0 && !o->gone && api_stream_write(o->r, o->buf, o->len) != 0)
        o->gone = true;
    o->len = 0;
    return o->gone ? -1 : 0;
}

static int out_put(struct out *o, const char *s, size_t len)
{
    if (o->len + len > STREAM_BUF_SIZE && out_flush(o) != 0)
        return -1;
    if (len > STREAM_BUF_SIZE) /* never for a point: only for safety */
        return api_stream_write(o->r, s, len) == 0 ? 0 : (o->gone = true, -1);
    memcpy(o->buf + o->len, s, len);
    o->len += len;
    return 0;
}

/* A double in the fewest digits that read back as the same double (valid JSON and CSV). */
static size_t format_value(double v, char out[32])
{
    int n = 0;

    for (int prec = 15; prec <= 17; prec++) {
        n = snprintf(out, 32, "%.*g", prec, v);
        if (strtod(out, NULL) == v)
            break;
    }
    return n > 0 ? (size_t)n : 0;
}

/* True when 'text' is a number as JSON writes it: -?digits(.digits)?([eE][+-]?digits)?, with no
 * leading zero, and short. PostgreSQL writes a double in its shortest exact form (extra_float_digits
 * >= 1, set by the pool), "NaN" and "Infinity" aside: such a text goes out as it came. */
static bool json_number(const char *text)
{
    const char *p = text;

    if (*p == '-')
        p++;
    if (*p == '0')
        p++;
    else if (*p >= '1' && *p <= '9')
        p += strspn(p, "0123456789");
    else
        return false;
    if (*p == '.') {
        size_t n = strspn(++p, "0123456789");
        if (n == 0)
            return false;
        p += n;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        size_t n = strspn(p, "0123456789");
        if (n == 0)
            return false;
        p += n;
    }
    return *p == '\0' && p - text < 32;
}

/* Appends one point: 'us' and the value's text as PostgreSQL sent it (NULL for none). */
static int put_point(struct out *o, const struct series_query *s, bool first, const char *us_text,
                     const char *value_text)
{
    char line[96], t[32], v[32];
    int n;

    format_time(strtoll(us_text, NULL, 10), t);
    if (value_text != NULL && json_number(value_text)) {
        strcpy(v, value_text);
    } else {
        double value = value_text != NULL ? strtod(value_text, NULL) : NAN;

        /* NaN and infinities have no JSON form: the point is there, its value is not. */
        if (isfinite(value))
            format_value(value, v);
        else
            strcpy(v, s->csv ? "" : "null");
    }
    if (s->csv)
        n = snprintf(line, sizeof(line), "%s,%s\n", t, v);
    else
        n = snprintf(line, sizeof(line), "%s[\"%s\",%s]", first ? "" : ",", t, v);
    return out_put(o, line, (size_t)n);
}

static void put_head(struct out *o, const struct series_query *s)
{
    char head[512], from[32], to[32];
    int n;

    if (s->csv) {
        out_put(o, "time,value\n", 11);
        return;
    }
    format_time(s->from, from);
    format_time(s->to, to);
    /* Every text here was checked to be of a safe alphabet: nothing to escape. */
    n = snprintf(head, sizeof(head),
                 "{\"dev_eui\":\"%s\",\"quantity\":\"%s\",\"bucket\":\"%s\",\"agg\":%s%s%s,"
                 "%s\"from\":\"%s\",\"to\":\"%s\",\"points\":[",
                 s->dev_eui, s->quantity, series_query_bucket_name(s->bucket),
                 s->bucket == SERIES_BUCKET_RAW ? "" : "\"",
                 s->bucket == SERIES_BUCKET_RAW ? "null" : s->agg->name,
                 s->bucket == SERIES_BUCKET_RAW ? "" : "\"",
                 s->bucket == SERIES_BUCKET_DAY ? "\"bucket_tz\":\"Europe/Paris\"," : "", from, to);
    out_put(o, head, (size_t)n);
}

/* The query of a series. Hours are UTC hours; days are the Paris local days of rollup_day,
 * each given as the instant of its local midnight. A bucket is in when its start is in
 * [from, to). $1 device id, $2 quantity, $3 from, $4 to, and for raw rows $5 the use case
 * (which picks the partitions).
 * sql-params: each %s is a fixed fragment (the aggregation table's expr, day_start, the energy
 * filter), never a caller's text; every value is one of the parameters above. */
static void series_sql(const struct series_query *s, char *sql, size_t cap)
{
    static const char day_start[] = "(day::timestamp AT TIME ZONE 'Europe/Paris')";

    if (s->bucket == SERIES_BUCKET_RAW) {
        snprintf(sql, cap,
                 "SELECT (extract(epoch FROM time) * 1000000)::int8, value FROM measurement "
                 "WHERE device_id = $1::int8 AND quantity = $2 AND use_case = $5 "
                 "AND time >= $3::timestamptz AND time < $4::timestamptz ORDER BY time");
    } else if (s->bucket == SERIES_BUCKET_HOUR) {
        snprintf(sql, cap,
                 "SELECT date_part('epoch', hour)::int8 * 1000000, %s FROM rollup_hour "
                 "WHERE device_id = $1::int8 AND quantity = $2 "
                 "AND hour >= $3::timestamptz AND hour < $4::timestamptz%s ORDER BY hour",
                 s->agg->expr, s->agg->sound_only ? " AND energy IS NOT NULL" : "");
    } else {
        /* The date range lets the primary key find the rows; the instants decide exactly. */
        snprintf(sql, cap,
                 "SELECT date_part('epoch', %s)::int8 * 1000000, %s FROM rollup_day "
                 "WHERE device_id = $1::int8 AND quantity = $2 "
                 "AND day BETWEEN ($3::timestamptz AT TIME ZONE 'Europe/Paris')::date "
                 "AND ($4::timestamptz AT TIME ZONE 'Europe/Paris')::date "
                 "AND %s >= $3::timestamptz AND %s < $4::timestamptz%s ORDER BY day",
                 day_start, s->agg->expr, day_start, day_start,
                 s->agg->sound_only ? " AND energy IS NOT NULL" : "");
    }
}

/* Stops the query of a client that went away; the results left are drained by the caller. */
static void cancel_query(PGconn *db)
{
    PGcancel *c = PQgetCancel(db);
    char err[256];

    if (c != NULL) {
        if (!PQcancel(c, err, sizeof(err)))
            mue_log_warn("api.series_cancel_failed", "err=\"%s\"", err);
        PQfreeCancel(c);
    }
}

/* Sends the query in single-row mode and streams its rows. The stream starts with the first
 * good result, so a query that fails at once is still a 500 with a JSON reason. Every result is
 * read to the end, so the connection goes back to the pool idle. */
static int stream_series(struct api_req *r, const struct series_query *s, const char *const *params)
{
    char sql[1024], filename[64];
    struct out o = { r, NULL, 0, false };
    bool started = false, failed = false, first = true;
    PGresult *res;
    int status = 200;

    series_sql(s, sql, sizeof(sql));
    if (!PQsendQueryParams(r->db, sql, s->bucket == SERIES_BUCKET_RAW ? 5 : 4, NULL, params, NULL,
                           NULL, 0))
        return api_db_error(r, "series", NULL);
    if (!PQsetSingleRowMode(r->db))
        mue_log_warn("api.series_single_row", "single-row mode refused: rows come all at once");
    o.buf = mue_xmalloc(STREAM_BUF_SIZE);

    while ((res = PQgetResult(r->db)) != NULL) {
        ExecStatusType st = PQresultStatus(res);

        if (failed || o.gone) {
            /* draining */
        } else if (st == PGRES_SINGLE_TUPLE || st == PGRES_TUPLES_OK) {
            if (!started) {
                snprintf(filename, sizeof(filename), "%s_%s.csv", s->dev_eui, s->quantity);
                api_stream_begin(r, s->csv ? "text/csv; charset=utf-8" : "application/json",
                                 s->csv ? filename : NULL);
                started = true;
                put_head(&o, s);
            }
            for (int i = 0; i < PQntuples(res) && !o.gone; i++) {
                put_point(&o, s, first, PQgetvalue(res, i, 0),
                          PQgetisnull(res, i, 1) ? NULL : PQgetvalue(res, i, 1));
                first = false;
            }
            if (o.gone) {
                mue_log_info("api.series_client_gone", "dev_eui=%s quantity=%s", s->dev_eui,
                             s->quantity);
                cancel_query(r->db);
            }
        } else {
            failed = true;
            status = started ? 200 : 500;
            /* Before the stream: a 500. Within it: logged, and the answer stops short. */
            api_db_error(r, "series", res);
        }
        PQclear(res);
    }
    if (started && !failed && !o.gone) {
        if (!s->csv)
            out_put(&o, "]}", 2);
        out_flush(&o);
    }
    free(o.buf);
    if (started)
        status = api_stream_end(r);
    return status;
}

int h_series(struct api_req *r)
{
    static const char device_sql[] =
        "SELECT d.id, d.use_case FROM device d WHERE d.dev_eui = $1 AND d.active "
        "AND ($2::text[] IS NULL OR d.use_case = ANY($2::text[])) "
        "AND ($3::text[] IS NULL OR d.dev_eui = ANY($3::text[]))";
    struct series_query s;
    char from[32], to[32], id[24], use_case[64];
    const char *params[5];
    PGresult *res;
    int rc;

    memset(&s, 0, sizeof(s));
    if ((rc = parse_params(r, &s)) != 0)
        return rc;

    params[0] = s.dev_eui;
    params[1] = api_scope_use_cases(r);
    params[2] = api_scope_devices(r);
    if ((res = api_sql(r, "series device", device_sql, 3, params)) == NULL)
        return 500;
    if (PQntuples(res) != 1) {
        PQclear(res);
        /* Out of scope is answered as if it did not exist. */
        return api_error(r, 404, "not_found", "no device %s", s.dev_eui);
    }
    snprintf(id, sizeof(id), "%s", PQgetvalue(res, 0, 0));
    snprintf(use_case, sizeof(use_case), "%s", PQgetvalue(res, 0, 1));
    PQclear(res);

    /* HEAD: the headers say all there is; no rows need reading. */
    if (strcmp(r->method, "HEAD") == 0) {
        char filename[64];

        snprintf(filename, sizeof(filename), "%s_%s.csv", s.dev_eui, s.quantity);
        api_stream_begin(r, s.csv ? "text/csv; charset=utf-8" : "application/json",
                         s.csv ? filename : NULL);
        return api_stream_end(r);
    }

    mue_time_format(s.from, from, sizeof(from));
    mue_time_format(s.to, to, sizeof(to));
    params[0] = id;
    params[1] = s.quantity;
    params[2] = from;
    params[3] = to;
    params[4] = use_case;
    return stream_series(r, &s, params);
}
