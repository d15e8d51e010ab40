/* store.c - the batched write path: COPY to staging, insert what is new, latest values, commit.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mue_buf.h"
#include "mue_db.h"
#include "mue_err.h"
#include "mue_log.h"
#include "mue_mem.h"
#include "mue_time.h"
#include "store.h"

struct store {
    struct mue_db *db;
    int staging_ready;   /* the temp table exists in this session */
    struct mue_buf copy; /* COPY text, reused between batches */
};

static const char create_staging[] =
    "CREATE TEMP TABLE IF NOT EXISTS measurement_staging ("
    " device_id bigint NOT NULL, quantity text NOT NULL,"
    " time timestamptz NOT NULL, value double precision NOT NULL, use_case text NOT NULL"
    ") ON COMMIT DELETE ROWS";

/* clang-format off */

/* Merges a rollup row with the one already stored. Sums are numeric (exact, order-free);
 * first and last follow the rows' times. */
#define ROLLUP_MERGE(column)                                                                      \
    " ON CONFLICT (device_id, quantity, " column ") DO UPDATE SET"                              \
    " count = r.count + EXCLUDED.count, sum = r.sum + EXCLUDED.sum,"                           \
    " min = least(r.min, EXCLUDED.min), max = greatest(r.max, EXCLUDED.max),"                  \
    " first_value = CASE WHEN EXCLUDED.first_time < r.first_time"                              \
    "               THEN EXCLUDED.first_value ELSE r.first_value END,"                         \
    " first_time = least(r.first_time, EXCLUDED.first_time),"                                  \
    " last_value = CASE WHEN EXCLUDED.last_time > r.last_time"                                 \
    "              THEN EXCLUDED.last_value ELSE r.last_value END,"                            \
    " last_time = greatest(r.last_time, EXCLUDED.last_time),"                                  \
    " energy = r.energy + EXCLUDED.energy"

/* Only the rows this statement inserted feed the latest values and the rollups, so a replay
 * changes nothing. They are aggregated once, by UTC hour (the session's time zone is UTC, see
 * mue_db); local days and latest values are then made from those few hour groups rather than
 * from the rows again (Paris is a whole number of hours from UTC, so an hour lies in one day). */
static const char insert_new[] =
    "WITH ins AS ("
    "  INSERT INTO measurement (device_id, quantity, time, value, use_case)"
    "  SELECT s.device_id, s.quantity, s.time, s.value, coalesce(d.use_case, s.use_case)"
    "  FROM measurement_staging s LEFT JOIN device d ON d.id = s.device_id"
    "  ON CONFLICT DO NOTHING"
    "  RETURNING device_id, quantity, time, value),"
    " hr AS ("
    "  SELECT device_id, quantity, date_trunc('hour', time) AS hour, count(*) AS count,"
    "   sum(value::text::numeric) AS sum, min(value) AS min, max(value) AS max,"
    "   min(time) AS first_time, (array_agg(value ORDER BY time))[1] AS first_value,"
    "   max(time) AS last_time, (array_agg(value ORDER BY time DESC))[1] AS last_value,"
    "   sum(mue_sound_energy(quantity, value)) AS energy"
    "  FROM ins GROUP BY 1, 2, 3),"
    " lv AS ("
    "  INSERT INTO latest_value AS l (device_id, quantity, time, value)"
    "  SELECT DISTINCT ON (device_id, quantity) device_id, quantity, last_time, last_value"
    "  FROM hr ORDER BY device_id, quantity, last_time DESC"
    "  ON CONFLICT (device_id, quantity) DO UPDATE SET time = EXCLUDED.time, value = EXCLUDED.value"
    "  WHERE l.time < EXCLUDED.time),"
    " rh AS ("
    "  INSERT INTO rollup_hour AS r (device_id, quantity, hour, count, sum, min, max,"
    "   first_time, first_value, last_time, last_value, energy)"
    "  SELECT * FROM hr" ROLLUP_MERGE("hour") "),"
    " rd AS ("
    "  INSERT INTO rollup_day AS r (device_id, quantity, day, count, sum, min, max,"
    "   first_time, first_value, last_time, last_value, energy)"
    "  SELECT device_id, quantity, (hour AT TIME ZONE 'Europe/Paris')::date, sum(count),"
    "   sum(sum), min(min), max(max), min(first_time),"
    "   (array_agg(first_value ORDER BY first_time))[1], max(last_time),"
    "   (array_agg(last_value ORDER BY last_time DESC))[1], sum(energy)"
    "  FROM hr GROUP BY 1, 2, 3" ROLLUP_MERGE("day") ")"
    " SELECT count(*) FROM ins";

/* clang-format on */

struct store *store_new(struct mue_db *db)
{
    struct store *s = mue_xcalloc(1, sizeof(*s));
    s->db = db;
    mue_buf_init(&s->copy, 0);
    return s;
}

void store_free(struct store *s)
{
    if (s == NULL)
        return;
    mue_buf_fini(&s->copy);
    free(s);
}

/* True when 's' is 1..max characters of 'allowed' classes: lowercase, digits, '_', and uppercase
 * when 'upper'. Names go into COPY text and partition names: nothing else may pass. */
static int is_name(const char *s, size_t max, int upper)
{
    size_t len = s ? strlen(s) : 0;
    if (len == 0 || len > max)
        return 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
              (upper && c >= 'A' && c <= 'Z')))
            return 0;
    }
    return 1;
}

int store_row_is_valid(const struct store_row *r)
{
    if (!is_name(r->quantity, 63, 1) || !is_name(r->use_case, 32, 0) ||
        !(r->use_case[0] >= 'a' && r->use_case[0] <= 'z'))
        return 0;
    /* 9999-12-31T23:59:59Z in µs: beyond it the ISO text below would change shape. */
    return isfinite(r->value) && r->time_us >= 0 && r->time_us <= 253402300799999999LL;
}

/* Locks the batch's devices against a change of use case (which moves a device's rows), in a
 * stable order so that two writers never deadlock: every row then goes under the use case its
 * device has when the batch commits. A row lock needs UPDATE on device, which the writer's role
 * does not have: mue_lock_devices (0012_roles.sql) takes the locks with the owner's rights. */
static const char lock_devices[] =
    "SELECT mue_lock_devices(array(SELECT DISTINCT device_id FROM measurement_staging))";

/* Creates the partitions the batch needs (late or back-filled data included). Inside the
 * transaction, so a rollback leaves nothing half-made; the function serializes concurrent
 * creators with advisory locks, and costs one catalog look-up when the partition exists. */
static const char ensure_partitions[] =
    "SELECT count(mue_ensure_measurement_partition(p.uc, p.month)) FROM ("
    " SELECT DISTINCT coalesce(d.use_case, s.use_case) AS uc, date_trunc('month', s.time) AS month"
    " FROM measurement_staging s LEFT JOIN device d ON d.id = s.device_id) AS p";

static void format_rows(struct store *s, const struct store_row *rows, size_t n)
{
    mue_buf_reset(&s->copy);
    for (size_t i = 0; i < n; i++) {
        char ts[40];
        mue_time_format(rows[i].time_us, ts, sizeof(ts));
        /* %.17g round-trips every double exactly. */
        mue_buf_printf(&s->copy, "%lld\t%s\t%s\t%.17g\t%s\n", (long long)rows[i].device_id,
                       rows[i].quantity, ts, rows[i].value, rows[i].use_case);
    }
}

static int copy_rows(struct store *s)
{
    PGconn *c = mue_db_conn(s->db);
    PGresult *res = PQexec(c, "COPY measurement_staging (device_id, quantity, time, value,"
                              " use_case) FROM STDIN");
    int rc = MUE_OK;

    if (PQresultStatus(res) != PGRES_COPY_IN) {
        rc = mue_db_fail(s->db, "copy start", res);
        PQclear(res);
        return rc;
    }
    PQclear(res);
    if (PQputCopyData(c, s->copy.data, (int)s->copy.len) != 1 || PQputCopyEnd(c, NULL) != 1) {
        mue_db_fail(s->db, "copy data", NULL);
        rc = MUE_EDB;
    }
    while ((res = PQgetResult(c)) != NULL) {
        if (PQresultStatus(res) != PGRES_COMMAND_OK && rc == MUE_OK)
            rc = mue_db_fail(s->db, "copy end", res);
        PQclear(res);
    }
    return rc;
}

int store_write(struct store *s, const struct store_row *rows, size_t n)
{
    PGresult *res = NULL;
    int inserted = 0, reconnected;

    reconnected = mue_db_ensure(s->db);
    if (reconnected < 0)
        return MUE_EDB;
    if (reconnected == 1)
        s->staging_ready = 0; /* a new session has no temp table */
    if (!s->staging_ready) {
        if (mue_db_exec(s->db, "create staging", create_staging) < 0)
            return MUE_EDB;
        s->staging_ready = 1;
    }
    if (n == 0)
        return 0;
    format_rows(s, rows, n);
    if (mue_db_exec(s->db, "begin", "BEGIN") < 0)
        return MUE_EDB;
    if (copy_rows(s) < 0 || mue_db_exec(s->db, "lock devices", lock_devices) < 0 ||
        mue_db_exec(s->db, "ensure partitions", ensure_partitions) < 0)
        goto fail;
    if (mue_db_query(s->db, "insert measurements", &res, insert_new, 0, NULL) != 1)
        goto fail;
    inserted = atoi(PQgetvalue(res, 0, 0));
    PQclear(res);
    res = NULL;
    if (mue_db_exec(s->db, "commit", "COMMIT") < 0)
        goto fail;
    return inserted;
fail:
    PQclear(res);
    mue_db_exec(s->db, "rollback", "ROLLBACK");
    return MUE_EDB;
}

int store_maintain(struct store *s)
{
    PGresult *res = NULL;
    int dropped;

    if (mue_db_ensure(s->db) < 0)
        return MUE_EDB;
    if (mue_db_exec(s->db, "partitions ahead", "SELECT mue_ensure_measurement_ahead(2)") < 0)
        return MUE_EDB;
    if (mue_db_query(s->db, "retention", &res, "SELECT mue_drop_expired_measurements()", 0, NULL) !=
        1) {
        PQclear(res);
        return MUE_EDB;
    }
    dropped = atoi(PQgetvalue(res, 0, 0));
    PQclear(res);
    return dropped;
}
