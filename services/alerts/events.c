/* events.c - publishing the alert_event outbox to the bus and the notification queue.
 * SPDX-License-Identifier: MIT */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "mue/v1/alert.pb-c.h"
#include "mue_buf.h"
#include "mue_bus.h"
#include "mue_db.h"
#include "mue_err.h"
#include "mue_log.h"
#include "mue_mem.h"
#include "mue_subjects.h"
#include "notify.h"
#include "store.h"

/* The advisory lock of the publisher ("mue" "alert" "events"). */
#define EVENTS_LOCK_KEY "7173202"

/* clang-format off */
static const char take_events[] =
    "SELECT e.id, e.kind, " STORE_US("e.at") ", e.actor, e.comment, e.value,"
    " a.id, a.rule_id, a.device_id, a.use_case, a.severity, a.state, a.quantity, a.message,"
    " " STORE_US("a.since") ", " STORE_US("a.opened_at") ", d.dev_eui, r.name, a.value"
    " FROM alert_event e JOIN alert a ON a.id = e.alert_id"
    " JOIN device d ON d.id = a.device_id JOIN alert_rule r ON r.id = a.rule_id"
    " WHERE NOT e.published ORDER BY e.id LIMIT $1 FOR UPDATE OF e SKIP LOCKED";
/* clang-format on */

static Mue__V1__Severity severity_of(const char *s)
{
    if (strcmp(s, "critical") == 0)
        return MUE__V1__SEVERITY__SEVERITY_CRITICAL;
    if (strcmp(s, "info") == 0)
        return MUE__V1__SEVERITY__SEVERITY_INFO;
    return MUE__V1__SEVERITY__SEVERITY_WARNING;
}

/* The alert's state right after the event (the row may have moved on since). */
static Mue__V1__AlertState state_after(const char *event)
{
    if (strcmp(event, "acknowledged") == 0)
        return MUE__V1__ALERT_STATE__ALERT_STATE_ACKNOWLEDGED;
    if (strcmp(event, "resolved") == 0)
        return MUE__V1__ALERT_STATE__ALERT_STATE_RESOLVED;
    return MUE__V1__ALERT_STATE__ALERT_STATE_OPEN; /* opened, escalated */
}

/* Publishes row 'i' and waits for JetStream. Returns 0, or MUE_EBUS. */
static int publish_row(struct mue_bus *bus, PGresult *res, int i)
{
    Mue__V1__Alert m = MUE__V1__ALERT__INIT;
    char subject[128], msg_id[48];
    uint8_t *buf;
    size_t len;
    int rc;

    m.event_id = strtoll(PQgetvalue(res, i, 0), NULL, 10);
    m.event = PQgetvalue(res, i, 1);
    m.time_us = strtoll(PQgetvalue(res, i, 2), NULL, 10);
    m.actor = PQgetvalue(res, i, 3);
    m.comment = PQgetvalue(res, i, 4);
    /* An event without its own value (an acknowledgement) carries the alert's opening value. */
    m.value = strtod(PQgetvalue(res, i, PQgetisnull(res, i, 5) ? 18 : 5), NULL);
    m.alert_id = strtoll(PQgetvalue(res, i, 6), NULL, 10);
    m.rule_id = strtoll(PQgetvalue(res, i, 7), NULL, 10);
    m.device_id = strtoll(PQgetvalue(res, i, 8), NULL, 10);
    m.use_case = PQgetvalue(res, i, 9);
    m.severity = severity_of(PQgetvalue(res, i, 10));
    m.state = state_after(m.event);
    m.quantity = PQgetvalue(res, i, 12);
    m.message = PQgetvalue(res, i, 13);
    m.since_us = strtoll(PQgetvalue(res, i, 14), NULL, 10);
    m.opened_at_us = strtoll(PQgetvalue(res, i, 15), NULL, 10);
    m.dev_eui = PQgetvalue(res, i, 16);
    m.rule_name = PQgetvalue(res, i, 17);

    snprintf(subject, sizeof(subject), MUE_SUBJ_ALERT_FMT, m.use_case, PQgetvalue(res, i, 10));
    snprintf(msg_id, sizeof(msg_id), "alert-event:%" PRId64, m.event_id);
    len = mue__v1__alert__get_packed_size(&m);
    buf = mue_xmalloc(len + 1);
    mue__v1__alert__pack(&m, buf);
    rc = mue_bus_publish(bus, subject, buf, len, msg_id, NULL, 5000, NULL);
    free(buf);
    return rc < 0 ? MUE_EBUS : MUE_OK;
}

int events_publish(struct mue_db *db, struct mue_bus *bus, int max)
{
    PGresult *res = NULL;
    struct mue_buf ids;
    char limit[16];
    int rows, rc;

    if (store_begin(db) < 0)
        return MUE_EDB;
    /* One publisher at a time, whatever the number of threads and engines, so events leave in
     * the order they happened; the others find the lock taken and leave it the work. */
    rows = mue_db_query(db, "alert events lock", &res,
                        "SELECT pg_try_advisory_xact_lock(" EVENTS_LOCK_KEY ")", 0, NULL);
    if (rows != 1 || PQgetvalue(res, 0, 0)[0] != 't') {
        PQclear(res);
        store_rollback(db);
        return rows < 0 ? MUE_EDB : 0;
    }
    PQclear(res);
    res = NULL;
    snprintf(limit, sizeof(limit), "%d", max);
    const char *params[] = { limit };
    rows = mue_db_query(db, "alert events take", &res, take_events, 1, params);
    if (rows <= 0) {
        PQclear(res);
        store_rollback(db);
        return rows < 0 ? MUE_EDB : 0;
    }
    mue_buf_init(&ids, 0);
    mue_buf_append_str(&ids, "{");
    rc = MUE_OK;
    for (int i = 0; i < rows && rc == MUE_OK; i++) {
        int64_t event_id = strtoll(PQgetvalue(res, i, 0), NULL, 10);
        rc = publish_row(bus, res, i);
        if (rc == MUE_OK && notify_enqueue(mue_db_conn(db), event_id) < 0)
            rc = MUE_EDB;
        mue_buf_printf(&ids, "%s%" PRId64, i ? "," : "", event_id);
    }
    mue_buf_append_str(&ids, "}");
    PQclear(res);
    if (rc == MUE_OK) {
        const char *mark[] = { ids.data };
        PGresult *r = NULL;
        if (mue_db_query(db, "alert events mark", &r,
                         "UPDATE alert_event SET published = true WHERE id = ANY($1::bigint[])", 1,
                         mark) < 0 ||
            store_commit(db) < 0)
            rc = MUE_EDB;
        PQclear(r);
    }
    mue_buf_fini(&ids);
    if (rc != MUE_OK) {
        store_rollback(db);
        mue_log_warn("alert.events_unpublished", "reason=\"%s; tried again later\"",
                     rc == MUE_EBUS ? "bus" : "database");
        return rc;
    }
    return rows;
}
