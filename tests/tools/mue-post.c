/* mue-post.c - posts many ChirpStack v4 "up" webhooks to mue-ingest, as a network server would:
 * unique deduplication ids, frame counters, times; retries on 503 and lost connections. JSON
 * bodies by default, or the Protobuf marshaler's (--protobuf).
 * SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chirpstack/integration.pb-c.h"
#include "mue_base64.h"
#include "mue_http_conn.h"
#include "mue_time.h"

struct opts {
    const char *url;
    const char *secret;
    long count, devices, threads;
    const char *eui_prefix; /* hex digits; the device index fills the rest of the 16 */
    const char *payload_hex;
    long fport;
    int64_t start_us;
    long step_s;
    const char *run_id;
    double rate;  /* uplinks per second in all, 0 = as fast as possible */
    int protobuf; /* post integration.UplinkEvent as application/octet-stream */
};

struct totals {
    long accepted, duplicates, failed, retries;
};

static struct opts o;
static long next_index;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct totals tot;
static int64_t start_ms;

/* The same uplink as make_body's JSON, in the Protobuf marshaler's encoding. */
static size_t make_body_pb(long i, char *out, size_t cap)
{
    long dev = i % o.devices, fcnt = i / o.devices;
    int64_t us = o.start_us + (int64_t)fcnt * o.step_s * 1000000LL;
    char eui[48], hex[24], dedup[96], name[32];
    uint8_t payload[1024];
    int plen = mue_hex_decode(o.payload_hex, strlen(o.payload_hex), payload, sizeof(payload));
    Chirpstack__Integration__UplinkEvent m = CHIRPSTACK__INTEGRATION__UPLINK_EVENT__INIT;
    Chirpstack__Integration__DeviceInfo di = CHIRPSTACK__INTEGRATION__DEVICE_INFO__INIT;
    Chirpstack__Integration__Timestamp t = CHIRPSTACK__INTEGRATION__TIMESTAMP__INIT;
    Chirpstack__Integration__UplinkRxInfo rx = CHIRPSTACK__INTEGRATION__UPLINK_RX_INFO__INIT;
    Chirpstack__Integration__UplinkRxInfo *rxs[1] = { &rx };
    Chirpstack__Integration__UplinkTxInfo tx = CHIRPSTACK__INTEGRATION__UPLINK_TX_INFO__INIT;
    Chirpstack__Integration__Modulation mod = CHIRPSTACK__INTEGRATION__MODULATION__INIT;
    Chirpstack__Integration__LoraModulationInfo lora =
        CHIRPSTACK__INTEGRATION__LORA_MODULATION_INFO__INIT;
    size_t n;

    snprintf(hex, sizeof(hex), "%016lx", (unsigned long)dev);
    snprintf(eui, sizeof(eui), "%s%s", o.eui_prefix, hex + strlen(o.eui_prefix));
    snprintf(dedup, sizeof(dedup), "%s-%08lx", o.run_id, (unsigned long)i);
    snprintf(name, sizeof(name), "dev-%ld", dev);
    t.seconds = us / 1000000;
    t.nanos = (int32_t)(us % 1000000) * 1000;
    di.application_name = (char *)"mue-post";
    di.device_name = name;
    di.dev_eui = eui;
    m.deduplication_id = dedup;
    m.time = &t;
    m.device_info = &di;
    m.dev_addr = (char *)"00189440";
    m.dr = 5;
    m.f_cnt = (uint32_t)fcnt;
    m.f_port = (uint32_t)o.fport;
    m.data.data = payload;
    m.data.len = plen > 0 ? (size_t)plen : 0;
    rx.gateway_id = (char *)"0016c001f153a14c";
    rx.rssi = -97;
    rx.snr = 6.5f;
    m.n_rx_info = 1;
    m.rx_info = rxs;
    lora.bandwidth = 125000;
    lora.spreading_factor = 7;
    mod.parameters_case = CHIRPSTACK__INTEGRATION__MODULATION__PARAMETERS_LORA;
    mod.lora = &lora;
    tx.frequency = 868100000;
    tx.modulation = &mod;
    m.tx_info = &tx;
    n = chirpstack__integration__uplink_event__get_packed_size(&m);
    if (n > cap)
        return 0;
    return chirpstack__integration__uplink_event__pack(&m, (uint8_t *)out);
}

static size_t make_body(long i, char *out, size_t cap)
{
    long dev = i % o.devices, fcnt = i / o.devices;
    char eui[48], ts[40], b64[2048];
    uint8_t payload[1024];
    int plen = mue_hex_decode(o.payload_hex, strlen(o.payload_hex), payload, sizeof(payload));
    size_t plen_ok = plen > 0 ? (size_t)plen : 0;

    char hex[24];
    size_t plen_eui = strlen(o.eui_prefix);
    snprintf(hex, sizeof(hex), "%016lx", (unsigned long)dev);
    /* The prefix, then the low hex digits of the device index: 16 digits in all. */
    snprintf(eui, sizeof(eui), "%s%s", o.eui_prefix, hex + plen_eui);
    mue_time_format(o.start_us + (int64_t)fcnt * o.step_s * 1000000LL, ts, sizeof(ts));
    mue_base64_encode(payload, plen_ok, b64, sizeof(b64));
    int n = snprintf(out, cap,
                     "{\"deduplicationId\":\"%s-%08lx\",\"time\":\"%s\","
                     "\"deviceInfo\":{\"tenantName\":\"AMP\",\"applicationName\":\"mue-post\","
                     "\"deviceName\":\"dev-%ld\",\"devEui\":\"%s\"},"
                     "\"devAddr\":\"00189440\",\"dr\":5,\"fCnt\":%ld,\"fPort\":%ld,\"data\":\"%s\","
                     "\"rxInfo\":[{\"gatewayId\":\"0016c001f153a14c\",\"rssi\":-97,\"snr\":6.5}],"
                     "\"txInfo\":{\"frequency\":868100000,\"modulation\":{\"lora\":{\"bandwidth\":"
                     "125000,\"spreadingFactor\":7,\"codeRate\":\"CR_4_5\"}}}}",
                     o.run_id, (unsigned long)i, ts, dev, eui, fcnt, o.fport, b64);
    return n > 0 ? (size_t)n : 0;
}

static void *worker(void *arg)
{
    char body[4096], resp_body[1024], auth[600];
    const char *headers[] = { auth, NULL };
    struct mue_http_conn *conn = NULL;
    struct mue_http_conn_resp resp = { .body = resp_body, .cap = sizeof(resp_body) };
    struct totals t = { 0 };
    (void)arg;

    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", o.secret);
    mue_http_conn_new(&conn, o.url); /* checked in main */
    for (;;) {
        long i;
        pthread_mutex_lock(&lock);
        i = next_index < o.count ? next_index++ : -1;
        pthread_mutex_unlock(&lock);
        if (i < 0)
            break;
        if (o.rate > 0) {
            /* Uplink i is due i/rate seconds after the start, like a fleet's steady traffic. */
            int64_t due = start_ms + (int64_t)((double)i * 1000.0 / o.rate);
            int64_t wait = due - mue_time_mono_ms();
            if (wait > 0) {
                struct timespec ts = { (time_t)(wait / 1000), (long)(wait % 1000) * 1000000L };
                nanosleep(&ts, NULL);
            }
        }
        size_t blen =
            o.protobuf ? make_body_pb(i, body, sizeof(body)) : make_body(i, body, sizeof(body));
        if (blen == 0) {
            t.failed++;
            continue;
        }
        int status = -1;
        for (int attempt = 0; attempt < 60; attempt++) {
            int rc =
                mue_http_conn_request(conn, "POST", "/v1/chirpstack?event=up", headers,
                                      o.protobuf ? "application/octet-stream" : "application/json",
                                      body, blen, 30000, &resp);
            status = rc == 0 ? resp.status : -1;
            if (status == 202)
                break;
            /* As a network server: a lost connection or a 503 is retried after a pause. */
            t.retries++;
            struct timespec ts = { 0, 200 * 1000000L };
            nanosleep(&ts, NULL);
            if (status >= 400 && status != 503)
                break;
        }
        if (status == 202 && strstr(resp_body, "\"duplicate\":true"))
            t.duplicates++;
        else if (status == 202)
            t.accepted++;
        else
            t.failed++;
    }
    mue_http_conn_free(conn);
    pthread_mutex_lock(&lock);
    tot.accepted += t.accepted;
    tot.duplicates += t.duplicates;
    tot.failed += t.failed;
    tot.retries += t.retries;
    pthread_mutex_unlock(&lock);
    return NULL;
}

static void usage(void)
{
    fprintf(stderr,
            "usage: mue-post --url http://127.0.0.1:8081 --secret S [--count N] [--devices D]\n"
            "       [--threads T] [--eui-prefix HEX] [--payload-hex HEX] [--fport P]\n"
            "       [--start RFC3339] [--step-s S] [--run-id ID] [--rate PER_S] [--protobuf]\n"
            "Prints: sent N accepted N duplicates N failed N retries N seconds S\n");
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "url", required_argument, NULL, 'u' },
        { "secret", required_argument, NULL, 's' },
        { "count", required_argument, NULL, 'n' },
        { "devices", required_argument, NULL, 'd' },
        { "threads", required_argument, NULL, 't' },
        { "eui-prefix", required_argument, NULL, 'e' },
        { "payload-hex", required_argument, NULL, 'p' },
        { "fport", required_argument, NULL, 'f' },
        { "start", required_argument, NULL, 'a' },
        { "step-s", required_argument, NULL, 'i' },
        { "run-id", required_argument, NULL, 'r' },
        { "rate", required_argument, NULL, 'R' },
        { "protobuf", no_argument, NULL, 'P' },
        { NULL, 0, NULL, 0 },
    };
    pthread_t th[64];
    int c;

    o.url = "http://127.0.0.1:8081";
    o.count = 100;
    o.devices = 10;
    o.threads = 4;
    o.eui_prefix = "24e12471";
    o.payload_hex = "01755c03824408040001";
    o.fport = 85;
    o.start_us = 1767225600000000LL; /* 2026-01-01T00:00:00Z */
    o.step_s = 60;
    o.run_id = "mue-post";
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'u':
            o.url = optarg;
            break;
        case 's':
            o.secret = optarg;
            break;
        case 'n':
            o.count = atol(optarg);
            break;
        case 'd':
            o.devices = atol(optarg);
            break;
        case 't':
            o.threads = atol(optarg);
            break;
        case 'e':
            o.eui_prefix = optarg;
            break;
        case 'p':
            o.payload_hex = optarg;
            break;
        case 'f':
            o.fport = atol(optarg);
            break;
        case 'a':
            if (mue_time_parse(optarg, &o.start_us) < 0) {
                usage();
                return 2;
            }
            break;
        case 'i':
            o.step_s = atol(optarg);
            break;
        case 'r':
            o.run_id = optarg;
            break;
        case 'R':
            o.rate = atof(optarg);
            break;
        case 'P':
            o.protobuf = 1;
            break;
        default:
            usage();
            return 2;
        }
    }
    struct mue_http_conn *probe;
    if (mue_http_conn_new(&probe, o.url) < 0) {
        usage();
        return 2;
    }
    mue_http_conn_free(probe);
    if (o.secret == NULL || o.devices < 1 || o.threads < 1 || o.threads > 64 ||
        strlen(o.eui_prefix) > 15) {
        usage();
        return 2;
    }
    int64_t t0 = mue_time_mono_ms();
    start_ms = t0;
    for (long i = 0; i < o.threads; i++)
        pthread_create(&th[i], NULL, worker, NULL);
    for (long i = 0; i < o.threads; i++)
        pthread_join(th[i], NULL);
    printf("sent %ld accepted %ld duplicates %ld failed %ld retries %ld seconds %.2f\n", o.count,
           tot.accepted, tot.duplicates, tot.failed, tot.retries,
           (double)(mue_time_mono_ms() - t0) / 1000.0);
    return tot.failed ? 1 : 0;
}
