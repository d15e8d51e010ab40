/* mue-fake-netserver.c - a stand-in for the network servers' downlink APIs, for tests and the
 * demo: it takes ChirpStack's "POST /api/devices/{devEui}/queue" and The Things Stack's
 * ".../devices/{id}/down/push" like the real ones, then, a moment later, posts back to mue-ingest
 * the events the real ones would (ChirpStack txack and ack; TTS downlink_queued, downlink_sent,
 * downlink_ack or downlink_nack); it answers their queue listings (GET), always empty. It can also
 * stand for the devices, which echo each downlink as an uplink of the same port and bytes (as NAS
 * UL20xx lamp controllers confirm a configuration, and a Milesight WS558 a command), and it can
 * refuse or nack some downlinks so that failures can be tested. It relays uplink webhooks to
 * mue-ingest too (the simulator posts through it), as a network server delivers its devices'
 * uplinks, and so knows their frame counters: an echo continues the device's counter. Every
 * downlink API call it takes, every echo and every relayed webhook the ingest did not take is
 * printed as one JSON line on stdout, with a summary of the relayed ones every 10 s.
 * SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <unistd.h>

#include <civetweb.h>
#include <jansson.h>

#include "mue_err.h"
#include "mue_http_client.h"
#include "mue_mem.h"
#include "mue_signal.h"
#include "mue_time.h"

struct opts {
    const char *listen;
    const char *token;     /* the API token / key the callers must present */
    const char *ingest;    /* base URL of mue-ingest, e.g. http://127.0.0.1:8081 */
    const char *secret;    /* mue-ingest's webhook secret */
    long delay_ms;         /* between the API call and the events it causes */
    int nack;              /* confirmed downlinks are not acknowledged */
    int echo;              /* the device answers each downlink it got with an uplink of it */
    long fail_every;       /* every N-th queue call is refused; 0: none */
    long nack_every;       /* every N-th confirmed downlink is nacked; 0: none */
    const char *fail_devs; /* comma-separated DevEUIs the network server does not know */
};

static struct opts o = { "127.0.0.1:8090", NULL, NULL, NULL, 300, 0, 0, 0, 0, NULL };
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;

/* What the fake counts across requests (civetweb serves them on several threads). */
static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long f_cnt_down, queue_calls, confirmed_calls;
/* A device's uplink frame counter, as the network server knows it. */
struct uplink_count {
    char dev_eui[17];       /* lowercase */
    uint32_t echo_f_cnt;    /* of the device's last echo while none of its uplinks was relayed */
    bool has_uplink;        /* an uplink of it was relayed and taken by the ingest */
    int64_t uplink_time_us; /* the latest such uplink, by its own time */
    uint32_t uplink_f_cnt;  /* and its frame counter */
};
static struct uplink_count *up_counts;
static size_t n_up_counts;
/* The relayed webhooks, for the summary line: all, 2xx, 4xx, failed (5xx or no answer). */
static unsigned long relayed, relay_accepted, relay_refused, relay_failed;

/* Webhooks to post to mue-ingest after the delay, each {path, JSON body}; 'echo' holds the
 * members of an echo's stdout line (NULL for the network server's own events). */
#define CALLBACKS_MAX 4
struct callback {
    int n;
    char path[CALLBACKS_MAX][64];
    char *body[CALLBACKS_MAX];
    json_t *echo[CALLBACKS_MAX];
};

/* Prints and releases 'line'. */
static void print_line(json_t *line)
{
    char *text = json_dumps(line, JSON_COMPACT | JSON_SORT_KEYS);
    pthread_mutex_lock(&out_lock);
    if (text != NULL)
        printf("%s\n", text);
    fflush(stdout);
    pthread_mutex_unlock(&out_lock);
    free(text);
    json_decref(line);
}

static void random_bytes(unsigned char *b, size_t n)
{
    if (getrandom(b, n, 0) != (ssize_t)n)
        memset(b, 0x5a, n);
}

static void uuid4(char out[37])
{
    unsigned char b[16];
    random_bytes(b, sizeof(b));
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
             b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
             b[14], b[15]);
}

/* A ULID, as TTS names its messages ("as:up:01HZX4K6T3Q8M9V2N7B5C1D0EF"): 48 bits of Unix ms then
 * 80 random bits, big-endian, in 26 Crockford base32 digits (the first holds only 3 bits). */
static void ulid(char out[27])
{
    static const char digits[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    uint64_t ms = (uint64_t)(mue_time_now_us() / 1000);
    unsigned char b[16];

    for (int i = 0; i < 6; i++)
        b[i] = (unsigned char)(ms >> (8 * (5 - i)));
    random_bytes(b + 6, 10);
    for (int c = 0; c < 26; c++) {
        unsigned v = 0;
        for (int bit = c * 5 - 2; bit < c * 5 + 3; bit++) /* bits -2 and -1 are the padding */
            v = (v << 1) | (bit < 0 ? 0u : (unsigned)(b[bit / 8] >> (7 - bit % 8)) & 1u);
        out[c] = digits[v];
    }
    out[26] = '\0';
}

static void post_later_one(struct callback *cb, int i, const char *auth_header)
{
    char url[512], answer[512];
    const char *headers[] = { auth_header, NULL };
    struct mue_http_req req = {
        "POST", url, headers, "application/json", cb->body[i], strlen(cb->body[i]), 5000, NULL
    };
    struct mue_http_resp resp;
    json_t *line;
    int rc;

    memset(&resp, 0, sizeof(resp));
    resp.body = answer;
    resp.cap = sizeof(answer);
    snprintf(url, sizeof(url), "%s%s", o.ingest, cb->path[i]);
    rc = mue_http_request(&req, &resp);
    line = json_pack("{s:s, s:i, s:s}", "posted", cb->path[i], "rc", rc, "answer",
                     rc == 0 ? answer : resp.error);
    if (line != NULL && cb->echo[i] != NULL) {
        json_object_update(line, cb->echo[i]);
        json_object_set_new(line, "status", json_integer(resp.status));
    }
    print_line(line);
}

static void *post_later(void *arg)
{
    struct callback *cb = arg;
    char auth[300];

    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", o.secret);
    usleep((useconds_t)o.delay_ms * 1000);
    for (int i = 0; i < cb->n; i++) {
        post_later_one(cb, i, auth);
        free(cb->body[i]);
        json_decref(cb->echo[i]);
    }
    free(cb);
    return NULL;
}

static void schedule(struct callback *cb)
{
    pthread_t t;
    if (o.ingest == NULL || pthread_create(&t, NULL, post_later, cb) != 0) {
        for (int i = 0; i < cb->n; i++) {
            free(cb->body[i]);
            json_decref(cb->echo[i]);
        }
        free(cb);
        return;
    }
    pthread_detach(t);
}

/* Adds a webhook to 'cb' and takes 'body' and 'echo' (either may be NULL). */
static void add_echo(struct callback *cb, const char *path, json_t *body, json_t *echo)
{
    if (body == NULL || cb->n == CALLBACKS_MAX) { /* a request too odd to answer with an event */
        json_decref(body);
        json_decref(echo);
        return;
    }
    snprintf(cb->path[cb->n], sizeof(cb->path[0]), "%s", path);
    cb->echo[cb->n] = echo;
    cb->body[cb->n++] = json_dumps(body, JSON_COMPACT);
    json_decref(body);
}

static void add(struct callback *cb, const char *path, json_t *body)
{
    add_echo(cb, path, body, NULL);
}

static void answer_ok(struct mg_connection *conn, const char *body)
{
    mg_send_http_ok(conn, "application/json", (long long)strlen(body));
    mg_write(conn, body, strlen(body));
}

static int refuse(struct mg_connection *conn, int status, const char *message)
{
    mg_send_http_error(conn, status, "{\"code\":%d,\"message\":\"%s\"}", status, message);
    return status;
}

/* An API's own refusal: ChirpStack's REST gateway (grpc-gateway) and TTS both answer a gRPC
 * error as {"code": <gRPC code>, "message", "details"} with the HTTP status that code maps to. */
static int refuse_grpc(struct mg_connection *conn, int status, int grpc_code, const char *message)
{
    json_t *doc = json_pack("{s:i, s:s, s:[]}", "code", grpc_code, "message", message, "details");
    char *body = doc != NULL ? json_dumps(doc, JSON_COMPACT) : NULL;
    char len[24];

    snprintf(len, sizeof(len), "%zu", body != NULL ? strlen(body) : 0);
    mg_response_header_start(conn, status);
    mg_response_header_add(conn, "Content-Type", "application/json", -1);
    mg_response_header_add(conn, "Content-Length", len, -1);
    mg_response_header_send(conn);
    if (body != NULL)
        mg_write(conn, body, strlen(body));
    free(body);
    json_decref(doc);
    return status;
}

static json_t *read_json(struct mg_connection *conn)
{
    char buf[8192];
    int n = mg_read(conn, buf, sizeof(buf) - 1), more;
    while (n >= 0 && (size_t)n < sizeof(buf) - 1 &&
           (more = mg_read(conn, buf + n, sizeof(buf) - 1 - (size_t)n)) > 0)
        n += more;
    if (n < 0)
        return NULL;
    return json_loadb(buf, (size_t)n, 0, NULL);
}

static int authorized(struct mg_connection *conn)
{
    const char *h = mg_get_header(conn, "Authorization");
    return o.token == NULL ||
           (h != NULL && strncasecmp(h, "Bearer ", 7) == 0 && strcmp(h + 7, o.token) == 0);
}

static json_t *device_info(const char *dev_eui)
{
    return json_pack("{s:s, s:s}", "devEui", dev_eui, "deviceName", "fake-netserver");
}

static int is_eui(const char *s, size_t n)
{
    return n == 16 && strspn(s, "0123456789abcdefABCDEF") >= 16;
}

/* Whether --fail-dev names 'dev_eui' (in any case). */
static int is_unknown_device(const char *dev_eui)
{
    for (const char *p = o.fail_devs; p != NULL && *p != '\0';) {
        size_t n = strcspn(p, ",");
        if (n == strlen(dev_eui) && strncasecmp(p, dev_eui, n) == 0)
            return 1;
        p += n + (p[n] == ',');
    }
    return 0;
}

/* Decides the fate of a well-formed queue call: 0 when it is taken, else the HTTP status of the
 * refusal, with the gRPC code and message it comes with, worded as ChirpStack's (its storage
 * errors) or, given the device's TTS id, TTS's ("error:<namespace>:<name> (<text>)"). Every
 * call counts for --fail-every, the refused ones too. */
static int refusal(const char *dev_eui, const char *tts_device_id, int *grpc_code, char *message,
                   size_t cap)
{
    unsigned long call;

    pthread_mutex_lock(&count_lock);
    call = ++queue_calls;
    pthread_mutex_unlock(&count_lock);
    if (is_unknown_device(dev_eui)) {
        *grpc_code = 5; /* NOT_FOUND */
        if (tts_device_id != NULL)
            snprintf(message, cap, "error:pkg/fake:device_not_found (end device `%s` not found)",
                     tts_device_id);
        else
            snprintf(message, cap, "Object does not exist (id: %s)", dev_eui);
        return 404;
    }
    if (o.fail_every > 0 && call % (unsigned long)o.fail_every == 0) {
        *grpc_code = 3; /* INVALID_ARGUMENT */
        snprintf(message, cap, "%scall %lu refused (--fail-every %ld)%s",
                 tts_device_id != NULL ? "error:pkg/fake:refused (" : "Validation error: ", call,
                 o.fail_every, tts_device_id != NULL ? ")" : "");
        return 400;
    }
    return 0;
}

/* Whether the next confirmed downlink is nacked rather than acked. */
static int nacks_next(void)
{
    unsigned long n;

    pthread_mutex_lock(&count_lock);
    n = ++confirmed_calls;
    pthread_mutex_unlock(&count_lock);
    return o.nack || (o.nack_every > 0 && n % (unsigned long)o.nack_every == 0);
}

/* The entry of 'dev_eui' (any case), made on first use. Call with count_lock held. */
static struct uplink_count *device_count(const char *dev_eui)
{
    char key[17];
    size_t i;

    for (i = 0; i < 16 && dev_eui[i] != '\0'; i++)
        key[i] =
            (char)(dev_eui[i] >= 'A' && dev_eui[i] <= 'F' ? dev_eui[i] - 'A' + 'a' : dev_eui[i]);
    key[i] = '\0';
    for (i = 0; i < n_up_counts && strcmp(up_counts[i].dev_eui, key) != 0; i++)
        ;
    if (i == n_up_counts) {
        up_counts = mue_xrealloc(up_counts, (n_up_counts + 1) * sizeof(*up_counts));
        memset(&up_counts[i], 0, sizeof(up_counts[i]));
        memcpy(up_counts[i].dev_eui, key, sizeof(key));
        n_up_counts++;
    }
    return &up_counts[i];
}

/* The frame counter of the device's next echo. A device whose uplinks were relayed continues
 * its counter: the latest one + 1, for every echo until its next uplink, so that uplink (whose
 * counter the simulator chose) never goes below the echo. Any other device counts its echoes
 * from 1. *after_uplink is the latest uplink's counter, or -1. */
static uint32_t next_f_cnt_up(const char *dev_eui, json_int_t *after_uplink)
{
    struct uplink_count *c;
    uint32_t f_cnt;

    pthread_mutex_lock(&count_lock);
    c = device_count(dev_eui);
    if (c->has_uplink) {
        *after_uplink = c->uplink_f_cnt;
        f_cnt = c->uplink_f_cnt == UINT32_MAX ? UINT32_MAX : c->uplink_f_cnt + 1;
    } else {
        *after_uplink = -1;
        f_cnt = ++c->echo_f_cnt;
    }
    pthread_mutex_unlock(&count_lock);
    return f_cnt;
}

/* Notes a relayed uplink the ingest took. Uplinks are relayed on several threads, so they may
 * arrive out of the device's order: the one of latest time wins (on a tie, the higher counter),
 * as the alert engine orders a device's frame counters by time. */
static void note_uplink(const char *dev_eui, uint32_t f_cnt, int64_t time_us)
{
    struct uplink_count *c;

    pthread_mutex_lock(&count_lock);
    c = device_count(dev_eui);
    if (!c->has_uplink || time_us > c->uplink_time_us ||
        (time_us == c->uplink_time_us && f_cnt > c->uplink_f_cnt)) {
        c->has_uplink = true;
        c->uplink_time_us = time_us;
        c->uplink_f_cnt = f_cnt;
    }
    pthread_mutex_unlock(&count_lock);
}

/* The members of an echo's stdout line; 'data' may be NULL, 'after_uplink' -1 (left out). */
static json_t *echo_line(const char *network, const char *dev_eui, json_int_t f_port,
                         uint32_t f_cnt, json_int_t after_uplink, const char *data)
{
    json_t *line =
        json_pack("{s:b, s:s, s:s, s:I, s:I, s:s*}", "echo", 1, "network", network, "dev_eui",
                  dev_eui, "f_port", f_port, "f_cnt", (json_int_t)f_cnt, "data", data);

    if (line != NULL && after_uplink >= 0)
        json_object_set_new(line, "after_uplink_f_cnt", json_integer(after_uplink));
    return line;
}

/* ChirpStack's "up" event of the device echoing queue item 'item' (its fPort and data), heard by
 * one gateway at SF7 on 868.1 MHz. */
static void add_chirpstack_echo(struct callback *cb, const char *dev_eui, const json_t *item,
                                const char *ts)
{
    json_int_t f_port = json_integer_value(json_object_get(item, "fPort"));
    const char *data = json_string_value(json_object_get(item, "data"));
    json_int_t after_uplink;
    uint32_t f_cnt = next_f_cnt_up(dev_eui, &after_uplink);
    char dedup[37];

    uuid4(dedup);
    add_echo(cb, "/v1/chirpstack?event=up",
             json_pack("{s:s, s:s, s:o, s:b, s:i, s:I, s:I, s:b, s:s*,"
                       " s:[{s:s, s:i, s:f, s:{s:s, s:s}}],"
                       " s:{s:i, s:{s:{s:i, s:i, s:s}}}}",
                       "deduplicationId", dedup, "time", ts, "deviceInfo", device_info(dev_eui),
                       "adr", 1, "dr", 5, "fCnt", (json_int_t)f_cnt, "fPort", f_port, "confirmed",
                       0, "data", data, "rxInfo", "gatewayId", "0016c001f153a14c", "rssi", -90,
                       "snr", 7.0, "metadata", "region_name", "eu868", "region_common_name",
                       "EU868", "txInfo", "frequency", 868100000, "modulation", "lora", "bandwidth",
                       125000, "spreadingFactor", 7, "codeRate", "CR_4_5"),
             echo_line("chirpstack", dev_eui, f_port, f_cnt, after_uplink, data));
}

/* ChirpStack: POST /api/devices/{devEui}/queue {"queueItem": {...}} -> {"id": "<uuid>"}. */
static int chirpstack_queue(struct mg_connection *conn, const char *dev_eui)
{
    json_t *req = read_json(conn), *item = json_object_get(req, "queueItem");
    struct callback *cb;
    char id[37], ts[40], body[64], message[128];
    unsigned long fcnt;
    int confirmed, status, grpc_code, nack = 0;

    if (!json_is_object(item)) {
        json_decref(req);
        return refuse(conn, 400, "queueItem missing");
    }
    status = refusal(dev_eui, NULL, &grpc_code, message, sizeof(message));
    if (status != 0) {
        print_line(json_pack("{s:s, s:s, s:O, s:i, s:s}", "api", "chirpstack", "dev_eui", dev_eui,
                             "queue_item", item, "refused", status, "message", message));
        json_decref(req);
        return refuse_grpc(conn, status, grpc_code, message);
    }
    uuid4(id);
    confirmed = json_is_true(json_object_get(item, "confirmed"));
    print_line(json_pack("{s:s, s:s, s:s, s:O}", "api", "chirpstack", "dev_eui", dev_eui,
                         "queue_item_id", id, "queue_item", item));
    snprintf(body, sizeof(body), "{\"id\":\"%s\"}", id);
    answer_ok(conn, body);

    pthread_mutex_lock(&count_lock);
    fcnt = ++f_cnt_down;
    pthread_mutex_unlock(&count_lock);
    mue_time_format(mue_time_now_us(), ts, sizeof(ts));
    cb = mue_xcalloc(1, sizeof(*cb));
    add(cb, "/v1/chirpstack?event=txack",
        json_pack("{s:i, s:s, s:o, s:s, s:i, s:s}", "downlinkId", (int)(fcnt & 0x7fffffff), "time",
                  ts, "deviceInfo", device_info(dev_eui), "queueItemId", id, "fCntDown", (int)fcnt,
                  "gatewayId", "0016c001f153a14c"));
    if (confirmed) {
        char dedup[37];
        uuid4(dedup);
        nack = nacks_next();
        add(cb, "/v1/chirpstack?event=ack",
            json_pack("{s:s, s:s, s:o, s:s, s:b, s:i}", "deduplicationId", dedup, "time", ts,
                      "deviceInfo", device_info(dev_eui), "queueItemId", id, "acknowledged", !nack,
                      "fCntDown", (int)fcnt));
    }
    if (o.echo && !nack)
        add_chirpstack_echo(cb, dev_eui, item, ts);
    schedule(cb);
    json_decref(req);
    return 200;
}

static json_t *tts_event(const char *app, const char *device_id, const char *dev_eui,
                         const char *member, json_t *downlink, const char *ts)
{
    json_t *ev = json_pack("{s:{s:s, s:{s:s}, s:s}, s:s, s:O}", "end_device_ids", "device_id",
                           device_id, "application_ids", "application_id", app, "dev_eui", dev_eui,
                           "received_at", ts, member, downlink);
    json_t *cids = json_object_get(downlink, "correlation_ids");

    if (ev != NULL && cids != NULL)
        json_object_set(ev, "correlation_ids", cids);
    return ev;
}

/* TTS's uplink_message webhook of the device echoing downlink 'dl' (its f_port and frm_payload),
 * heard by one gateway at SF7 on 868.1 MHz. */
static void add_tts_echo(struct callback *cb, const char *app, const char *device_id,
                         const char *dev_eui, const json_t *dl, const char *ts)
{
    json_int_t f_port = json_integer_value(json_object_get(dl, "f_port"));
    const char *data = json_string_value(json_object_get(dl, "frm_payload"));
    json_int_t after_uplink;
    uint32_t f_cnt = next_f_cnt_up(dev_eui, &after_uplink);
    char cid[6 + 27] = "as:up:";

    ulid(cid + 6);
    add_echo(cb, "/v1/tts",
             json_pack("{s:{s:s, s:{s:s}, s:s}, s:[s], s:s,"
                       " s:{s:I, s:I, s:s*, s:[{s:{s:s, s:s}, s:i, s:i, s:f}],"
                       " s:{s:{s:{s:i, s:i}}, s:i, s:s}, s:s}}",
                       "end_device_ids", "device_id", device_id, "application_ids",
                       "application_id", app, "dev_eui", dev_eui, "correlation_ids", cid,
                       "received_at", ts, "uplink_message", "f_port", f_port, "f_cnt",
                       (json_int_t)f_cnt, "frm_payload", data, "rx_metadata", "gateway_ids",
                       "gateway_id", "fake-gateway", "eui", "0016C001F153A14C", "rssi", -90,
                       "channel_rssi", -90, "snr", 7.0, "settings", "data_rate", "lora",
                       "bandwidth", 125000, "spreading_factor", 7, "data_rate_index", 5,
                       "frequency", "868100000", "received_at", ts),
             echo_line("tts", dev_eui, f_port, f_cnt, after_uplink, data));
}

/* TTS: POST /api/v3/as/applications/{app}/webhooks/{id}/devices/{device}/down/push. */
static int tts_push(struct mg_connection *conn, const char *app, const char *device_id)
{
    json_t *req = read_json(conn), *list = json_object_get(req, "downlinks"), *dl;
    char dev_eui[17] = "", ts[40], message[128];
    struct callback *cb;
    int status, grpc_code, nack = 0;

    dl = json_array_get(list, 0);
    if (!json_is_object(dl)) {
        json_decref(req);
        return refuse(conn, 400, "downlinks missing");
    }
    /* The fake knows devices only by the console's default id, eui-<dev_eui>. */
    if (strncmp(device_id, "eui-", 4) == 0 && strlen(device_id) == 20)
        memcpy(dev_eui, device_id + 4, 17);
    status = refusal(dev_eui, device_id, &grpc_code, message, sizeof(message));
    if (status != 0) {
        print_line(json_pack("{s:s, s:s, s:s, s:O, s:i, s:s}", "api", "tts", "application_id", app,
                             "device_id", device_id, "downlinks", list, "refused", status,
                             "message", message));
        json_decref(req);
        return refuse_grpc(conn, status, grpc_code, message);
    }
    print_line(json_pack("{s:s, s:s, s:s, s:O}", "api", "tts", "application_id", app, "device_id",
                         device_id, "downlinks", list));
    answer_ok(conn, "{}");
    if (dev_eui[0] == '\0') {
        json_decref(req);
        return 200;
    }
    mue_time_format(mue_time_now_us(), ts, sizeof(ts));
    cb = mue_xcalloc(1, sizeof(*cb));
    add(cb, "/v1/tts", tts_event(app, device_id, dev_eui, "downlink_queued", dl, ts));
    add(cb, "/v1/tts", tts_event(app, device_id, dev_eui, "downlink_sent", dl, ts));
    if (json_is_true(json_object_get(dl, "confirmed"))) {
        nack = nacks_next();
        add(cb, "/v1/tts",
            tts_event(app, device_id, dev_eui, nack ? "downlink_nack" : "downlink_ack", dl, ts));
    }
    if (o.echo && !nack)
        add_tts_echo(cb, app, device_id, dev_eui, dl, ts);
    schedule(cb);
    json_decref(req);
    return 200;
}

/* The queue listings mue-ingest reads before a retry when its last call may have been queued
 * unheard (ChirpStack's GetQueue, TTS's DownlinkQueueList). This fake answers every call at once,
 * so it never leaves such a doubt: its queues are always empty. */
static int list_queue(struct mg_connection *conn, const char *uri)
{
    char a[128], b[128], tail[32];

    if (sscanf(uri, "/api/devices/%16[0-9a-fA-F]/%31s", a, tail) == 2 &&
        strcmp(tail, "queue") == 0) {
        answer_ok(conn, "{\"totalCount\":0,\"result\":[]}");
        return 200;
    }
    if (sscanf(uri, "/api/v3/as/applications/%127[^/]/devices/%127[^/]/%31s", a, b, tail) == 3 &&
        strcmp(tail, "down") == 0) {
        answer_ok(conn, "{\"downlinks\":[]}");
        return 200;
    }
    return refuse(conn, 404, "no such API");
}

/* The ingest's webhooks the stand-in relays, as a network server delivers its devices' uplinks,
 * so that it knows their frame counters. Not SenML: its callers are devices, with their own
 * tokens, not network servers. */
static const char *const relayed_paths[] = {
    "/v1/chirpstack", "/v1/tts", "/v1/thingpark", "/v1/liveobjects", NULL,
};

#define RELAY_MAX_BODY   (16L * 1024 * 1024) /* mue-ingest's largest MUE_INGEST_MAX_BODY */
#define RELAY_TIMEOUT_MS 25000               /* under the simulator's 30 s: it sees our 504 */

static const char *relayed_path(const char *uri)
{
    for (int i = 0; relayed_paths[i] != NULL; i++)
        if (strcmp(uri, relayed_paths[i]) == 0)
            return relayed_paths[i];
    return NULL;
}

/* Whether the caller presents the ingest's secret, as its network servers do. */
static int has_ingest_secret(struct mg_connection *conn)
{
    const char *h = mg_get_header(conn, "Authorization");
    return o.secret != NULL && h != NULL && strncasecmp(h, "Bearer ", 7) == 0 &&
           strcmp(h + 7, o.secret) == 0;
}

/* Answers 'status' with 'body' as the ingest's JSON, with its Retry-After (-1: none). */
static int answer(struct mg_connection *conn, int status, const char *body, size_t len,
                  long retry_after_s)
{
    char clen[24], retry[24];

    snprintf(clen, sizeof(clen), "%zu", len);
    mg_response_header_start(conn, status);
    mg_response_header_add(conn, "Content-Type", "application/json", -1);
    mg_response_header_add(conn, "Content-Length", clen, -1);
    if (retry_after_s >= 0) {
        snprintf(retry, sizeof(retry), "%ld", retry_after_s);
        mg_response_header_add(conn, "Retry-After", retry, -1);
    }
    mg_response_header_send(conn);
    mg_write(conn, body, len);
    return status;
}

/* Reads the whole request body, at most 'max' bytes. Returns it, NUL-terminated (the caller
 * frees it), with *len; or NULL after answering 413 (too long) or 400 (shorter than its
 * Content-Length), that status in *status. */
static char *read_body_or_reply(struct mg_connection *conn, size_t max, size_t *len, int *status)
{
    const struct mg_request_info *ri = mg_get_request_info(conn);
    bool known = ri->content_length >= 0;
    size_t cap = known ? (size_t)ri->content_length : 4096, used = 0;
    char *body, probe;

    if (known && ri->content_length > (long long)max) {
        *status = refuse(conn, 413, "body too large to relay");
        return NULL;
    }
    body = mue_xmalloc(cap + 1);
    for (;;) {
        int n;
        if (used == cap && known)
            break;
        if (used == cap && cap == max) {
            if (mg_read(conn, &probe, 1) > 0) {
                free(body);
                *status = refuse(conn, 413, "body too large to relay");
                return NULL;
            }
            break;
        }
        if (used == cap) { /* chunked: grow */
            cap = cap * 2 > max ? max : cap * 2;
            body = mue_xrealloc(body, cap + 1);
        }
        n = mg_read(conn, body + used, cap - used);
        if (n <= 0)
            break;
        used += (size_t)n;
    }
    if (known && used != cap) {
        free(body);
        *status = refuse(conn, 400, "body shorter than Content-Length");
        return NULL;
    }
    body[used] = '\0';
    *len = used;
    return body;
}

/* Whether a ChirpStack body is Protobuf (its Content-Type, or an encoding other than JSON in the
 * query), which the stand-in relays without reading. */
static bool is_protobuf(const char *content_type, const char *query)
{
    char encoding[32] = "";

    if (content_type != NULL && (strncasecmp(content_type, "application/octet-stream", 24) == 0 ||
                                 strncasecmp(content_type, "application/x-protobuf", 22) == 0 ||
                                 strncasecmp(content_type, "application/protobuf", 20) == 0))
        return true;
    return query != NULL &&
           mg_get_var(query, strlen(query), "encoding", encoding, sizeof(encoding)) > 0 &&
           strcasecmp(encoding, "json") != 0;
}

/* Notes the device's frame counter from an uplink the ingest took: a ChirpStack up event
 * (deviceInfo.devEui, fCnt, time) or a TTS uplink_message (end_device_ids.dev_eui,
 * uplink_message.f_cnt and received_at); other events teach nothing. A counter left out is 0,
 * as Protobuf's JSON leaves zeros out; an uplink without a readable time is dated now. */
static void learn_uplink(const char *path, const char *query, const char *content_type,
                         const char *body, size_t len)
{
    char event[32] = "";
    json_t *doc = NULL, *counter;
    const char *dev_eui, *ts;
    int64_t time_us;

    if (strcmp(path, "/v1/chirpstack") == 0) {
        if (query == NULL || mg_get_var(query, strlen(query), "event", event, sizeof(event)) <= 0 ||
            strcmp(event, "up") != 0 || is_protobuf(content_type, query))
            return;
        doc = json_loadb(body, len, 0, NULL);
        dev_eui = json_string_value(json_object_get(json_object_get(doc, "deviceInfo"), "devEui"));
        counter = json_object_get(doc, "fCnt");
        ts = json_string_value(json_object_get(doc, "time"));
    } else if (strcmp(path, "/v1/tts") == 0) {
        json_t *up;
        doc = json_loadb(body, len, 0, NULL);
        up = json_object_get(doc, "uplink_message");
        if (!json_is_object(up))
            goto out;
        dev_eui =
            json_string_value(json_object_get(json_object_get(doc, "end_device_ids"), "dev_eui"));
        counter = json_object_get(up, "f_cnt");
        ts = json_string_value(json_object_get(up, "received_at"));
        if (ts == NULL)
            ts = json_string_value(json_object_get(doc, "received_at"));
    } else {
        return;
    }
    if (dev_eui == NULL || !is_eui(dev_eui, strlen(dev_eui)))
        goto out;
    if (counter != NULL && (!json_is_integer(counter) || json_integer_value(counter) < 0 ||
                            json_integer_value(counter) > (json_int_t)UINT32_MAX))
        goto out;
    if (ts == NULL || mue_time_parse(ts, &time_us) < 0)
        time_us = mue_time_now_us();
    note_uplink(dev_eui, (uint32_t)json_integer_value(counter), time_us);
out:
    json_decref(doc);
}

/* Relays a webhook to mue-ingest verbatim (path, query, body, Content-Type, Authorization) and
 * answers the caller with the ingest's status and body: the simulator tells taken (2xx),
 * refused (4xx) and retried (5xx) apart by them. No answer from the ingest is a 502, or a 504
 * when it was too slow. */
static int relay(struct mg_connection *conn, const char *path)
{
    const struct mg_request_info *ri = mg_get_request_info(conn);
    const char *query = ri->query_string, *content_type = mg_get_header(conn, "Content-Type");
    const char *caller_auth = mg_get_header(conn, "Authorization");
    char url[2048], answer_buf[4096], *auth = NULL, *body = NULL;
    const char *headers[] = { NULL, NULL };
    struct mue_http_req req = {
        "POST", url, headers, content_type, NULL, 0, RELAY_TIMEOUT_MS, NULL
    };
    struct mue_http_resp resp;
    unsigned long *outcome;
    size_t len = 0;
    int rc, status = 0, n;

    if (strcmp(ri->request_method, "POST") != 0)
        return refuse(conn, 405, "POST only");
    if (o.ingest == NULL)
        return refuse(conn, 404, "no ingest to relay to (--ingest)");
    if (!has_ingest_secret(conn))
        return refuse(conn, 401, "missing or wrong Authorization: Bearer secret");
    n = snprintf(url, sizeof(url), "%s%s%s%s", o.ingest, path, query != NULL ? "?" : "",
                 query != NULL ? query : "");
    if (n < 0 || (size_t)n >= sizeof(url))
        return refuse(conn, 414, "query too long to relay");
    body = read_body_or_reply(conn, (size_t)RELAY_MAX_BODY, &len, &status);
    if (body == NULL)
        return status;
    n = (int)strlen(caller_auth) + 32;
    auth = mue_xmalloc((size_t)n);
    snprintf(auth, (size_t)n, "Authorization: %s", caller_auth);
    headers[0] = auth;
    req.body = body;
    req.body_len = len;
    memset(&resp, 0, sizeof(resp));
    resp.body = answer_buf;
    resp.cap = sizeof(answer_buf);
    rc = mue_http_request(&req, &resp);
    status = rc < 0 ? (rc == MUE_ETIMEDOUT ? 504 : 502) : resp.status;
    outcome = status >= 200 && status < 300   ? &relay_accepted
              : status >= 400 && status < 500 ? &relay_refused
                                              : &relay_failed;
    pthread_mutex_lock(&count_lock);
    relayed++;
    (*outcome)++;
    pthread_mutex_unlock(&count_lock);
    if (status >= 200 && status < 300) /* before the answer: the caller may act on it at once */
        learn_uplink(path, query, content_type, body, len);
    if (rc < 0) {
        json_t *err = json_pack("{s:i, s:s}", "code", status, "message", resp.error);
        char *text = err != NULL ? json_dumps(err, JSON_COMPACT) : NULL;
        answer(conn, status, text != NULL ? text : "{}", text != NULL ? strlen(text) : 2, -1);
        free(text);
        json_decref(err);
    } else {
        answer(conn, status, answer_buf, resp.len, resp.retry_after_s);
    }
    if (status < 200 || status >= 300)
        print_line(json_pack("{s:s, s:s*, s:i, s:s}", "relayed", path, "query", query, "status",
                             status, "answer", rc < 0 ? resp.error : answer_buf));
    free(auth);
    free(body);
    return status;
}

/* Prints what was relayed since the start, when it changed: one line, not one per uplink (a
 * back-fill relays hundreds of thousands). */
static void print_relay_summary(void)
{
    static unsigned long printed;
    unsigned long n, acc, ref, fail;
    size_t learned = 0;

    pthread_mutex_lock(&count_lock);
    n = relayed;
    acc = relay_accepted;
    ref = relay_refused;
    fail = relay_failed;
    for (size_t i = 0; i < n_up_counts; i++)
        learned += up_counts[i].has_uplink;
    pthread_mutex_unlock(&count_lock);
    if (n == printed)
        return;
    printed = n;
    print_line(json_pack("{s:{s:I, s:I, s:I, s:I, s:I}}", "relay", "relayed", (json_int_t)n,
                         "accepted", (json_int_t)acc, "refused", (json_int_t)ref, "failed",
                         (json_int_t)fail, "devices", (json_int_t)learned));
}

static int handle(struct mg_connection *conn, void *cbdata)
{
    const struct mg_request_info *ri = mg_get_request_info(conn);
    char a[128], b[128], c[128], tail[32];
    (void)cbdata;

    if (relayed_path(ri->local_uri) != NULL)
        return relay(conn, relayed_path(ri->local_uri));
    if (strcmp(ri->request_method, "POST") != 0 && strcmp(ri->request_method, "GET") != 0)
        return refuse(conn, 405, "POST or GET only");
    if (!authorized(conn))
        return refuse(conn, 401, "bad token");
    if (strcmp(ri->request_method, "GET") == 0)
        return list_queue(conn, ri->local_uri);
    if (sscanf(ri->local_uri, "/api/devices/%16[0-9a-fA-F]/%31s", a, tail) == 2 &&
        strcmp(tail, "queue") == 0)
        return chirpstack_queue(conn, a);
    if (sscanf(ri->local_uri,
               "/api/v3/as/applications/%127[^/]/webhooks/%127[^/]/devices/%127[^/]/%31s", a, b, c,
               tail) == 4 &&
        strcmp(tail, "down/push") == 0)
        return tts_push(conn, a, c);
    return refuse(conn, 404, "no such API");
}

static void usage(FILE *f)
{
    fputs("Usage: mue-fake-netserver [--listen ADDR:PORT] [--token T] [--ingest URL --secret S]\n"
          "                          [--delay-ms N] [--nack] [--nack-every N] [--echo]\n"
          "                          [--fail-every N] [--fail-dev EUI[,EUI...]]\n"
          "Answers ChirpStack's and The Things Stack's downlink APIs and posts their events\n"
          "back to mue-ingest at URL. One JSON line per request on stdout.\n"
          "Relays POST /v1/chirpstack?event=..., /v1/tts, /v1/thingpark and /v1/liveobjects\n"
          "(Authorization: Bearer S, else 401) to URL as they came, and answers with the\n"
          "ingest's status and body (502/504 when it does not answer): post a simulator's\n"
          "uplinks here and the stand-in knows each device's frame counter (JSON ChirpStack up\n"
          "events and TTS uplink_message taken by the ingest). Not-taken ones print a line,\n"
          "the rest a {\"relay\":{...}} count every 10 s.\n"
          "  --nack           nack every confirmed downlink (ChirpStack ack acknowledged=false,\n"
          "                   TTS downlink_nack)\n"
          "  --nack-every N   nack every N-th confirmed downlink taken (N >= 1, counted over all\n"
          "                   devices and both APIs)\n"
          "  --echo           stand for the devices too: each downlink, once acked (unconfirmed:\n"
          "                   once sent), comes back as an uplink of the same port and bytes, a\n"
          "                   ChirpStack up event or a TTS uplink_message; nacked ones do not.\n"
          "                   Its fCnt continues the device's: the last relayed uplink's + 1\n"
          "                   (the same for every echo until the next uplink, so that one is\n"
          "                   never lower), or, for a device none was relayed for, a count of\n"
          "                   its echoes from 1. Printed as lines with \"echo\":true,\n"
          "                   \"after_uplink_f_cnt\" and mue-ingest's answer.\n"
          "  --fail-every N   refuse every N-th queue call (N >= 2: the N-th, 2N-th, ..., counted\n"
          "                   over all devices and both APIs, refused calls included) with\n"
          "                   HTTP 400, gRPC code 3 (INVALID_ARGUMENT): mue-ingest retries no\n"
          "                   4xx, so the downlink is FAILED at once\n"
          "  --fail-dev EUIS  refuse every queue call for these comma-separated DevEUIs, devices\n"
          "                   the network server does not know: HTTP 404, gRPC code 5\n"
          "                   (NOT_FOUND), FAILED too. Refused calls print \"refused\":<status>.\n",
          f);
}

/* Strict: the whole text is a number in min..1000000. Returns it, or -1. */
static long parse_count(const char *text, long min)
{
    char *end;
    long v = strtol(text, &end, 10);

    return end != text && *end == '\0' && v >= min && v <= 1000000 ? v : -1;
}

/* Whether 'list' is one or more comma-separated EUI-64s of 16 hex digits. */
static int is_eui_list(const char *list)
{
    for (const char *p = list;; p++) {
        size_t n = strcspn(p, ",");
        if (!is_eui(p, n))
            return 0;
        p += n;
        if (*p == '\0')
            return 1;
    }
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "listen", required_argument, NULL, 'l' },
        { "token", required_argument, NULL, 't' },
        { "ingest", required_argument, NULL, 'i' },
        { "secret", required_argument, NULL, 's' },
        { "delay-ms", required_argument, NULL, 'd' },
        { "nack", no_argument, NULL, 'n' },
        { "nack-every", required_argument, NULL, 'N' },
        { "echo", no_argument, NULL, 'e' },
        { "fail-every", required_argument, NULL, 'F' },
        { "fail-dev", required_argument, NULL, 'D' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    /* Enough threads for the simulator's kept-alive connections (one per sender thread) and
     * the ingest's downlink calls at once; no Nagle delay between an answer's head and body. */
    const char *options[] = { "listening_ports",
                              NULL,
                              "num_threads",
                              "16",
                              "enable_keep_alive",
                              "yes",
                              "keep_alive_timeout_ms",
                              "15000",
                              "tcp_nodelay",
                              "1",
                              NULL };
    int64_t summary_ms = 0;
    struct mg_context *ctx;
    int c;

    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'l':
            o.listen = optarg;
            break;
        case 't':
            o.token = optarg;
            break;
        case 'i':
            o.ingest = optarg;
            break;
        case 's':
            o.secret = optarg;
            break;
        case 'd':
            o.delay_ms = strtol(optarg, NULL, 10);
            break;
        case 'n':
            o.nack = 1;
            break;
        case 'N':
            o.nack_every = parse_count(optarg, 1);
            break;
        case 'e':
            o.echo = 1;
            break;
        case 'F':
            o.fail_every = parse_count(optarg, 2);
            break;
        case 'D':
            o.fail_devs = is_eui_list(optarg) ? optarg : "";
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if ((o.ingest == NULL) != (o.secret == NULL) || o.nack_every < 0 || o.fail_every < 0 ||
        (o.fail_devs != NULL && o.fail_devs[0] == '\0')) {
        usage(stderr);
        return 2;
    }
    options[1] = o.listen;
    mue_http_client_init();
    mue_signal_init();
    ctx = mg_start(NULL, NULL, options);
    if (ctx == NULL) {
        fprintf(stderr, "mue-fake-netserver: cannot listen on %s\n", o.listen);
        return 1;
    }
    mg_set_request_handler(ctx, "/", handle, NULL);
    while (!mue_signal_sleep_ms(1000)) {
        if (mue_time_mono_ms() - summary_ms >= 10000) {
            summary_ms = mue_time_mono_ms();
            print_relay_summary();
        }
    }
    mg_stop(ctx);
    print_relay_summary();
    free(up_counts);
    return 0;
}
