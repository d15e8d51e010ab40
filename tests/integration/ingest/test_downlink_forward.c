/* test_downlink_forward.c - the downlink forwarder against a real nats-server and two fake network
 * servers in this process (civetweb on loopback, standing for ChirpStack's REST API and The Things
 * Stack): bodies, statuses, references, and the retry rules their failures drive.
 * SPDX-License-Identifier: MIT */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <civetweb.h>
#include <jansson.h>

#include "downlink.h"
#include "downlink_forward.h"
#include "downlink_ledger.h"
#include "mue/v1/downlink.pb-c.h"
#include "mue_bus.h"
#include "mue_err.h"
#include "mue_http_client.h"
#include "mue_kv.h"
#include "mue_metrics.h"
#include "mue_subjects.h"
#include "mue_time.h"
#include "../../unit/mue_test.h"
#include "../c/server_test.h"

/* --- the fake network servers */

#define FAKE_MAX_REQUESTS 32
#define FAKE_MAX_SCRIPT   16
#define FAKE_MAX_QUEUE    32

/* What the fake answers to one POST; past the script's end it answers 200 with a new queue item
 * id, as the real APIs do. A POST answered 2xx puts the downlink in the device's queue. */
struct step {
    int status;
    const char *body;        /* NULL: {"id": <new uuid>} */
    long delay_ms;           /* sleeps first: longer than the timeout, the forwarder gives up */
    const char *retry_after; /* a Retry-After header, or NULL */
    int queues;              /* a failure that queued the downlink all the same (a lost answer) */
};

struct recorded {
    char method[8];
    char path[256];
    char auth[128];
    char ctype[64];
    char body[1024];
};

/* One queue item: the device named in the path, and the item as the listing shows it. */
struct item {
    char device[48];
    char json[640];
};

struct fake {
    const char *name;
    struct mg_context *ctx;
    int port;
    pthread_mutex_t lock;
    struct step script[FAKE_MAX_SCRIPT];
    int nscript, next;
    struct recorded got[FAKE_MAX_REQUESTS]; /* the POSTs */
    int ngot;
    int ngets;         /* the queue listings read */
    int list_failures; /* the next this many listings answer 503 */
    struct item queue[FAKE_MAX_QUEUE];
    int nqueue;
    int uuids;
    char last_uuid[64];
};

static struct fake cs = { .name = "chirpstack" }, tts = { .name = "tts" };

static void fake_script(struct fake *f, const struct step *steps, int n)
{
    pthread_mutex_lock(&f->lock);
    if (n > 0)
        memcpy(f->script, steps, (size_t)n * sizeof(*steps));
    f->nscript = n;
    f->next = 0;
    f->ngot = 0;
    f->ngets = 0;
    f->list_failures = 0;
    f->nqueue = 0;
    f->last_uuid[0] = '\0';
    pthread_mutex_unlock(&f->lock);
}

/* How many POSTs (calls that queue) came since the last fake_script. */
static int fake_count(struct fake *f)
{
    int n;
    pthread_mutex_lock(&f->lock);
    n = f->ngot;
    pthread_mutex_unlock(&f->lock);
    return n;
}

static int fake_gets(struct fake *f)
{
    int n;
    pthread_mutex_lock(&f->lock);
    n = f->ngets;
    pthread_mutex_unlock(&f->lock);
    return n;
}

/* How many items the queue of 'device' holds. */
static int fake_queued(struct fake *f, const char *device)
{
    int n = 0;
    pthread_mutex_lock(&f->lock);
    for (int i = 0; i < f->nqueue; i++)
        n += strcmp(f->queue[i].device, device) == 0;
    pthread_mutex_unlock(&f->lock);
    return n;
}

/* Puts an item in a queue as if a call had queued it: 'json' is the item as listed. */
static void fake_seed(struct fake *f, const char *device, const char *json)
{
    pthread_mutex_lock(&f->lock);
    if (f->nqueue < FAKE_MAX_QUEUE) {
        snprintf(f->queue[f->nqueue].device, sizeof(f->queue[0].device), "%s", device);
        snprintf(f->queue[f->nqueue].json, sizeof(f->queue[0].json), "%s", json);
        f->nqueue++;
    }
    pthread_mutex_unlock(&f->lock);
}

/* The device a path names, and whether it is ChirpStack's queue (else TTS's). */
static int path_device(const char *path, char device[48], int *chirpstack)
{
    char tail[32];

    if (sscanf(path, "/api/devices/%47[^/]/%31s", device, tail) == 2 &&
        strcmp(tail, "queue") == 0) {
        *chirpstack = 1;
        return 0;
    }
    if (sscanf(path, "/api/v3/as/applications/%*[^/]/webhooks/%*[^/]/devices/%47[^/]/%31s", device,
               tail) == 2 ||
        sscanf(path, "/api/v3/as/applications/%*[^/]/devices/%47[^/]/%31s", device, tail) == 2) {
        *chirpstack = 0;
        return 0;
    }
    return -1;
}

/* The item a POST queues, as the listing will show it (f->lock held). */
static void enqueue(struct fake *f, const struct recorded *r, const char *uuid)
{
    char device[48];
    json_t *doc = json_loads(r->body, 0, NULL), *item = NULL;
    char *text = NULL;
    int chirpstack = 0;

    if (doc == NULL || path_device(r->path, device, &chirpstack) < 0 ||
        f->nqueue >= FAKE_MAX_QUEUE) {
        json_decref(doc);
        return;
    }
    if (chirpstack) {
        item = json_deep_copy(json_object_get(doc, "queueItem"));
        json_object_set_new(item, "id", json_string(uuid));
        json_object_set_new(item, "isPending", json_false());
    } else {
        item = json_deep_copy(json_array_get(json_object_get(doc, "downlinks"), 0));
        json_object_set_new(item, "session_key_id", json_string("AXBSH1Pk6Z0G166nB4C7+A=="));
    }
    text = item != NULL ? json_dumps(item, JSON_COMPACT) : NULL;
    if (text != NULL) {
        snprintf(f->queue[f->nqueue].device, sizeof(f->queue[0].device), "%s", device);
        snprintf(f->queue[f->nqueue].json, sizeof(f->queue[0].json), "%s", text);
        f->nqueue++;
    }
    free(text);
    json_decref(item);
    json_decref(doc);
}

static void reply(struct mg_connection *conn, int status, const char *body, const char *retry_after)
{
    char clen[24];

    snprintf(clen, sizeof(clen), "%zu", strlen(body));
    mg_response_header_start(conn, status);
    mg_response_header_add(conn, "Content-Type", "application/json", -1);
    mg_response_header_add(conn, "Content-Length", clen, -1);
    if (retry_after != NULL)
        mg_response_header_add(conn, "Retry-After", retry_after, -1);
    mg_response_header_send(conn);
    mg_write(conn, body, strlen(body));
}

/* GET: the device's queue, in each API's shape ({} parts left out as the real ones do not). */
static int fake_list(struct fake *f, struct mg_connection *conn, const char *path)
{
    char device[48], body[8192];
    size_t used = 0;
    int chirpstack = 0, n = 0, failing;

    if (path_device(path, device, &chirpstack) < 0) {
        reply(conn, 404, "{\"code\":5,\"message\":\"not found\"}", NULL);
        return 404;
    }
    pthread_mutex_lock(&f->lock);
    f->ngets++;
    failing = f->list_failures > 0;
    if (failing)
        f->list_failures--;
    used = (size_t)snprintf(body, sizeof(body), chirpstack ? "{\"result\":[" : "{\"downlinks\":[");
    for (int i = 0; i < f->nqueue; i++) {
        if (strcmp(f->queue[i].device, device) != 0)
            continue;
        used += (size_t)snprintf(body + used, sizeof(body) - used, "%s%s", n++ ? "," : "",
                                 f->queue[i].json);
    }
    if (chirpstack)
        snprintf(body + used, sizeof(body) - used, "],\"totalCount\":%d}", n);
    else
        snprintf(body + used, sizeof(body) - used, "]}");
    pthread_mutex_unlock(&f->lock);
    if (failing) {
        reply(conn, 503, "{\"code\":14,\"message\":\"listing unavailable\"}", NULL);
        return 503;
    }
    reply(conn, 200, body, NULL);
    return 200;
}

static int fake_handle(struct mg_connection *conn, void *cbdata)
{
    struct fake *f = cbdata;
    const struct mg_request_info *ri = mg_get_request_info(conn);
    const char *auth = mg_get_header(conn, "Authorization");
    const char *ctype = mg_get_header(conn, "Content-Type");
    struct step s = { 200, NULL, 0, NULL, 0 };
    struct recorded r;
    char body[1200], uuid[64];
    int n = 0, got;

    if (strcmp(ri->request_method, "GET") == 0)
        return fake_list(f, conn, ri->local_uri);
    memset(&r, 0, sizeof(r));
    while (n < (int)sizeof(r.body) - 1 &&
           (got = mg_read(conn, r.body + n, sizeof(r.body) - 1 - (size_t)n)) > 0)
        n += got;
    snprintf(r.method, sizeof(r.method), "%s", ri->request_method);
    snprintf(r.path, sizeof(r.path), "%s", ri->local_uri);
    snprintf(r.auth, sizeof(r.auth), "%s", auth ? auth : "");
    snprintf(r.ctype, sizeof(r.ctype), "%s", ctype ? ctype : "");
    pthread_mutex_lock(&f->lock);
    if (f->ngot < FAKE_MAX_REQUESTS)
        f->got[f->ngot++] = r;
    if (f->next < f->nscript)
        s = f->script[f->next++];
    snprintf(uuid, sizeof(uuid), "0b7c1e4a-%04x-4000-8000-%012d", f->port & 0xffff, ++f->uuids);
    /* Queued before the answer is sent, as the real ones do: an answer lost or late leaves it
     * queued all the same. */
    if ((s.status >= 200 && s.status <= 299) || s.queues) {
        enqueue(f, &r, uuid);
        snprintf(f->last_uuid, sizeof(f->last_uuid), "%s", uuid);
    }
    if (s.body == NULL)
        snprintf(body, sizeof(body), "{\"id\":\"%s\"}", uuid);
    else
        snprintf(body, sizeof(body), "%s", s.body);
    pthread_mutex_unlock(&f->lock);
    if (s.delay_ms > 0) {
        struct timespec ts = { s.delay_ms / 1000, (s.delay_ms % 1000) * 1000000L };
        nanosleep(&ts, NULL);
    }
    reply(conn, s.status, body, s.retry_after);
    return s.status;
}

static int fake_start(struct fake *f)
{
    char listen[32];
    const char *options[] = { "listening_ports", listen, "num_threads", "4", NULL };
    struct mg_callbacks cb;
    int fd;

    pthread_mutex_init(&f->lock, NULL);
    f->port = loopback_port(0, &fd);
    snprintf(listen, sizeof(listen), "127.0.0.1:%d", f->port);
    memset(&cb, 0, sizeof(cb));
    f->ctx = mg_start(&cb, f, options);
    if (f->ctx == NULL)
        return -1;
    mg_set_request_handler(f->ctx, "/", fake_handle, f);
    return 0;
}

/* --- the forwarder under test, its requests and its statuses */

static struct mue_bus *bus;
static struct mue_bus_sub *statuses; /* mue.dlstatus.> */
static struct mue_kv *refs;
static struct downlink_forward *fwd;
static struct downlink_config cfg;
static char run_id[48], stream[32], subjects[96], durable[96], filter[96];
static char cs_url[64], tts_url[64];
static int seq;

static void config_default(void)
{
    memset(&cfg, 0, sizeof(cfg));
    cfg.chirpstack_api_url = cs_url;
    cfg.chirpstack_api_token = "cs-token";
    cfg.tts_api_url = tts_url;
    cfg.tts_api_key = "NNSXS.TTS-KEY";
    cfg.tts_application_id = "mue-test-app";
    cfg.tts_webhook_id = "mue";
    cfg.timeout_ms = 400;
    cfg.max_attempts = 4;
    cfg.backoff_ms = 50;
    cfg.stream = stream;
    cfg.durable = durable;
    cfg.filter = filter;
}

/* A request of this run: its own id and DevEUI, so statuses of one test never match another's. */
static struct downlink_request request(const char *network)
{
    struct downlink_request rq;

    memset(&rq, 0, sizeof(rq));
    seq++;
    snprintf(rq.id, sizeof(rq.id), "test:%s:%d", run_id, seq);
    snprintf(rq.network, sizeof(rq.network), "%s", network);
    snprintf(rq.dev_eui, sizeof(rq.dev_eui), "7e57%06x%06x", (unsigned)getpid() & 0xffffff,
             (unsigned)seq & 0xffffff);
    rq.f_port = 15;
    rq.payload[0] = 0xbe;
    rq.payload[1] = 0xef;
    rq.payload_len = 2;
    rq.confirmed = true;
    rq.requested_at_us = mue_time_now_us();
    snprintf(rq.origin, sizeof(rq.origin), "test");
    return rq;
}

static void send_bytes(const char *network, const char *dev_eui, const void *data, size_t len,
                       const char *msg_id)
{
    char subject[160];

    snprintf(subject, sizeof(subject), "test.%s.downlink.%s.%s", run_id, network, dev_eui);
    MUE_ASSERT_INT_EQ(mue_bus_publish(bus, subject, data, len, msg_id, NULL, 5000, NULL), MUE_OK);
}

static void send_request(const struct downlink_request *rq)
{
    size_t len = 0;
    uint8_t *buf = downlink_request_encode(rq, &len);

    send_bytes(rq->network, rq->dev_eui, buf, len, rq->id);
    free(buf);
}

/* Collects the statuses of request 'id', in order, until a final one (QUEUED, FAILED, EXPIRED)
 * or 'timeout_ms'. Returns how many; the caller frees them with free_statuses. */
static int collect(const char *id, Mue__V1__DownlinkStatus **out, int max, long timeout_ms)
{
    long long t0 = mono_ms();
    int n = 0;

    while (n < max && mono_ms() - t0 < timeout_ms) {
        natsMsg *m = NULL;
        Mue__V1__DownlinkStatus *st;
        if (mue_bus_sub_next(statuses, 100, &m) != 1)
            continue;
        st = mue__v1__downlink_status__unpack(NULL, mue_bus_msg_len(m), mue_bus_msg_data(m));
        natsMsg_Destroy(m);
        if (st == NULL || strcmp(st->id, id) != 0) {
            if (st != NULL)
                mue__v1__downlink_status__free_unpacked(st, NULL);
            continue; /* another test's straggler */
        }
        out[n++] = st;
        if (st->state != MUE__V1__DOWNLINK_STATE__DOWNLINK_STATE_RETRYING)
            break;
    }
    return n;
}

static void free_statuses(Mue__V1__DownlinkStatus **st, int n)
{
    for (int i = 0; i < n; i++)
        mue__v1__downlink_status__free_unpacked(st[i], NULL);
}

static void assert_status(const Mue__V1__DownlinkStatus *st, const struct downlink_request *rq,
                          Mue__V1__DownlinkState state, uint32_t attempt)
{
    MUE_ASSERT_STR_EQ(st->id, rq->id);
    MUE_ASSERT_STR_EQ(st->network, rq->network);
    MUE_ASSERT_STR_EQ(st->dev_eui, rq->dev_eui);
    MUE_ASSERT_INT_EQ(st->state, state);
    MUE_ASSERT_UINT_EQ(st->attempt, attempt);
    MUE_ASSERT_STR_EQ(st->source, "forwarder");
    MUE_ASSERT(st->time_us > 0);
}

static void assert_contains(const char *text, const char *part)
{
    if (strstr(text, part) == NULL) {
        char m[600];
        snprintf(m, sizeof(m), "\"%.400s\" does not contain \"%s\"", text, part);
        mue_test_fail(__FILE__, __LINE__, m);
    }
}

#define ST_QUEUED   MUE__V1__DOWNLINK_STATE__DOWNLINK_STATE_QUEUED
#define ST_FAILED   MUE__V1__DOWNLINK_STATE__DOWNLINK_STATE_FAILED
#define ST_EXPIRED  MUE__V1__DOWNLINK_STATE__DOWNLINK_STATE_EXPIRED
#define ST_RETRYING MUE__V1__DOWNLINK_STATE__DOWNLINK_STATE_RETRYING

/* --- the tests */

static void test_a_chirpstack_downlink_is_enqueued_and_reported_queued_with_its_reference(void)
{
    struct downlink_request rq = request("chirpstack");
    Mue__V1__DownlinkStatus *st[8];
    char path[128], uuid[64], key[96], value[128] = "";
    json_t *doc, *item;
    int n;

    fake_script(&cs, NULL, 0);
    send_request(&rq);
    n = collect(rq.id, st, 8, 10000);
    MUE_ASSERT_INT_EQ(n, 1);
    assert_status(st[0], &rq, ST_QUEUED, 1);
    pthread_mutex_lock(&cs.lock);
    snprintf(uuid, sizeof(uuid), "%s", cs.last_uuid);
    pthread_mutex_unlock(&cs.lock);
    MUE_ASSERT_STR_EQ(st[0]->network_ref, uuid);
    MUE_ASSERT_STR_EQ(st[0]->reason, "");
    free_statuses(st, n);
    /* What ChirpStack got. */
    MUE_ASSERT_INT_EQ(fake_count(&cs), 1);
    MUE_ASSERT_STR_EQ(cs.got[0].method, "POST");
    snprintf(path, sizeof(path), "/api/devices/%s/queue", rq.dev_eui);
    MUE_ASSERT_STR_EQ(cs.got[0].path, path);
    MUE_ASSERT_STR_EQ(cs.got[0].auth, "Bearer cs-token");
    MUE_ASSERT_STR_EQ(cs.got[0].ctype, "application/json");
    doc = json_loads(cs.got[0].body, 0, NULL);
    MUE_ASSERT(doc != NULL);
    item = json_object_get(doc, "queueItem");
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(item, "devEui")), rq.dev_eui);
    MUE_ASSERT(json_is_true(json_object_get(item, "confirmed")));
    MUE_ASSERT_INT_EQ(json_integer_value(json_object_get(item, "fPort")), 15);
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(item, "data")), "vu8=");
    json_decref(doc);
    /* ChirpStack's later events name only the queue item: the bucket leads back to the request. */
    snprintf(key, sizeof(key), "chirpstack.%s", uuid);
    MUE_ASSERT_INT_EQ(mue_kv_get(refs, key, value, sizeof(value)), MUE_OK);
    MUE_ASSERT_STR_EQ(value, rq.id);
    mue_kv_delete(refs, key);
}

static void test_a_tts_downlink_is_pushed_under_the_default_application_and_device_ids(void)
{
    struct downlink_request rq = request("tts");
    Mue__V1__DownlinkStatus *st[8];
    char path[200], corr[128];
    json_t *doc, *dl;
    int n;

    fake_script(&tts, (const struct step[]){ { 200, "{}", 0, NULL, 0 } }, 1);
    rq.confirmed = false;
    send_request(&rq);
    n = collect(rq.id, st, 8, 10000);
    MUE_ASSERT_INT_EQ(n, 1);
    assert_status(st[0], &rq, ST_QUEUED, 1);
    MUE_ASSERT_STR_EQ(st[0]->network_ref, "");
    free_statuses(st, n);
    MUE_ASSERT_INT_EQ(fake_count(&tts), 1);
    snprintf(path, sizeof(path),
             "/api/v3/as/applications/mue-test-app/webhooks/mue/devices/eui-%s/down/push",
             rq.dev_eui);
    MUE_ASSERT_STR_EQ(tts.got[0].path, path);
    MUE_ASSERT_STR_EQ(tts.got[0].auth, "Bearer NNSXS.TTS-KEY");
    doc = json_loads(tts.got[0].body, 0, NULL);
    MUE_ASSERT(doc != NULL);
    MUE_ASSERT_UINT_EQ(json_array_size(json_object_get(doc, "downlinks")), 1);
    dl = json_array_get(json_object_get(doc, "downlinks"), 0);
    MUE_ASSERT_INT_EQ(json_integer_value(json_object_get(dl, "f_port")), 15);
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(dl, "frm_payload")), "vu8=");
    MUE_ASSERT(json_is_false(json_object_get(dl, "confirmed")));
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(dl, "priority")), "NORMAL");
    snprintf(corr, sizeof(corr), "mue:dl:%s", rq.id);
    MUE_ASSERT_STR_EQ(json_string_value(json_array_get(json_object_get(dl, "correlation_ids"), 0)),
                      corr);
    json_decref(doc);
}

static void test_a_tts_downlink_goes_to_the_ids_the_request_names(void)
{
    struct downlink_request rq = request("tts");
    Mue__V1__DownlinkStatus *st[8];
    int n;

    snprintf(rq.application_id, sizeof(rq.application_id), "eaux-touloubre");
    snprintf(rq.device_id, sizeof(rq.device_id), "dl-mbx-01");
    fake_script(&tts, (const struct step[]){ { 200, "{}", 0, NULL, 0 } }, 1);
    send_request(&rq);
    n = collect(rq.id, st, 8, 10000);
    MUE_ASSERT_INT_EQ(n, 1);
    assert_status(st[0], &rq, ST_QUEUED, 1);
    free_statuses(st, n);
    MUE_ASSERT_STR_EQ(tts.got[0].path, "/api/v3/as/applications/eaux-touloubre/webhooks/mue/"
                                       "devices/dl-mbx-01/down/push");
}

static void test_5xx_answers_are_retried_with_a_status_each_time_until_queued(void)
{
    static const struct step steps[] = {
        { 500, "{\"code\":13,\"message\":\"database is locked\"}", 0, NULL, 0 },
        { 503, "<html>503</html>", 0, NULL, 0 },
    };
    struct downlink_request rq = request("chirpstack");
    Mue__V1__DownlinkStatus *st[8];
    int n;

    fake_script(&cs, steps, 2);
    send_request(&rq);
    n = collect(rq.id, st, 8, 10000);
    MUE_ASSERT_INT_EQ(n, 3);
    assert_status(st[0], &rq, ST_RETRYING, 1);
    MUE_ASSERT_STR_EQ(st[0]->reason, "HTTP 500: database is locked");
    assert_status(st[1], &rq, ST_RETRYING, 2);
    MUE_ASSERT_STR_EQ(st[1]->reason, "HTTP 503");
    assert_status(st[2], &rq, ST_QUEUED, 3);
    MUE_ASSERT(st[2]->network_ref[0] != '\0');
    free_statuses(st, n);
    MUE_ASSERT_INT_EQ(fake_count(&cs), 3);
    MUE_ASSERT_STR_EQ(cs.got[2].body, cs.got[0].body); /* the same downlink each time */
    /* 500 and 503 come before anything is queued: no need to look at the queue. */
    MUE_ASSERT_INT_EQ(fake_gets(&cs), 0);
    MUE_ASSERT_INT_EQ(fake_queued(&cs, rq.dev_eui), 1);
}

/* The issue asks for retries on timeouts; both APIs make a new queue item per call, so the retry
 * first reads the queue, finds the downlink the late call queued, and sends nothing. */
static void test_a_tts_push_answered_too_late_is_found_in_the_queue_not_sent_again(void)
{
    static const struct step steps[] = { { 200, "{}", 1200, NULL, 0 } };
    struct downlink_request rq = request("tts");
    Mue__V1__DownlinkStatus *st[8];
    char device[32];
    int n;

    fake_script(&tts, steps, 1);
    send_request(&rq);
    n = collect(rq.id, st, 8, 10000);
    MUE_ASSERT_INT_EQ(n, 2);
    assert_status(st[0], &rq, ST_RETRYING, 1);
    assert_contains(st[0]->reason, "no answer within the timeout");
    assert_status(st[1], &rq, ST_QUEUED, 2);
    MUE_ASSERT_STR_EQ(st[1]->network_ref, "");
    free_statuses(st, n);
    usleep(300 * 1000); /* a second push would have come by now */
    MUE_ASSERT_INT_EQ(fake_count(&tts), 1);
    MUE_ASSERT_INT_EQ(fake_gets(&tts), 1);
    snprintf(device, sizeof(device), "eui-%s", rq.dev_eui);
    MUE_ASSERT_INT_EQ(fake_queued(&tts, device), 1);
}

static void test_a_chirpstack_enqueue_answered_too_late_is_found_with_its_queue_item(void)
{
    static const struct step steps[] = { { 200, NULL, 1200, NULL, 0 } };
    struct downlink_request rq = request("chirpstack");
    Mue__V1__DownlinkStatus *st[8];
    char uuid[64], key[96], value[128] = "";
    int n;

    fake_script(&cs, steps, 1);
    send_request(&rq);
    n = collect(rq.id, st, 8, 10000);
    MUE_ASSERT_INT_EQ(n, 2);
    assert_status(st[0], &rq, ST_RETRYING, 1);
    assert_contains(st[0]->reason, "no answer within the timeout");
    assert_status(st[1], &rq, ST_QUEUED, 2);
    pthread_mutex_lock(&cs.lock);
    snprintf(uuid, sizeof(uuid), "%s", cs.last_uuid);
    pthread_mutex_unlock(&cs.lock);
    MUE_ASSERT(uuid[0] != '\0');
    MUE_ASSERT_STR_EQ(st[1]->network_ref, uuid);
    free_statuses(st, n);
    usleep(300 * 1000);
    MUE_ASSERT_INT_EQ(fake_count(&cs), 1);
    MUE_ASSERT_INT_EQ(fake_gets(&cs), 1);
    MUE_ASSERT_INT_EQ(fake_queued(&cs, rq.dev_eui), 1);
    /* Its events are traced back all the same. */
    snprintf(key, sizeof(key), "chirpstack.%s", uuid);
    MUE_ASSERT_INT_EQ(mue_kv_get(refs, key, value, sizeof(value)), MUE_OK);
    MUE_ASSERT_STR_EQ(value, rq.id);
}

/* A proxy's 504 may come after the server queued the downlink; its 502 after it did not. */
static void test_after_a_502_or_504_the_queue_decides_whether_to_call_again(void)
{
    static const struct step queued_504[] = { { 504, "<html>504</html>", 0, NULL, 1 } };
    static const struct step lost_502[] = { { 502, "<html>502</html>", 0, NULL, 0 } };
    struct downlink_request a = request("chirpstack"), b = request("chirpstack");
    Mue__V1__DownlinkStatus *st[8];
    char uuid[64];
    int n;

    fake_script(&cs, queued_504, 1);
    send_request(&a);
    n = collect(a.id, st, 8, 10000);
    MUE_ASSERT_INT_EQ(n, 2);
    assert_status(st[0], &a, ST_RETRYING, 1);
    MUE_ASSERT_STR_EQ(st[0]->reason, "HTTP 504");
    assert_status(st[1], &a, ST_QUEUED, 2);
    pthread_mutex_lock(&cs.lock);
    snprintf(uuid, sizeof(uuid), "%s", cs.last_uuid);
    pthread_mutex_unlock(&cs.lock);
    MUE_ASSERT_STR_EQ(st[1]->network_ref, uuid);
    free_statuses(st, n);
    MUE_ASSERT_INT_EQ(fake_count(&cs), 1);
    MUE_ASSERT_INT_EQ(fake_queued(&cs, a.dev_eui), 1);

    fake_script(&cs, lost_502, 1);
    send_request(&b);
    n = collect(b.id, st, 8, 10000);
    MUE_ASSERT_INT_EQ(n, 2);
    assert_status(st[0], &b, ST_RETRYING, 1);
    assert_status(st[1], &b, ST_QUEUED, 2);
    free_statuses(st, n);
    MUE_ASSERT_INT_EQ(fake_gets(&cs), 1);
    MUE_ASSERT_INT_EQ(fake_count(&cs), 2);
    MUE_ASSERT_INT_EQ(fake_queued(&cs, b.dev_eui), 1);
}

/* The queue cannot be read: one more transient failure, reported, and the look tried again. */
static void test_a_failed_queue_look_is_retried_before_anything_is_sent_again(void)
{
    static const struct step steps[] = { { 200, "{}", 1200, NULL, 0 } };
    struct downlink_request rq = request("tts");
    Mue__V1__DownlinkStatus *st[8];
    int n;

    fake_script(&tts, steps, 1);
    pthread_mutex_lock(&tts.lock);
    tts.list_failures = 1;
    pthread_mutex_unlock(&tts.lock);
    send_request(&rq);
    n = collect(rq.id, st, 8, 10000);
    MUE_ASSERT_INT_EQ(n, 3);
    assert_status(st[0], &rq, ST_RETRYING, 1);
    assert_contains(st[0]->reason, "no answer within the timeout");
    assert_status(st[1], &rq, ST_RETRYING, 2);
    MUE_ASSERT_STR_EQ(st[1]->reason, "queue check: HTTP 503: listing unavailable");
    assert_status(st[2], &rq, ST_QUEUED, 3);
    free_statuses(st, n);
    MUE_ASSERT_INT_EQ(fake_count(&tts), 1);
    MUE_ASSERT_INT_EQ(fake_gets(&tts), 2);
}

/* A request the API accepted before - its status was not stored, or the forwarder died before the
 * ack - is reported again from the bucket and never sent again. The mark is put by hand, in the
 * documented form, as the forwarder would have left it. */
static void test_a_request_marked_sent_is_reported_queued_without_any_call(void)
{
    struct downlink_request c = request("chirpstack"), t = request("tts");
    Mue__V1__DownlinkStatus *st[8];
    char key[DOWNLINK_LEDGER_KEY_CAP], ref_key[128], value[128] = "";
    const char *uuid = "6f1b4a2c-1d3e-4f5a-8b9c-0d1e2f3a4b5c";
    int n;

    fake_script(&cs, NULL, 0);
    fake_script(&tts, NULL, 0);
    MUE_ASSERT_INT_EQ(downlink_ledger_key("sent", c.id, key, sizeof(key)), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_kv_put(refs, key, "6f1b4a2c-1d3e-4f5a-8b9c-0d1e2f3a4b5c 1"), MUE_OK);
    send_request(&c);
    n = collect(c.id, st, 8, 10000);
    MUE_ASSERT_INT_EQ(n, 1);
    assert_status(st[0], &c, ST_QUEUED, 1);
    MUE_ASSERT_STR_EQ(st[0]->network_ref, uuid);
    free_statuses(st, n);
    /* The reference for the webhook side is written again, in case it was lost. */
    snprintf(ref_key, sizeof(ref_key), "chirpstack.%s", uuid);
    MUE_ASSERT_INT_EQ(mue_kv_get(refs, ref_key, value, sizeof(value)), MUE_OK);
    MUE_ASSERT_STR_EQ(value, c.id);
    mue_kv_delete(refs, ref_key);

    /* TTS names no queue item; a mark without its attempt reports the current one. */
    MUE_ASSERT_INT_EQ(downlink_ledger_key("sent", t.id, key, sizeof(key)), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_kv_put(refs, key, "-"), MUE_OK);
    send_request(&t);
    n = collect(t.id, st, 8, 10000);
    MUE_ASSERT_INT_EQ(n, 1);
    assert_status(st[0], &t, ST_QUEUED, 1);
    MUE_ASSERT_STR_EQ(st[0]->network_ref, "");
    free_statuses(st, n);
    usleep(200 * 1000);
    MUE_ASSERT_INT_EQ(fake_count(&cs) + fake_gets(&cs) + fake_count(&tts) + fake_gets(&tts), 0);
}

/* The same request id again after it was queued (JetStream's duplicate window passed, or a
 * redelivery): one call in all, and QUEUED again with the first report's attempt. */
static void test_a_request_delivered_again_after_it_was_queued_is_not_sent_again(void)
{
    struct downlink_request rq = request("chirpstack");
    Mue__V1__DownlinkStatus *st[8];
    char first_ref[64], msg_id[160];
    size_t len = 0;
    uint8_t *buf;
    int n;

    fake_script(&cs, NULL, 0);
    send_request(&rq);
    n = collect(rq.id, st, 8, 10000);
    MUE_ASSERT_INT_EQ(n, 1);
    assert_status(st[0], &rq, ST_QUEUED, 1);
    snprintf(first_ref, sizeof(first_ref), "%s", st[0]->network_ref);
    free_statuses(st, n);
    /* Another Nats-Msg-Id, so that JetStream stores it as a new message. */
    buf = downlink_request_encode(&rq, &len);
    snprintf(msg_id, sizeof(msg_id), "%s-again", rq.id);
    send_bytes(rq.network, rq.dev_eui, buf, len, msg_id);
    free(buf);
    n = collect(rq.id, st, 8, 10000);
    MUE_ASSERT_INT_EQ(n, 1);
    assert_status(st[0], &rq, ST_QUEUED, 1);
    MUE_ASSERT_STR_EQ(st[0]->network_ref, first_ref);
    free_statuses(st, n);
    MUE_ASSERT_INT_EQ(fake_count(&cs), 1);
    MUE_ASSERT_INT_EQ(fake_queued(&cs, rq.dev_eui), 1);
}

/* A "sending" mark without an answer (the forwarder died during the call): the queue is read
 * first. Of two items of the same bytes, the one another request claims is not this one's. */
static void test_a_call_cut_short_by_a_crash_is_found_in_the_queue(void)
{
    struct downlink_request rq = request("chirpstack"), again = request("chirpstack");
    Mue__V1__DownlinkStatus *st[8];
    char key[DOWNLINK_LEDGER_KEY_CAP], claimed[128], mine[128], item[256], value[128] = "";
    /* Item ids of this run only: the bucket outlives a run on a long-lived server. */
    unsigned run = (unsigned)getpid() & 0xffff;
    int n;

    fake_script(&cs, NULL, 0);
    snprintf(item, sizeof(item),
             "{\"id\":\"aaaaaaaa-%04x-4000-8000-%012d\",\"devEui\":\"%s\",\"confirmed\":true,"
             "\"fPort\":15,\"data\":\"vu8=\",\"isPending\":true,\"fCntDown\":3}",
             run, seq, rq.dev_eui);
    fake_seed(&cs, rq.dev_eui, item);
    snprintf(item, sizeof(item),
             "{\"id\":\"bbbbbbbb-%04x-4000-8000-%012d\",\"devEui\":\"%s\",\"confirmed\":true,"
             "\"fPort\":15,\"data\":\"vu8=\"}",
             run, seq, rq.dev_eui);
    fake_seed(&cs, rq.dev_eui, item);
    snprintf(claimed, sizeof(claimed), "chirpstack.aaaaaaaa-%04x-4000-8000-%012d", run, seq);
    MUE_ASSERT_INT_EQ(mue_kv_put(refs, claimed, "lighting:cmd:another"), MUE_OK);
    MUE_ASSERT_INT_EQ(downlink_ledger_key("sending", rq.id, key, sizeof(key)), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_kv_put(refs, key, "1"), MUE_OK);
    send_request(&rq);
    n = collect(rq.id, st, 8, 10000);
    MUE_ASSERT_INT_EQ(n, 1);
    assert_status(st[0], &rq, ST_QUEUED, 1);
    snprintf(value, sizeof(value), "bbbbbbbb-%04x-4000-8000-%012d", run, seq);
    MUE_ASSERT_STR_EQ(st[0]->network_ref, value);
    free_statuses(st, n);
    MUE_ASSERT_INT_EQ(fake_count(&cs), 0);
    MUE_ASSERT_INT_EQ(fake_gets(&cs), 1);
    /* The item it took is now claimed for it. */
    snprintf(mine, sizeof(mine), "chirpstack.%s", value);
    MUE_ASSERT_INT_EQ(mue_kv_get(refs, mine, value, sizeof(value)), MUE_OK);
    MUE_ASSERT_STR_EQ(value, rq.id);
    mue_kv_delete(refs, mine);
    mue_kv_delete(refs, claimed);

    /* A mark, and nothing in the queue: the call was lost before it was queued; sent now. */
    MUE_ASSERT_INT_EQ(downlink_ledger_key("sending", again.id, key, sizeof(key)), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_kv_put(refs, key, "1"), MUE_OK);
    send_request(&again);
    n = collect(again.id, st, 8, 10000);
    MUE_ASSERT_INT_EQ(n, 1);
    assert_status(st[0], &again, ST_QUEUED, 1);
    free_statuses(st, n);
    MUE_ASSERT_INT_EQ(fake_gets(&cs), 2);
    MUE_ASSERT_INT_EQ(fake_count(&cs), 1);
    MUE_ASSERT_INT_EQ(fake_queued(&cs, again.dev_eui), 1);
}

/* The marks as downlink_ledger.h describes them, read back. */
static void test_the_ledger_reads_back_what_it_writes(void)
{
    struct downlink_request rq = request("chirpstack");
    char ref[DOWNLINK_REF_CAP] = "x", owner[DOWNLINK_MAX_ID + 1] = "", key[DOWNLINK_LEDGER_KEY_CAP];
    char value[128] = "";
    uint32_t attempt = 99;

    MUE_ASSERT_INT_EQ(downlink_ledger_sent(refs, rq.id, ref, sizeof(ref), &attempt), MUE_ENOENT);
    MUE_ASSERT_INT_EQ(downlink_ledger_is_sending(refs, rq.id), 0);
    MUE_ASSERT_INT_EQ(downlink_ledger_mark_sending(refs, rq.id, 3), MUE_OK);
    MUE_ASSERT_INT_EQ(downlink_ledger_is_sending(refs, rq.id), 1);
    downlink_ledger_clear_sending(refs, rq.id);
    MUE_ASSERT_INT_EQ(downlink_ledger_is_sending(refs, rq.id), 0);
    MUE_ASSERT_INT_EQ(
        downlink_ledger_record_sent(refs, &rq, "0b7c1e4a-ffff-4000-8000-0000000000aa", 2), MUE_OK);
    MUE_ASSERT_INT_EQ(downlink_ledger_sent(refs, rq.id, ref, sizeof(ref), &attempt), MUE_OK);
    MUE_ASSERT_STR_EQ(ref, "0b7c1e4a-ffff-4000-8000-0000000000aa");
    MUE_ASSERT_UINT_EQ(attempt, 2);
    MUE_ASSERT_INT_EQ(downlink_ledger_key("sent", rq.id, key, sizeof(key)), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_kv_get(refs, key, value, sizeof(value)), MUE_OK);
    MUE_ASSERT_STR_EQ(value, "0b7c1e4a-ffff-4000-8000-0000000000aa 2");
    MUE_ASSERT_INT_EQ(downlink_ledger_ref_owner(refs, "chirpstack",
                                                "0b7c1e4a-ffff-4000-8000-0000000000aa", owner,
                                                sizeof(owner)),
                      MUE_OK);
    MUE_ASSERT_STR_EQ(owner, rq.id);
    MUE_ASSERT_INT_EQ(downlink_ledger_ref_owner(refs, "chirpstack", "ffff", owner, sizeof(owner)),
                      MUE_ENOENT);
    /* No network_ref: "-", and no reference key. */
    rq = request("tts");
    MUE_ASSERT_INT_EQ(downlink_ledger_record_sent(refs, &rq, "", 1), MUE_OK);
    MUE_ASSERT_INT_EQ(downlink_ledger_sent(refs, rq.id, ref, sizeof(ref), &attempt), MUE_OK);
    MUE_ASSERT_STR_EQ(ref, "");
    MUE_ASSERT_UINT_EQ(attempt, 1);
    MUE_ASSERT_INT_EQ(downlink_ledger_key("sent", rq.id, key, sizeof(key)), MUE_OK);
    MUE_ASSERT_INT_EQ(mue_kv_get(refs, key, value, sizeof(value)), MUE_OK);
    MUE_ASSERT_STR_EQ(value, "- 1");
    mue_kv_delete(refs, "chirpstack.0b7c1e4a-ffff-4000-8000-0000000000aa");
}

static void test_429_is_retried(void)
{
    static const struct step steps[] = {
        { 429, "{\"code\":8,\"message\":\"rate limit exceeded\"}", 0, NULL, 0 },
    };
    struct downlink_request rq = request("tts");
    Mue__V1__DownlinkStatus *st[8];
    int n;

    fake_script(&tts, steps, 1);
    send_request(&rq);
    n = collect(rq.id, st, 8, 10000);
    MUE_ASSERT_INT_EQ(n, 2);
    assert_status(st[0], &rq, ST_RETRYING, 1);
    MUE_ASSERT_STR_EQ(st[0]->reason, "HTTP 429: rate limit exceeded");
    assert_status(st[1], &rq, ST_QUEUED, 2);
    free_statuses(st, n);
}

static void test_a_4xx_answer_fails_at_once_and_is_never_sent_again(void)
{
    static const struct step steps[] = {
        { 404, "{\"code\":5,\"message\":\"Object does not exist\",\"details\":[]}", 0, NULL, 0 },
    };
    struct downlink_request rq = request("chirpstack");
    Mue__V1__DownlinkStatus *st[8];
    int n;

    fake_script(&cs, steps, 1);
    send_request(&rq);
    n = collect(rq.id, st, 8, 10000);
    MUE_ASSERT_INT_EQ(n, 1);
    assert_status(st[0], &rq, ST_FAILED, 1);
    MUE_ASSERT_STR_EQ(st[0]->reason, "HTTP 404: Object does not exist");
    free_statuses(st, n);
    usleep(600 * 1000); /* more than every backoff: a retry would have come */
    MUE_ASSERT_INT_EQ(fake_count(&cs), 1);
}

static void test_a_tts_400_fails_with_the_server_message(void)
{
    static const struct step steps[] = {
        { 400, "{\"code\":3,\"message\":\"error:pkg/webhooks:field_mask_paths (forbidden path)\"}",
          0, NULL, 0 },
    };
    struct downlink_request rq = request("tts");
    Mue__V1__DownlinkStatus *st[8];
    int n;

    fake_script(&tts, steps, 1);
    send_request(&rq);
    n = collect(rq.id, st, 8, 10000);
    MUE_ASSERT_INT_EQ(n, 1);
    assert_status(st[0], &rq, ST_FAILED, 1);
    assert_contains(st[0]->reason, "HTTP 400: error:pkg/webhooks:field_mask_paths");
    free_statuses(st, n);
    usleep(300 * 1000);
    MUE_ASSERT_INT_EQ(fake_count(&tts), 1);
}

static void test_after_max_attempts_the_downlink_fails(void)
{
    static const struct step steps[] = {
        { 502, "{}", 0, NULL, 0 }, { 502, "{}", 0, NULL, 0 }, { 502, "{}", 0, NULL, 0 },
        { 502, "{}", 0, NULL, 0 }, { 502, "{}", 0, NULL, 0 }, { 502, "{}", 0, NULL, 0 },
    };
    struct downlink_request rq = request("chirpstack");
    Mue__V1__DownlinkStatus *st[8];
    int n;

    fake_script(&cs, steps, 6);
    send_request(&rq);
    n = collect(rq.id, st, 8, 15000);
    MUE_ASSERT_INT_EQ(n, 4);
    for (int i = 0; i < 3; i++)
        assert_status(st[i], &rq, ST_RETRYING, (uint32_t)i + 1);
    assert_status(st[3], &rq, ST_FAILED, 4);
    MUE_ASSERT_STR_EQ(st[3]->reason, "gave up after 4 attempts; last: HTTP 502");
    free_statuses(st, n);
    usleep(500 * 1000);
    MUE_ASSERT_INT_EQ(fake_count(&cs), 4);
    /* A 502 may come after the server queued it: each retry looked first, and found nothing. */
    MUE_ASSERT_INT_EQ(fake_gets(&cs), 3);
}

static void test_an_expired_request_is_reported_expired_and_never_sent(void)
{
    struct downlink_request rq = request("chirpstack");
    Mue__V1__DownlinkStatus *st[8];
    int n;

    fake_script(&cs, NULL, 0);
    rq.expires_at_us = mue_time_now_us() - 1000000;
    send_request(&rq);
    n = collect(rq.id, st, 8, 10000);
    MUE_ASSERT_INT_EQ(n, 1);
    assert_status(st[0], &rq, ST_EXPIRED, 1);
    MUE_ASSERT_STR_EQ(st[0]->reason, "expired before it could be sent");
    free_statuses(st, n);
    usleep(200 * 1000);
    MUE_ASSERT_INT_EQ(fake_count(&cs), 0);
}

/* The server asks for 30 s and the request expires in 2: no point waiting for the retry. */
static void test_a_retry_that_would_come_after_expiry_ends_in_expired(void)
{
    static const struct step steps[] = { { 503, "{\"message\":\"busy\"}", 0, "30", 0 } };
    struct downlink_request rq = request("tts");
    Mue__V1__DownlinkStatus *st[8];
    int n;

    fake_script(&tts, steps, 1);
    rq.expires_at_us = mue_time_now_us() + 2000000;
    send_request(&rq);
    n = collect(rq.id, st, 8, 10000);
    MUE_ASSERT_INT_EQ(n, 1);
    assert_status(st[0], &rq, ST_EXPIRED, 1);
    MUE_ASSERT_STR_EQ(st[0]->reason, "expires before the next attempt; last: HTTP 503: busy");
    free_statuses(st, n);
    MUE_ASSERT_INT_EQ(fake_count(&tts), 1);
}

static void test_invalid_requests_fail_without_any_call(void)
{
    struct downlink_request bad_port = request("chirpstack"), big = request("tts");
    Mue__V1__DownlinkStatus *st[8];
    Mue__V1__DownlinkRequest m = MUE__V1__DOWNLINK_REQUEST__INIT;
    uint8_t payload[243], *buf;
    size_t len;
    int n;

    fake_script(&cs, NULL, 0);
    fake_script(&tts, NULL, 0);
    bad_port.f_port = 0;
    send_request(&bad_port);
    n = collect(bad_port.id, st, 8, 10000);
    MUE_ASSERT_INT_EQ(n, 1);
    assert_status(st[0], &bad_port, ST_FAILED, 1);
    MUE_ASSERT_STR_EQ(st[0]->reason, "f_port: not in 1..223");
    free_statuses(st, n);
    /* 243 bytes: encoded by hand, downlink_request_encode would not hold them. */
    memset(payload, 0x11, sizeof(payload));
    m.id = big.id;
    m.network = big.network;
    m.dev_eui = big.dev_eui;
    m.f_port = 2;
    m.payload.data = payload;
    m.payload.len = sizeof(payload);
    len = mue__v1__downlink_request__get_packed_size(&m);
    buf = malloc(len);
    mue__v1__downlink_request__pack(&m, buf);
    send_bytes(big.network, big.dev_eui, buf, len, big.id);
    free(buf);
    n = collect(big.id, st, 8, 10000);
    MUE_ASSERT_INT_EQ(n, 1);
    assert_status(st[0], &big, ST_FAILED, 1);
    MUE_ASSERT_STR_EQ(st[0]->reason, "payload: longer than 242 bytes");
    free_statuses(st, n);
    MUE_ASSERT_INT_EQ(fake_count(&cs) + fake_count(&tts), 0);
}

/* Bytes that are not a request cannot be reported on (no id, no device): dropped, and the
 * forwarder goes on with the next request. */
static void test_garbage_is_dropped_and_the_next_request_goes_through(void)
{
    static const uint8_t garbage[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0x01 };
    struct downlink_request rq = request("chirpstack");
    Mue__V1__DownlinkStatus *st[8];
    char garbage_id[128];
    int n;

    fake_script(&cs, NULL, 0);
    snprintf(garbage_id, sizeof(garbage_id), "%s-garbage", rq.id);
    send_bytes("chirpstack", rq.dev_eui, garbage, sizeof(garbage), garbage_id);
    send_request(&rq);
    n = collect(rq.id, st, 8, 10000);
    MUE_ASSERT_INT_EQ(n, 1);
    assert_status(st[0], &rq, ST_QUEUED, 1);
    free_statuses(st, n);
    MUE_ASSERT_INT_EQ(fake_count(&cs), 1);
}

static void test_a_network_without_a_downlink_api_fails(void)
{
    struct downlink_request rq = request("thingpark");
    Mue__V1__DownlinkStatus *st[8];
    int n;

    send_request(&rq);
    n = collect(rq.id, st, 8, 10000);
    MUE_ASSERT_INT_EQ(n, 1);
    assert_status(st[0], &rq, ST_FAILED, 1);
    MUE_ASSERT_STR_EQ(st[0]->reason, "network 'thingpark' takes no downlinks from mue");
    free_statuses(st, n);
}

static void test_statuses_are_stored_in_the_downlinks_stream_with_their_ids(void)
{
    struct downlink_request rq = request("chirpstack");
    Mue__V1__DownlinkStatus *st[8];
    char subject[96], msg_id[160], name[96];
    struct mue_bus_consumer_opts co;
    struct mue_bus_consumer *c = NULL;
    struct mue_bus_batch b;
    int n, got;

    fake_script(&cs, NULL, 0);
    send_request(&rq);
    n = collect(rq.id, st, 8, 10000);
    MUE_ASSERT_INT_EQ(n, 1);
    free_statuses(st, n);
    snprintf(subject, sizeof(subject), "mue.dlstatus.chirpstack.%s", rq.dev_eui);
    snprintf(name, sizeof(name), "test_%s_dlstatus", run_id);
    co = (struct mue_bus_consumer_opts){ MUE_STREAM_DOWNLINKS, name, subject, 30000, 10 };
    MUE_ASSERT_INT_EQ(mue_bus_consumer_open(&c, bus, &co), MUE_OK);
    remember_consumer(MUE_STREAM_DOWNLINKS, name);
    got = mue_bus_fetch(c, &b, 10, 2000);
    MUE_ASSERT_INT_EQ(got, 1);
    snprintf(msg_id, sizeof(msg_id), "%s:QUEUED:1", rq.id);
    MUE_ASSERT_STR_EQ(mue_bus_msg_header(b.list.Msgs[0], "Nats-Msg-Id"), msg_id);
    mue_bus_ack(b.list.Msgs[0]);
    mue_bus_batch_fini(&b);
    mue_bus_consumer_close(c);
}

static void test_counters_say_what_became_of_the_downlinks(void)
{
    char *text = mue_metrics_format();

    assert_contains(text, "mue_ingest_downlinks_total{network=\"chirpstack\",outcome=\"queued\"}");
    /* What the tests above sent: counted once each, retries once per attempt handed back; a
     * request reported QUEUED again from the bucket counts again. */
    assert_contains(text,
                    "mue_ingest_downlinks_total{network=\"chirpstack\",outcome=\"queued\"} 12\n");
    assert_contains(text,
                    "mue_ingest_downlinks_total{network=\"chirpstack\",outcome=\"failed\"} 3\n");
    assert_contains(text,
                    "mue_ingest_downlinks_total{network=\"chirpstack\",outcome=\"expired\"} 1\n");
    assert_contains(text,
                    "mue_ingest_downlinks_total{network=\"chirpstack\",outcome=\"retried\"} 8\n");
    assert_contains(text, "mue_ingest_downlinks_total{network=\"tts\",outcome=\"queued\"} 6\n");
    assert_contains(text, "mue_ingest_downlinks_total{network=\"tts\",outcome=\"failed\"} 2\n");
    assert_contains(text, "mue_ingest_downlinks_total{network=\"tts\",outcome=\"expired\"} 1\n");
    assert_contains(text, "mue_ingest_downlinks_total{network=\"tts\",outcome=\"retried\"} 4\n");
    assert_contains(text, "mue_ingest_downlinks_total{network=\"other\",outcome=\"failed\"} 2\n");
    free(text);
}

/* Restarted with ChirpStack's API on a port nothing listens on and no TTS API: refused
 * connections are retried, then fail; the unconfigured network fails at once. */
static void test_refused_connections_and_an_unconfigured_network(void)
{
    struct downlink_request c = request("chirpstack"), t = request("tts");
    Mue__V1__DownlinkStatus *st[8];
    static char closed_url[64]; /* the forwarder keeps the config by reference */
    long long t0;
    int fd, n;

    t0 = mono_ms();
    downlink_forward_stop(fwd);
    fwd = NULL;
    MUE_ASSERT(mono_ms() - t0 < 2000); /* idle: it stops within its poll */
    snprintf(closed_url, sizeof(closed_url), "http://127.0.0.1:%d", loopback_port(0, &fd));
    cfg.chirpstack_api_url = closed_url;
    cfg.tts_api_url = NULL;
    cfg.max_attempts = 2;
    MUE_ASSERT_INT_EQ(downlink_forward_start(&fwd, bus, &cfg), MUE_OK);
    send_request(&t);
    n = collect(t.id, st, 8, 10000);
    MUE_ASSERT_INT_EQ(n, 1);
    assert_status(st[0], &t, ST_FAILED, 1);
    MUE_ASSERT_STR_EQ(st[0]->reason, "The Things Stack's API is not configured (MUE_TTS_API_URL)");
    free_statuses(st, n);
    send_request(&c);
    n = collect(c.id, st, 8, 10000);
    MUE_ASSERT_INT_EQ(n, 2);
    assert_status(st[0], &c, ST_RETRYING, 1);
    assert_contains(st[0]->reason, "Connection refused");
    assert_status(st[1], &c, ST_FAILED, 2);
    assert_contains(st[1]->reason, "gave up after 2 attempts; last: connect(");
    free_statuses(st, n);
}

static void test_a_bad_api_url_stops_the_start(void)
{
    struct downlink_config bad = cfg;
    struct downlink_forward *f = NULL;

    bad.tts_api_url = "tts.example.org:443";
    MUE_ASSERT_INT_EQ(downlink_forward_start(&f, bus, &bad), MUE_ECONFIG);
    MUE_ASSERT(f == NULL);
    bad = cfg;
    bad.chirpstack_api_url = "http://chirpstack:8090/api?x#y";
    MUE_ASSERT_INT_EQ(downlink_forward_start(&f, bus, &bad), MUE_ECONFIG);
    MUE_ASSERT(f == NULL);
    downlink_forward_stop(NULL);
}

static int create_stream(void)
{
    const char *subj[] = { subjects };
    jsStreamConfig sc;
    jsStreamInfo *si = NULL;
    jsErrCode jerr = 0;
    natsStatus s;

    jsStreamConfig_Init(&sc);
    sc.Name = stream;
    sc.Subjects = subj;
    sc.SubjectsLen = 1;
    sc.Storage = js_MemoryStorage;
    sc.MaxAge = 3600LL * 1000000000LL;
    s = js_AddStream(&si, mue_bus_jetstream(bus), &sc, NULL, &jerr);
    jsStreamInfo_Destroy(si);
    return s == NATS_OK ? 0 : -1;
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_a_chirpstack_downlink_is_enqueued_and_reported_queued_with_its_reference),
        MUE_TEST(test_a_tts_downlink_is_pushed_under_the_default_application_and_device_ids),
        MUE_TEST(test_a_tts_downlink_goes_to_the_ids_the_request_names),
        MUE_TEST(test_5xx_answers_are_retried_with_a_status_each_time_until_queued),
        MUE_TEST(test_a_tts_push_answered_too_late_is_found_in_the_queue_not_sent_again),
        MUE_TEST(test_a_chirpstack_enqueue_answered_too_late_is_found_with_its_queue_item),
        MUE_TEST(test_after_a_502_or_504_the_queue_decides_whether_to_call_again),
        MUE_TEST(test_a_failed_queue_look_is_retried_before_anything_is_sent_again),
        MUE_TEST(test_a_request_marked_sent_is_reported_queued_without_any_call),
        MUE_TEST(test_a_request_delivered_again_after_it_was_queued_is_not_sent_again),
        MUE_TEST(test_a_call_cut_short_by_a_crash_is_found_in_the_queue),
        MUE_TEST(test_the_ledger_reads_back_what_it_writes),
        MUE_TEST(test_429_is_retried),
        MUE_TEST(test_a_4xx_answer_fails_at_once_and_is_never_sent_again),
        MUE_TEST(test_a_tts_400_fails_with_the_server_message),
        MUE_TEST(test_after_max_attempts_the_downlink_fails),
        MUE_TEST(test_an_expired_request_is_reported_expired_and_never_sent),
        MUE_TEST(test_a_retry_that_would_come_after_expiry_ends_in_expired),
        MUE_TEST(test_invalid_requests_fail_without_any_call),
        MUE_TEST(test_garbage_is_dropped_and_the_next_request_goes_through),
        MUE_TEST(test_a_network_without_a_downlink_api_fails),
        MUE_TEST(test_statuses_are_stored_in_the_downlinks_stream_with_their_ids),
        MUE_TEST(test_counters_say_what_became_of_the_downlinks),
        MUE_TEST(test_refused_connections_and_an_unconfigured_network),
        MUE_TEST(test_a_bad_api_url_stops_the_start),
    };
    struct mue_bus_opts opts = { 0 };
    const char *url = getenv("MUE_TEST_NATS_URL");
    int rc = 1;

    signal(SIGPIPE, SIG_IGN);
    if (url == NULL || url[0] == '\0') {
        fprintf(stderr, "MUE_TEST_NATS_URL is not set: these tests need a nats-server with "
                        "JetStream (e.g. nats://127.0.0.1:4222)\n");
        printf("downlink_forward: 0 passed, 1 failed\n");
        return 1;
    }
    /* The requests come from a stream of this run, so a mue-ingest running on the same server
     * (the integration suite's) never takes them; the statuses go where the real ones go. */
    snprintf(run_id, sizeof(run_id), "%ld_%lld", (long)getpid(), (long long)time(NULL));
    snprintf(stream, sizeof(stream), "TEST_DL_%ld", (long)getpid()); /* deleted at the end */
    snprintf(subjects, sizeof(subjects), "test.%s.downlink.>", run_id);
    snprintf(filter, sizeof(filter), "test.%s.downlink.>", run_id);
    snprintf(durable, sizeof(durable), "test_%s_forwarder", run_id);
    opts.url = url;
    opts.name = "mue-test-downlinks";
    opts.connect_timeout_ms = 5000;
    opts.duplicate_window_s = 1200;
    opts.max_age_s = 604800;
    opts.replicas = 1;
    if (mue_bus_open(&bus, &opts) != MUE_OK || mue_bus_ensure_streams(bus) != MUE_OK ||
        create_stream() < 0 || mue_bus_subscribe(&statuses, bus, MUE_SUBJ_DLSTATUS_ALL) < 0 ||
        mue_kv_open(&refs, bus, MUE_KV_DOWNLINK_REFS, MUE_KV_DOWNLINK_REFS_TTL_S) < 0) {
        fprintf(stderr, "cannot reach %s or set up the streams\n", url);
        printf("downlink_forward: 0 passed, 1 failed\n");
        goto out;
    }
    mue_http_client_init();
    if (fake_start(&cs) < 0 || fake_start(&tts) < 0) {
        fprintf(stderr, "cannot start the fake network servers\n");
        printf("downlink_forward: 0 passed, 1 failed\n");
        goto out;
    }
    snprintf(cs_url, sizeof(cs_url), "http://127.0.0.1:%d", cs.port);
    snprintf(tts_url, sizeof(tts_url), "http://127.0.0.1:%d/", tts.port);
    config_default();
    if (downlink_forward_start(&fwd, bus, &cfg) != MUE_OK) {
        fprintf(stderr, "the forwarder did not start\n");
        printf("downlink_forward: 0 passed, 1 failed\n");
        goto out;
    }
    rc = mue_test_run("downlink_forward", tests);
out:
    downlink_forward_stop(fwd);
    if (cs.ctx != NULL)
        mg_stop(cs.ctx);
    if (tts.ctx != NULL)
        mg_stop(tts.ctx);
    mue_kv_close(refs);
    mue_bus_sub_close(statuses);
    if (bus != NULL)
        js_DeleteStream(mue_bus_jetstream(bus), stream, NULL, NULL);
    mue_bus_close(bus);
    delete_consumers(url);
    nats_Close();
    return rc;
}
