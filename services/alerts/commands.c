/* commands.c - acknowledge and resolve requests from the bus, each with its event and audit row
 * in one statement.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "commands.h"
#include "events.h"
#include "mue_bus.h"
#include "mue_db.h"
#include "mue_err.h"
#include "mue_log.h"
#include "mue_signal.h"
#include "mue_subjects.h"

static const char ack_sql[] =
    "WITH a AS (UPDATE alert SET state = 'acknowledged', acknowledged_at = now(),"
    "  acknowledged_by = $2, ack_comment = nullif($3, ''), updated_at = now()"
    "  WHERE id = $1 AND state = 'open' RETURNING id),"
    " e AS (INSERT INTO alert_event (alert_id, kind, actor, comment)"
    "  SELECT id, 'acknowledged', $2, $3 FROM a),"
    " l AS (INSERT INTO audit_log (key_id, actor, action, target, detail)"
    "  SELECT $4::bigint, $2, 'alert.acknowledge', 'alert:' || id,"
    "   jsonb_build_object('comment', $3::text) FROM a)"
    " SELECT id FROM a";

static const char resolve_sql[] =
    "WITH a AS (UPDATE alert SET state = 'resolved', resolved_at = now(), resolved_by = $2,"
    "  resolve_comment = nullif($3, ''), updated_at = now()"
    "  WHERE id = $1 AND state <> 'resolved' RETURNING id, rule_id, device_id),"
    " s AS (INSERT INTO alert_state (rule_id, device_id, disarmed)"
    "  SELECT rule_id, device_id, true FROM a"
    "  ON CONFLICT (rule_id, device_id) DO UPDATE SET disarmed = true),"
    " e AS (INSERT INTO alert_event (alert_id, kind, actor, comment)"
    "  SELECT id, 'resolved', $2, $3 FROM a),"
    " l AS (INSERT INTO audit_log (key_id, actor, action, target, detail)"
    "  SELECT $4::bigint, $2, 'alert.resolve', 'alert:' || id,"
    "   jsonb_build_object('comment', $3::text) FROM a)"
    " SELECT id FROM a";

static const char show_sql[] =
    "SELECT json_build_object('id', a.id, 'rule', r.name, 'title', r.title,"
    " 'use_case', a.use_case, 'dev_eui', d.dev_eui, 'device', d.name, 'severity', a.severity,"
    " 'state', a.state, 'message', a.message, 'since', a.since, 'opened_at', a.opened_at,"
    " 'value', a.value, 'last_value', a.last_value, 'peak_value', a.peak_value,"
    " 'acknowledged_at', a.acknowledged_at, 'acknowledged_by', a.acknowledged_by,"
    " 'ack_comment', a.ack_comment, 'escalated_at', a.escalated_at,"
    " 'resolved_at', a.resolved_at, 'resolved_by', a.resolved_by,"
    " 'resolve_comment', a.resolve_comment)::text"
    " FROM alert a JOIN alert_rule r ON r.id = a.rule_id JOIN device d ON d.id = a.device_id"
    " WHERE a.id = $1";

static int answer_error(char *out, size_t cap, const char *error, const char *reason, int rc)
{
    json_t *o = json_pack("{s:s, s:s}", "error", error, "reason", reason);
    char *text = json_dumps(o, JSON_COMPACT);
    snprintf(out, cap, "%s", text != NULL ? text : "{\"error\":\"internal\"}");
    free(text);
    json_decref(o);
    return rc;
}

int commands_parse(const char *body, size_t len, struct commands_request *r, char *why, size_t cap)
{
    json_t *j = json_loadb(body, len, 0, NULL);
    int rc = MUE_EINVAL;

    memset(r, 0, sizeof(*r));
    if (!json_is_object(j)) {
        snprintf(why, cap, "the body is not a JSON object");
        goto out;
    }
    json_t *id = json_object_get(j, "alert_id"), *actor = json_object_get(j, "actor");
    json_t *comment = json_object_get(j, "comment"), *key = json_object_get(j, "key_id");
    if (!json_is_integer(id) || json_integer_value(id) <= 0) {
        snprintf(why, cap, "alert_id must be a positive integer");
        goto out;
    }
    if (!json_is_string(actor) || json_string_length(actor) == 0 ||
        json_string_length(actor) >= sizeof(r->actor) ||
        strlen(json_string_value(actor)) != json_string_length(actor)) {
        snprintf(why, cap, "actor must be a name of 1 to %zu bytes", sizeof(r->actor) - 1);
        goto out;
    }
    if (comment != NULL && !json_is_null(comment) &&
        (!json_is_string(comment) || json_string_length(comment) >= sizeof(r->comment) ||
         strlen(json_string_value(comment)) != json_string_length(comment))) {
        snprintf(why, cap, "comment must be text of at most %zu bytes", sizeof(r->comment) - 1);
        goto out;
    }
    if (key != NULL && !json_is_null(key) &&
        (!json_is_integer(key) || json_integer_value(key) <= 0)) {
        snprintf(why, cap, "key_id must be a positive integer or null");
        goto out;
    }
    snprintf(r->id, sizeof(r->id), "%lld", (long long)json_integer_value(id));
    snprintf(r->actor, sizeof(r->actor), "%s", json_string_value(actor));
    if (json_is_string(comment))
        snprintf(r->comment, sizeof(r->comment), "%s", json_string_value(comment));
    if (json_is_integer(key))
        snprintf(r->key_id, sizeof(r->key_id), "%lld", (long long)json_integer_value(key));
    rc = MUE_OK;
out:
    json_decref(j);
    return rc;
}

/* Why nothing changed: the alert is missing or already past that state. */
static int explain(struct mue_db *db, const struct commands_request *r, const char *action,
                   char *out, size_t cap)
{
    PGresult *res = NULL;
    const char *params[] = { r->id };
    char why[96];
    int rows =
        mue_db_query(db, "alert state", &res, "SELECT state FROM alert WHERE id = $1", 1, params);
    if (rows < 0)
        return answer_error(out, cap, "unavailable", "database unavailable", MUE_EDB);
    if (rows == 0) {
        PQclear(res);
        return answer_error(out, cap, "not_found", "no alert with that id", MUE_ENOENT);
    }
    snprintf(why, sizeof(why), "the alert is already %s; it cannot be %s", PQgetvalue(res, 0, 0),
             strcmp(action, "ack") == 0 ? "acknowledged" : "resolved");
    PQclear(res);
    return answer_error(out, cap, "conflict", why, MUE_EINVAL);
}

int commands_handle(struct mue_db *db, const char *action, const char *body, size_t len, char *out,
                    size_t cap)
{
    struct commands_request r;
    char why[128];
    PGresult *res = NULL;
    int rows, rc;

    if (strcmp(action, "ack") != 0 && strcmp(action, "resolve") != 0)
        return answer_error(out, cap, "bad_request", "the action is ack or resolve", MUE_EINVAL);
    if (commands_parse(body, len, &r, why, sizeof(why)) < 0)
        return answer_error(out, cap, "bad_request", why, MUE_EINVAL);
    if (mue_db_ensure(db) < 0)
        return answer_error(out, cap, "unavailable", "database unavailable", MUE_EDB);
    const char *params[] = { r.id, r.actor, r.comment, r.key_id[0] ? r.key_id : NULL };
    rows = mue_db_query(db, "alert command", &res,
                        strcmp(action, "ack") == 0 ? ack_sql : resolve_sql, 4, params);
    PQclear(res);
    if (rows < 0)
        return answer_error(out, cap, "unavailable", "database unavailable", MUE_EDB);
    if (rows == 0)
        return explain(db, &r, action, out, cap);
    const char *show[] = { r.id };
    rc = MUE_OK;
    if (mue_db_query(db, "alert show", &res, show_sql, 1, show) == 1)
        snprintf(out, cap, "{\"ok\":true,\"alert\":%s}", PQgetvalue(res, 0, 0));
    else
        snprintf(out, cap, "{\"ok\":true,\"alert\":{\"id\":%s}}", r.id);
    PQclear(res);
    mue_log_info("alert.command", "action=%s alert=%s actor=\"%s\"", action, r.id, r.actor);
    return rc;
}

void *commands_thread(void *arg)
{
    const struct commands_ctx *ctx = arg;
    struct mue_db *db = NULL;
    struct mue_bus_sub *sub = NULL;
    /* Two full comments, escaped, and the alert's text fit. */
    static char answer[32768];

    /* The service stays up without its commands for a while rather than without them for good. */
    while (!mue_signal_stopping() &&
           (mue_db_open(&db, ctx->pg_dsn, ctx->connect_timeout_ms) < 0 ||
            mue_bus_subscribe_queue(&sub, ctx->bus, MUE_SUBJ_ALERTCMD_ALL, MUE_QUEUE_ALERTS) < 0)) {
        mue_log_error("commands.unavailable",
                      "reason=\"no database or no subscription; again in 5 s\"");
        mue_db_close(db);
        db = NULL;
        mue_signal_sleep_ms(5000);
    }
    if (sub == NULL)
        goto out;
    while (!mue_signal_stopping()) {
        natsMsg *msg = NULL;
        if (mue_bus_sub_next(sub, 500, &msg) != 1)
            continue;
        const char *subject = mue_bus_msg_subject(msg);
        const char *action = strrchr(subject, '.');
        action = action != NULL ? action + 1 : "";
        int rc = commands_handle(db, action, mue_bus_msg_data(msg), mue_bus_msg_len(msg), answer,
                                 sizeof(answer));
        mue_bus_respond(ctx->bus, msg, answer, strlen(answer));
        natsMsg_Destroy(msg);
        if (rc == MUE_OK)
            (void)events_publish(db, ctx->bus, 100);
    }
out:
    mue_bus_sub_close(sub);
    mue_db_close(db);
    return NULL;
}
