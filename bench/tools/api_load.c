/* api_load.c - a paced load on one URL of mue-api (or one SQL query, for the ceiling): latency
 * percentiles under a steady request rate.
 * SPDX-License-Identifier: MIT */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "mue_err.h"
#include "mue_http_conn.h"
#include "mue_mem.h"

#define MAX_PARAMS   16
#define MAX_CONNS    256
#define BODY_CAP     (16u << 20) /* a year of raw points would not fit; 8,760 hours do */
#define NS_PER_S     1000000000LL
#define NS_PER_MS    1e6
#define ERRORS_SHOWN 3

struct opts {
    const char *url, *key, *name, *sql, *dsn;
    const char *params[MAX_PARAMS];
    int n_params, conns, expect_status;
    double rate, seconds, warmup;
    long timeout_ms;
    bool single_row;
};

/* One scheduled request: its latencies, and what came back. */
struct sample {
    double lat_ms; /* from the scheduled send time to the end of the answer: queueing shows */
    double svc_ms; /* from the actual send to the end of the answer */
    int64_t end_ns;
    size_t bytes;
    long rows;
    bool ok;
};

struct run {
    const struct opts *o;
    char base[512];
    const char *path;
    int64_t t0_ns; /* the schedule's start, set once every worker is connected */
    long total;    /* warm-up and measured requests */
    atomic_long next;
    atomic_int errors_shown;
    struct sample *s;
    pthread_barrier_t ready;
};

static int64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

static void sleep_until(int64_t ns)
{
    struct timespec ts = { (time_t)(ns / NS_PER_S), (long)(ns % NS_PER_S) };

    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
        ;
}

/* The first few failures are told on stderr; the rest are only counted. */
static void report_error(struct run *r, const char *what)
{
    if (atomic_fetch_add(&r->errors_shown, 1) < ERRORS_SHOWN)
        fprintf(stderr, "api_load %s: %.*s\n", r->o->name, (int)strcspn(what, "\n"), what);
}

static void http_one(struct run *r, struct mue_http_conn *c, const char *const *headers,
                     struct mue_http_conn_resp *resp, struct sample *s)
{
    int rc =
        mue_http_conn_request(c, "GET", r->path, headers, NULL, NULL, 0, r->o->timeout_ms, resp);
    char what[160];

    s->bytes = resp->len;
    s->ok = rc == MUE_OK && resp->status == r->o->expect_status;
    if (rc != MUE_OK) {
        report_error(r, mue_strerror(rc));
    } else if (!s->ok) {
        snprintf(what, sizeof(what), "status %d: %.120s", resp->status, resp->body);
        report_error(r, what);
    }
}

static void sql_one(struct run *r, PGconn *db, struct sample *s)
{
    const struct opts *o = r->o;
    PGresult *res;
    bool sent;

    s->ok = true;
    sent = PQsendQueryParams(db, o->sql, o->n_params, NULL, o->params, NULL, NULL, 0) == 1;
    if (sent && o->single_row)
        PQsetSingleRowMode(db);
    if (!sent) {
        s->ok = false;
        report_error(r, PQerrorMessage(db));
        return;
    }
    /* Every value is looked at, as a client that formats them would. */
    while ((res = PQgetResult(db)) != NULL) {
        ExecStatusType st = PQresultStatus(res);

        if (st == PGRES_TUPLES_OK || st == PGRES_SINGLE_TUPLE) {
            int rows = PQntuples(res), cols = PQnfields(res);

            for (int i = 0; i < rows; i++)
                for (int j = 0; j < cols; j++)
                    s->bytes += (size_t)PQgetlength(res, i, j);
            s->rows += rows;
        } else if (st != PGRES_COMMAND_OK) {
            if (s->ok)
                report_error(r, PQresultErrorMessage(res));
            s->ok = false;
        }
        PQclear(res);
    }
}

static void *worker(void *arg)
{
    struct run *r = arg;
    const struct opts *o = r->o;
    struct mue_http_conn *c = NULL;
    struct mue_http_conn_resp resp = { 0, NULL, 0, 0, -1 };
    char auth[600];
    const char *headers[2] = { NULL, NULL };
    PGconn *db = NULL;
    bool usable;

    if (o->sql != NULL) {
        db = PQconnectdb(o->dsn);
        usable = PQstatus(db) == CONNECTION_OK;
        if (!usable)
            fprintf(stderr, "api_load: %s", PQerrorMessage(db));
    } else {
        usable = mue_http_conn_new(&c, r->base) == MUE_OK;
        resp.body = mue_xmalloc(BODY_CAP);
        resp.cap = BODY_CAP;
        if (o->key != NULL) {
            snprintf(auth, sizeof(auth), "Authorization: Bearer %s", o->key);
            headers[0] = auth;
        }
    }
    pthread_barrier_wait(&r->ready);
    pthread_barrier_wait(&r->ready); /* the main thread set t0 between the two */

    for (;;) {
        long i = atomic_fetch_add(&r->next, 1);
        struct sample *s;
        int64_t due, start;

        if (i >= r->total)
            break;
        s = &r->s[i];
        due = r->t0_ns + (int64_t)((double)i * (double)NS_PER_S / o->rate);
        sleep_until(due);
        start = mono_ns();
        if (!usable)
            s->ok = false;
        else if (db != NULL)
            sql_one(r, db, s);
        else
            http_one(r, c, headers, &resp, s);
        s->end_ns = mono_ns();
        s->lat_ms = (double)(s->end_ns - due) / NS_PER_MS;
        s->svc_ms = (double)(s->end_ns - start) / NS_PER_MS;
    }
    if (db != NULL)
        PQfinish(db);
    mue_http_conn_free(c);
    free(resp.body);
    return NULL;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The nearest-rank percentile of n sorted values. */
static double percentile(const double *v, long n, double p)
{
    long k = (long)ceil(p * (double)n) - 1;

    if (n == 0)
        return NAN;
    return v[k < 0 ? 0 : k >= n ? n - 1 : k];
}

/* Splits "http://host:port/path?query" into the base and the path (which keeps the query). */
static int split_url(struct run *r, const char *url)
{
    const char *p = strncmp(url, "http://", 7) == 0 ? strchr(url + 7, '/') : NULL;

    if (p == NULL || (size_t)(p - url) >= sizeof(r->base))
        return MUE_EINVAL;
    memcpy(r->base, url, (size_t)(p - url));
    r->base[p - url] = '\0';
    r->path = p;
    return MUE_OK;
}

/* Prints the line; returns the number of measured requests that succeeded. */
static long summarize(const struct run *r)
{
    const struct opts *o = r->o;
    long warm = r->total - (long)llround(o->rate * o->seconds), n = 0, errors = 0, rows = 0;
    double *lat = mue_xcalloc((size_t)(r->total - warm) + 1, sizeof(double));
    double *svc = mue_xcalloc((size_t)(r->total - warm) + 1, sizeof(double));
    int64_t first_due = r->t0_ns + (int64_t)((double)warm * (double)NS_PER_S / o->rate);
    int64_t last_end = first_due;
    double bytes = 0, span_s;

    for (long i = warm; i < r->total; i++) {
        const struct sample *s = &r->s[i];

        if (s->end_ns > last_end)
            last_end = s->end_ns;
        if (!s->ok) {
            errors++;
            continue;
        }
        lat[n] = s->lat_ms;
        svc[n] = s->svc_ms;
        bytes += (double)s->bytes;
        rows += s->rows;
        n++;
    }
    qsort(lat, (size_t)n, sizeof(double), cmp_double);
    qsort(svc, (size_t)n, sizeof(double), cmp_double);
    span_s = (double)(last_end - first_due) / (double)NS_PER_S;
    printf("name=%s count=%ld errors=%ld p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f "
           "rate=%.1f target_rate=%g conns=%d svc_p50_ms=%.3f svc_p99_ms=%.3f bytes=%.0f",
           o->name, r->total - warm, errors, percentile(lat, n, 0.50), percentile(lat, n, 0.90),
           percentile(lat, n, 0.99), n > 0 ? lat[n - 1] : NAN,
           span_s > 0 ? (double)(r->total - warm) / span_s : 0.0, o->rate, o->conns,
           percentile(svc, n, 0.50), percentile(svc, n, 0.99), n > 0 ? bytes / (double)n : 0.0);
    if (o->sql != NULL)
        printf(" rows=%.0f", n > 0 ? (double)rows / (double)n : 0.0);
    printf("\n");
    free(lat);
    free(svc);
    return n;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: api_load [options] URL\n"
            "       api_load [options] --dsn DSN --sql SQL [--param VALUE]...\n"
            "  GETs URL (http://host:port/path?query) at a steady rate over kept-alive\n"
            "  connections, open loop: request i is due at i/RATE seconds whatever came before,\n"
            "  and its latency runs from that due time, so a server that falls behind shows it.\n"
            "  With --sql, runs the query through libpq instead (the ceiling of a route).\n"
            "  Prints one line: name count errors p50_ms p90_ms p99_ms max_ms rate target_rate\n"
            "  conns svc_p50_ms svc_p99_ms (from the actual send) bytes (a mean answer) [rows].\n"
            "  -r, --rate N        requests a second (default 50)\n"
            "  -s, --seconds S     measured seconds (default 20)\n"
            "  -w, --warmup S      seconds of load before, not counted (default 2)\n"
            "  -c, --conns N       connections, one thread each (default 4)\n"
            "  -k, --key KEY       bearer key (default: $API_LOAD_KEY)\n"
            "  -e, --expect CODE   the status that counts as success (default 200)\n"
            "  -t, --timeout MS    per request (default 10000)\n"
            "  -n, --name NAME     the label of the line (default load)\n"
            "      --dsn DSN       libpq connection string (with --sql)\n"
            "      --sql SQL       the query, with $1... for the --param values in order\n"
            "      --param VALUE   a query parameter (up to %d)\n"
            "      --single-row    read the rows in libpq's single-row mode, as mue-api does\n",
            MAX_PARAMS);
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "rate", required_argument, NULL, 'r' },    { "seconds", required_argument, NULL, 's' },
        { "warmup", required_argument, NULL, 'w' },  { "conns", required_argument, NULL, 'c' },
        { "key", required_argument, NULL, 'k' },     { "expect", required_argument, NULL, 'e' },
        { "timeout", required_argument, NULL, 't' }, { "name", required_argument, NULL, 'n' },
        { "dsn", required_argument, NULL, 'D' },     { "sql", required_argument, NULL, 'S' },
        { "param", required_argument, NULL, 'P' },   { "single-row", no_argument, NULL, '1' },
        { "help", no_argument, NULL, 'h' },          { NULL, 0, NULL, 0 }
    };
    struct opts o = {
        NULL, getenv("API_LOAD_KEY"), "load", NULL, NULL, { NULL }, 0, 4, 200, 50, 20, 2, 10000,
        false
    };
    struct run r;
    pthread_t th[MAX_CONNS];
    long ok;
    int opt;

    while ((opt = getopt_long(argc, argv, "r:s:w:c:k:e:t:n:h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'r':
            o.rate = strtod(optarg, NULL);
            break;
        case 's':
            o.seconds = strtod(optarg, NULL);
            break;
        case 'w':
            o.warmup = strtod(optarg, NULL);
            break;
        case 'c':
            o.conns = (int)strtol(optarg, NULL, 10);
            break;
        case 'k':
            o.key = optarg;
            break;
        case 'e':
            o.expect_status = (int)strtol(optarg, NULL, 10);
            break;
        case 't':
            o.timeout_ms = strtol(optarg, NULL, 10);
            break;
        case 'n':
            o.name = optarg;
            break;
        case 'D':
            o.dsn = optarg;
            break;
        case 'S':
            o.sql = optarg;
            break;
        case 'P':
            if (o.n_params == MAX_PARAMS) {
                fprintf(stderr, "api_load: at most %d --param\n", MAX_PARAMS);
                return 2;
            }
            o.params[o.n_params++] = optarg;
            break;
        case '1':
            o.single_row = true;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    memset(&r, 0, sizeof(r));
    r.o = &o;
    o.url = optind < argc ? argv[optind] : NULL;
    if (!(o.rate > 0) || !(o.seconds > 0) || !(o.warmup >= 0) || o.conns < 1 ||
        o.conns > MAX_CONNS || o.timeout_ms <= 0 || optind + (o.sql == NULL) != argc ||
        (o.sql != NULL) != (o.dsn != NULL) || (o.sql == NULL && split_url(&r, o.url) != 0)) {
        usage(stderr);
        return 2;
    }

    r.total = llround(o.rate * o.warmup) + llround(o.rate * o.seconds);
    r.s = mue_xcalloc((size_t)r.total, sizeof(struct sample));
    atomic_init(&r.next, 0);
    atomic_init(&r.errors_shown, 0);
    pthread_barrier_init(&r.ready, NULL, (unsigned)o.conns + 1);
    for (int i = 0; i < o.conns; i++)
        if (pthread_create(&th[i], NULL, worker, &r) != 0) {
            fprintf(stderr, "api_load: cannot start thread %d\n", i);
            return 1;
        }
    pthread_barrier_wait(&r.ready);
    r.t0_ns = mono_ns() + 10 * 1000000LL; /* a little ahead: every worker is awake by then */
    pthread_barrier_wait(&r.ready);
    for (int i = 0; i < o.conns; i++)
        pthread_join(th[i], NULL);
    pthread_barrier_destroy(&r.ready);

    ok = summarize(&r);
    free(r.s);
    return ok > 0 ? 0 : 1;
}
