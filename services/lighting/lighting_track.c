/* lighting_track.c - command states from the network server's statuses and the devices' echoes.
 * SPDX-License-Identifier: MIT */
#include "lighting_track.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "lighting_send.h"
#include "mue/v1/downlink.pb-c.h"
#include "mue/v1/uplink.pb-c.h"
#include "mue_db.h"
#include "mue_err.h"
#include "mue_log.h"
#include "payload_hex.h"

/* clang-format off */
/* Acknowledged: the device now runs those bytes for that setting. */
#define ACK_SQL(where)                                                                             \
    "WITH c AS (UPDATE lighting_command SET state = 'acknowledged', acknowledged_at = now(), "    \
    "updated_at = now(), reason = $2 WHERE " where " RETURNING id, device_id, key, payload) "       \
    "INSERT INTO lighting_device_setting (device_id, key, payload, command_id) "                   \
    "SELECT device_id, key, payload, id FROM c ON CONFLICT (device_id, key) DO UPDATE SET "       \
    "payload = EXCLUDED.payload, command_id = EXCLUDED.command_id, applied_at = now()"

static const char ack_by_downlink_sql[] =
    ACK_SQL("downlink_id = $1 AND state IN ('pending', 'queued', 'sent')");
static const char ack_by_echo_sql[] =
    ACK_SQL("id = (SELECT c.id FROM lighting_command c JOIN device d ON d.id = c.device_id "
            "WHERE d.dev_eui = $1 AND c.f_port = $3::int AND c.payload = decode($4, 'hex') "
            "AND c.state IN ('pending', 'queued', 'sent') ORDER BY c.id DESC LIMIT 1)");
static const char progress_sql[] =
    "UPDATE lighting_command SET state = $2, updated_at = now() WHERE downlink_id = $1 "
    "AND state IN ('pending', 'queued', 'sent') AND ($2 = 'sent' OR state = 'pending')";
/* Failed or nacked: tried again after a wait doubling with each attempt, or failed for good. */
static const char retry_sql[] =
    "UPDATE lighting_command SET "
    "state = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'pending' END, "
    "reason = $2, updated_at = now(), "
    "next_attempt_at = now() + make_interval(secs => $3::int * power(2, attempts - 1)) "
    "WHERE downlink_id = $1 AND state IN ('pending', 'queued', 'sent') RETURNING state";
static const char expired_sql[] =
    "UPDATE lighting_command SET state = 'expired', reason = $2, updated_at = now() "
    "WHERE downlink_id = $1 AND state IN ('pending', 'queued', 'sent')";
static const char watched_sql[] =
    "SELECT DISTINCT d.dev_eui FROM lighting_command c JOIN device d ON d.id = c.device_id "
    "WHERE c.state IN ('pending', 'queued', 'sent') ORDER BY 1";
/* clang-format on */

static int run(struct mue_db *db, const char *what, const char *sql, int n, const char *const *p,
               int *rows)
{
    PGresult *res;

    if (mue_db_query(db, what, &res, sql, n, p) < 0)
        return MUE_EDB;
    *rows = atoi(PQcmdTuples(res));
    if (PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "failed") == 0)
        *rows = -1; /* retry_sql: the last attempt failed */
    PQclear(res);
    return 0;
}

int lighting_track_status(struct mue_db *db, const void *data, size_t len, long retry_s,
                          struct track_stats *st)
{
    Mue__V1__DownlinkStatus *s = mue__v1__downlink_status__unpack(NULL, len, data);
    char wait[16];
    int rows = 0, rc = 0;

    if (s == NULL)
        return MUE_EDECODE;
    if (strncmp(s->id, LIGHTING_DOWNLINK_PREFIX, strlen(LIGHTING_DOWNLINK_PREFIX)) != 0) {
        mue__v1__downlink_status__free_unpacked(s, NULL);
        return 0;
    }
    const char *reason = s->reason[0] ? s->reason : s->source;
    snprintf(wait, sizeof(wait), "%ld", retry_s);
    switch (s->state) {
    case MUE__V1__DOWNLINK_STATE__DOWNLINK_STATE_QUEUED:
    case MUE__V1__DOWNLINK_STATE__DOWNLINK_STATE_SENT: {
        const char *state =
            s->state == MUE__V1__DOWNLINK_STATE__DOWNLINK_STATE_SENT ? "sent" : "queued";
        const char *p[2] = { s->id, state };

        rc = run(db, "lighting.progress", progress_sql, 2, p, &rows);
        if (rows > 0)
            *(s->state == MUE__V1__DOWNLINK_STATE__DOWNLINK_STATE_SENT ? &st->sent : &st->queued) +=
                1;
        break;
    }
    case MUE__V1__DOWNLINK_STATE__DOWNLINK_STATE_ACKED: {
        const char *p[2] = { s->id, "acknowledged by the device" };

        rc = run(db, "lighting.ack", ack_by_downlink_sql, 2, p, &rows);
        st->acknowledged += rows > 0;
        break;
    }
    case MUE__V1__DOWNLINK_STATE__DOWNLINK_STATE_NACKED:
    case MUE__V1__DOWNLINK_STATE__DOWNLINK_STATE_FAILED: {
        const char *p[3] = { s->id,
                             s->state == MUE__V1__DOWNLINK_STATE__DOWNLINK_STATE_NACKED
                                 ? "the device did not acknowledge it"
                                 : reason,
                             wait };

        rc = run(db, "lighting.retry", retry_sql, 3, p, &rows);
        if (rows < 0)
            st->failed++;
        else if (rows > 0)
            st->retried++;
        break;
    }
    case MUE__V1__DOWNLINK_STATE__DOWNLINK_STATE_EXPIRED: {
        const char *p[2] = { s->id, "the network server let it expire" };

        rc = run(db, "lighting.expired", expired_sql, 2, p, &rows);
        st->expired += rows > 0;
        break;
    }
    default:
        break; /* retrying: the forwarder is on it */
    }
    mue__v1__downlink_status__free_unpacked(s, NULL);
    return rc;
}

static int is_watched(const char *const *watched, const char *dev_eui)
{
    for (size_t i = 0; watched != NULL && watched[i] != NULL; i++) {
        if (strcmp(watched[i], dev_eui) == 0)
            return 1;
    }
    return 0;
}

int lighting_track_uplink(struct mue_db *db, const void *data, size_t len,
                          const char *const *watched, struct track_stats *st)
{
    Mue__V1__Uplink *u = mue__v1__uplink__unpack(NULL, len, data);
    char port[8], hex[2 * 64 + 1];
    int rows = 0, rc = 0;

    if (u == NULL)
        return MUE_EDECODE;
    if (is_watched(watched, u->dev_eui) && u->payload.len > 0 && u->payload.len <= 64) {
        const char *p[4] = { u->dev_eui, "echoed by the device", port, hex };

        snprintf(port, sizeof(port), "%u", u->f_port);
        payload_to_hex(u->payload.data, u->payload.len, hex);
        rc = run(db, "lighting.echo", ack_by_echo_sql, 4, p, &rows);
        if (rows > 0) {
            st->acknowledged++;
            mue_log_debug("lighting.echoed", "dev_eui=%s f_port=%u", u->dev_eui, u->f_port);
        }
    }
    mue__v1__uplink__free_unpacked(u, NULL);
    return rc;
}

int lighting_track_watched(struct mue_db *db, char ***out)
{
    PGresult *res;
    int n = mue_db_query(db, "lighting.watched", &res, watched_sql, 0, NULL);
    char **list, *text;

    *out = NULL;
    if (n < 0)
        return MUE_EDB;
    list = malloc((size_t)(n + 1) * sizeof(*list) + (size_t)n * 17);
    if (list == NULL) {
        PQclear(res);
        return MUE_ENOMEM;
    }
    text = (char *)(list + n + 1);
    for (int i = 0; i < n; i++) {
        list[i] = text + 17 * i;
        snprintf(list[i], 17, "%s", PQgetvalue(res, i, 0));
    }
    list[n] = NULL;
    PQclear(res);
    *out = list;
    return 0;
}
