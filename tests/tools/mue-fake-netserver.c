/* mue-fake-netserver.c - a stand-in for the network servers' downlink APIs, for tests and the
 * demo: it takes ChirpStack's "POST /api/devices/{devEui}/queue" and The Things Stack's
 * ".../devices/{id}/down/push" like the real ones, then, a moment later, posts back to mue-ingest
 * the events the real ones would (ChirpStack txack and ack; TTS downlink_queued, downlink_sent,
 * downlink_ack or downlink_nack); it answers their queue listings (GET), always empty. Every POST
 * it takes is printed as one JSON line on stdout.
 * SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <unistd.h>

#include <civetweb.h>
#include <jansson.h>

#include "mue_http_client.h"
#include "mue_signal.h"
#include "mue_time.h"

struct opts {
    const char *listen;
    const char *token;  /* the API token / key the callers must present */
    const char *ingest; /* base URL of mue-ingest, e.g. http://127.0.0.1:8081 */
    const char *secret; /* mue-ingest's webhook secret */
    long delay_ms;      /* between the API call and the events it causes */
    int nack;           /* confirmed downlinks are not acknowledged */
};

static struct opts o = { "127.0.0.1:8090", NULL, NULL, NULL, 300, 0 };
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long f_cnt_down;

/* Webhooks to post to mue-ingest after the delay, each {path, JSON body}. */
struct callback {
    int n;
    char path[3][64];
    char *body[3];
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

static void uuid4(char out[37])
{
    unsigned char b[16];
    if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b))
        memset(b, 0x5a, sizeof(b));
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
             b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
             b[14], b[15]);
}

static void *post_later(void *arg)
{
    struct callback *cb = arg;
    char auth[300], url[512], answer[512];
    const char *headers[] = { auth, NULL };

    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", o.secret);
    usleep((useconds_t)o.delay_ms * 1000);
    for (int i = 0; i < cb->n; i++) {
        struct mue_http_req req = {
            "POST", url, headers, "application/json", cb->body[i], strlen(cb->body[i]), 5000, NULL
        };
        struct mue_http_resp resp;
        int rc;

        memset(&resp, 0, sizeof(resp));
        resp.body = answer;
        resp.cap = sizeof(answer);
        snprintf(url, sizeof(url), "%s%s", o.ingest, cb->path[i]);
        rc = mue_http_request(&req, &resp);
        print_line(json_pack("{s:s, s:s, s:i, s:s}", "posted", cb->path[i], "rc", rc, "answer",
                             rc == 0 ? answer : resp.error));
        free(cb->body[i]);
    }
    free(cb);
    return NULL;
}

static void schedule(struct callback *cb)
{
    pthread_t t;
    if (o.ingest == NULL || pthread_create(&t, NULL, post_later, cb) != 0) {
        for (int i = 0; i < cb->n; i++)
            free(cb->body[i]);
        free(cb);
        return;
    }
    pthread_detach(t);
}

static void add(struct callback *cb, const char *path, json_t *body)
{
    if (body == NULL)
        return; /* a request too odd to answer with an event */
    snprintf(cb->path[cb->n], sizeof(cb->path[0]), "%s", path);
    cb->body[cb->n++] = json_dumps(body, JSON_COMPACT);
    json_decref(body);
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

/* ChirpStack: POST /api/devices/{devEui}/queue {"queueItem": {...}} -> {"id": "<uuid>"}. */
static int chirpstack_queue(struct mg_connection *conn, const char *dev_eui)
{
    json_t *req = read_json(conn), *item = json_object_get(req, "queueItem");
    struct callback *cb;
    char id[37], ts[40], body[64];
    unsigned long fcnt;
    int confirmed;

    if (!json_is_object(item)) {
        json_decref(req);
        return refuse(conn, 400, "queueItem missing");
    }
    uuid4(id);
    confirmed = json_is_true(json_object_get(item, "confirmed"));
    print_line(json_pack("{s:s, s:s, s:s, s:O}", "api", "chirpstack", "dev_eui", dev_eui,
                         "queue_item_id", id, "queue_item", item));
    snprintf(body, sizeof(body), "{\"id\":\"%s\"}", id);
    answer_ok(conn, body);

    pthread_mutex_lock(&out_lock);
    fcnt = ++f_cnt_down;
    pthread_mutex_unlock(&out_lock);
    mue_time_format(mue_time_now_us(), ts, sizeof(ts));
    cb = calloc(1, sizeof(*cb));
    add(cb, "/v1/chirpstack?event=txack",
        json_pack("{s:i, s:s, s:o, s:s, s:i, s:s}", "downlinkId", (int)(fcnt & 0x7fffffff), "time",
                  ts, "deviceInfo", device_info(dev_eui), "queueItemId", id, "fCntDown", (int)fcnt,
                  "gatewayId", "0016c001f153a14c"));
    if (confirmed) {
        char dedup[37];
        uuid4(dedup);
        add(cb, "/v1/chirpstack?event=ack",
            json_pack("{s:s, s:s, s:o, s:s, s:b, s:i}", "deduplicationId", dedup, "time", ts,
                      "deviceInfo", device_info(dev_eui), "queueItemId", id, "acknowledged",
                      !o.nack, "fCntDown", (int)fcnt));
    }
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

/* TTS: POST /api/v3/as/applications/{app}/webhooks/{id}/devices/{device}/down/push. */
static int tts_push(struct mg_connection *conn, const char *app, const char *device_id)
{
    json_t *req = read_json(conn), *list = json_object_get(req, "downlinks"), *dl;
    char dev_eui[17] = "", ts[40];
    struct callback *cb;

    dl = json_array_get(list, 0);
    if (!json_is_object(dl)) {
        json_decref(req);
        return refuse(conn, 400, "downlinks missing");
    }
    /* The fake knows devices only by the console's default id, eui-<dev_eui>. */
    if (strncmp(device_id, "eui-", 4) == 0 && strlen(device_id) == 20)
        memcpy(dev_eui, device_id + 4, 17);
    print_line(json_pack("{s:s, s:s, s:s, s:O}", "api", "tts", "application_id", app, "device_id",
                         device_id, "downlinks", list));
    answer_ok(conn, "{}");
    if (dev_eui[0] == '\0') {
        json_decref(req);
        return 200;
    }
    mue_time_format(mue_time_now_us(), ts, sizeof(ts));
    cb = calloc(1, sizeof(*cb));
    add(cb, "/v1/tts", tts_event(app, device_id, dev_eui, "downlink_queued", dl, ts));
    add(cb, "/v1/tts", tts_event(app, device_id, dev_eui, "downlink_sent", dl, ts));
    if (json_is_true(json_object_get(dl, "confirmed")))
        add(cb, "/v1/tts",
            tts_event(app, device_id, dev_eui, o.nack ? "downlink_nack" : "downlink_ack", dl, ts));
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

static int handle(struct mg_connection *conn, void *cbdata)
{
    const struct mg_request_info *ri = mg_get_request_info(conn);
    char a[128], b[128], c[128], tail[32];
    (void)cbdata;

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
          "                          [--delay-ms N] [--nack]\n"
          "Answers ChirpStack's and The Things Stack's downlink APIs and posts their events\n"
          "back to mue-ingest at URL. One JSON line per request on stdout.\n",
          f);
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "listen", required_argument, NULL, 'l' },   { "token", required_argument, NULL, 't' },
        { "ingest", required_argument, NULL, 'i' },   { "secret", required_argument, NULL, 's' },
        { "delay-ms", required_argument, NULL, 'd' }, { "nack", no_argument, NULL, 'n' },
        { "help", no_argument, NULL, 'h' },           { NULL, 0, NULL, 0 },
    };
    const char *options[] = { "listening_ports", NULL, "num_threads", "4", NULL };
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
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if ((o.ingest == NULL) != (o.secret == NULL)) {
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
    while (!mue_signal_sleep_ms(1000))
        ;
    mg_stop(ctx);
    return 0;
}
