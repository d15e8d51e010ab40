/* lighting_send.c - publishes the configuration commands that are due as DownlinkRequests.
 * SPDX-License-Identifier: MIT */
#include "lighting_send.h"
#include "lighting_sync.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "mue/v1/downlink.pb-c.h"
#include "mue_bus.h"
#include "mue_db.h"
#include "mue_err.h"
#include "mue_log.h"
#include "mue_mem.h"
#include "mue_subjects.h"
#include "packet.h"
#include "payload_hex.h"

/* clang-format off */
static const char due_sql[] =
    "SELECT c.id, c.key, c.f_port, encode(c.payload, 'hex'), c.attempts, c.max_attempts, "
    "d.network, d.dev_eui, coalesce(extract(epoch FROM c.expires_at)::int8, 0) "
    "FROM lighting_command c JOIN device d ON d.id = c.device_id "
    "WHERE c.state IN ('pending', 'queued', 'sent') AND c.next_attempt_at <= now() "
    "ORDER BY c.id LIMIT $1::int FOR UPDATE OF c SKIP LOCKED";
static const char end_sql[] =
    "UPDATE lighting_command SET state = $2, reason = $3, updated_at = now() WHERE id = $1::int8";
static const char sent_sql[] =
    "UPDATE lighting_command SET state = 'pending', attempts = attempts + 1, downlink_id = $2, "
    "payload = decode($3, 'hex'), next_attempt_at = now() + make_interval(secs => $4::int), "
    "updated_at = now(), reason = '' WHERE id = $1::int8";
/* clang-format on */

static int end_command(struct mue_db *db, const char *id, const char *state, const char *reason)
{
    const char *p[3] = { id, state, reason };
    PGresult *res;

    if (mue_db_query(db, "lighting.command_end", &res, end_sql, 3, p) < 0)
        return MUE_EDB;
    PQclear(res);
    return 0;
}

/* Publishes one command. A WS558 switching counts its delay from now. Returns 0, 1 when it ended
 * instead (expired, failed), or an error. */
static int send_one(struct mue_db *db, struct mue_bus *bus, PGresult *res, int row, int64_t now_s,
                    long ack_wait_s, struct send_stats *st)
{
    Mue__V1__DownlinkRequest m = MUE__V1__DOWNLINK_REQUEST__INIT;
    const char *id = PQgetvalue(res, row, 0), *key = PQgetvalue(res, row, 1);
    int attempts = atoi(PQgetvalue(res, row, 4)), max_attempts = atoi(PQgetvalue(res, row, 5));
    int64_t expires_s = strtoll(PQgetvalue(res, row, 8), NULL, 10);
    uint8_t payload[LIGHT_PACKET_MAX + 13];
    size_t len = payload_from_hex(PQgetvalue(res, row, 3), payload, sizeof(payload));
    char dl_id[64], subject[96], hex[2 * sizeof(payload) + 1], wait[16], reason[96];
    const char *network = PQgetvalue(res, row, 6), *dev_eui = PQgetvalue(res, row, 7);
    uint8_t *buf;
    size_t blen;
    int rc;

    if (expires_s > 0 && expires_s <= now_s) {
        st->expired++;
        rc = end_command(db, id, "expired", "its time ran out before it was acknowledged");
        return rc != 0 ? rc : 1;
    }
    if (attempts >= max_attempts) {
        st->failed++;
        snprintf(reason, sizeof(reason), "no acknowledgement after %d attempts", attempts);
        rc = end_command(db, id, "failed", reason);
        return rc != 0 ? rc : 1;
    }
    if (strncmp(key, LIGHTING_KEY_WS558_AT, strlen(LIGHTING_KEY_WS558_AT)) == 0 && len >= 5) {
        int64_t delay = strtoll(key + strlen(LIGHTING_KEY_WS558_AT), NULL, 10) - now_s;

        payload[3] = (uint8_t)(delay & 0xFF);
        payload[4] = (uint8_t)((delay >> 8) & 0xFF);
    }
    snprintf(dl_id, sizeof(dl_id), LIGHTING_DOWNLINK_PREFIX "%s-%d", id, attempts + 1);
    snprintf(subject, sizeof(subject), MUE_SUBJ_DOWNLINK_FMT, network, dev_eui);
    m.id = dl_id;
    m.network = (char *)network;
    m.dev_eui = (char *)dev_eui;
    m.f_port = (uint32_t)atoi(PQgetvalue(res, row, 2));
    m.payload.data = payload;
    m.payload.len = len;
    /* The device's acknowledgement tells that it took the setting, where it does not echo. */
    m.confirmed = 1;
    m.requested_at_us = now_s * 1000000;
    m.origin = (char *)"lighting";
    m.expires_at_us = expires_s * 1000000;
    blen = mue__v1__downlink_request__get_packed_size(&m);
    buf = mue_xmalloc(blen);
    mue__v1__downlink_request__pack(&m, buf);
    rc = mue_bus_publish(bus, subject, buf, blen, dl_id, NULL, 5000, NULL);
    free(buf);
    if (rc != 0)
        return MUE_EBUS;
    payload_to_hex(payload, len, hex);
    snprintf(wait, sizeof(wait), "%ld", ack_wait_s);
    const char *p[4] = { id, dl_id, hex, wait };
    PGresult *up;
    if (mue_db_query(db, "lighting.command_sent", &up, sent_sql, 4, p) < 0)
        return MUE_EDB;
    PQclear(up);
    st->sent++;
    mue_log_debug("lighting.command_sent", "id=%s dev_eui=%s key=%s attempt=%d", id, dev_eui, key,
                  attempts + 1);
    return 0;
}

int lighting_send_due(struct mue_db *db, struct mue_bus *bus, int64_t now_s, long ack_wait_s,
                      int max, struct send_stats *st)
{
    char limit[16];
    const char *p[1] = { limit };
    PGresult *res;
    int n, rc = 0;

    snprintf(limit, sizeof(limit), "%d", max);
    if (mue_db_exec(db, "lighting.send_begin", "BEGIN") < 0)
        return MUE_EDB;
    n = mue_db_query(db, "lighting.commands_due", &res, due_sql, 1, p);
    if (n < 0) {
        mue_db_exec(db, "lighting.send_rollback", "ROLLBACK");
        return MUE_EDB;
    }
    for (int i = 0; i < n && rc >= 0; i++)
        rc = send_one(db, bus, res, i, now_s, ack_wait_s, st);
    PQclear(res);
    /* What was published stays published: its row is committed even when a later one failed;
     * a request sent twice carries the same id and the stream drops the copy. */
    if (mue_db_exec(db, "lighting.send_commit", "COMMIT") < 0)
        return MUE_EDB;
    return rc < 0 ? rc : 0;
}
