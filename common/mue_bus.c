/* mue_bus.c - the one adapter to nats.c: natsStatus becomes MUE_EBUS here, logged once.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mue_bus.h"
#include "mue_err.h"
#include "mue_log.h"
#include "mue_mem.h"
#include "mue_redact.h"
#include "mue_signal.h"
#include "mue_subjects.h"
#include "mue_time.h"

#define NS_PER_MS 1000000LL
#define NS_PER_S  1000000000LL

struct mue_bus {
    natsConnection *nc;
    jsCtx *js;
    struct mue_bus_opts opts;
    int async_failed; /* set by the async error handler (a nats.c thread) */
};

struct mue_bus_consumer {
    struct mue_bus *bus;
    natsSubscription *sub;
    char stream[64], durable[64], filter[128];
    long ack_wait_ms, max_ack_pending;
    int failures; /* consecutive fetch failures */
};

static const char *last_error(natsStatus s)
{
    const char *text = nats_GetLastError(NULL);
    return text != NULL && text[0] != '\0' ? text : natsStatus_GetText(s);
}

static void log_nats(const char *event, natsStatus s, jsErrCode jerr, const char *what)
{
    char quoted[256];
    mue_log_error(event, "what=%s status=%d js_err=%d err=\"%s\"", what, (int)s, (int)jerr,
                  mue_log_quote(quoted, sizeof(quoted), last_error(s)));
}

static void on_disconnected(natsConnection *nc, void *closure)
{
    (void)closure;
    if (natsConnection_IsClosed(nc))
        return; /* our own close, not a lost server */
    mue_log_warn("bus.disconnected", "reason=\"connection lost, reconnecting\"");
}

static void on_reconnected(natsConnection *nc, void *closure)
{
    char url[256] = "", shown[256];
    (void)closure;
    natsConnection_GetConnectedUrl(nc, url, sizeof(url));
    mue_log_info("bus.reconnected", "url=%s", mue_redact_url(shown, sizeof(shown), url));
}

static void on_async_error(jsCtx *js, jsPubAckErr *pae, void *closure)
{
    struct mue_bus *b = closure;
    char quoted[256];
    (void)js;
    __atomic_store_n(&b->async_failed, 1, __ATOMIC_RELAXED);
    mue_log_warn("bus.publish_failed", "subject=%s err=\"%s\"",
                 pae->Msg ? natsMsg_GetSubject(pae->Msg) : "?",
                 mue_log_quote(quoted, sizeof(quoted),
                               pae->ErrText ? pae->ErrText : natsStatus_GetText(pae->Err)));
}

/* libnats 3.4.1 takes one URL in natsOptions_SetURL (a comma-separated list there finds "no
 * server"): the list is split here and handed over as the server pool (its first 16). */
static natsStatus set_servers(natsOptions *nopts, const char *list)
{
    char *copy = mue_xstrdup(list), *save = NULL, *tok;
    const char *urls[16];
    int n = 0;
    natsStatus s;

    for (tok = strtok_r(copy, ", ", &save); tok != NULL && n < 16;
         tok = strtok_r(NULL, ", ", &save))
        urls[n++] = tok;
    s = n > 0 ? natsOptions_SetServers(nopts, urls, n) : NATS_INVALID_ARG;
    free(copy);
    return s;
}

int mue_bus_open(struct mue_bus **out, const struct mue_bus_opts *o)
{
    struct mue_bus *b = mue_xcalloc(1, sizeof(*b));
    natsOptions *nopts = NULL;
    jsOptions jo;
    natsStatus s;
    int64_t t0 = mue_time_mono_ms(), waited = 0;
    int rc = MUE_EBUS;
    char shown[512]; /* the URLs as logged: without their credentials */

    mue_redact_url(shown, sizeof(shown), o->url);
    b->opts = *o;
    s = natsOptions_Create(&nopts);
    if (s == NATS_OK)
        s = set_servers(nopts, o->url);
    if (s == NATS_OK)
        s = natsOptions_SetName(nopts, o->name);
    if (s == NATS_OK)
        s = natsOptions_SetMaxReconnect(nopts, -1); /* a service outlives any server restart */
    if (s == NATS_OK)
        s = natsOptions_SetReconnectWait(nopts, 250);
    if (s == NATS_OK) /* one attempt never outlasts the whole budget */
        s = natsOptions_SetTimeout(nopts, o->connect_timeout_ms > 0 && o->connect_timeout_ms < 2000
                                              ? o->connect_timeout_ms
                                              : 2000);
    if (s == NATS_OK)
        s = natsOptions_SetDisconnectedCB(nopts, on_disconnected, b);
    if (s == NATS_OK)
        s = natsOptions_SetReconnectedCB(nopts, on_reconnected, b);
    if (s != NATS_OK) {
        log_nats("bus.options_failed", s, 0, "options");
        goto out;
    }
    for (;;) {
        s = natsConnection_Connect(&b->nc, nopts);
        if (s == NATS_OK)
            break;
        waited = mue_time_mono_ms() - t0;
        if (waited >= o->connect_timeout_ms || mue_signal_stopping()) {
            log_nats("bus.connect_failed", s, 0, shown);
            goto out;
        }
        mue_log_warn("bus.connect_retrying", "url=%s waited_ms=%lld", shown, (long long)waited);
        mue_signal_sleep_ms(500);
        waited = mue_time_mono_ms() - t0; /* attempts count too, not only the pauses */
    }
    jsOptions_Init(&jo);
    jo.PublishAsync.MaxPending = 4096;
    jo.PublishAsync.ErrHandler = on_async_error;
    jo.PublishAsync.ErrHandlerClosure = b;
    s = natsConnection_JetStream(&b->js, b->nc, &jo);
    if (s != NATS_OK) {
        log_nats("bus.jetstream_failed", s, 0, "context");
        goto out;
    }
    mue_log_info("bus.connected", "url=%s name=%s", shown, o->name);
    *out = b;
    b = NULL;
    rc = MUE_OK;
out:
    natsOptions_Destroy(nopts);
    mue_bus_close(b);
    return rc;
}

void mue_bus_close(struct mue_bus *b)
{
    if (b == NULL)
        return;
    if (b->js != NULL) {
        jsPubOptions po;
        jsPubOptions_Init(&po);
        po.MaxWait = 2000;
        js_PublishAsyncComplete(b->js, &po);
        jsCtx_Destroy(b->js);
    }
    if (b->nc != NULL) {
        natsConnection_FlushTimeout(b->nc, 1000);
        natsConnection_Destroy(b->nc);
    }
    free(b);
}

int mue_bus_is_connected(struct mue_bus *b)
{
    return b != NULL && b->nc != NULL && natsConnection_Status(b->nc) == NATS_CONN_STATUS_CONNECTED;
}

static int ensure_stream(struct mue_bus *b, const char *name, const char **subjects, int nsubjects)
{
    jsStreamConfig sc;
    jsStreamInfo *si = NULL;
    jsErrCode jerr = 0;
    natsStatus s;

    jsStreamConfig_Init(&sc);
    sc.Name = name;
    sc.Subjects = subjects;
    sc.SubjectsLen = nsubjects;
    sc.Storage = js_FileStorage;
    sc.Retention = js_LimitsPolicy;
    sc.MaxAge = (int64_t)b->opts.max_age_s * NS_PER_S;
    sc.Duplicates = (int64_t)b->opts.duplicate_window_s * NS_PER_S;
    sc.Replicas = b->opts.replicas;
    /* A cluster still electing its JetStream leaders (all of it just started, or a node lost)
     * answers late or not at all: tried again as long as the first connection may take. */
    int64_t until = mue_time_mono_ms() + b->opts.connect_timeout_ms;
    for (;;) {
        jerr = 0;
        s = js_AddStream(&si, b->js, &sc, NULL, &jerr);
        if (s != NATS_OK && jerr == JSStreamNameExistErr) {
            jerr = 0;
            s = js_UpdateStream(&si, b->js, &sc, NULL, &jerr);
        }
        jsStreamInfo_Destroy(si);
        si = NULL;
        if ((s != NATS_TIMEOUT && s != NATS_NO_RESPONDERS) || mue_time_mono_ms() >= until ||
            mue_signal_stopping())
            break;
        mue_log_warn("bus.stream_retrying", "what=%s status=%d reason=\"%s\"", name, (int)s,
                     natsStatus_GetText(s));
        mue_signal_sleep_ms(500);
    }
    if (s != NATS_OK) {
        log_nats("bus.stream_failed", s, jerr, name);
        return MUE_EBUS;
    }
    return MUE_OK;
}

int mue_bus_ensure_streams(struct mue_bus *b)
{
    static const char *uplinks[] = { MUE_SUBJ_UPLINK_ALL, MUE_SUBJ_DEVICE_ALL };
    static const char *measures[] = { MUE_SUBJ_MEASURE_ALL };
    static const char *alerts[] = { MUE_SUBJ_ALERT_ALL };
    static const char *downlinks[] = { MUE_SUBJ_DOWNLINK_ALL, MUE_SUBJ_DLSTATUS_ALL };
    static const char *deadletter[] = { MUE_SUBJ_DEADLETTER_ALL };

    if (ensure_stream(b, MUE_STREAM_UPLINKS, uplinks, 2) < 0 ||
        ensure_stream(b, MUE_STREAM_MEASURES, measures, 1) < 0 ||
        ensure_stream(b, MUE_STREAM_ALERTS, alerts, 1) < 0 ||
        ensure_stream(b, MUE_STREAM_DOWNLINKS, downlinks, 2) < 0 ||
        ensure_stream(b, MUE_STREAM_DEADLETTER, deadletter, 1) < 0)
        return MUE_EBUS;
    mue_log_info("bus.streams_ready", "duplicate_window_s=%ld max_age_s=%ld replicas=%ld",
                 b->opts.duplicate_window_s, b->opts.max_age_s, b->opts.replicas);
    return MUE_OK;
}

static natsStatus make_msg(natsMsg **out, const char *subject, const void *data, size_t len,
                           const char *msg_id, const char *reason)
{
    natsStatus s = natsMsg_Create(out, subject, NULL, data, (int)len);
    if (s == NATS_OK && msg_id != NULL)
        s = natsMsgHeader_Set(*out, "Nats-Msg-Id", msg_id);
    if (s == NATS_OK && reason != NULL)
        s = natsMsgHeader_Set(*out, MUE_HDR_REASON, reason);
    return s;
}

int mue_bus_publish(struct mue_bus *b, const char *subject, const void *data, size_t len,
                    const char *msg_id, const char *reason, long timeout_ms, int *duplicate)
{
    natsMsg *msg = NULL;
    jsPubAck *pa = NULL;
    jsPubOptions po;
    jsErrCode jerr = 0;
    natsStatus s;
    int rc = MUE_OK;

    jsPubOptions_Init(&po);
    po.MaxWait = timeout_ms;
    s = make_msg(&msg, subject, data, len, msg_id, reason);
    if (s == NATS_OK)
        s = js_PublishMsg(&pa, b->js, msg, &po, &jerr);
    if (s != NATS_OK) {
        char quoted[256];
        mue_log_warn("bus.publish_failed", "subject=%s status=%d js_err=%d err=\"%s\"", subject,
                     (int)s, (int)jerr, mue_log_quote(quoted, sizeof(quoted), last_error(s)));
        rc = MUE_EBUS;
        goto out;
    }
    if (duplicate != NULL)
        *duplicate = pa->Duplicate;
out:
    jsPubAck_Destroy(pa);
    natsMsg_Destroy(msg);
    return rc;
}

int mue_bus_publish_async(struct mue_bus *b, const char *subject, const void *data, size_t len,
                          const char *msg_id, const char *reason)
{
    natsMsg *msg = NULL;
    natsStatus s = make_msg(&msg, subject, data, len, msg_id, reason);

    if (s == NATS_OK)
        s = js_PublishMsgAsync(b->js, &msg, NULL); /* takes the message on success */
    if (s != NATS_OK) {
        natsMsg_Destroy(msg);
        __atomic_store_n(&b->async_failed, 1, __ATOMIC_RELAXED);
        log_nats("bus.publish_failed", s, 0, subject);
        return MUE_EBUS;
    }
    return MUE_OK;
}

int mue_bus_publish_async_wait(struct mue_bus *b, long timeout_ms)
{
    jsPubOptions po;
    natsStatus s;

    jsPubOptions_Init(&po);
    po.MaxWait = timeout_ms;
    s = js_PublishAsyncComplete(b->js, &po);
    if (s != NATS_OK) {
        natsMsgList pending = { 0 };
        /* Drop what is still in flight: the caller publishes it again under the same ids. */
        if (js_PublishAsyncGetPendingList(&pending, b->js) == NATS_OK)
            natsMsgList_Destroy(&pending);
        log_nats("bus.publish_wait_failed", s, 0, "async acks");
        __atomic_store_n(&b->async_failed, 0, __ATOMIC_RELAXED);
        return MUE_EBUS;
    }
    if (__atomic_exchange_n(&b->async_failed, 0, __ATOMIC_RELAXED))
        return MUE_EBUS;
    return MUE_OK;
}

/* A durable made by an older version may hold other limits than this one asks for, and binding
 * to it would then be refused: bring the ones the server lets change up to date first. */
static void consumer_align(struct mue_bus_consumer *c)
{
    jsConsumerInfo *ci = NULL, *updated = NULL;
    jsErrCode jerr = 0;
    int64_t ack_wait = (int64_t)c->ack_wait_ms * NS_PER_MS;

    if (js_GetConsumerInfo(&ci, c->bus->js, c->stream, c->durable, NULL, &jerr) != NATS_OK)
        return; /* absent: js_PullSubscribe makes it */
    if (ci->Config->MaxAckPending != c->max_ack_pending || ci->Config->AckWait != ack_wait) {
        jsConsumerConfig cfg = *ci->Config;
        cfg.MaxAckPending = c->max_ack_pending;
        cfg.AckWait = ack_wait;
        if (js_UpdateConsumer(&updated, c->bus->js, c->stream, &cfg, NULL, &jerr) == NATS_OK)
            mue_log_info("bus.consumer_updated", "durable=%s max_ack_pending=%ld ack_wait_ms=%ld",
                         c->durable, c->max_ack_pending, c->ack_wait_ms);
        jsConsumerInfo_Destroy(updated);
    }
    jsConsumerInfo_Destroy(ci);
}

static int consumer_bind(struct mue_bus_consumer *c)
{
    jsSubOptions so;
    jsErrCode jerr = 0;
    natsStatus s;

    jsSubOptions_Init(&so);
    so.Stream = c->stream;
    so.Config.Durable = c->durable;
    so.Config.AckPolicy = js_AckExplicit;
    so.Config.AckWait = (int64_t)c->ack_wait_ms * NS_PER_MS;
    so.Config.MaxAckPending = c->max_ack_pending;
    so.Config.MaxDeliver = -1;
    so.Config.DeliverPolicy = js_DeliverAll;
    so.Config.FilterSubject = c->filter;
    consumer_align(c);
    s = js_PullSubscribe(&c->sub, c->bus->js, c->filter, c->durable, NULL, &so, &jerr);
    if (s != NATS_OK) {
        log_nats("bus.consumer_failed", s, jerr, c->durable);
        c->sub = NULL;
        return MUE_EBUS;
    }
    mue_log_info("bus.consumer_bound", "stream=%s durable=%s filter=%s", c->stream, c->durable,
                 c->filter);
    return MUE_OK;
}

int mue_bus_consumer_open(struct mue_bus_consumer **out, struct mue_bus *b,
                          const struct mue_bus_consumer_opts *o)
{
    struct mue_bus_consumer *c = mue_xcalloc(1, sizeof(*c));

    c->bus = b;
    snprintf(c->stream, sizeof(c->stream), "%s", o->stream);
    snprintf(c->durable, sizeof(c->durable), "%s", o->durable);
    snprintf(c->filter, sizeof(c->filter), "%s", o->filter);
    c->ack_wait_ms = o->ack_wait_ms;
    c->max_ack_pending = o->max_ack_pending;
    if (consumer_bind(c) < 0) {
        free(c);
        return MUE_EBUS;
    }
    *out = c;
    return MUE_OK;
}

void mue_bus_consumer_close(struct mue_bus_consumer *c)
{
    if (c == NULL)
        return;
    /* Destroy, not Unsubscribe: Unsubscribe would delete the durable consumer. */
    natsSubscription_Destroy(c->sub);
    free(c);
}

int mue_bus_consumer_pending(struct mue_bus_consumer *c, uint64_t *pending)
{
    jsConsumerInfo *ci = NULL;
    jsErrCode jerr = 0;
    natsStatus s;

    /* By name: the subscription's own lookup fails once it was bound to a durable that a
     * previous process made. */
    s = js_GetConsumerInfo(&ci, c->bus->js, c->stream, c->durable, NULL, &jerr);
    if (s != NATS_OK)
        return MUE_EBUS; /* a lag we cannot read now; the next try may */
    *pending = ci->NumPending + (uint64_t)ci->NumAckPending;
    jsConsumerInfo_Destroy(ci);
    return MUE_OK;
}

/* How many messages (and pull statuses) wait in the subscription's own queue: those of an
 * earlier pull request that came after its fetch had stopped waiting. */
static int queued(struct mue_bus_consumer *c)
{
    int n = 0;

    return natsSubscription_GetPending(c->sub, &n, NULL) == NATS_OK ? n : 0;
}

/* Moves the messages of 'from', a list libnats made, to the end of 'to' (room for 'cap'), and
 * frees 'from' with what did not fit (nothing: callers ask for no more than the room). */
static void batch_take(struct mue_bus_batch *to, natsMsgList *from, int cap)
{
    for (int i = 0; i < from->Count && to->list.Count < cap; i++) {
        to->list.Msgs[to->list.Count++] = from->Msgs[i];
        from->Msgs[i] = NULL;
    }
    natsMsgList_Destroy(from);
}

/* One natsSubscription_Fetch of at most 'want' messages into 'batch'. */
static natsStatus fetch_some(struct mue_bus_consumer *c, struct mue_bus_batch *batch, int want,
                             int cap, long timeout_ms, jsErrCode *jerr)
{
    natsMsgList got = { 0 };
    natsStatus s = natsSubscription_Fetch(&got, c->sub, want, timeout_ms, jerr);

    if (got.Count > want) {
        /* libnats wrote past the array it allocated: the heap is no longer to be trusted. */
        mue_log_error("bus.fetch_overflowed", "durable=%s asked=%d got=%d", c->durable, want,
                      got.Count);
        abort();
    }
    batch_take(batch, &got, cap);
    return s;
}

int mue_bus_fetch(struct mue_bus_consumer *c, struct mue_bus_batch *batch, int max, long timeout_ms)
{
    jsErrCode jerr = 0;
    natsStatus s = NATS_OK;

    memset(batch, 0, sizeof(*batch));
    if (max < 1)
        return MUE_EINVAL;
    if (c->sub == NULL) {
        /* A previous failure dropped the binding: the server may have lost its streams. */
        if (!mue_bus_is_connected(c->bus) || mue_bus_ensure_streams(c->bus) < 0 ||
            consumer_bind(c) < 0) {
            mue_signal_sleep_ms(500);
            return MUE_EBUS;
        }
    }
    batch->list.Msgs = mue_xcalloc((size_t)max, sizeof(natsMsg *));
    /* libnats 3.4.1 (Debian 12's) overflows its array in natsSubscription_Fetch when the
     * subscription already holds messages of an earlier pull request (nats.c #749, fixed in
     * 3.10): having taken k of them, it asks the server for batch - k more but then waits for
     * its count to reach batch - k, which it has passed when k > batch / 2, and stores whatever
     * comes until the timeout. Such leftovers are common on a loaded machine, where the server's
     * pull request outlives the fetch that sent it. So they are taken one fetch of 1 at a time
     * (which only reads the queue, and cannot overflow), and a larger batch is asked for only
     * with the queue empty. A burst landing between that look and the fetch could still do it:
     * fetch_some stops the process then rather than let it run on a torn heap. */
    while (s == NATS_OK && batch->list.Count < max && queued(c) > 0)
        s = fetch_some(c, batch, 1, max, timeout_ms, &jerr);
    if (s == NATS_OK && batch->list.Count == 0)
        s = fetch_some(c, batch, max, max, timeout_ms, &jerr);
    if (batch->list.Count > 0 || (s == NATS_TIMEOUT && jerr == 0)) {
        c->failures = 0;
        return batch->list.Count;
    }
    c->failures++;
    if (c->failures == 1 || c->failures % 20 == 0)
        log_nats("bus.fetch_failed", s, jerr, c->durable);
    if (c->failures >= 5 && mue_bus_is_connected(c->bus)) {
        natsSubscription_Destroy(c->sub);
        c->sub = NULL;
        c->failures = 0;
    }
    mue_signal_sleep_ms(200);
    return MUE_EBUS;
}

void mue_bus_batch_fini(struct mue_bus_batch *batch)
{
    for (int i = 0; i < batch->list.Count; i++)
        natsMsg_Destroy(batch->list.Msgs[i]);
    free(batch->list.Msgs);
    memset(batch, 0, sizeof(*batch));
}

struct mue_bus_sub {
    natsSubscription *sub;
};

int mue_bus_notify(struct mue_bus *b, const char *subject, const void *data, size_t len)
{
    natsStatus s = natsConnection_Publish(b->nc, subject, data, (int)len);
    if (s == NATS_OK)
        s = natsConnection_FlushTimeout(b->nc, 2000);
    if (s != NATS_OK) {
        log_nats("bus.notify_failed", s, 0, subject);
        return MUE_EBUS;
    }
    return MUE_OK;
}

int mue_bus_subscribe(struct mue_bus_sub **out, struct mue_bus *b, const char *subject)
{
    return mue_bus_subscribe_queue(out, b, subject, NULL);
}

int mue_bus_subscribe_queue(struct mue_bus_sub **out, struct mue_bus *b, const char *subject,
                            const char *queue)
{
    struct mue_bus_sub *s = mue_xcalloc(1, sizeof(*s));
    natsStatus st = queue != NULL
                        ? natsConnection_QueueSubscribeSync(&s->sub, b->nc, subject, queue)
                        : natsConnection_SubscribeSync(&s->sub, b->nc, subject);

    if (st != NATS_OK) {
        log_nats("bus.subscribe_failed", st, 0, subject);
        free(s);
        return MUE_EBUS;
    }
    /* The server knows the interest once the flush returns: nothing published after this call is
     * missed (a live stream's first event, a test's first message). */
    st = natsConnection_FlushTimeout(b->nc, 2000);
    if (st != NATS_OK)
        log_nats("bus.subscribe_flush_failed", st, 0, subject);
    *out = s;
    return MUE_OK;
}

int mue_bus_sub_next(struct mue_bus_sub *s, long timeout_ms, natsMsg **msg)
{
    /* nats.c treats a zero timeout as "wait forever": poll with the smallest wait instead. */
    natsStatus st = natsSubscription_NextMsg(msg, s->sub, timeout_ms > 0 ? timeout_ms : 1);

    if (st == NATS_OK)
        return 1;
    if (st == NATS_TIMEOUT)
        return 0;
    log_nats("bus.next_failed", st, 0, "subscription");
    return MUE_EBUS;
}

void mue_bus_sub_close(struct mue_bus_sub *s)
{
    if (s == NULL)
        return;
    natsSubscription_Unsubscribe(s->sub);
    natsSubscription_Destroy(s->sub);
    free(s);
}

int mue_bus_stream_range(struct mue_bus *b, const char *stream, uint64_t *first, uint64_t *last)
{
    jsStreamInfo *si = NULL;
    jsErrCode jerr = 0;
    natsStatus s = js_GetStreamInfo(&si, b->js, stream, NULL, &jerr);

    if (s != NATS_OK) {
        log_nats("bus.stream_info_failed", s, jerr, stream);
        return MUE_EBUS;
    }
    *first = si->State.Msgs ? si->State.FirstSeq : 0;
    *last = si->State.Msgs ? si->State.LastSeq : 0;
    jsStreamInfo_Destroy(si);
    return MUE_OK;
}

int mue_bus_stream_get(struct mue_bus *b, const char *stream, uint64_t seq, natsMsg **out)
{
    jsErrCode jerr = 0;
    natsStatus s = js_GetMsg(out, b->js, stream, seq, NULL, &jerr);

    if (s == NATS_OK)
        return MUE_OK;
    if (s == NATS_NOT_FOUND || jerr == JSNoMessageFoundErr)
        return MUE_ENOENT;
    log_nats("bus.get_failed", s, jerr, stream);
    return MUE_EBUS;
}

int mue_bus_stream_delete(struct mue_bus *b, const char *stream, uint64_t seq)
{
    jsErrCode jerr = 0;
    natsStatus s = js_DeleteMsg(b->js, stream, seq, NULL, &jerr);

    if (s == NATS_OK || s == NATS_NOT_FOUND || jerr == JSNoMessageFoundErr ||
        jerr == JSSequenceNotFoundErr)
        return MUE_OK;
    log_nats("bus.delete_failed", s, jerr, stream);
    return MUE_EBUS;
}

const void *mue_bus_msg_data(natsMsg *m)
{
    return natsMsg_GetData(m);
}

size_t mue_bus_msg_len(natsMsg *m)
{
    int n = natsMsg_GetDataLength(m);
    return n > 0 ? (size_t)n : 0;
}

const char *mue_bus_msg_subject(natsMsg *m)
{
    return natsMsg_GetSubject(m);
}

const char *mue_bus_msg_header(natsMsg *m, const char *key)
{
    const char *v = NULL;
    if (natsMsgHeader_Get(m, key, &v) != NATS_OK)
        return NULL;
    return v;
}

uint64_t mue_bus_msg_deliveries(natsMsg *m)
{
    jsMsgMetaData *meta = NULL;
    uint64_t n = 0;
    if (natsMsg_GetMetaData(&meta, m) == NATS_OK) {
        n = meta->NumDelivered;
        jsMsgMetaData_Destroy(meta);
    }
    return n;
}

int64_t mue_bus_msg_stored_us(natsMsg *m)
{
    jsMsgMetaData *meta = NULL;
    int64_t us = 0;
    if (natsMsg_GetMetaData(&meta, m) == NATS_OK) {
        us = meta->Timestamp / 1000;
        jsMsgMetaData_Destroy(meta);
    }
    return us;
}

int mue_bus_ack(natsMsg *m)
{
    return natsMsg_Ack(m, NULL) == NATS_OK ? MUE_OK : MUE_EBUS;
}

int mue_bus_nak(natsMsg *m, long delay_ms)
{
    return natsMsg_NakWithDelay(m, (int64_t)delay_ms, NULL) == NATS_OK ? MUE_OK : MUE_EBUS;
}

int mue_bus_term(natsMsg *m)
{
    return natsMsg_Term(m, NULL) == NATS_OK ? MUE_OK : MUE_EBUS;
}

long mue_bus_replicas(const struct mue_bus *b)
{
    return b->opts.replicas;
}

jsCtx *mue_bus_jetstream(struct mue_bus *b)
{
    return b->js;
}

int mue_bus_request(struct mue_bus *b, const char *subject, const void *data, size_t len,
                    long timeout_ms, natsMsg **reply)
{
    natsStatus st = natsConnection_Request(reply, b->nc, subject, data, (int)len, timeout_ms);

    if (st == NATS_OK)
        return MUE_OK;
    *reply = NULL;
    if (st == NATS_NO_RESPONDERS || st == NATS_TIMEOUT) {
        mue_log_warn("bus.request_unanswered", "subject=%s reason=\"%s\"", subject,
                     st == NATS_TIMEOUT ? "timeout" : "no responders");
        return MUE_ETIMEDOUT;
    }
    log_nats("bus.request_failed", st, 0, subject);
    return MUE_EBUS;
}

int mue_bus_respond(struct mue_bus *b, natsMsg *request, const void *data, size_t len)
{
    const char *reply = natsMsg_GetReply(request);
    natsStatus st;

    if (reply == NULL || reply[0] == '\0')
        return MUE_OK;
    st = natsConnection_Publish(b->nc, reply, data, (int)len);
    if (st != NATS_OK) {
        log_nats("bus.respond_failed", st, 0, reply);
        return MUE_EBUS;
    }
    return MUE_OK;
}
