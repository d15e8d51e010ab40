/* downlink_forward.c - the forwarder's thread: fetch a DownlinkRequest, call the network server's
 * API (once: see downlink_ledger.h), publish the status, then acknowledge, hand back or terminate
 * the request.
 * SPDX-License-Identifier: MIT */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "downlink.h"
#include "downlink_api.h"
#include "downlink_forward.h"
#include "downlink_ledger.h"
#include "mue_bus.h"
#include "mue_err.h"
#include "mue_http_client.h"
#include "mue_kv.h"
#include "mue_log.h"
#include "mue_mem.h"
#include "mue_metrics.h"
#include "mue_signal.h"
#include "mue_subjects.h"
#include "mue_time.h"

/* A fetch waits this long for a request, so a stop is noticed within it. */
#define POLL_MS 500
/* Tries at storing one status before the request is handed back to JetStream instead. */
#define STATUS_TRIES 3
/* The network server's answers are a small JSON object; error pages may be longer. */
#define ANSWER_MAX 2048

enum network_label { NET_CHIRPSTACK, NET_TTS, NET_OTHER, NET_COUNT };
enum outcome_label { OUT_QUEUED, OUT_FAILED, OUT_EXPIRED, OUT_RETRIED, OUT_COUNT };

static struct mue_metric *m_downlinks[NET_COUNT][OUT_COUNT];
static pthread_once_t metrics_once = PTHREAD_ONCE_INIT;

struct downlink_forward {
    struct mue_bus *bus;
    const struct downlink_config *cfg;
    struct mue_bus_consumer *cons;
    struct mue_kv *refs;
    pthread_t thread;
    int stop; /* set by downlink_forward_stop, read by the thread (atomics) */
    uint32_t rng;
};

static void metrics_register(void)
{
    static const char *const nets[NET_COUNT] = { "chirpstack", "tts", "other" };
    static const char *const outs[OUT_COUNT] = { "queued", "failed", "expired", "retried" };
    char labels[64];

    for (int n = 0; n < NET_COUNT; n++) {
        for (int o = 0; o < OUT_COUNT; o++) {
            snprintf(labels, sizeof(labels), "network=\"%s\",outcome=\"%s\"", nets[n], outs[o]);
            m_downlinks[n][o] = mue_metrics_counter(
                "mue_ingest_downlinks_total", labels,
                "Downlink requests by network and outcome (retried: each attempt handed back)");
        }
    }
}

static void count(const char *network, enum outcome_label o)
{
    /* Fixed labels: a request's network name is the sender's text, not a label to multiply. */
    enum network_label n = strcmp(network, "chirpstack") == 0 ? NET_CHIRPSTACK
                           : strcmp(network, "tts") == 0      ? NET_TTS
                                                              : NET_OTHER;
    mue_metric_inc(m_downlinks[n][o]);
}

static int stopping(struct downlink_forward *f)
{
    return __atomic_load_n(&f->stop, __ATOMIC_RELAXED) || mue_signal_stopping();
}

/* xorshift32: the jitter needs spread, not secrecy. */
static uint32_t next_random(struct downlink_forward *f)
{
    uint32_t x = f->rng;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    f->rng = x;
    return x;
}

/* Stores one status, trying a few times: the request it reports on is settled only after. */
static int publish_status(struct downlink_forward *f, const struct downlink_status *st)
{
    char subject[96], msg_id[160];
    size_t len = 0;
    uint8_t *buf;
    int rc = MUE_EBUS;

    if (downlink_status_subject(st, subject, sizeof(subject)) < 0 ||
        downlink_status_msg_id(st, msg_id, sizeof(msg_id)) < 0)
        return MUE_E2BIG; /* cannot happen with checked requests */
    buf = downlink_status_pack(st, &len);
    for (int i = 0; i < STATUS_TRIES && rc < 0; i++) {
        if (i > 0 && mue_signal_sleep_ms(1000))
            break;
        rc = mue_bus_publish(f->bus, subject, buf, len, msg_id, NULL, 5000, NULL);
    }
    free(buf);
    return rc;
}

/* Reports the end of a request (QUEUED, FAILED, EXPIRED) and settles it: acknowledged when
 * queued, terminated otherwise. A request too broken to address a status to is only logged. */
static void finish(struct downlink_forward *f, natsMsg *m, const struct downlink_request *rq,
                   enum downlink_state state, uint32_t attempt, const char *reason,
                   const char *network_ref)
{
    struct downlink_status st = { rq->id, rq->network, rq->dev_eui, state, mue_time_now_us(),
                                  reason, network_ref, attempt };
    char quoted[320];
    int addressable = rq->id[0] != '\0' && rq->network[0] != '\0' && rq->dev_eui[0] != '\0';

    if (state == DOWNLINK_QUEUED)
        mue_log_info("downlink.queued", "id=%s network=%s dev_eui=%s attempt=%u network_ref=%s",
                     rq->id, rq->network, rq->dev_eui, attempt,
                     network_ref && network_ref[0] ? network_ref : "-");
    else
        mue_log_warn(state == DOWNLINK_EXPIRED ? "downlink.expired" : "downlink.failed",
                     "id=%s network=%s dev_eui=%s attempt=%u reason=\"%s\"",
                     rq->id[0] ? rq->id : "-", rq->network[0] ? rq->network : "-",
                     rq->dev_eui[0] ? rq->dev_eui : "-", attempt,
                     mue_log_quote(quoted, sizeof(quoted), reason ? reason : ""));
    if (addressable && publish_status(f, &st) < 0) {
        /* Not stored: JetStream delivers the request again and this step is redone. */
        mue_bus_nak(m, 1000);
        return;
    }
    count(rq->network, state == DOWNLINK_QUEUED    ? OUT_QUEUED
                       : state == DOWNLINK_EXPIRED ? OUT_EXPIRED
                                                   : OUT_FAILED);
    if (state == DOWNLINK_QUEUED)
        mue_bus_ack(m);
    else
        mue_bus_term(m);
}

/* The network server has the downlink: written down before anything else can fail, so that a
 * redelivery of the request (the status not stored, a crash before the ack) reports it again
 * instead of queuing it twice. Not written down (the bucket down), it is reported and acknowledged
 * all the same: only a redelivery could send it twice, and a redelivery first looks at the queue.
 */
static void settle_queued(struct downlink_forward *f, natsMsg *m, const struct downlink_request *rq,
                          uint32_t attempt, const char *network_ref)
{
    (void)downlink_ledger_record_sent(f->refs, rq, network_ref, attempt);
    finish(f, m, rq, DOWNLINK_QUEUED, attempt, NULL, network_ref);
}

/* A 2xx answer. ChirpStack names the queue item; its later events (ack, txack, log) carry only
 * that name, so it is kept for the webhook side. */
static void queued(struct downlink_forward *f, natsMsg *m, const struct downlink_request *rq,
                   uint32_t attempt, const struct mue_http_resp *resp)
{
    char ref[DOWNLINK_REF_CAP] = "", why[160] = "";

    if (strcmp(rq->network, "chirpstack") == 0 &&
        downlink_chirpstack_parse_answer(resp->body, resp->len, ref, sizeof(ref), why,
                                         sizeof(why)) < 0) {
        /* Queued all the same: sending it again would send it twice. */
        mue_log_warn("downlink.untraceable", "id=%s reason=\"ChirpStack's answer: %s\"", rq->id,
                     why);
        ref[0] = '\0';
    }
    settle_queued(f, m, rq, attempt, ref);
}

/* A transient failure: another attempt later, unless attempts or time ran out. */
static void retry_or_give_up(struct downlink_forward *f, natsMsg *m,
                             const struct downlink_request *rq, uint32_t attempt, const char *last,
                             long retry_after_s)
{
    char reason[320], quoted[320];
    long delay;
    struct downlink_status st;

    if (attempt >= (uint32_t)f->cfg->max_attempts) {
        snprintf(reason, sizeof(reason), "gave up after %u attempts; last: %s", attempt, last);
        finish(f, m, rq, DOWNLINK_FAILED, attempt, reason, NULL);
        return;
    }
    delay = downlink_retry_delay_ms(attempt, f->cfg->backoff_ms, DOWNLINK_BACKOFF_CAP_MS,
                                    retry_after_s >= 0 ? retry_after_s * 1000 : -1, next_random(f));
    if (rq->expires_at_us != 0 && mue_time_now_us() + (int64_t)delay * 1000 >= rq->expires_at_us) {
        snprintf(reason, sizeof(reason), "expires before the next attempt; last: %s", last);
        finish(f, m, rq, DOWNLINK_EXPIRED, attempt, reason, NULL);
        return;
    }
    mue_log_warn("downlink.retrying",
                 "id=%s network=%s dev_eui=%s attempt=%u delay_ms=%ld "
                 "reason=\"%s\"",
                 rq->id, rq->network, rq->dev_eui, attempt, delay,
                 mue_log_quote(quoted, sizeof(quoted), last));
    st = (struct downlink_status){ .id = rq->id,
                                   .network = rq->network,
                                   .dev_eui = rq->dev_eui,
                                   .state = DOWNLINK_RETRYING,
                                   .time_us = mue_time_now_us(),
                                   .reason = last,
                                   .attempt = attempt };
    /* Handed back even when the status was not stored: the retry matters more than its news. */
    (void)publish_status(f, &st);
    count(rq->network, OUT_RETRIED);
    mue_bus_nak(m, delay);
}

/* The queue look and the call after it may each take a whole timeout, and the ack wait is sized
 * for one (downlink_forward_start): tell JetStream this delivery is still being worked on. */
static void still_working(natsMsg *m)
{
    (void)natsMsg_InProgress(m, NULL); /* a lost notice costs at most a redelivery */
}

static const char *const bucket_unreadable = "the bucket " MUE_KV_DOWNLINK_REFS " cannot be read";

/* The last call may have queued the downlink without mue hearing of it (see
 * downlink_retry_may_have_queued): the device's queue tells. Returns true when the request was
 * settled here - found and reported QUEUED, or the look failed, which counts as one more
 * transient failure - and false when the downlink is not in the queue, so that it is sent. */
static bool settled_by_queue(struct downlink_forward *f, natsMsg *m,
                             const struct downlink_request *rq, uint32_t attempt)
{
    char ref[DOWNLINK_REF_CAP], why[300] = "";
    long retry_after_s = -1;
    int rc = downlink_api_find_queued(f->cfg, f->refs, rq, ref, why, sizeof(why), &retry_after_s);

    if (rc < 0) {
        retry_or_give_up(f, m, rq, attempt, why, retry_after_s);
        return true;
    }
    if (rc == 0) {
        mue_log_info("downlink.not_queued", "id=%s network=%s dev_eui=%s attempt=%u", rq->id,
                     rq->network, rq->dev_eui, attempt);
        return false;
    }
    mue_log_info("downlink.found_queued", "id=%s network=%s dev_eui=%s attempt=%u network_ref=%s",
                 rq->id, rq->network, rq->dev_eui, attempt, ref[0] ? ref : "-");
    settle_queued(f, m, rq, attempt, ref);
    return true;
}

static void call_api(struct downlink_forward *f, natsMsg *m, const struct downlink_request *rq,
                     uint32_t attempt, const struct downlink_call *call)
{
    char answer[ANSWER_MAX], last[256];
    struct mue_http_resp resp = { .body = answer, .cap = sizeof(answer) };
    int rc;

    /* Marked before it goes out: a crash or a lost answer from here on leaves the mark, and the
     * next delivery looks at the queue before calling again. */
    if (downlink_ledger_mark_sending(f->refs, rq->id, attempt) < 0) {
        retry_or_give_up(f, m, rq, attempt, "the bucket " MUE_KV_DOWNLINK_REFS " cannot be written",
                         -1);
        return;
    }
    rc = downlink_api_call(f->cfg, "POST", call, &resp);
    switch (downlink_retry_classify(rc, resp.status)) {
    case DOWNLINK_ACCEPTED:
        queued(f, m, rq, attempt, &resp);
        break;
    case DOWNLINK_TRANSIENT:
        if (!downlink_retry_may_have_queued(rc, resp.status, resp.sent))
            downlink_ledger_clear_sending(f->refs, rq->id);
        downlink_api_describe(rc, &resp, last, sizeof(last));
        retry_or_give_up(f, m, rq, attempt, last, rc == 0 ? resp.retry_after_s : -1);
        break;
    case DOWNLINK_REFUSED:
        downlink_api_describe(rc, &resp, last, sizeof(last));
        finish(f, m, rq, DOWNLINK_FAILED, attempt, last, NULL);
        break;
    }
}

/* A request the API accepted before (its status or its ack was lost): reported again with what
 * was recorded, and nothing sent. Returns true when it was such a request, or when the bucket
 * could not tell (then retried later). */
static bool settled_before(struct downlink_forward *f, natsMsg *m,
                           const struct downlink_request *rq, uint32_t attempt)
{
    char ref[DOWNLINK_REF_CAP];
    uint32_t was = 0;
    int rc = downlink_ledger_sent(f->refs, rq->id, ref, sizeof(ref), &was);

    if (rc == MUE_ENOENT)
        return false;
    if (rc < 0) {
        retry_or_give_up(f, m, rq, attempt, bucket_unreadable, -1);
        return true;
    }
    mue_log_info("downlink.already_queued", "id=%s network=%s attempt=%u queued_at=%u", rq->id,
                 rq->network, attempt, was);
    /* The attempt it was queued at: the status then has the Nats-Msg-Id of the first report, and
     * JetStream drops it as a duplicate if that one was stored after all. */
    settle_queued(f, m, rq, was > 0 ? was : attempt, ref);
    return true;
}

static void forward(struct downlink_forward *f, natsMsg *m)
{
    struct downlink_request rq;
    struct downlink_call call;
    char reason[256];
    uint64_t deliveries = mue_bus_msg_deliveries(m);
    uint32_t attempt = deliveries > 0 && deliveries < UINT32_MAX ? (uint32_t)deliveries : 1;
    int rc;

    memset(&call, 0, sizeof(call));
    if (downlink_request_decode(mue_bus_msg_data(m), mue_bus_msg_len(m), &rq, reason,
                                sizeof(reason)) < 0) {
        finish(f, m, &rq, DOWNLINK_FAILED, attempt, reason, NULL);
        return;
    }
    if (settled_before(f, m, &rq, attempt))
        return;
    if (rq.expires_at_us != 0 && mue_time_now_us() >= rq.expires_at_us) {
        finish(f, m, &rq, DOWNLINK_EXPIRED, attempt, "expired before it could be sent", NULL);
        return;
    }
    if (strcmp(rq.network, "chirpstack") == 0) {
        rc = downlink_chirpstack_call(&rq, f->cfg, &call, reason, sizeof(reason));
    } else if (strcmp(rq.network, "tts") == 0) {
        rc = downlink_tts_call(&rq, f->cfg, &call, reason, sizeof(reason));
    } else {
        snprintf(reason, sizeof(reason), "network '%s' takes no downlinks from mue", rq.network);
        rc = MUE_ENOTSUP;
    }
    if (rc < 0) {
        finish(f, m, &rq, DOWNLINK_FAILED, attempt, reason, NULL);
        goto out;
    }
    rc = downlink_ledger_is_sending(f->refs, rq.id);
    if (rc < 0) {
        retry_or_give_up(f, m, &rq, attempt, bucket_unreadable, -1);
        goto out;
    }
    if (rc == 1) {
        if (settled_by_queue(f, m, &rq, attempt))
            goto out;
        still_working(m);
    }
    call_api(f, m, &rq, attempt, &call);
out:
    downlink_call_fini(&call);
}

static void *run(void *arg)
{
    struct downlink_forward *f = arg;

    mue_log_info("downlink.forwarder_started", "durable=%s filter=%s", f->cfg->durable,
                 f->cfg->filter);
    while (!stopping(f)) {
        struct mue_bus_batch b;
        /* One at a time: each may take a whole API timeout, and the ack wait covers one. */
        if (mue_bus_fetch(f->cons, &b, 1, POLL_MS) > 0) {
            if (stopping(f))
                mue_bus_nak(b.list.Msgs[0], 0);
            else
                forward(f, b.list.Msgs[0]);
        }
        mue_bus_batch_fini(&b);
    }
    mue_log_info("downlink.forwarder_stopped", "durable=%s", f->cfg->durable);
    return NULL;
}

/* A URL that is set must parse: a typo found at start beats every downlink failing. */
static int check_url(const char *var, const char *url)
{
    struct mue_http_url u;

    if (url == NULL || url[0] == '\0')
        return MUE_OK;
    if (mue_http_url_parse(url, &u) < 0) {
        mue_log_error("config.invalid", "var=%s reason=\"not an http:// or https:// URL\"", var);
        return MUE_ECONFIG;
    }
    /* Not fatal: the other network may still work, and this network's downlinks fail with the
     * same reason, where the operator looks. */
    if (u.tls && !mue_http_client_has_tls())
        mue_log_error("downlink.tls_unavailable",
                      "var=%s reason=\"https needs libssl, which civetweb could not load; use "
                      "http to a TLS-terminating proxy\"",
                      var);
    return MUE_OK;
}

int downlink_forward_start(struct downlink_forward **out, struct mue_bus *bus,
                           const struct downlink_config *cfg)
{
    /* The ack wait covers one API call, its connection and the status; a queue look before the
     * call gets one of its own (still_working). */
    struct mue_bus_consumer_opts co = { cfg->stream, cfg->durable, cfg->filter,
                                        cfg->timeout_ms + 30000, 64 };
    struct downlink_forward *f;

    if (check_url("MUE_CHIRPSTACK_API_URL", cfg->chirpstack_api_url) < 0 ||
        check_url("MUE_TTS_API_URL", cfg->tts_api_url) < 0)
        return MUE_ECONFIG;
    pthread_once(&metrics_once, metrics_register);
    mue_http_client_init(); /* here, on the main thread, not racing civetweb's servers */
    f = mue_xcalloc(1, sizeof(*f));
    f->bus = bus;
    f->cfg = cfg;
    f->rng = (uint32_t)mue_time_now_us() ^ ((uint32_t)getpid() << 16) ^ 0x9e3779b9u;
    if (f->rng == 0)
        f->rng = 1;
    if (mue_kv_open(&f->refs, bus, MUE_KV_DOWNLINK_REFS, MUE_KV_DOWNLINK_REFS_TTL_S) < 0 ||
        mue_bus_consumer_open(&f->cons, bus, &co) < 0)
        goto fail;
    if (pthread_create(&f->thread, NULL, run, f) != 0) {
        mue_log_error("downlink.thread_failed", "reason=\"pthread_create\"");
        goto fail;
    }
    *out = f;
    return MUE_OK;
fail:
    mue_bus_consumer_close(f->cons);
    mue_kv_close(f->refs);
    free(f);
    return MUE_EBUS;
}

void downlink_forward_stop(struct downlink_forward *f)
{
    if (f == NULL)
        return;
    __atomic_store_n(&f->stop, 1, __ATOMIC_RELAXED);
    pthread_join(f->thread, NULL);
    mue_bus_consumer_close(f->cons);
    mue_kv_close(f->refs);
    free(f);
}
