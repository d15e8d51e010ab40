/* store.c - the engine's statements on alert, alert_event, alert_state and alert_device_seen.
 * Arrays travel as PostgreSQL array literals in one parameter, so a batch is a few statements
 * whatever its size.
 * SPDX-License-Identifier: MIT */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "mue_buf.h"
#include "mue_db.h"
#include "mue_err.h"
#include "store.h"

int store_begin(struct mue_db *db)
{
    if (mue_db_ensure(db) < 0)
        return MUE_EDB;
    return mue_db_exec(db, "alerts begin", "BEGIN");
}

int store_commit(struct mue_db *db)
{
    return mue_db_exec(db, "alerts commit", "COMMIT");
}

void store_rollback(struct mue_db *db)
{
    if (mue_db_is_up(db))
        (void)mue_db_exec(db, "alerts rollback", "ROLLBACK");
}

/* Runs a statement, discarding its rows. Returns the row count, or MUE_EDB. */
static int run(struct mue_db *db, const char *what, const char *sql, int n,
               const char *const *params)
{
    PGresult *res = NULL;
    int rows = mue_db_query(db, what, &res, sql, n, params);
    PQclear(res);
    return rows;
}

static void ids_array(struct mue_buf *b, const struct store_pair *p, int n, int device)
{
    mue_buf_reset(b);
    mue_buf_append_str(b, "{");
    for (int i = 0; i < n; i++)
        mue_buf_printf(b, "%s%" PRId64, i ? "," : "", device ? p[i].device_id : p[i].rule_id);
    mue_buf_append_str(b, "}");
}

/* Only pairs whose rule and device still exist: one deleted since the rules were loaded must not
 * fail the batch again and again. */
static const char create_states[] =
    "INSERT INTO alert_state (rule_id, device_id)"
    " SELECT u.r, u.d FROM unnest($1::bigint[], $2::bigint[]) WITH ORDINALITY AS u(r, d, n)"
    " JOIN alert_rule ON alert_rule.id = u.r JOIN device ON device.id = u.d"
    " ORDER BY u.n ON CONFLICT DO NOTHING";

/* ORDER BY under FOR UPDATE: rows are locked in that order, the same in every engine. */
/* clang-format off */
static const char lock_states[] =
    "SELECT s.rule_id, s.device_id, coalesce(" STORE_US("s.pending_since") ", 0),"
    " coalesce(" STORE_US("s.last_time") ", 0), s.last_value, s.samples::text, s.disarmed"
    " FROM alert_state s"
    " WHERE (s.rule_id, s.device_id) IN (SELECT * FROM unnest($1::bigint[], $2::bigint[]))"
    " ORDER BY s.rule_id, s.device_id FOR UPDATE OF s";
/* clang-format on */

/* A new statement, so a new snapshot: after waiting for another engine's locks it sees what
 * that engine committed. */
static const char unresolved[] =
    "SELECT rule_id, device_id, id FROM alert WHERE state <> 'resolved'"
    " AND (rule_id, device_id) IN (SELECT * FROM unnest($1::bigint[], $2::bigint[]))"
    " ORDER BY rule_id, device_id";

/* The pair of 'pairs' (sorted) with these keys, or NULL. */
static struct store_pair *find_pair(struct store_pair *pairs, int n, int64_t rule, int64_t dev)
{
    int lo = 0, hi = n - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        struct store_pair *p = &pairs[mid];
        if (p->rule_id == rule && p->device_id == dev)
            return p;
        if (p->rule_id < rule || (p->rule_id == rule && p->device_id < dev))
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

static void read_samples(struct eval_state *st, const char *text)
{
    json_t *a = json_loads(text, 0, NULL);
    size_t i;
    json_t *e;

    st->nsamples = 0;
    json_array_foreach(a, i, e)
    {
        if (st->nsamples == EVAL_MAX_SAMPLES || !json_is_array(e) || json_array_size(e) != 2)
            break;
        st->sample_t[st->nsamples] = (int64_t)json_number_value(json_array_get(e, 0));
        st->sample_v[st->nsamples] = json_number_value(json_array_get(e, 1));
        st->nsamples++;
    }
    json_decref(a);
}

int store_lock_pairs(struct mue_db *db, struct store_pair *pairs, int n)
{
    struct mue_buf rules, devices;
    PGresult *res = NULL;
    int rc = MUE_EDB, rows;

    if (n == 0)
        return MUE_OK;
    mue_buf_init(&rules, 0);
    mue_buf_init(&devices, 0);
    ids_array(&rules, pairs, n, 0);
    ids_array(&devices, pairs, n, 1);
    const char *params[] = { rules.data, devices.data };
    if (run(db, "alert_state create", create_states, 2, params) < 0)
        goto out;
    rows = mue_db_query(db, "alert_state lock", &res, lock_states, 2, params);
    if (rows < 0)
        goto out;
    for (int r = 0; r < rows; r++) {
        struct store_pair *p = find_pair(pairs, n, strtoll(PQgetvalue(res, r, 0), NULL, 10),
                                         strtoll(PQgetvalue(res, r, 1), NULL, 10));
        if (p == NULL)
            continue;
        struct eval_state *st = &p->st;
        memset(st, 0, sizeof(*st));
        p->found = true;
        p->alert_id = 0;
        st->pending_since_us = strtoll(PQgetvalue(res, r, 2), NULL, 10);
        st->last_time_us = strtoll(PQgetvalue(res, r, 3), NULL, 10);
        st->has_last_value = !PQgetisnull(res, r, 4);
        if (st->has_last_value)
            st->last_value = strtod(PQgetvalue(res, r, 4), NULL);
        read_samples(st, PQgetvalue(res, r, 5));
        st->disarmed = PQgetvalue(res, r, 6)[0] == 't';
    }
    PQclear(res);
    res = NULL;
    rows = mue_db_query(db, "alert unresolved", &res, unresolved, 2, params);
    if (rows < 0)
        goto out;
    for (int r = 0; r < rows; r++) {
        struct store_pair *p = find_pair(pairs, n, strtoll(PQgetvalue(res, r, 0), NULL, 10),
                                         strtoll(PQgetvalue(res, r, 1), NULL, 10));
        if (p != NULL)
            p->alert_id = strtoll(PQgetvalue(res, r, 2), NULL, 10);
    }
    for (int i = 0; i < n; i++)
        pairs[i].st.open = pairs[i].alert_id != 0;
    rc = MUE_OK;
out:
    PQclear(res);
    mue_buf_fini(&rules);
    mue_buf_fini(&devices);
    return rc;
}

static const char save_states[] =
    "UPDATE alert_state s SET"
    " pending_since = CASE WHEN u.p = 0 THEN NULL"
    "   ELSE timestamptz 'epoch' + u.p * interval '1 microsecond' END,"
    " last_time = CASE WHEN u.t = 0 THEN NULL"
    "   ELSE timestamptz 'epoch' + u.t * interval '1 microsecond' END,"
    " last_value = u.v, samples = u.samples::jsonb, disarmed = u.x, updated_at = now()"
    " FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::float8[],"
    "             $6::text[], $7::boolean[]) AS u(r, d, p, t, v, samples, x)"
    " WHERE s.rule_id = u.r AND s.device_id = u.d";

int store_save_pairs(struct mue_db *db, const struct store_pair *pairs, int n)
{
    struct mue_buf b[7];
    int rc;

    if (n == 0)
        return MUE_OK;
    for (int k = 0; k < 7; k++) {
        mue_buf_init(&b[k], 0);
        mue_buf_append_str(&b[k], "{");
    }
    for (int i = 0, out = 0; i < n; i++) {
        const struct eval_state *st = &pairs[i].st;
        if (!pairs[i].found)
            continue;
        const char *sep = out++ ? "," : "";
        mue_buf_printf(&b[0], "%s%" PRId64, sep, pairs[i].rule_id);
        mue_buf_printf(&b[1], "%s%" PRId64, sep, pairs[i].device_id);
        mue_buf_printf(&b[2], "%s%" PRId64, sep, st->pending_since_us);
        mue_buf_printf(&b[3], "%s%" PRId64, sep, st->last_time_us);
        if (st->has_last_value)
            mue_buf_printf(&b[4], "%s%.17g", sep, st->last_value);
        else
            mue_buf_printf(&b[4], "%sNULL", sep);
        /* JSON of numbers only: no quote or backslash to escape inside the quoted element. */
        mue_buf_printf(&b[5], "%s\"[", sep);
        for (int k = 0; k < st->nsamples; k++)
            mue_buf_printf(&b[5], "%s[%" PRId64 ",%.17g]", k ? "," : "", st->sample_t[k],
                           st->sample_v[k]);
        mue_buf_append_str(&b[5], "]\"");
        mue_buf_printf(&b[6], "%s%s", sep, st->disarmed ? "t" : "f");
    }
    for (int k = 0; k < 7; k++)
        mue_buf_append_str(&b[k], "}");
    const char *params[] = { b[0].data, b[1].data, b[2].data, b[3].data,
                             b[4].data, b[5].data, b[6].data };
    rc = run(db, "alert_state save", save_states, 7, params) < 0 ? MUE_EDB : MUE_OK;
    for (int k = 0; k < 7; k++)
        mue_buf_fini(&b[k]);
    return rc;
}

static const char open_alert[] =
    "WITH a AS ("
    " INSERT INTO alert (rule_id, device_id, use_case, severity, quantity, message, since,"
    "  opened_at, value, last_value, last_time, peak_value)"
    " VALUES ($1, $2, $3, $4, $5, $6, " STORE_TS(7) ", " STORE_TS(8) ", $9, $9, " STORE_TS(
        8) ","
           "  $9)"
           " ON CONFLICT (rule_id, device_id) WHERE state <> 'resolved' DO NOTHING"
           " RETURNING id, opened_at, value),"
           " e AS (INSERT INTO alert_event (alert_id, kind, at, value)"
           "  SELECT id, 'opened', opened_at, value FROM a)"
           " SELECT id, 1 FROM a"
           " UNION ALL"
           " SELECT id, 0 FROM alert WHERE rule_id = $1 AND device_id = $2 AND state <> 'resolved'";

int store_open_alert(struct mue_db *db, const struct store_alert *a, int64_t *alert_id)
{
    char rule[24], dev[24], since[24], opened[24], value[32];
    PGresult *res = NULL;
    int rows, rc;

    snprintf(rule, sizeof(rule), "%" PRId64, a->rule_id);
    snprintf(dev, sizeof(dev), "%" PRId64, a->device_id);
    snprintf(since, sizeof(since), "%" PRId64, a->since_us);
    snprintf(opened, sizeof(opened), "%" PRId64, a->opened_us);
    snprintf(value, sizeof(value), "%.17g", a->value);
    const char *params[] = { rule,       dev,   a->use_case, a->severity, a->quantity,
                             a->message, since, opened,      value };
    rows = mue_db_query(db, "alert open", &res, open_alert, 9, params);
    if (rows < 0)
        return MUE_EDB;
    if (rows == 0) {
        /* The conflicting alert was committed by another transaction while this statement
         * waited for it: this statement's snapshot cannot see it. */
        PQclear(res);
        *alert_id = 0;
        return 0;
    }
    /* The statement's snapshot does not see its own insert in the second branch: one row. */
    *alert_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    rc = PQgetvalue(res, 0, 1)[0] == '1';
    PQclear(res);
    return rc;
}

int store_update_alert(struct mue_db *db, int64_t alert_id, int64_t t_us, double value, bool above)
{
    char id[24], t[24], v[32];
    snprintf(id, sizeof(id), "%" PRId64, alert_id);
    snprintf(t, sizeof(t), "%" PRId64, t_us);
    snprintf(v, sizeof(v), "%.17g", value);
    const char *params[] = { id, t, v, above ? "t" : "f" };
    return run(db, "alert update",
               "UPDATE alert SET last_value = $3, last_time = " STORE_TS(
                   2) ","
                      " peak_value = CASE WHEN peak_value IS NULL THEN $3"
                      "  WHEN $4::boolean THEN greatest(peak_value, $3) ELSE least(peak_value, $3) "
                      "END,"
                      " updated_at = now()"
                      " WHERE id = $1 AND state <> 'resolved'",
               4, params) < 0
               ? MUE_EDB
               : MUE_OK;
}

static const char resolve_alert[] =
    "WITH a AS ("
    " UPDATE alert SET state = 'resolved', resolved_at = " STORE_TS(
        2) ", resolved_by = $4,"
           "  resolve_comment = nullif($5, ''), last_value = coalesce($3, last_value), updated_at "
           "= now()"
           " WHERE id = $1 AND state <> 'resolved' RETURNING id, resolved_at)"
           " INSERT INTO alert_event (alert_id, kind, at, actor, comment, value)"
           " SELECT id, 'resolved', resolved_at, $6, $5, $3 FROM a RETURNING alert_id";

int store_resolve_alert(struct mue_db *db, int64_t alert_id, int64_t at_us, double value,
                        const char *actor, const char *comment)
{
    char id[24], at[24], v[32];
    snprintf(id, sizeof(id), "%" PRId64, alert_id);
    snprintf(at, sizeof(at), "%" PRId64, at_us);
    snprintf(v, sizeof(v), "%.17g", value);
    bool automatic = strcmp(actor, "auto") == 0;
    const char *params[] = {
        id, at, v, actor, comment != NULL ? comment : "", automatic ? "mue-alerts" : actor
    };
    return run(db, "alert resolve", resolve_alert, 6, params);
}

int store_heard(struct mue_db *db, int64_t *device_ids, int64_t *heard_us, int n)
{
    struct mue_buf ids, at;
    int rc;

    if (n == 0)
        return MUE_OK;
    for (int i = 1; i < n; i++) { /* insertion sort: a batch holds few devices */
        int64_t id = device_ids[i], us = heard_us[i];
        int k = i - 1;
        for (; k >= 0 && device_ids[k] > id; k--) {
            device_ids[k + 1] = device_ids[k];
            heard_us[k + 1] = heard_us[k];
        }
        device_ids[k + 1] = id;
        heard_us[k + 1] = us;
    }
    mue_buf_init(&ids, 0);
    mue_buf_init(&at, 0);
    mue_buf_append_str(&ids, "{");
    mue_buf_append_str(&at, "{");
    for (int i = 0; i < n; i++) {
        mue_buf_printf(&ids, "%s%" PRId64, i ? "," : "", device_ids[i]);
        mue_buf_printf(&at, "%s%" PRId64, i ? "," : "", heard_us[i]);
    }
    mue_buf_append_str(&ids, "}");
    mue_buf_append_str(&at, "}");
    const char *params[] = { ids.data, at.data };
    rc = run(db, "alert_device_seen",
             "INSERT INTO alert_device_seen (device_id, heard_at)"
             " SELECT u.d, timestamptz 'epoch' + u.t * interval '1 microsecond'"
             " FROM unnest($1::bigint[], $2::bigint[]) AS u(d, t)"
             " JOIN device ON device.id = u.d"
             " ON CONFLICT (device_id) DO UPDATE"
             " SET heard_at = greatest(alert_device_seen.heard_at, EXCLUDED.heard_at)",
             2, params) < 0
             ? MUE_EDB
             : MUE_OK;
    mue_buf_fini(&ids);
    mue_buf_fini(&at);
    return rc;
}
