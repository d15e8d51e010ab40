/* clock.c - no-data detection, escalation and daily indicators, run on the engine's tick.
 * SPDX-License-Identifier: MIT */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "eval.h"
#include "mue_buf.h"
#include "mue_db.h"
#include "mue_err.h"
#include "mue_localtime.h"
#include "mue_log.h"
#include "mue_mem.h"
#include "store.h"

#define US_PER_S 1000000LL

int64_t clock_last_day(int64_t now_us, int end_hour, int margin_min, int64_t *end_us)
{
    int64_t today = mue_localtime_day(now_us / US_PER_S);
    for (int64_t next = today; next > today - 2; next--) {
        int y, m, d;
        mue_localtime_civil_from_days(next, &y, &m, &d);
        int64_t end_s = mue_localtime_to_utc(y, m, d, end_hour, 0, 0);
        if (now_us / US_PER_S >= end_s + margin_min * 60 || next == today - 1) {
            *end_us = end_s * US_PER_S;
            return next - 1;
        }
    }
    return today - 2; /* not reached */
}

/* ---- no data */

struct heard {
    int64_t device_id, heard_us;
};

struct unresolved {
    int64_t id, rule_id, device_id; /* id 0: no alert, but disarmed (resolved by hand) */
};

/* clang-format off */
static const char heard_sql[] =
    "SELECT d.id, " STORE_US("coalesce(s.heard_at, d.created_at)")
    " FROM device d LEFT JOIN alert_device_seen s ON s.device_id = d.id"
    " WHERE d.active ORDER BY d.id";
/* clang-format on */

static int load_heard(struct mue_db *db, struct heard **out, int *n)
{
    PGresult *res = NULL;
    int rows = mue_db_query(db, "alerts heard", &res, heard_sql, 0, NULL);
    if (rows < 0)
        return MUE_EDB;
    *out = mue_xcalloc((size_t)rows + 1, sizeof(**out));
    for (int i = 0; i < rows; i++) {
        (*out)[i].device_id = strtoll(PQgetvalue(res, i, 0), NULL, 10);
        (*out)[i].heard_us = strtoll(PQgetvalue(res, i, 1), NULL, 10);
    }
    *n = rows;
    PQclear(res);
    return MUE_OK;
}

static int load_unresolved(struct mue_db *db, const char *rule_ids, struct unresolved **out, int *n)
{
    PGresult *res = NULL;
    const char *params[] = { rule_ids };
    int rows = mue_db_query(db, "alerts unresolved", &res,
                            "SELECT id, rule_id, device_id FROM alert"
                            " WHERE state <> 'resolved' AND rule_id = ANY($1::bigint[])"
                            " UNION ALL SELECT 0, rule_id, device_id FROM alert_state"
                            " WHERE disarmed AND rule_id = ANY($1::bigint[])",
                            1, params);
    if (rows < 0)
        return MUE_EDB;
    *out = mue_xcalloc((size_t)rows + 1, sizeof(**out));
    for (int i = 0; i < rows; i++) {
        (*out)[i].id = strtoll(PQgetvalue(res, i, 0), NULL, 10);
        (*out)[i].rule_id = strtoll(PQgetvalue(res, i, 1), NULL, 10);
        (*out)[i].device_id = strtoll(PQgetvalue(res, i, 2), NULL, 10);
    }
    *n = rows;
    PQclear(res);
    return MUE_OK;
}

static int64_t heard_of(const struct heard *h, int n, int64_t device_id)
{
    int lo = 0, hi = n - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (h[mid].device_id == device_id)
            return h[mid].heard_us;
        if (h[mid].device_id < device_id)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return 0;
}

/* The unresolved alert of (rule, device), 0 when none; *disarmed when resolved by hand since. */
static int64_t unresolved_of(const struct unresolved *u, int n, int64_t rule, int64_t device,
                             bool *disarmed)
{
    int64_t id = 0;
    *disarmed = false;
    for (int i = 0; i < n; i++) {
        if (u[i].rule_id != rule || u[i].device_id != device)
            continue;
        if (u[i].id == 0)
            *disarmed = true;
        else
            id = u[i].id;
    }
    return id;
}

static int rearm(struct mue_db *db, int64_t rule, int64_t device)
{
    char r[24], d[24];
    PGresult *res = NULL;
    snprintf(r, sizeof(r), "%" PRId64, rule);
    snprintf(d, sizeof(d), "%" PRId64, device);
    const char *params[] = { r, d };
    int rows = mue_db_query(db, "alert_state rearm", &res,
                            "UPDATE alert_state SET disarmed = false, updated_at = now()"
                            " WHERE rule_id = $1 AND device_id = $2",
                            2, params);
    PQclear(res);
    return rows < 0 ? MUE_EDB : MUE_OK;
}

/* One (rule, device): opens or resolves as the silence says. */
static int judge_silence(struct mue_db *db, const struct rule *r, const struct rule_device *d,
                         int64_t heard, int64_t alert_id, bool disarmed, int64_t now_us,
                         int64_t ref_us, struct engine_counts *c)
{
    bool silent = eval_silent(r, heard, d->expected_period_s, ref_us);
    double silence_s = (double)(ref_us - heard) / (double)US_PER_S;

    if (disarmed)
        return silent ? MUE_OK : rearm(db, r->id, d->id);
    if (silent && alert_id == 0 && eval_in_window(r, now_us)) {
        char message[512];
        int64_t id;
        engine_message(message, sizeof(message), r, d, "", silence_s, 0);
        struct store_alert a = { r->id,    d->id,   r->use_case, rule_severity_name(r->severity),
                                 "",       message, heard,       now_us,
                                 silence_s };
        int opened = store_open_alert(db, &a, &id);
        if (opened < 0)
            return MUE_EDB;
        if (opened) {
            c->opened++;
            mue_log_info("alert.opened", "alert=%lld rule=%s dev_eui=%s silent_s=%.0f",
                         (long long)id, r->name, d->dev_eui, silence_s);
        }
    } else if (!silent && alert_id != 0 && r->auto_resolve) {
        int resolved = store_resolve_alert(db, alert_id, now_us, 0, "auto", "");
        if (resolved < 0)
            return MUE_EDB;
        if (resolved) {
            c->resolved++;
            mue_log_info("alert.resolved", "alert=%lld rule=%s dev_eui=%s reason=heard_again",
                         (long long)alert_id, r->name, d->dev_eui);
        }
    }
    return MUE_OK;
}

int clock_no_data(struct mue_db *db, const struct rule_set *rs, int64_t now_us, int64_t ref_us,
                  struct engine_counts *c)
{
    struct heard *heard = NULL;
    struct unresolved *open = NULL;
    struct mue_buf ids;
    int nheard = 0, nopen = 0, nrules = 0, rc = MUE_EDB;

    memset(c, 0, sizeof(*c));
    mue_buf_init(&ids, 0);
    mue_buf_append_str(&ids, "{");
    for (int i = 0; i < rs->nrules; i++) {
        if (rs->rules[i].kind == RULE_NO_DATA)
            mue_buf_printf(&ids, "%s%" PRId64, nrules++ ? "," : "", rs->rules[i].id);
    }
    mue_buf_append_str(&ids, "}");
    if (nrules == 0) {
        rc = MUE_OK;
        goto out;
    }
    if (mue_db_ensure(db) < 0 || load_heard(db, &heard, &nheard) < 0 ||
        load_unresolved(db, ids.data, &open, &nopen) < 0)
        goto out;
    for (int i = 0; i < rs->nrules; i++) {
        const struct rule *r = &rs->rules[i];
        if (r->kind != RULE_NO_DATA)
            continue;
        for (int k = 0; k < rs->ndevices; k++) {
            const struct rule_device *d = &rs->devices[k];
            int64_t h = heard_of(heard, nheard, d->id);
            if (!rule_applies(r, d) || h == 0)
                continue;
            bool disarmed;
            int64_t alert_id = unresolved_of(open, nopen, r->id, d->id, &disarmed);
            if (judge_silence(db, r, d, h, alert_id, disarmed, now_us, ref_us, c) < 0)
                goto out;
        }
    }
    rc = MUE_OK;
out:
    free(heard);
    free(open);
    mue_buf_fini(&ids);
    return rc;
}

/* ---- escalation */

int clock_escalate(struct mue_db *db)
{
    PGresult *res = NULL;
    int rows;

    if (mue_db_ensure(db) < 0)
        return MUE_EDB;
    /* The UPDATE's row lock makes one engine escalate an alert, however many run. */
    rows = mue_db_query(
        db, "alerts escalate", &res,
        "WITH x AS (UPDATE alert a SET escalated_at = now(), updated_at = now(),"
        "  severity = CASE a.severity WHEN 'info' THEN 'warning' ELSE 'critical' END"
        "  FROM alert_rule r WHERE r.id = a.rule_id AND a.state = 'open' AND r.enabled"
        "  AND a.escalated_at IS NULL AND r.escalate_after_s IS NOT NULL"
        "  AND a.created_at <= now() - r.escalate_after_s * interval '1 second'"
        "  RETURNING a.id, r.escalate_after_s)"
        " INSERT INTO alert_event (alert_id, kind, comment)"
        " SELECT id, 'escalated', 'non acquittée après ' || (escalate_after_s / 60) || ' min'"
        " FROM x RETURNING alert_id",
        0, NULL);
    if (rows < 0)
        return MUE_EDB;
    for (int i = 0; i < rows; i++)
        mue_log_info("alert.escalated", "alert=%s", PQgetvalue(res, i, 0));
    PQclear(res);
    return rows;
}

/* ---- daily indicators */

struct indicator {
    const char *name;
    int end_hour;    /* the day's period ends at this local hour of the next day */
    const char *sql; /* $1 the date, $2 the devices; rows (device_id, value) */
};

static const struct indicator indicators[] = {
    { "noise.lnight", 6,
      "SELECT device_id, lnight FROM noise_day"
      " WHERE day = $1::date AND device_id = ANY($2::bigint[]) AND lnight IS NOT NULL" },
    { "noise.lden", 6,
      "SELECT device_id, lden FROM noise_day"
      " WHERE day = $1::date AND device_id = ANY($2::bigint[]) AND lden IS NOT NULL" },
    { "heat.tmin_night", 8,
      "SELECT device_id, tmin FROM heat_night"
      " WHERE night = $1::date AND device_id = ANY($2::bigint[]) AND tmin IS NOT NULL" },
    /* Yesterday's count against the mean of the same weekday over the four weeks before. */
    { "counting.day_ratio", 0,
      "WITH t AS (SELECT device_id, day, sum(sum)::float8 AS total FROM rollup_day"
      "  WHERE device_id = ANY($2::bigint[])"
      "  AND quantity ~ '^(bike|pedestrian)_count_(in|out)$'"
      "  AND day IN ($1::date, $1::date - 7, $1::date - 14, $1::date - 21, $1::date - 28)"
      "  GROUP BY device_id, day)"
      " SELECT device_id, max(total) FILTER (WHERE day = $1::date)"
      "  / avg(total) FILTER (WHERE day < $1::date)"
      " FROM t GROUP BY device_id"
      " HAVING count(*) FILTER (WHERE day < $1::date) >= 2"
      "  AND avg(total) FILTER (WHERE day < $1::date) > 0"
      "  AND count(*) FILTER (WHERE day = $1::date) = 1" },
};

/* Minutes after a period's end before its day counts as complete (late uplinks). */
#define DAILY_MARGIN_MIN 30

static const struct indicator *indicator_of(const char *name)
{
    for (size_t i = 0; i < sizeof(indicators) / sizeof(indicators[0]); i++)
        if (strcmp(indicators[i].name, name) == 0)
            return &indicators[i];
    return NULL;
}

/* Adds the samples of one daily rule. */
static int daily_rule(struct mue_db *db, const struct rule_set *rs, const struct rule *r,
                      int64_t now_us, struct engine_sample **v, int *n, int *cap)
{
    const struct indicator *ind = indicator_of(r->quantity);
    struct mue_buf ids;
    char date[16];
    int64_t end_us;
    int y, m, d, count = 0, rows;
    PGresult *res = NULL;

    if (ind == NULL) {
        mue_log_warn("rule.unknown_indicator", "rule=%s indicator=%s", r->name, r->quantity);
        return MUE_OK;
    }
    int64_t last = clock_last_day(now_us, ind->end_hour, DAILY_MARGIN_MIN, &end_us);
    mue_buf_init(&ids, 0);
    mue_buf_append_str(&ids, "{");
    for (int k = 0; k < rs->ndevices; k++)
        if (rule_applies(r, &rs->devices[k]))
            mue_buf_printf(&ids, "%s%" PRId64, count++ ? "," : "", rs->devices[k].id);
    mue_buf_append_str(&ids, "}");
    if (count == 0) {
        mue_buf_fini(&ids);
        return MUE_OK;
    }
    for (int back = CLOCK_DAILY_DAYS - 1; back >= 0; back--) {
        /* Each day's sample is at the end of its period. */
        int64_t day = last - back, day_end_us;
        double thr;
        mue_localtime_civil_from_days(day + 1, &y, &m, &d);
        day_end_us = mue_localtime_to_utc(y, m, d, ind->end_hour, 0, 0) * US_PER_S;
        mue_localtime_civil_from_days(day, &y, &m, &d);
        snprintf(date, sizeof(date), "%04d-%02d-%02d", y, m, d);
        const char *params[] = { date, ids.data };
        rows = mue_db_query(db, r->quantity, &res, ind->sql, 2, params);
        if (rows < 0) {
            mue_buf_fini(&ids);
            return MUE_EDB;
        }
        for (int i = 0; i < rows; i++) {
            const struct rule_device *dev =
                rule_set_device(rs, strtoll(PQgetvalue(res, i, 0), NULL, 10));
            if (dev != NULL && !PQgetisnull(res, i, 1) && rule_threshold(r, dev, &thr))
                engine_add(v, n, cap, r, dev, r->quantity, day_end_us,
                           strtod(PQgetvalue(res, i, 1), NULL));
        }
        PQclear(res);
        res = NULL;
    }
    (void)end_us;
    mue_buf_fini(&ids);
    return MUE_OK;
}

int clock_daily(struct mue_db *db, const struct rule_set *rs, int64_t now_us,
                struct engine_counts *c)
{
    struct engine_sample *v = NULL;
    int n = 0, cap = 0, rc = MUE_OK;

    memset(c, 0, sizeof(*c));
    if (mue_db_ensure(db) < 0)
        return MUE_EDB;
    for (int i = 0; i < rs->nrules && rc == MUE_OK; i++)
        if (rs->rules[i].kind == RULE_DAILY)
            rc = daily_rule(db, rs, &rs->rules[i], now_us, &v, &n, &cap);
    /* A day already judged comes back as a late sample and changes nothing. */
    if (rc == MUE_OK && n > 0)
        rc = engine_run(db, v, n, NULL, NULL, 0, c);
    free(v);
    return rc;
}
