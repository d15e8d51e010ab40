/* h_live.c - live updates: the new measurements of a use case or of one device as Server-Sent
 * Events, straight from the normalizer's batches on core NATS (mue.measure.<use_case>.<id>), and
 * for keyed callers who may read alerts, the alert engine's events (mue.alert.<use_case>.*);
 * or, with ?alerts=only, the alert events alone of every use case the caller may see (one stream
 * for a supervisor's inbox).
 *
 * The database is asked once, at the start (does the caller see it, which device ids), then
 * given back to the pool: a stream lasts minutes and the pool is small. A partner's use-case
 * stream is filtered to the ids it saw then; other callers get every batch of the use case (the
 * normalizer publishes only for active, registered devices).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <civetweb.h>

#include "h_live.h"
#include "handlers.h"
#include "http.h"
#include "mue_bus.h"
#include "mue_err.h"
#include "mue_log.h"
#include "mue_signal.h"
#include "mue_subjects.h"
#include "mue_time.h"
#include "query.h"

/* Each stream holds a server thread for its whole life: keep some for everyone else. */
#define LIVE_MAX_STREAMS 64
/* A comment this often keeps proxies from closing a quiet stream, and finds clients gone. */
#define LIVE_KEEPALIVE_MS 15000
/* How long one wait on the bus lasts: the loop checks for SIGTERM and alerts between waits. */
#define LIVE_WAIT_MS 250

static atomic_int live_streams;

/* ---- the event text ---- */

/* "event: NAME\ndata: DATA\n\n" with DATA as one line of JSON, or NULL; takes 'data'. */
static char *sse_text(const char *name, json_t *data)
{
    char *json =
        data ? json_dumps(data, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(15)) : NULL;
    char *text = NULL;
    size_t len;

    json_decref(data);
    if (json == NULL)
        return NULL;
    len = strlen(json) + strlen(name) + sizeof("event: \ndata: \n\n");
    text = malloc(len);
    if (text != NULL)
        snprintf(text, len, "event: %s\ndata: %s\n\n", name, json);
    free(json);
    return text;
}

char *live_event(const Mue__V1__MeasurementBatch *b, const char *dev_eui)
{
    json_t *values, *data;
    int64_t newest = INT64_MIN;
    char when[40];

    if (b->n_measurements == 0)
        return NULL;
    values = json_object();
    for (size_t i = 0; i < b->n_measurements; i++) {
        const Mue__V1__Measurement *m = b->measurements[i];
        bool newer = true;

        if (m->time_us > newest)
            newest = m->time_us;
        if (!isfinite(m->value) || m->quantity == NULL || m->quantity[0] == '\0')
            continue;
        /* A quantity read at several times (a SenML pack): the newest reading stands. */
        for (size_t j = 0; j < b->n_measurements; j++)
            if (j != i && strcmp(b->measurements[j]->quantity, m->quantity) == 0 &&
                isfinite(b->measurements[j]->value) &&
                (b->measurements[j]->time_us > m->time_us ||
                 (b->measurements[j]->time_us == m->time_us && j > i)))
                newer = false;
        if (newer)
            json_object_set_new(values, m->quantity, json_real(m->value));
    }
    mue_time_format(newest, when, sizeof(when));
    data = json_pack("{s:s, s:s, s:s, s:o}", "dev_eui", dev_eui ? dev_eui : b->dev_eui, "use_case",
                     b->use_case, "time", when, "values", values);
    return sse_text("measurement", data);
}

static const char *alert_state_name(Mue__V1__AlertState s)
{
    switch (s) {
    case MUE__V1__ALERT_STATE__ALERT_STATE_ACKNOWLEDGED:
        return "acknowledged";
    case MUE__V1__ALERT_STATE__ALERT_STATE_RESOLVED:
        return "resolved";
    default:
        return "open";
    }
}

static const char *severity_name(Mue__V1__Severity s)
{
    switch (s) {
    case MUE__V1__SEVERITY__SEVERITY_CRITICAL:
        return "critical";
    case MUE__V1__SEVERITY__SEVERITY_INFO:
        return "info";
    default:
        return "warning";
    }
}

char *live_alert_event(const Mue__V1__Alert *a)
{
    char when[40];
    json_t *data;

    if (a->event == NULL || a->event[0] == '\0')
        return NULL;
    mue_time_format(a->time_us, when, sizeof(when));
    data =
        json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:s}", "alert_id",
                  (json_int_t)a->alert_id, "event", a->event, "state", alert_state_name(a->state),
                  "severity", severity_name(a->severity), "use_case",
                  a->use_case ? a->use_case : "", "dev_eui", a->dev_eui ? a->dev_eui : "", "rule",
                  a->rule_name ? a->rule_name : "", "message", a->message ? a->message : "",
                  "value", isfinite(a->value) ? json_real(a->value) : json_null(), "time", when,
                  "actor", a->actor ? a->actor : "", "comment", a->comment ? a->comment : "");
    return sse_text("alert", data);
}

/* ---- what the caller may follow ---- */

struct live_target {
    char subject[160];
    char alerts[160];  /* the alert events' subject, "" when the caller may not read alerts */
    int64_t device_id; /* one device's stream: its id; else 0 */
    char eui[17];      /* one device's stream: its DevEUI; else "" */
    int64_t *ids;      /* a partner's use-case stream: the ids it may see, sorted; else NULL */
    size_t n_ids;
    bool alerts_only;    /* ?alerts=only: 'subject' is the alerts' */
    char use_cases[256]; /* alerts only: ",waste,water," the use cases it may see; "" all */
};

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

static bool target_allows(const struct live_target *t, int64_t id)
{
    return t->ids == NULL || bsearch(&id, t->ids, t->n_ids, sizeof(id), cmp_id) != NULL;
}

/* Keeps the device ids of 'res' (its first column), sorted, as the only ones the stream may
 * carry. Returns 0, or the status sent. */
static int keep_ids(struct api_req *r, PGresult *res, struct live_target *t)
{
    int n = PQntuples(res);

    t->ids = malloc((size_t)(n > 0 ? n : 1) * sizeof(*t->ids));
    if (t->ids == NULL)
        return api_error(r, 500, "internal", "out of memory");
    for (int i = 0; i < n; i++)
        t->ids[i] = strtoll(PQgetvalue(res, i, 0), NULL, 10);
    t->n_ids = (size_t)n;
    qsort(t->ids, t->n_ids, sizeof(*t->ids), cmp_id);
    return 0;
}

/* Alerts go to those who may read them (GET /v1/alerts): not the public, and a lighting
 * operator only for lighting. */
static void alerts_subject(const struct api_req *r, struct live_target *t, const char *uc)
{
    t->alerts[0] = '\0';
    if (r->who.role == API_PUBLIC || (r->who.role == API_OPERATOR && strcmp(uc, "lighting") != 0))
        return;
    snprintf(t->alerts, sizeof(t->alerts), "mue.alert.%s.*", uc);
}

/* One device within the caller's scope. Returns 0, or the status sent. */
static int find_device(struct api_req *r, const char *eui, struct live_target *t)
{
    static const char sql[] = "SELECT d.id, d.use_case FROM device d WHERE d.active"
                              " AND ($1::text[] IS NULL OR d.use_case = ANY($1::text[]))"
                              " AND ($2::text[] IS NULL OR d.dev_eui = ANY($2::text[]))"
                              " AND d.dev_eui = $3";
    const char *params[3] = { api_scope_use_cases(r), api_scope_devices(r), eui };
    PGresult *res = api_sql(r, "live device", sql, 3, params);

    if (res == NULL)
        return 500;
    if (PQntuples(res) == 0) {
        PQclear(res);
        return api_error(r, 404, "not_found", "no device %s", eui);
    }
    t->device_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    snprintf(t->subject, sizeof(t->subject), MUE_SUBJ_MEASURE_FMT, PQgetvalue(res, 0, 1),
             (long long)t->device_id);
    alerts_subject(r, t, PQgetvalue(res, 0, 1));
    memcpy(t->eui, eui, sizeof(t->eui));
    PQclear(res);
    return 0;
}

/* A use case within the caller's scope; for a partner, its devices in it. Returns 0, or the
 * status sent. */
static int find_use_case(struct api_req *r, const char *uc, struct live_target *t)
{
    static const char uc_sql[] =
        "SELECT 1 FROM use_case WHERE id = $2 AND ($1::text[] IS NULL OR id = ANY($1::text[]))";
    static const char ids_sql[] = "SELECT d.id FROM device d WHERE d.active AND d.use_case = $1"
                                  " AND d.dev_eui = ANY($2::text[])";
    const char *params[2] = { api_scope_use_cases(r), uc };
    const char *partner[2] = { uc, api_scope_devices(r) };
    PGresult *res;
    int n;

    if (partner[1] != NULL)
        res = api_sql(r, "live partner devices", ids_sql, 2, partner);
    else
        res = api_sql(r, "live use case", uc_sql, 2, params);
    if (res == NULL)
        return 500;
    n = PQntuples(res);
    if (n == 0) {
        PQclear(res);
        return api_error(r, 404, "not_found", "no use case %s", uc);
    }
    if (partner[1] != NULL && (n = keep_ids(r, res, t)) != 0) {
        PQclear(res);
        return n;
    }
    PQclear(res);
    snprintf(t->subject, sizeof(t->subject), "mue.measure.%s.*", uc);
    alerts_subject(r, t, uc);
    return 0;
}

/* ?alerts=only: the alert events of every use case the caller may read alerts of, as GET
 * /v1/alerts would list them. Returns 0, or the status sent. */
static int find_alert_scope(struct api_req *r, struct live_target *t)
{
    static const char uc_sql[] = "SELECT id FROM use_case WHERE ($1::text[] IS NULL"
                                 " OR id = ANY($1::text[])) ORDER BY id";
    static const char ids_sql[] = "SELECT d.id FROM device d WHERE d.active"
                                  " AND d.dev_eui = ANY($1::text[])";
    const char *scope[1] = { api_scope_use_cases(r) };
    const char *partner[1] = { api_scope_devices(r) };
    PGresult *res;
    size_t used = 0;
    int n;

    if (r->who.role == API_PUBLIC)
        return api_error(r, 401, "key_required",
                         "alerts=only needs an API key that may read alerts");
    t->alerts_only = true;
    if (r->who.role == API_OPERATOR) {
        snprintf(t->subject, sizeof(t->subject), "mue.alert.lighting.*");
        return 0;
    }
    snprintf(t->subject, sizeof(t->subject), "mue.alert.>");
    if (partner[0] != NULL) {
        if ((res = api_sql(r, "live alerts partner", ids_sql, 1, partner)) == NULL)
            return 500;
        n = keep_ids(r, res, t);
        PQclear(res);
        return n;
    }
    if (scope[0] == NULL)
        return 0; /* an admin: every use case */
    if ((res = api_sql(r, "live alerts use cases", uc_sql, 1, scope)) == NULL)
        return 500;
    t->use_cases[used++] = ',';
    for (int i = 0; i < PQntuples(res); i++) {
        const char *id = PQgetvalue(res, i, 0);
        size_t len = strlen(id);

        if (used + len + 2 > sizeof(t->use_cases))
            break;
        memcpy(t->use_cases + used, id, len);
        used += len;
        t->use_cases[used++] = ',';
    }
    t->use_cases[used] = '\0';
    PQclear(res);
    return 0;
}

/* Reads ?use_case= or ?dev_eui= (exactly one) and checks the caller may follow it. Returns 0,
 * or the status sent. */
static int find_target(struct api_req *r, struct live_target *t)
{
    char uc[64], eui_in[64], eui[17], alerts[16];
    int has_uc = api_query(r, "use_case", uc, sizeof(uc));
    int has_eui = api_query(r, "dev_eui", eui_in, sizeof(eui_in));
    int has_alerts = api_query(r, "alerts", alerts, sizeof(alerts));
    int rc;

    if (has_alerts != 0) {
        if (has_alerts < 0 || strcmp(alerts, "only") != 0)
            return api_error(r, 400, "bad_parameter", "alerts: the only value is \"only\"");
        if (has_uc + has_eui != 0)
            return api_error(r, 400, "bad_parameter",
                             "alerts=only follows every use case: no use_case nor dev_eui");
        return find_alert_scope(r, t);
    }

    if (has_uc < 0 || (has_uc == 1 && !query_use_case_is_valid(uc)))
        return api_error(r, 400, "bad_parameter",
                         "use_case must be a use case's id (a-z, 0-9, _; at most 32)");
    if (has_eui < 0)
        return api_error(r, 400, "bad_parameter", "dev_eui: a DevEUI is 16 hexadecimal digits");
    if (has_uc + has_eui != 1)
        return api_error(r, 400, "bad_parameter",
                         "give exactly one of use_case and dev_eui (the stream to follow)");
    if (has_eui == 1) {
        if ((rc = api_dev_eui(r, eui_in, eui)) != 0)
            return rc;
        return find_device(r, eui, t);
    }
    return find_use_case(r, uc, t);
}

/* ---- the stream ---- */

static void send_headers(struct api_req *r)
{
    mg_response_header_start(r->conn, 200);
    mg_response_header_add(r->conn, "Content-Type", "text/event-stream", -1);
    mg_response_header_add(r->conn, "Transfer-Encoding", "chunked", -1);
    mg_response_header_add(r->conn, "Cache-Control", "no-store", -1);
    /* nginx would otherwise hold events back to fill its buffers. */
    mg_response_header_add(r->conn, "X-Accel-Buffering", "no", -1);
    http_common_headers(r->conn);
    mg_response_header_send(r->conn);
    r->streaming = true;
}

/* One message of the bus as an event, when the stream wants it. Returns 0, or -1 when the client
 * went away. */
static int forward(struct api_req *r, const struct live_target *t, natsMsg *msg)
{
    Mue__V1__MeasurementBatch *b =
        mue__v1__measurement_batch__unpack(NULL, mue_bus_msg_len(msg), mue_bus_msg_data(msg));
    char *text;
    int rc = 0;

    if (b == NULL) {
        mue_log_warn("api.live_bad_batch", "subject=%s len=%zu", mue_bus_msg_subject(msg),
                     mue_bus_msg_len(msg));
        return 0;
    }
    if (target_allows(t, b->device_id) &&
        (text = live_event(b, t->eui[0] ? t->eui : NULL)) != NULL) {
        rc = api_stream_write(r, text, strlen(text));
        free(text);
    }
    mue__v1__measurement_batch__free_unpacked(b, NULL);
    return rc;
}

static bool use_case_allowed(const struct live_target *t, const char *uc)
{
    char token[64];

    if (t->use_cases[0] == '\0')
        return true;
    snprintf(token, sizeof(token), ",%s,", uc ? uc : "");
    return strstr(t->use_cases, token) != NULL;
}

/* One alert event, when the stream wants it. Returns 0, or -1 when the client went away. */
static int forward_alert(struct api_req *r, const struct live_target *t, natsMsg *msg)
{
    Mue__V1__Alert *a = mue__v1__alert__unpack(NULL, mue_bus_msg_len(msg), mue_bus_msg_data(msg));
    char *text;
    int rc = 0;

    if (a == NULL) {
        mue_log_warn("api.live_bad_alert", "subject=%s len=%zu", mue_bus_msg_subject(msg),
                     mue_bus_msg_len(msg));
        return 0;
    }
    if (target_allows(t, a->device_id) && (t->device_id == 0 || t->device_id == a->device_id) &&
        use_case_allowed(t, a->use_case) && (text = live_alert_event(a)) != NULL) {
        rc = api_stream_write(r, text, strlen(text));
        free(text);
    }
    mue__v1__alert__free_unpacked(a, NULL);
    return rc;
}

/* Forwards the bus to the client until it goes away, the bus fails or the service stops. */
static void pump(struct api_req *r, const struct live_target *t, struct mue_bus_sub *sub,
                 struct mue_bus_sub *alerts)
{
    int64_t last_write = mue_time_mono_ms();
    natsMsg *msg;
    int n;

    /* A first comment: the client knows the stream is open (and the subscription is made). */
    if (api_stream_write(r, ":\n\n", 3) < 0)
        return;
    while (!mue_signal_stopping()) {
        n = mue_bus_sub_next(sub, LIVE_WAIT_MS, &msg);
        if (n < 0)
            return;
        if (n == 1) {
            int gone = t->alerts_only ? forward_alert(r, t, msg) : forward(r, t, msg);

            natsMsg_Destroy(msg);
            if (gone < 0)
                return;
            last_write = mue_time_mono_ms();
        }
        /* Alerts are rare: taken between the waits on the measurements. */
        while (alerts != NULL && mue_bus_sub_next(alerts, 0, &msg) == 1) {
            int gone = forward_alert(r, t, msg);

            natsMsg_Destroy(msg);
            if (gone < 0)
                return;
            last_write = mue_time_mono_ms();
        }
        if (mue_time_mono_ms() - last_write >= LIVE_KEEPALIVE_MS) {
            if (api_stream_write(r, ":\n\n", 3) < 0)
                return;
            last_write = mue_time_mono_ms();
        }
    }
}

int h_live(struct api_req *r)
{
    struct live_target t;
    struct mue_bus_sub *sub = NULL, *alerts = NULL;
    struct mue_bus *bus;
    int rc;

    memset(&t, 0, sizeof(t));
    if ((rc = find_target(r, &t)) != 0)
        return rc;
    bus = api_bus();
    if (bus == NULL) {
        free(t.ids);
        return api_error(r, 503, "bus_unavailable", "live updates are off: the bus is down");
    }
    api_release_db(r);
    if (atomic_fetch_add(&live_streams, 1) >= LIVE_MAX_STREAMS) {
        atomic_fetch_sub(&live_streams, 1);
        free(t.ids);
        return api_error(r, 503, "too_many_streams",
                         "%d live streams are open already; retry later", LIVE_MAX_STREAMS);
    }
    if (mue_bus_subscribe(&sub, bus, t.subject) < 0 ||
        (t.alerts[0] != '\0' && mue_bus_subscribe(&alerts, bus, t.alerts) < 0)) {
        rc = api_error(r, 503, "bus_unavailable", "live updates are off: the bus is down");
        goto out;
    }
    send_headers(r);
    mue_log_info("api.live_open", "subject=%s key=\"%s\"", t.subject, r->who.name);
    if (strcmp(r->method, "HEAD") != 0)
        pump(r, &t, sub, alerts);
    mue_log_info("api.live_closed", "subject=%s key=\"%s\"", t.subject, r->who.name);
    rc = api_stream_end(r);
out:
    mue_bus_sub_close(alerts);
    mue_bus_sub_close(sub);
    atomic_fetch_sub(&live_streams, 1);
    free(t.ids);
    return rc;
}
