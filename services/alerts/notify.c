/* notify.c - the notification outbox: events queued in the engine's transaction, claimed with a
 * lease, sent as webhooks and e-mails, marked sent or retried with backoff.
 * SPDX-License-Identifier: MIT */
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "mue_buf.h"
#include "mue_db.h"
#include "mue_err.h"
#include "mue_localtime.h"
#include "mue_log.h"
#include "mue_mem.h"
#include "mue_metrics.h"
#include "mue_time.h"
#include "notify.h"
#include "smtp.h"
#include "outbound_webhook.h"

/* Rows claimed per statement: a few, so that one lease covers a short run of sends. */
#define CLAIM_BATCH 4
/* Claims per notify_run call: a bound on one call's length when events keep coming. */
#define CLAIMS_MAX 64
#define ERR_MAX    512
#define RCPT_MAX   32
/* Events listed in one e-mail; the rest are counted. */
#define EMAIL_EVENTS_MAX 50

/* The severity order, as SQL: a severity's rank is its position in this array. */
#define RANKS "ARRAY['info','warning','critical']"

/* One statement, in the caller's transaction: the event with its alert, rule, device and site,
 * once per channel that wants it, appended to the channel's pending row of the group. */
static const char enqueue_sql[] =
    "INSERT INTO alert_notification (channel_id, group_key, severity, events)"
    " SELECT c.id, a.rule_id || ':' || a.device_id, a.severity,"
    "   jsonb_build_array(jsonb_build_object("
    "     'event_id', e.id, 'kind', e.kind,"
    "     'at', to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),"
    "     'alert_id', a.id, 'rule', r.name, 'title', r.title, 'severity', a.severity,"
    "     'use_case', a.use_case, 'quantity', a.quantity, 'value', e.value,"
    "     'message', a.message, 'actor', e.actor, 'comment', e.comment,"
    "     'device', jsonb_build_object('dev_eui', d.dev_eui, 'name', d.name,"
    "                                  'site', s.name, 'commune', s.commune)))"
    "   FROM alert_event e"
    "   JOIN alert a ON a.id = e.alert_id"
    "   JOIN alert_rule r ON r.id = a.rule_id"
    "   JOIN device d ON d.id = a.device_id"
    "   LEFT JOIN site s ON s.id = d.site_id"
    "   JOIN alert_channel c ON c.enabled"
    "        AND (c.use_case IS NULL OR c.use_case = a.use_case)"
    "        AND array_position(" RANKS ", a.severity) >= array_position(" RANKS ", c.min_severity)"
    "  WHERE e.id = $1::bigint"
    " ON CONFLICT (channel_id, group_key) WHERE status = 'pending' DO UPDATE"
    "   SET events = alert_notification.events || EXCLUDED.events,"
    "       severity = CASE WHEN array_position(" RANKS ", EXCLUDED.severity)"
    "                          > array_position(" RANKS ", alert_notification.severity)"
    "                       THEN EXCLUDED.severity ELSE alert_notification.severity END";

/* The due rows, locked without waiting for another instance's, leased until $2 seconds from now.
 * Quiet hours are the channel's local (Paris) times; a window crossing midnight is the union of
 * its two ends; critical notifications ignore it. */
static const char claim_sql[] =
    "WITH due AS ("
    "  SELECT n.id FROM alert_notification n JOIN alert_channel c ON c.id = n.channel_id"
    "   WHERE n.status = 'pending' AND n.next_attempt_at <= now() AND c.enabled"
    "     AND NOT EXISTS (SELECT 1 FROM alert_notification s"
    "                      WHERE s.channel_id = n.channel_id AND s.group_key = n.group_key"
    "                        AND s.status = 'sent'"
    "                        AND s.sent_at > now() - make_interval(secs => c.group_s))"
    "     AND (n.severity = 'critical' OR c.quiet_from IS NULL OR NOT CASE"
    "          WHEN c.quiet_from <= c.quiet_to"
    "          THEN (now() AT TIME ZONE 'Europe/Paris')::time >= c.quiet_from"
    "           AND (now() AT TIME ZONE 'Europe/Paris')::time < c.quiet_to"
    "          ELSE (now() AT TIME ZONE 'Europe/Paris')::time >= c.quiet_from"
    "            OR (now() AT TIME ZONE 'Europe/Paris')::time < c.quiet_to END)"
    "   ORDER BY array_position(" RANKS ", n.severity) DESC, n.next_attempt_at, n.id"
    "   LIMIT $1::int"
    "   FOR UPDATE OF n SKIP LOCKED)"
    " UPDATE alert_notification n"
    "    SET next_attempt_at = now() + make_interval(secs => $2::double precision)"
    "   FROM due, alert_channel c"
    "  WHERE n.id = due.id AND c.id = n.channel_id"
    " RETURNING n.id, n.next_attempt_at, c.name, c.kind, c.target, c.secret, n.group_key,"
    "           n.severity, n.events, n.attempts, jsonb_array_length(n.events)";

enum {
    COL_ID,
    COL_LEASE,
    COL_CHANNEL,
    COL_KIND,
    COL_TARGET,
    COL_SECRET,
    COL_GROUP,
    COL_SEVERITY,
    COL_EVENTS,
    COL_ATTEMPTS,
    COL_NEVENTS
};

/* Marks a leased row sent or failed with the $6 events it was sent with; events appended while
 * it was out ($6 + 1 ...) move to a new pending row of the same group, its severity theirs. The
 * insert reads 'upd', so the old row has left the pending index before the new one enters it. */
static const char finish_sql[] =
    "WITH cur AS ("
    "  SELECT id, channel_id, group_key, events FROM alert_notification"
    "   WHERE id = $1::bigint AND status = 'pending' AND next_attempt_at = $2::timestamptz"
    "   FOR UPDATE),"
    " upd AS ("
    "  UPDATE alert_notification n"
    "     SET status = $3::text, sent_at = CASE WHEN $3::text = 'sent' THEN now() END,"
    "         attempts = n.attempts + 1, last_error = coalesce($4::text, n.last_error),"
    "         severity = $5::text,"
    "         events = (SELECT coalesce(jsonb_agg(t.e ORDER BY t.i), '[]'::jsonb)"
    "                     FROM jsonb_array_elements(cur.events) WITH ORDINALITY AS t(e, i)"
    "                    WHERE t.i <= $6::int)"
    "    FROM cur WHERE n.id = cur.id"
    "  RETURNING n.id),"
    " rest AS ("
    "  SELECT cur.channel_id, cur.group_key, jsonb_agg(t.e ORDER BY t.i) AS events,"
    "         max(array_position(" RANKS ", t.e->>'severity')) AS rank"
    "    FROM cur, jsonb_array_elements(cur.events) WITH ORDINALITY AS t(e, i)"
    "   WHERE t.i > $6::int"
    "   GROUP BY cur.channel_id, cur.group_key),"
    " ins AS ("
    "  INSERT INTO alert_notification (channel_id, group_key, severity, events)"
    "  SELECT rest.channel_id, rest.group_key, (" RANKS ")[coalesce(rest.rank, 2)], rest.events"
    "    FROM rest, upd"
    "  RETURNING id)"
    " SELECT (SELECT count(*) FROM upd), (SELECT count(*) FROM ins)";

static const char retry_sql[] =
    "UPDATE alert_notification"
    "   SET attempts = attempts + 1, last_error = $3::text,"
    "       next_attempt_at = now() + make_interval(secs =>"
    "                           least($4::double precision * power(2, least(attempts, 20)),"
    "                                 3600))"
    " WHERE id = $1::bigint AND status = 'pending' AND next_attempt_at = $2::timestamptz"
    " RETURNING id";

/* --- counters */

enum { KIND_WEBHOOK, KIND_EMAIL, KIND_COUNT };
enum { OUT_SENT, OUT_RETRY, OUT_FAILED, OUT_COUNT };

static struct mue_metric *m_notifications[KIND_COUNT][OUT_COUNT];
static pthread_once_t metrics_once = PTHREAD_ONCE_INIT;

static void metrics_register(void)
{
    static const char *const kinds[KIND_COUNT] = { "webhook", "email" };
    static const char *const outs[OUT_COUNT] = { "sent", "retry", "failed" };
    char labels[64];

    for (int k = 0; k < KIND_COUNT; k++) {
        for (int o = 0; o < OUT_COUNT; o++) {
            snprintf(labels, sizeof(labels), "channel_kind=\"%s\",outcome=\"%s\"", kinds[k],
                     outs[o]);
            m_notifications[k][o] = mue_metrics_counter(
                "mue_alerts_notifications_total", labels,
                "Notification attempts by channel kind and outcome (retry: failed, tried again "
                "later; failed: given up)");
        }
    }
}

/* --- queueing */

int notify_enqueue(PGconn *conn, int64_t event_id)
{
    char id[24], quoted[512];
    const char *params[1] = { id };
    PGresult *r;
    int rc;

    snprintf(id, sizeof(id), "%" PRId64, event_id);
    r = PQexecParams(conn, enqueue_sql, 1, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        mue_log_error("notify.enqueue_failed", "event_id=%s sqlstate=%s err=\"%s\"", id,
                      state != NULL ? state : "none",
                      mue_log_quote(quoted, sizeof(quoted), PQerrorMessage(conn)));
        PQclear(r);
        return MUE_EDB;
    }
    rc = atoi(PQcmdTuples(r));
    PQclear(r);
    mue_log_debug("notify.enqueued", "event_id=%s rows=%d", id, rc);
    return rc;
}

/* --- the e-mail, in French */

static const char *str_of(const json_t *obj, const char *key)
{
    const char *v = json_string_value(json_object_get(obj, key));
    return v != NULL ? v : "";
}

static const char *kind_fr(const char *kind)
{
    if (strcmp(kind, "opened") == 0)
        return "ouverte";
    if (strcmp(kind, "acknowledged") == 0)
        return "acquittée";
    if (strcmp(kind, "escalated") == 0)
        return "escaladée";
    if (strcmp(kind, "resolved") == 0)
        return "résolue";
    return kind;
}

static const char *severity_fr(const char *severity)
{
    if (strcmp(severity, "critical") == 0)
        return "Alerte critique";
    if (strcmp(severity, "info") == 0)
        return "Information";
    return "Alerte";
}

/* Appends 's' with its control characters made spaces: a subject is a single line. */
static void append_one_line(struct mue_buf *b, const char *s)
{
    for (; *s != '\0'; s++) {
        char c = (unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s;
        mue_buf_append(b, &c, 1);
    }
}

/* "28/11/2024 23:09:41" in Paris time, from the event's RFC 3339 'at'. */
static void format_paris(const char *at, char *out, size_t cap)
{
    struct mue_localtime lt;
    int64_t us;

    if (mue_time_parse(at, &us) != MUE_OK) {
        snprintf(out, cap, "%s", at);
        return;
    }
    mue_localtime_from_utc(us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000), &lt);
    snprintf(out, cap, "%02d/%02d/%04d %02d:%02d:%02d", lt.day, lt.month, lt.year, lt.hour,
             lt.minute, lt.second);
}

static void append_event(struct mue_buf *b, const json_t *ev)
{
    const char *kind = str_of(ev, "kind"), *actor = str_of(ev, "actor");
    const char *message = str_of(ev, "message"), *comment = str_of(ev, "comment");
    const json_t *value = json_object_get(ev, "value");
    bool by_engine =
        actor[0] == '\0' || strcmp(actor, "mue-alerts") == 0 || strcmp(actor, "auto") == 0;
    char when[64];

    format_paris(str_of(ev, "at"), when, sizeof(when));
    mue_buf_printf(b, "- %s : %s", when, kind_fr(kind));
    if (strcmp(kind, "resolved") == 0 && by_engine)
        mue_buf_append_str(b, " automatiquement");
    else if (!by_engine)
        mue_buf_printf(b, " par %s", actor);
    mue_buf_printf(b, " (alerte n° %" JSON_INTEGER_FORMAT ")\n",
                   json_integer_value(json_object_get(ev, "alert_id")));
    if ((strcmp(kind, "opened") == 0 || strcmp(kind, "escalated") == 0) && message[0] != '\0')
        mue_buf_printf(b, "  %s\n", message);
    if (json_is_number(value))
        mue_buf_printf(b, "  Valeur : %.10g (%s)\n", json_number_value(value),
                       str_of(ev, "quantity"));
    else if (json_is_string(value))
        mue_buf_printf(b, "  Valeur : %s (%s)\n", json_string_value(value), str_of(ev, "quantity"));
    if (comment[0] != '\0')
        mue_buf_printf(b, "  Commentaire : %s\n", comment);
}

int notify_format_email(const char *severity, const char *events, char **subject, char **body)
{
    json_t *list = json_loads(events, 0, NULL), *last, *dev;
    struct mue_buf s, b;
    size_t n = json_array_size(list);
    const char *site, *commune, *state;

    for (size_t i = 0; i < n; i++)
        if (!json_is_object(json_array_get(list, i)))
            n = 0;
    if (n == 0) {
        json_decref(list);
        return MUE_EDECODE;
    }
    /* Every event of a group is of the same rule and device: the latest names them. */
    last = json_array_get(list, n - 1);
    dev = json_object_get(last, "device");
    state = strcmp(str_of(last, "kind"), "opened") == 0 ? "" : kind_fr(str_of(last, "kind"));

    mue_buf_init(&s, 0);
    mue_buf_printf(&s, "[mue] %s%s%s : ", severity_fr(severity), state[0] ? " " : "", state);
    append_one_line(&s, str_of(last, "title"));
    mue_buf_append_str(&s, " — ");
    append_one_line(&s, str_of(dev, "name"));
    if (n > 1)
        mue_buf_printf(&s, " (+%zu événement%s)", n - 1, n > 2 ? "s" : "");

    mue_buf_init(&b, 0);
    mue_buf_printf(&b, "%s : %s\n", severity_fr(severity), str_of(last, "title"));
    mue_buf_printf(&b, "Capteur : %s (%s)\n", str_of(dev, "name"), str_of(dev, "dev_eui"));
    site = str_of(dev, "site");
    commune = str_of(dev, "commune");
    if (site[0] != '\0' || commune[0] != '\0')
        mue_buf_printf(&b, "Site : %s%s%s\n", site, site[0] && commune[0] ? ", " : "", commune);
    mue_buf_printf(&b, "Règle : %s\n\n%zu événement%s :\n\n", str_of(last, "rule"), n,
                   n > 1 ? "s" : "");
    for (size_t i = 0; i < n && i < EMAIL_EVENTS_MAX; i++)
        append_event(&b, json_array_get(list, i));
    if (n > EMAIL_EVENTS_MAX)
        mue_buf_printf(&b, "- ... et %zu autres événements\n", n - EMAIL_EVENTS_MAX);
    mue_buf_append_str(&b, "\n-- \nMessage automatique de la plateforme mue : merci de ne pas y "
                           "répondre.\n");
    json_decref(list);
    *subject = mue_buf_steal(&s);
    *body = mue_buf_steal(&b);
    return MUE_OK;
}

/* --- sending */

/* {"channel", "group", "severity", "events"}: the events array as PostgreSQL wrote it. */
static char *webhook_body(const char *channel, const char *group, const char *severity,
                          const char *events)
{
    json_t *c = json_string(channel), *g = json_string(group), *s = json_string(severity);
    char *cs = json_dumps(c, JSON_ENCODE_ANY), *gs = json_dumps(g, JSON_ENCODE_ANY);
    char *ss = json_dumps(s, JSON_ENCODE_ANY);
    struct mue_buf b;

    mue_buf_init(&b, 0);
    mue_buf_printf(&b, "{\"channel\":%s,\"group\":%s,\"severity\":%s,\"events\":%s}",
                   cs ? cs : "null", gs ? gs : "null", ss ? ss : "null", events);
    free(cs);
    free(gs);
    free(ss);
    json_decref(c);
    json_decref(g);
    json_decref(s);
    return mue_buf_steal(&b);
}

/* Splits "a@x, b@y" into addresses (pointers into 'list', which is modified). Returns the count,
 * or -1 when there are more than 'cap'. */
static int split_addresses(char *list, const char **out, int cap)
{
    int n = 0;

    for (char *tok = strtok(list, ","); tok != NULL; tok = strtok(NULL, ",")) {
        char *end;
        tok += strspn(tok, " \t");
        end = tok + strlen(tok);
        while (end > tok && (end[-1] == ' ' || end[-1] == '\t'))
            *--end = '\0';
        if (*tok == '\0')
            continue;
        if (n == cap)
            return -1;
        out[n++] = tok;
    }
    return n;
}

static int send_email(const struct notify_cfg *cfg, const PGresult *r, int row, char *err,
                      size_t errcap, bool *permanent)
{
    const char *to[RCPT_MAX];
    char *targets = NULL, *subject = NULL, *body = NULL;
    struct smtp_mail m;
    int nto, rc;

    *permanent = true;
    if (cfg->smtp_server == NULL || cfg->smtp_server[0] == '\0') {
        snprintf(err, errcap, "no SMTP server is configured: e-mail channels cannot send");
        return MUE_ECONFIG;
    }
    if (cfg->smtp_from == NULL || cfg->smtp_from[0] == '\0') {
        snprintf(err, errcap, "no sender address is configured for e-mails");
        return MUE_ECONFIG;
    }
    targets = mue_xstrdup(PQgetvalue(r, row, COL_TARGET));
    nto = split_addresses(targets, to, RCPT_MAX);
    if (nto <= 0) {
        snprintf(err, errcap, "the channel's target holds %s",
                 nto == 0 ? "no address" : "more than 32 addresses");
        rc = MUE_EINVAL;
        goto out;
    }
    rc = notify_format_email(PQgetvalue(r, row, COL_SEVERITY), PQgetvalue(r, row, COL_EVENTS),
                             &subject, &body);
    if (rc != MUE_OK) {
        snprintf(err, errcap, "the notification's events cannot be read");
        goto out;
    }
    memset(&m, 0, sizeof(m));
    m.server = cfg->smtp_server;
    m.helo = cfg->smtp_helo;
    m.from = cfg->smtp_from;
    m.to = to;
    m.nto = (size_t)nto;
    m.subject = subject;
    m.body = body;
    m.timeout_ms = cfg->timeout_ms;
    rc = smtp_send(&m, err, errcap, permanent);
out:
    free(targets);
    free(subject);
    free(body);
    return rc;
}

/* Sends claimed row 'row'. Returns 0 (err may name refused recipients) or a negative code. */
static int deliver(const struct notify_cfg *cfg, const PGresult *r, int row, int kind, char *err,
                   size_t errcap, bool *permanent)
{
    char *body;
    int rc;

    if (kind == KIND_EMAIL)
        return send_email(cfg, r, row, err, errcap, permanent);
    body = webhook_body(PQgetvalue(r, row, COL_CHANNEL), PQgetvalue(r, row, COL_GROUP),
                        PQgetvalue(r, row, COL_SEVERITY), PQgetvalue(r, row, COL_EVENTS));
    rc = webhook_post(PQgetvalue(r, row, COL_TARGET), PQgetvalue(r, row, COL_SECRET), body,
                      strlen(body), cfg->timeout_ms, err, errcap, permanent);
    free(body);
    return rc;
}

/* Marks the outcome of one send. Returns 0, or MUE_EDB. A lease that another instance took over
 * (this one was slower than the lease) is logged and left alone. */
static int mark(struct mue_db *db, const struct notify_cfg *cfg, const PGresult *r, int row, int rc,
                bool final, const char *err)
{
    char backoff[32];
    const char *id = PQgetvalue(r, row, COL_ID);
    const char *params[6] = { id,
                              PQgetvalue(r, row, COL_LEASE),
                              rc == MUE_OK ? "sent" : "failed",
                              err[0] != '\0' ? err : NULL,
                              PQgetvalue(r, row, COL_SEVERITY),
                              PQgetvalue(r, row, COL_NEVENTS) };
    PGresult *res = NULL;
    bool kept;
    int n;

    snprintf(backoff, sizeof(backoff), "%.3f",
             cfg->backoff_ms > 0 ? (double)cfg->backoff_ms / 1000.0 : 30.0);

    if (rc != MUE_OK && !final) {
        params[2] = err;
        params[3] = backoff;
        n = mue_db_query(db, "notify retry", &res, retry_sql, 4, params);
        kept = n == 1;
    } else {
        n = mue_db_query(db, "notify finish", &res, finish_sql, 6, params);
        kept = n == 1 && strcmp(PQgetvalue(res, 0, 0), "1") == 0;
        if (kept && strcmp(PQgetvalue(res, 0, 1), "0") != 0)
            mue_log_info("notify.regrouped", "id=%s group=%s", id, PQgetvalue(r, row, COL_GROUP));
    }
    PQclear(res);
    if (n < 0)
        return MUE_EDB;
    if (!kept)
        mue_log_warn("notify.lease_lost", "id=%s group=%s", id, PQgetvalue(r, row, COL_GROUP));
    return MUE_OK;
}

/* How long a claimed batch may take: per send, a webhook's connect (10 s), answer and stalled
 * body (30 s), or an SMTP session of a few steps each bounded by the timeout. */
static double lease_seconds(const struct notify_cfg *cfg)
{
    double t = (double)(cfg->timeout_ms > 0 ? cfg->timeout_ms : 30000) / 1000.0;
    return 60.0 + CLAIM_BATCH * (45.0 + 8.0 * t);
}

/* Sends one claimed row and marks it. Returns 1 when sent, 0 when not, or MUE_EDB. */
static int send_one(struct mue_db *db, const struct notify_cfg *cfg, const PGresult *r, int row)
{
    const char *kind_text = PQgetvalue(r, row, COL_KIND);
    int kind = strcmp(kind_text, "email") == 0 ? KIND_EMAIL : KIND_WEBHOOK;
    int attempt = atoi(PQgetvalue(r, row, COL_ATTEMPTS)) + 1;
    int max = cfg->max_attempts > 0 ? cfg->max_attempts : 1;
    char err[ERR_MAX], q_channel[160], q_err[ERR_MAX + 64];
    bool permanent = false, final;
    int rc;

    err[0] = '\0';
    rc = deliver(cfg, r, row, kind, err, sizeof(err), &permanent);
    final = rc == MUE_OK || permanent || attempt >= max;
    mue_log_quote(q_channel, sizeof(q_channel), PQgetvalue(r, row, COL_CHANNEL));
    mue_log_quote(q_err, sizeof(q_err), err);
    if (rc == MUE_OK) {
        mue_metric_inc(m_notifications[kind][OUT_SENT]);
        if (err[0] != '\0')
            mue_log_warn("notify.sent",
                         "channel=\"%s\" kind=%s group=%s severity=%s events=%s attempt=%d "
                         "refused=\"%s\"",
                         q_channel, kind_text, PQgetvalue(r, row, COL_GROUP),
                         PQgetvalue(r, row, COL_SEVERITY), PQgetvalue(r, row, COL_NEVENTS), attempt,
                         q_err);
        else
            mue_log_info(
                "notify.sent", "channel=\"%s\" kind=%s group=%s severity=%s events=%s attempt=%d",
                q_channel, kind_text, PQgetvalue(r, row, COL_GROUP),
                PQgetvalue(r, row, COL_SEVERITY), PQgetvalue(r, row, COL_NEVENTS), attempt);
    } else {
        mue_metric_inc(m_notifications[kind][final ? OUT_FAILED : OUT_RETRY]);
        MUE_LOG_AT(final ? MUE_LOG_ERROR : MUE_LOG_WARN, "notify.failed",
                   "channel=\"%s\" kind=%s group=%s events=%s attempt=%d final=%s permanent=%s "
                   "err=\"%s\"",
                   q_channel, kind_text, PQgetvalue(r, row, COL_GROUP),
                   PQgetvalue(r, row, COL_NEVENTS), attempt, final ? "true" : "false",
                   permanent ? "true" : "false", q_err);
    }
    if (mark(db, cfg, r, row, rc, final, err) != MUE_OK)
        return MUE_EDB;
    return rc == MUE_OK ? 1 : 0;
}

int notify_run(struct mue_db *db, const struct notify_cfg *cfg)
{
    char batch[16], lease[32];
    const char *params[2] = { batch, lease };
    int sent = 0;

    pthread_once(&metrics_once, metrics_register);
    snprintf(batch, sizeof(batch), "%d", CLAIM_BATCH);
    snprintf(lease, sizeof(lease), "%.0f", lease_seconds(cfg));
    for (int claim = 0; claim < CLAIMS_MAX; claim++) {
        PGresult *r = NULL;
        int n = mue_db_query(db, "notify claim", &r, claim_sql, 2, params);

        if (n < 0)
            return MUE_EDB;
        for (int i = 0; i < n; i++) {
            int rc = send_one(db, cfg, r, i);
            if (rc < 0) {
                /* The rows not yet sent come back when their lease ends. */
                PQclear(r);
                return MUE_EDB;
            }
            sent += rc;
        }
        PQclear(r);
        /* Until a claim finds nothing: rows regrouped during this batch may be due already. */
        if (n == 0)
            break;
    }
    return sent;
}
