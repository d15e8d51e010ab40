/* job.c - one run of a dataset's export job, recorded in opendata_run.
 * SPDX-License-Identifier: MIT */
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "job.h"
#include "mue_buf.h"
#include "mue_db.h"
#include "mue_err.h"
#include "mue_log.h"
#include "mue_mem.h"
#include "mue_signal.h"
#include "out_counting.h"
#include "out_ngsild.h"
#include "out_table.h"
#include "publish.h"
#include "source.h"

#define ISO(e) "to_char((" e ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* The end of the last complete period (less the delay), where this run starts (the month of the
 * first unpublished period, or of the revised ones; everything since the first published period
 * when the definition changed, see job_sync_definitions), and whether anything is new. */
static const char range_sql[] =
    "WITH e AS (SELECT CASE $2"
    "  WHEN 'hour' THEN date_trunc('hour', now() - $3::interval)"
    "  WHEN '15min' THEN date_bin('15 minutes', now() - $3::interval,"
    "                             timestamptz '2000-01-01 00:00Z')"
    "  ELSE date_trunc('day', (now() - $3::interval) AT TIME ZONE 'Europe/Paris')"
    "       AT TIME ZONE 'Europe/Paris' END AS e),"
    " s AS (SELECT done_until, first_period FROM opendata_dataset WHERE id = $1)"
    " SELECT " ISO("e.e") ", " ISO(
        "CASE WHEN s.done_until IS NULL"
        " THEN least(s.first_period, e.e - $5::interval)"
        " ELSE least(s.done_until - $4::interval, e.e) END") ","
                                                             " s.done_until IS NOT NULL AND "
                                                             "s.done_until >= e.e"
                                                             " FROM e LEFT JOIN s ON true";

/* The local months from 'from' to 'to': name, start and end (the end capped at 'to'). */
static const char months_sql[] = "SELECT to_char(m, 'YYYY-MM'), " ISO(
    "m AT TIME ZONE 'Europe/Paris'") ", " ISO("least((m + interval '1 month') AT TIME ZONE "
                                              "'Europe/Paris', $2::timestamptz)") " FROM "
                                                                                  "generate_series("
                                                                                  "date_trunc('"
                                                                                  "month', "
                                                                                  "$1::timestamptz "
                                                                                  "AT TIME ZONE "
                                                                                  "'Europe/Paris'),"
                                                                                  " date_trunc('"
                                                                                  "month', "
                                                                                  "($2::"
                                                                                  "timestamptz - "
                                                                                  "interval '1 "
                                                                                  "microsecond')"
                                                                                  "            AT "
                                                                                  "TIME ZONE "
                                                                                  "'Europe/"
                                                                                  "Paris'), "
                                                                                  "interval '1 "
                                                                                  "month') AS m"
                                                                                  " WHERE "
                                                                                  "$1::timestamptz "
                                                                                  "< "
                                                                                  "$2::timestamptz "
                                                                                  "ORDER BY m";

void job_dataset_dir(const struct job_ctx *ctx, const struct dataset *d, char *out, size_t cap)
{
    snprintf(out, cap, "%s/%s", d->restricted ? ctx->private_dir : ctx->public_dir, d->id);
}

__attribute__((format(printf, 2, 3))) static void set_error(struct job_result *out, const char *fmt,
                                                            ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(out->error, sizeof(out->error), fmt, ap);
    va_end(ap);
}

static int run_update(const struct job_ctx *ctx, const struct job_result *r, const char *state,
                      const char *extra_from, const char *extra_to, int parts_total)
{
    char id[24], rows[24], parts[16], files[16], total[16];
    PGresult *res = NULL;
    const char *p[9] = { id,         state,    rows, parts, files, r->error[0] ? r->error : NULL,
                         extra_from, extra_to, total };
    int n;

    snprintf(id, sizeof(id), "%lld", r->run_id);
    snprintf(rows, sizeof(rows), "%lld", r->rows);
    snprintf(parts, sizeof(parts), "%d", r->parts);
    snprintf(files, sizeof(files), "%d", r->files);
    snprintf(total, sizeof(total), "%d", parts_total);
    n = mue_db_query(ctx->db, "opendata.run_update", &res,
                     "UPDATE opendata_run SET state = $2, rows = $3, parts_done = $4, files = $5,"
                     " error = $6, period_from = coalesce($7::timestamptz, period_from),"
                     " period_to = coalesce($8::timestamptz, period_to),"
                     " parts_total = greatest(parts_total, $9::integer),"
                     " finished_at = CASE WHEN $2 = 'running' THEN NULL ELSE now() END"
                     " WHERE id = $1",
                     9, p);
    PQclear(res);
    return n < 0 ? n : 0;
}

static void run_unlock(const struct job_ctx *ctx, const struct dataset *d)
{
    const char *p[1] = { d->id };
    PGresult *res = NULL;

    mue_db_query(ctx->db, "opendata.unlock", &res,
                 "SELECT pg_advisory_unlock(hashtext('mue.opendata'), hashtext($1))", 1, p);
    PQclear(res);
}

/* Takes the dataset's lock (one run at a time across processes), marks what an earlier holder
 * left running as interrupted, and records a new run. Returns 1 when taken, 0 when busy. */
static int run_begin(const struct job_ctx *ctx, const struct dataset *d, struct job_result *out)
{
    char pid[16];
    const char *p[2] = { d->id, pid };
    PGresult *res = NULL;
    int n, taken;

    snprintf(pid, sizeof(pid), "%ld", (long)getpid());
    n = mue_db_query(ctx->db, "opendata.lock", &res,
                     "SELECT pg_try_advisory_lock(hashtext('mue.opendata'), hashtext($1))", 1, p);
    if (n < 1) {
        PQclear(res);
        return MUE_EDB;
    }
    taken = PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    if (!taken)
        return 0;
    n = mue_db_query(ctx->db, "opendata.run_begin", &res,
                     "WITH stale AS (UPDATE opendata_run SET state = 'interrupted',"
                     " finished_at = now(), error = 'the exporting process stopped before the"
                     " end' WHERE dataset = $1 AND state = 'running')"
                     " INSERT INTO opendata_run (dataset, pid) VALUES ($1, $2) RETURNING id",
                     2, p);
    if (n == 1)
        out->run_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    if (n != 1) {
        run_unlock(ctx, d);
        return MUE_EDB;
    }
    return 1;
}

/* One format of a part or snapshot: written aside, then renamed by the caller. */
struct pending {
    struct pub_file f[8];
    int n;
};

static FILE *pending_open(struct pending *pd, const char *dir, const char *name, int *rc)
{
    struct pub_file *p = &pd->f[pd->n];

    if (*rc < 0)
        return NULL;
    *rc = pub_open(p, dir, name);
    if (*rc < 0)
        return NULL;
    pd->n++;
    return p->f;
}

static int pending_commit(struct pending *pd, struct job_result *out)
{
    int rc = 0;

    for (int i = 0; i < pd->n; i++) {
        if (rc == 0) {
            rc = pub_commit(&pd->f[i]);
            if (rc == 0)
                out->files++;
            else
                set_error(out, "cannot publish %s: %s", pd->f[i].path, mue_strerror(rc));
        } else {
            pub_abort(&pd->f[i]);
        }
    }
    pd->n = 0;
    return rc;
}

static void pending_abort(struct pending *pd)
{
    for (int i = 0; i < pd->n; i++)
        pub_abort(&pd->f[i]);
    pd->n = 0;
}

/* Writes the files of one set of rows: a month's part ("2026-11") or a snapshot (NULL). */
static int write_rows(const struct job_ctx *ctx, const struct dataset *d, const char *dir,
                      const char *month, const PGresult *rows, struct pending *pd)
{
    char name[128];
    const char *stem = month ? month : d->id;
    int rc = 0;
    FILE *f;
    long skipped = 0;

    if (d->formats & DS_CSV) {
        snprintf(name, sizeof(name), "%s.csv", stem);
        if ((f = pending_open(pd, dir, name, &rc)) != NULL)
            rc = out_csv(f, rows, true);
    }
    if (d->formats & DS_GEOJSON) {
        snprintf(name, sizeof(name), "%s.geojson", stem);
        if ((f = pending_open(pd, dir, name, &rc)) != NULL)
            rc = out_geojson(f, rows);
    }
    if (d->formats & DS_JSON) {
        snprintf(name, sizeof(name), "%s.json", stem);
        if ((f = pending_open(pd, dir, name, &rc)) != NULL)
            rc = out_json(f, rows);
    }
    if (d->formats & DS_NGSILD) {
        snprintf(name, sizeof(name), "%s.jsonld", stem);
        if ((f = pending_open(pd, dir, name, &rc)) != NULL) {
            int n = out_ngsild_write(f, d, source_key(d->source), rows, ctx->context_url, &skipped);
            rc = n < 0 ? n : 0;
            if (skipped > 0)
                mue_log_warn("export.ngsild_skipped", "dataset=%s rows=%ld reason=\"no position\"",
                             d->id, skipped);
        }
    }
    if ((d->formats & DS_COUNTING) && month) {
        snprintf(name, sizeof(name), "%s-measures.csv", month);
        if ((f = pending_open(pd, dir, name, &rc)) != NULL)
            rc = out_counting_measures(f, rows, true);
    }
    return rc;
}

/* The rows a month's published files hold (counted in its CSV or JSON file, which has one line
 * per row besides its header or its opening and closing lines), or -1 when it has none. */
static long part_rows(const struct dataset *d, const char *dir, const char *month)
{
    char path[4200];
    long lines = 0;
    int c, frame;
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s%s", dir, month,
             d->formats & DS_CSV    ? ".csv"
             : d->formats & DS_JSON ? ".json"
                                    : ".geojson");
    frame = d->formats & DS_CSV ? 1 : 2;
    f = fopen(path, "r");
    if (f == NULL)
        return -1;
    while ((c = getc(f)) != EOF)
        lines += c == '\n';
    fclose(f);
    return lines >= frame ? lines - frame : 0;
}

/* The whole-history files, joined from the months' parts. */
static int join_parts(const struct dataset *d, const char *dir, struct pending *pd)
{
    static const struct {
        int format;
        const char *suffix;
        const char *open, *close; /* NULL: CSV */
    } kinds[] = {
        { DS_CSV, ".csv", NULL, NULL },
        { DS_GEOJSON, ".geojson", OUT_GEOJSON_OPEN, OUT_GEOJSON_CLOSE },
        { DS_JSON, ".json", OUT_JSON_OPEN, OUT_JSON_CLOSE },
        { DS_NGSILD, ".jsonld", OUT_JSON_OPEN, OUT_JSON_CLOSE },
        { DS_COUNTING, "-measures.csv", NULL, NULL },
    };
    int rc = 0;

    for (size_t k = 0; k < sizeof(kinds) / sizeof(*kinds) && rc == 0; k++) {
        char name[128], **parts;
        FILE *f;
        int n;

        if (!(d->formats & kinds[k].format))
            continue;
        n = pub_parts(dir, kinds[k].suffix, &parts);
        snprintf(name, sizeof(name), "%s%s", d->id, kinds[k].suffix);
        if ((f = pending_open(pd, dir, name, &rc)) != NULL)
            rc = kinds[k].open ? pub_join_array(f, dir, parts, n, kinds[k].open, kinds[k].close)
                               : pub_join_csv(f, dir, parts, n);
        pub_names_free(parts, n);
    }
    return rc;
}

/* The counting schema's sites and channels, as they are now. */
static int write_counting_registry(const struct job_ctx *ctx, const struct dataset *d,
                                   const char *dir, struct pending *pd)
{
    PGresult *dev = NULL;
    char name[128];
    FILE *f;
    int rc = source_counting_registry(ctx->db, d->use_case, &dev);
    int step = d->period == DS_15MIN ? 900 : d->period == DS_HOUR ? 3600 : 86400;

    if (rc < 0)
        return rc;
    rc = 0;
    snprintf(name, sizeof(name), "%s-sites.csv", d->id);
    if ((f = pending_open(pd, dir, name, &rc)) != NULL)
        rc = out_counting_sites(f, dev);
    snprintf(name, sizeof(name), "%s-channels.csv", d->id);
    if ((f = pending_open(pd, dir, name, &rc)) != NULL)
        rc = out_counting_channels(f, dev, ctx->provider, step);
    PQclear(dev);
    return rc < 0 ? rc : 0;
}

static int run_snapshot(const struct job_ctx *ctx, const struct dataset *d, const char *dir,
                        struct job_result *out)
{
    struct pending pd = { .n = 0 };
    PGresult *rows = NULL;
    int n = source_rows(ctx->db, d, NULL, NULL, &rows), rc;

    if (n < 0) {
        set_error(out, "cannot read the rows of %s", d->id);
        return n;
    }
    out->rows = n;
    rc = write_rows(ctx, d, dir, NULL, rows, &pd);
    PQclear(rows);
    if (rc < 0) {
        set_error(out, "cannot write %s: %s", d->id, mue_strerror(rc));
        pending_abort(&pd);
        return rc;
    }
    return pending_commit(&pd, out);
}

/* Records how far the files go. */
static int mark_done(const struct job_ctx *ctx, const struct dataset *d, const char *first,
                     const char *until)
{
    const char *p[3] = { d->id, first, until };
    PGresult *res = NULL;
    int n = mue_db_query(ctx->db, "opendata.mark_done", &res,
                         "UPDATE opendata_dataset SET exported_at = now(),"
                         " first_period = CASE WHEN $2::timestamptz IS NULL THEN first_period"
                         "   ELSE least(coalesce(first_period, $2::timestamptz), $2::timestamptz)"
                         "   END,"
                         " done_until = greatest(coalesce(done_until, $3::timestamptz),"
                         "                       $3::timestamptz) WHERE id = $1",
                         3, p);
    PQclear(res);
    return n < 0 ? n : 0;
}

static int run_periodic(const struct job_ctx *ctx, const struct dataset *d, const char *dir,
                        struct job_result *out)
{
    char delay[32], revise[32], history[32];
    const char *p[5] = { d->id, ds_period_name(d->period), delay, revise, history };
    PGresult *range = NULL, *months = NULL;
    struct pending pd = { .n = 0 };
    int n, rc = 0;

    snprintf(delay, sizeof(delay), "%ld seconds", d->delay_s);
    snprintf(revise, sizeof(revise), "%ld seconds", d->revise_s);
    snprintf(history, sizeof(history), "%ld days", d->history_days);
    if (mue_db_query(ctx->db, "opendata.range", &range, range_sql, 5, p) != 1) {
        PQclear(range);
        set_error(out, "cannot compute the periods of %s", d->id);
        return MUE_EDB;
    }
    const char *end = PQgetvalue(range, 0, 0), *from = PQgetvalue(range, 0, 1);
    /* No new period: the revised ones (late uplinks) are still written again. */
    out->up_to_date = PQgetvalue(range, 0, 2)[0] == 't';
    const char *mp[2] = { from, end };
    n = mue_db_query(ctx->db, "opendata.months", &months, months_sql, 2, mp);
    if (n < 0) {
        PQclear(range);
        set_error(out, "cannot list the months of %s", d->id);
        return n;
    }
    run_update(ctx, out, "running", n > 0 ? PQgetvalue(months, 0, 1) : NULL, end, n);
    for (int i = 0; i < n && rc == 0; i++) {
        PGresult *rows = NULL;
        /* Asked to stop: the months done are published, the rest waits for the next run. */
        if (mue_signal_stopping()) {
            set_error(out, "stopped by a signal after %d of %d months", i, n);
            rc = -EINTR;
            break;
        }
        int k = source_rows(ctx->db, d, PQgetvalue(months, i, 1), PQgetvalue(months, i, 2), &rows);
        if (k < 0) {
            set_error(out, "cannot read the rows of %s for %s", d->id, PQgetvalue(months, i, 0));
            rc = k;
            break;
        }
        /* A month without data gets no files. A published month never shrinks: fewer rows than
         * its files hold means raw rows were dropped by retention since, and what was published
         * stays. */
        long had = part_rows(d, dir, PQgetvalue(months, i, 0));
        if ((k == 0 && had < 0) || (had > k && d->period == DS_15MIN)) {
            if (had > k)
                mue_log_warn("export.month_kept",
                             "dataset=%s month=%s rows=%d published=%ld"
                             " reason=\"the raw rows are gone (retention)\"",
                             d->id, PQgetvalue(months, i, 0), k, had);
            PQclear(rows);
            out->parts++;
            continue;
        }
        rc = write_rows(ctx, d, dir, PQgetvalue(months, i, 0), rows, &pd);
        PQclear(rows);
        if (rc < 0) {
            set_error(out, "cannot write %s: %s", d->id, mue_strerror(rc));
            pending_abort(&pd);
            break;
        }
        rc = pending_commit(&pd, out);
        out->rows += k;
        out->parts++;
        run_update(ctx, out, "running", NULL, NULL, n); /* progress, seen through the API */
    }
    if (rc == 0 && (d->formats & DS_COUNTING))
        rc = write_counting_registry(ctx, d, dir, &pd);
    if (rc == 0)
        rc = join_parts(d, dir, &pd);
    if (rc < 0) {
        if (!out->error[0])
            set_error(out, "cannot join the months of %s: %s", d->id, mue_strerror(rc));
        pending_abort(&pd);
    } else {
        rc = pending_commit(&pd, out);
    }
    if (rc == 0)
        rc = mark_done(ctx, d, n > 0 ? PQgetvalue(months, 0, 1) : NULL, end);
    PQclear(months);
    PQclear(range);
    return rc;
}

int job_run(const struct job_ctx *ctx, const struct dataset *d, struct job_result *out)
{
    char dir[4096];
    int rc;

    memset(out, 0, sizeof(*out));
    rc = run_begin(ctx, d, out);
    if (rc <= 0) {
        out->busy = rc == 0;
        if (rc < 0)
            set_error(out, "cannot record a run of %s", d->id);
        return rc;
    }
    job_dataset_dir(ctx, d, dir, sizeof(dir));
    rc = pub_mkdir(dir);
    if (rc < 0)
        set_error(out, "cannot create %s: %s", dir, mue_strerror(rc));
    else
        pub_sweep(dir);
    if (rc == 0)
        rc = d->period == DS_SNAPSHOT ? run_snapshot(ctx, d, dir, out)
                                      : run_periodic(ctx, d, dir, out);
    /* A snapshot covers the time from its first publication to its latest ("now" is
     * PostgreSQL's word for the transaction's time). */
    if (rc == 0 && d->period == DS_SNAPSHOT)
        rc = mark_done(ctx, d, "now", "now");
    run_update(ctx, out, rc == 0 ? "ok" : rc == -EINTR ? "interrupted" : "failed", NULL, NULL, 0);
    run_unlock(ctx, d);
    return rc;
}

/* Takes a dataset out of the public folder (now restricted, or no longer defined). */
static void unpublish(const struct job_ctx *ctx, const char *id, const char *why)
{
    char dir[4096];
    int n;

    snprintf(dir, sizeof(dir), "%s/%s", ctx->public_dir, id);
    n = pub_remove_dir(dir);
    if (n > 0)
        mue_log_warn("dataset.unpublished", "dataset=%s files=%d reason=\"%s\"", id, n, why);
}

int job_sync_definitions(const struct job_ctx *ctx, const char *path)
{
    const struct ds_catalog *cat = ctx->cat;
    json_t *root = json_load_file(path, 0, NULL), *defs = json_object_get(root, "datasets");
    struct mue_buf ids;
    PGresult *res = NULL;
    int rc = 0, n;

    mue_buf_init(&ids, 0);
    mue_buf_append_str(&ids, "{");
    for (int i = 0; i < cat->nds && rc == 0; i++) {
        const struct dataset *d = &cat->ds[i];
        char *def = json_dumps(json_array_get(defs, (size_t)i), JSON_COMPACT);
        const char *p[6] = { d->id,        d->title,        d->use_case, d->restricted ? "t" : "f",
                             d->frequency, def ? def : "{}" };

        mue_buf_printf(&ids, "%s%s", i ? "," : "", d->id); /* slugs: nothing to quote */
        /* A changed definition (a column more...) has every published month written again. */
        if (mue_db_query(ctx->db, "opendata.sync", &res,
                         "INSERT INTO opendata_dataset (id, title, use_case, restricted, frequency,"
                         " definition) VALUES ($1, $2, $3, $4, $5, $6::jsonb)"
                         " ON CONFLICT (id) DO UPDATE SET title = $2, use_case = $3,"
                         " restricted = $4, frequency = $5, definition = $6::jsonb,"
                         " done_until = CASE WHEN opendata_dataset.definition = $6::jsonb"
                         "   THEN opendata_dataset.done_until END, updated_at = now()",
                         6, p) < 0)
            rc = MUE_EDB;
        PQclear(res);
        free(def);
        if (d->restricted)
            unpublish(ctx, d->id, "restricted");
    }
    mue_buf_append_str(&ids, "}");
    /* Datasets no longer defined: out of the public folder and of the API's list. */
    const char *p[1] = { ids.data };
    n = rc == 0 ? mue_db_query(ctx->db, "opendata.forget", &res,
                               "DELETE FROM opendata_dataset WHERE NOT (id = ANY ($1::text[]))"
                               " RETURNING id",
                               1, p)
                : 0;
    if (n < 0)
        rc = MUE_EDB;
    for (int i = 0; i < n; i++)
        unpublish(ctx, PQgetvalue(res, i, 0), "no longer defined");
    PQclear(res);
    mue_buf_fini(&ids);
    json_decref(root);
    return rc;
}
