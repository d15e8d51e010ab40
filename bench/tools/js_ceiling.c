/* js_ceiling.c - the JetStream ceiling of a machine: the pipeline's own messages published and
 * consumed at the same time through a scratch stream shaped like their source.
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <getopt.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mue_bus.h"
#include "mue_err.h"
#include "mue_log.h"
#include "mue_mem.h"

#define READ_WAIT_MS    5000  /* for the next message of the source stream */
#define FETCH_WAIT_MS   1000  /* as mue-normalizer's fetch */
#define ACK_WAIT_MS     30000 /* as mue-normalizer's consumer: no redelivery during a run */
#define STALL_MS        15000 /* no progress for this long is a failure */
#define PUB_COMPLETE_MS 30000 /* the last acknowledgements of the publisher */
#define DURABLE         "js_ceiling"

struct opts {
    const char *url, *stream;
    long n, window, batch;
    char lower[64]; /* the stream's name in lower case, for subjects */
};

/* One message of the run. items[0..k) own their data, the repeats after them borrow it. */
struct item {
    char *data;
    size_t len;
    char *subject, *id;
};

struct by_id {
    const char *id;
    long index;
};

/* What the two threads share. Each thread writes only its own fields until it is joined, except
 * 'failed', which either sets to make the other one stop. */
struct run {
    const struct opts *o;
    struct item *items;
    struct by_id *ids; /* sorted by id, for the consumer to find a message's index */
    double t_first_pub, t_pub_done, t_last_ack;

    jsCtx *pub_js;
    long pub_ok, pub_dup, pub_err; /* counted by the acknowledgement handler (a nats.c thread) */
    char pub_why[256];

    struct mue_bus_consumer *cons;
    unsigned char *seen;
    long consumed;
    char cons_why[256];

    int failed;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void fail(struct run *r, char *why, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void fail(struct run *r, char *why, size_t cap, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, cap, fmt, ap);
    va_end(ap);
    __atomic_store_n(&r->failed, 1, __ATOMIC_RELEASE);
}

static int has_failed(struct run *r)
{
    return __atomic_load_n(&r->failed, __ATOMIC_ACQUIRE);
}

static const char *nats_reason(natsStatus s)
{
    const char *text = nats_GetLastError(NULL);
    return text != NULL && text[0] != '\0' ? text : natsStatus_GetText(s);
}

static int by_id_cmp(const void *a, const void *b)
{
    return strcmp(((const struct by_id *)a)->id, ((const struct by_id *)b)->id);
}

/* ceiling.<stream in lower case>.<the source subject without its first token>: the scratch
 * stream holds as many distinct subjects as the source did. */
static char *scratch_subject(const char *lower, const char *src)
{
    const char *dot = strchr(src, '.');
    const char *tail = dot != NULL && dot[1] != '\0' ? dot + 1 : src;
    size_t cap = strlen("ceiling..") + strlen(lower) + strlen(tail) + 1;
    char *s = mue_xmalloc(cap);

    snprintf(s, cap, "ceiling.%s.%s", lower, tail);
    return s;
}

/* Keeps a copy of 'm' in 'it'. */
static void keep(struct item *it, const char *lower, natsMsg *m)
{
    const char *id = mue_bus_msg_header(m, "Nats-Msg-Id");

    it->len = mue_bus_msg_len(m);
    it->data = mue_xmalloc(it->len + 1);
    memcpy(it->data, mue_bus_msg_data(m), it->len);
    it->subject = scratch_subject(lower, mue_bus_msg_subject(m));
    it->id = id != NULL && id[0] != '\0' ? mue_xstrdup(id) : NULL;
}

/* Reads the first 'o->n' messages of the source stream (or all it holds, when fewer) into
 * items[0..*k_out), for the caller to free also after a failure. An ordered consumer streams
 * them: direct gets cost a round trip each (13 s for 50,000 here, against 0.3 s). Returns 0 (then
 * *k_out >= 1), or -1 after saying why. */
static int read_source(struct mue_bus *bus, const struct opts *o, struct item *items, long *k_out)
{
    natsSubscription *sub = NULL;
    jsSubOptions so;
    jsErrCode jerr = 0;
    natsStatus s;
    int rc = -1;

    *k_out = 0;
    jsSubOptions_Init(&so);
    so.Stream = o->stream;
    so.Ordered = true;
    so.Config.DeliverPolicy = js_DeliverAll;
    s = js_SubscribeSync(&sub, mue_bus_jetstream(bus), ">", NULL, &so, &jerr);
    if (s != NATS_OK) {
        fprintf(stderr, "js_ceiling: reading stream %s failed: %s (js_err=%d)\n", o->stream,
                nats_reason(s), (int)jerr);
        return -1;
    }
    while (*k_out < o->n) {
        natsMsg *m = NULL;
        jsMsgMetaData *meta = NULL;
        uint64_t left;

        s = natsSubscription_NextMsg(&m, sub, READ_WAIT_MS);
        if (s == NATS_OK)
            s = natsMsg_GetMetaData(&meta, m);
        if (s != NATS_OK) {
            natsMsg_Destroy(m);
            fprintf(stderr, "js_ceiling: reading stream %s stopped after %ld messages: %s\n",
                    o->stream, *k_out, nats_reason(s));
            goto out;
        }
        left = meta->NumPending;
        jsMsgMetaData_Destroy(meta);
        keep(&items[(*k_out)++], o->lower, m);
        natsMsg_Destroy(m);
        if (left == 0)
            break; /* the stream's last message */
    }
    rc = 0;
out:
    natsSubscription_Unsubscribe(sub); /* deletes the ephemeral consumer */
    natsSubscription_Destroy(sub);
    return rc;
}

static char *fresh_id(long index)
{
    char buf[40];
    snprintf(buf, sizeof(buf), "js-ceiling-%ld", index);
    return mue_xstrdup(buf);
}

/* Fills items[k..n) with the first k again, under fresh ids, and gives a fresh id to any source
 * message that had none or repeated an earlier one's (the scratch stream would drop it as a
 * duplicate). Sorts r->ids. Returns 0, or -1 when the ids still collide. */
static int assign_ids(struct run *r, long k)
{
    long n = r->o->n;

    for (long i = k; i < n; i++) {
        r->items[i] = r->items[i % k];
        r->items[i].subject = mue_xstrdup(r->items[i % k].subject);
        r->items[i].id = fresh_id(i);
    }
    for (long i = 0; i < k; i++)
        if (r->items[i].id == NULL)
            r->items[i].id = fresh_id(i);
    for (int pass = 0; pass < 2; pass++) {
        long renamed = 0;

        for (long i = 0; i < n; i++)
            r->ids[i] = (struct by_id){ r->items[i].id, i };
        qsort(r->ids, (size_t)n, sizeof(*r->ids), by_id_cmp);
        for (long i = 1; i < n; i++) {
            long j = r->ids[i].index;
            if (strcmp(r->ids[i - 1].id, r->ids[i].id) != 0)
                continue;
            if (pass == 1) {
                fprintf(stderr, "js_ceiling: message id %s is not unique\n", r->ids[i].id);
                return -1;
            }
            free(r->items[j].id);
            r->items[j].id = fresh_id(j);
            renamed++;
        }
        if (renamed == 0)
            break;
    }
    return 0;
}

/* Deletes 'name' when it exists. Returns 0, or -1 after saying why. */
static int drop_stream(jsCtx *js, const char *name)
{
    jsErrCode jerr = 0;
    natsStatus s = js_DeleteStream(js, name, NULL, &jerr);

    if (s == NATS_OK || s == NATS_NOT_FOUND || jerr == JSStreamNotFoundErr)
        return 0;
    fprintf(stderr, "js_ceiling: deleting stream %s failed: %s\n", name, nats_reason(s));
    return -1;
}

/* Creates the scratch stream with the storage, replicas and duplicate window of 'src'. */
static int make_scratch(jsCtx *js, const char *name, const char *subject, const jsStreamConfig *src)
{
    jsStreamConfig sc;
    jsStreamInfo *si = NULL;
    jsErrCode jerr = 0;
    natsStatus s;

    if (drop_stream(js, name) < 0)
        return -1;
    jsStreamConfig_Init(&sc);
    sc.Name = name;
    sc.Subjects = &subject;
    sc.SubjectsLen = 1;
    sc.Storage = src->Storage;
    sc.Replicas = src->Replicas;
    sc.Duplicates = src->Duplicates;
    s = js_AddStream(&si, js, &sc, NULL, &jerr);
    jsStreamInfo_Destroy(si);
    if (s != NATS_OK) {
        fprintf(stderr, "js_ceiling: creating stream %s failed: %s (js_err=%d)\n", name,
                nats_reason(s), (int)jerr);
        return -1;
    }
    return 0;
}

static void on_pub_ack(jsCtx *js, natsMsg *msg, jsPubAck *pa, jsPubAckErr *pae, void *closure)
{
    struct run *r = closure;

    (void)js;
    if (pa != NULL && !pa->Duplicate)
        __atomic_add_fetch(&r->pub_ok, 1, __ATOMIC_RELAXED);
    else if (pa != NULL)
        __atomic_add_fetch(&r->pub_dup, 1, __ATOMIC_RELAXED);
    else if (__atomic_add_fetch(&r->pub_err, 1, __ATOMIC_RELAXED) == 1)
        mue_log_warn("bench.publish_failed", "subject=%s err=\"%s\"",
                     msg != NULL ? natsMsg_GetSubject(msg) : "?",
                     pae != NULL && pae->ErrText != NULL ? pae->ErrText : "?");
    natsMsg_Destroy(msg); /* the handler owns it */
}

static void *publisher(void *arg)
{
    struct run *r = arg;
    long n = r->o->n;
    jsPubOptions po;
    natsStatus s;

    r->t_first_pub = now_s();
    for (long i = 0; i < n && !has_failed(r); i++) {
        natsMsg *m = NULL;

        s = natsMsg_Create(&m, r->items[i].subject, NULL, r->items[i].data, (int)r->items[i].len);
        if (s == NATS_OK)
            s = natsMsgHeader_Set(m, "Nats-Msg-Id", r->items[i].id);
        if (s == NATS_OK)
            s = js_PublishMsgAsync(r->pub_js, &m, NULL); /* blocks while the window is full */
        if (s != NATS_OK) {
            natsMsg_Destroy(m);
            fail(r, r->pub_why, sizeof(r->pub_why), "publishing message %ld failed: %s", i,
                 nats_reason(s));
            return NULL;
        }
    }
    jsPubOptions_Init(&po);
    po.MaxWait = PUB_COMPLETE_MS;
    s = js_PublishAsyncComplete(r->pub_js, &po);
    r->t_pub_done = now_s();
    if (has_failed(r))
        return NULL;
    if (s != NATS_OK)
        fail(r, r->pub_why, sizeof(r->pub_why), "waiting for the publish acks failed: %s",
             nats_reason(s));
    else if (__atomic_load_n(&r->pub_ok, __ATOMIC_RELAXED) != n)
        fail(r, r->pub_why, sizeof(r->pub_why),
             "JetStream stored %ld of %ld messages (%ld refused, %ld taken as duplicates)",
             r->pub_ok, n, r->pub_err, r->pub_dup);
    return NULL;
}

/* Checks one delivered message against what was published and acknowledges it. */
static int consume_one(struct run *r, natsMsg *m)
{
    const char *id = mue_bus_msg_header(m, "Nats-Msg-Id");
    struct by_id key = { id != NULL ? id : "", 0 };
    const struct by_id *hit = bsearch(&key, r->ids, (size_t)r->o->n, sizeof(*r->ids), by_id_cmp);
    const struct item *it;

    if (hit == NULL) {
        fail(r, r->cons_why, sizeof(r->cons_why), "consumed a message never published (id %s)",
             key.id);
        return -1;
    }
    if (r->seen[hit->index]) {
        fail(r, r->cons_why, sizeof(r->cons_why), "message %s consumed twice", key.id);
        return -1;
    }
    it = &r->items[hit->index];
    if (mue_bus_msg_len(m) != it->len || memcmp(mue_bus_msg_data(m), it->data, it->len) != 0 ||
        strcmp(mue_bus_msg_subject(m), it->subject) != 0) {
        fail(r, r->cons_why, sizeof(r->cons_why), "message %s came back altered", key.id);
        return -1;
    }
    r->seen[hit->index] = 1;
    r->consumed++;
    if (mue_bus_ack(m) < 0) {
        fail(r, r->cons_why, sizeof(r->cons_why), "acknowledging message %s failed", key.id);
        return -1;
    }
    return 0;
}

static void *consumer(void *arg)
{
    struct run *r = arg;
    long n = r->o->n;
    double last_progress = now_s();

    while (r->consumed < n && !has_failed(r)) {
        struct mue_bus_batch b;
        /* Never more than is still to come: a fetch then returns as soon as the last arrives
         * instead of waiting out FETCH_WAIT_MS for a batch that cannot fill. */
        long want = n - r->consumed < r->o->batch ? n - r->consumed : r->o->batch;
        int got = mue_bus_fetch(r->cons, &b, (int)want, FETCH_WAIT_MS);

        for (int i = 0; i < got && !has_failed(r); i++)
            (void)consume_one(r, b.list.Msgs[i]);
        mue_bus_batch_fini(&b);
        if (got > 0)
            last_progress = now_s();
        else if (now_s() - last_progress > STALL_MS / 1000.0)
            fail(r, r->cons_why, sizeof(r->cons_why),
                 "timeout: nothing consumed for %d s, %ld of %ld messages consumed",
                 STALL_MS / 1000, r->consumed, n);
    }
    r->t_last_ack = now_s();
    return NULL;
}

/* The server's view once the run is over: the scratch stream holds every message once and the
 * consumer has none left to deliver or awaiting its ack (acks are fire-and-forget, so it is
 * given a moment). Returns 0, or -1 after saying why. */
static int check_server(struct run *r, struct mue_bus *bus, const char *scratch)
{
    jsStreamInfo *si = NULL;
    jsErrCode jerr = 0;
    uint64_t left = 1, stored;
    struct timespec pause = { 0, 100 * 1000000L };
    natsStatus s = js_GetStreamInfo(&si, mue_bus_jetstream(bus), scratch, NULL, &jerr);

    if (s != NATS_OK) {
        fprintf(stderr, "js_ceiling: reading stream %s failed: %s\n", scratch, nats_reason(s));
        return -1;
    }
    stored = si->State.Msgs;
    jsStreamInfo_Destroy(si);
    if (stored != (uint64_t)r->o->n) {
        fprintf(stderr, "js_ceiling: stream %s holds %llu messages, %ld were published\n", scratch,
                (unsigned long long)stored, r->o->n);
        return -1;
    }
    for (int tries = 0; tries < 50; tries++) {
        if (mue_bus_consumer_pending(r->cons, &left) == 0 && left == 0)
            return 0;
        nanosleep(&pause, NULL);
    }
    fprintf(stderr, "js_ceiling: consumer %s still has %llu messages unacknowledged\n", DURABLE,
            (unsigned long long)left);
    return -1;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: js_ceiling -s STREAM [options]\n"
               "  Reads the first N messages of STREAM (repeated under fresh ids when it holds\n"
               "  fewer), then publishes them to a scratch stream CEILING_<STREAM> (same storage,\n"
               "  replicas and duplicate window) while a durable pull consumer fetches and acks\n"
               "  them, and prints one line of figures. The clock runs from the first publish to\n"
               "  the last ack. The scratch stream is deleted at the end.\n"
               "  -u URL     NATS server (default nats://127.0.0.1:4222)\n"
               "  -s STREAM  the source stream, e.g. UPLINKS (required)\n"
               "  -n N       messages (default 50000)\n"
               "  -w WINDOW  asynchronous publishes awaiting their ack at most (default 2000)\n"
               "  -b BATCH   messages per fetch (default 256)\n"
               "  Exit status: 0 with the figures on stdout, 1 on a failure (said on stderr),\n"
               "  2 on bad options.\n");
}

static int parse_long(const char *text, long min, long max, long *out)
{
    char *end = NULL;
    long v = strtol(text, &end, 10);

    if (end == text || *end != '\0' || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

int main(int argc, char **argv)
{
    struct opts o = { "nats://127.0.0.1:4222", NULL, 50000, 2000, 256, "" };
    struct mue_bus_opts bo = { NULL, "mue-bench-js-ceiling", 10000, 1200, 604800, 1 };
    struct run r = { .o = &o };
    struct mue_bus *bus = NULL;
    natsConnection *pub_nc = NULL;
    jsStreamInfo *src = NULL;
    jsErrCode jerr = 0;
    jsOptions jo;
    natsStatus s;
    pthread_t pub_thread, cons_thread;
    char scratch[128], filter[160];
    long k = 0;
    double bytes = 0;
    int opt, rc = 1, scratch_made = 0;

    while ((opt = getopt(argc, argv, "u:s:n:w:b:h")) != -1) {
        switch (opt) {
        case 'u':
            o.url = optarg;
            break;
        case 's':
            o.stream = optarg;
            break;
        case 'n':
            if (parse_long(optarg, 1, 100000000, &o.n) < 0)
                goto bad;
            break;
        case 'w':
            if (parse_long(optarg, 1, 1000000, &o.window) < 0)
                goto bad;
            break;
        case 'b':
            if (parse_long(optarg, 1, 100000, &o.batch) < 0)
                goto bad;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            goto bad;
        }
    }
    if (o.stream == NULL || o.stream[0] == '\0' || strlen(o.stream) >= sizeof(o.lower) ||
        optind != argc)
        goto bad;
    for (size_t i = 0; i <= strlen(o.stream); i++)
        o.lower[i] = (char)tolower((unsigned char)o.stream[i]);
    snprintf(scratch, sizeof(scratch), "CEILING_%s", o.stream);
    snprintf(filter, sizeof(filter), "ceiling.%s.>", o.lower);
    mue_log_init("bench", MUE_LOG_WARN);

    bo.url = o.url;
    if (mue_bus_open(&bus, &bo) < 0) {
        fprintf(stderr, "js_ceiling: cannot connect to %s\n", o.url);
        goto out;
    }
    s = js_GetStreamInfo(&src, mue_bus_jetstream(bus), o.stream, NULL, &jerr);
    if (s != NATS_OK) {
        fprintf(stderr, "js_ceiling: source stream %s: %s\n", o.stream,
                jerr == JSStreamNotFoundErr ? "not found" : nats_reason(s));
        goto out;
    }
    r.items = mue_xcalloc((size_t)o.n, sizeof(*r.items));
    r.ids = mue_xcalloc((size_t)o.n, sizeof(*r.ids));
    r.seen = mue_xcalloc((size_t)o.n, 1);
    if (src->State.Msgs == 0) {
        fprintf(stderr, "js_ceiling: source stream %s holds no message\n", o.stream);
        goto out;
    }
    if (read_source(bus, &o, r.items, &k) < 0 || assign_ids(&r, k) < 0)
        goto out;
    for (long i = 0; i < o.n; i++)
        bytes += (double)r.items[i].len;

    if (make_scratch(mue_bus_jetstream(bus), scratch, filter, src->Config) < 0)
        goto out;
    scratch_made = 1;
    {
        struct mue_bus_consumer_opts co = { scratch, DURABLE, filter, ACK_WAIT_MS, o.batch * 4 };
        if (mue_bus_consumer_open(&r.cons, bus, &co) < 0) {
            fprintf(stderr, "js_ceiling: creating consumer %s on %s failed\n", DURABLE, scratch);
            goto out;
        }
    }
    /* The publisher has a connection and context of its own: mue_bus's context keeps a fixed
     * window (4096) and reports no per-message acknowledgement, and here the window is the
     * parameter and every ack is counted. Publisher and consumer on two connections are also
     * what two services of the pipeline are. */
    s = natsConnection_ConnectTo(&pub_nc, o.url);
    if (s == NATS_OK) {
        jsOptions_Init(&jo);
        jo.PublishAsync.MaxPending = o.window;
        jo.PublishAsync.AckHandler = on_pub_ack;
        jo.PublishAsync.AckHandlerClosure = &r;
        jo.PublishAsync.StallWait = STALL_MS;
        s = natsConnection_JetStream(&r.pub_js, pub_nc, &jo);
    }
    if (s != NATS_OK) {
        fprintf(stderr, "js_ceiling: publisher connection failed: %s\n", nats_reason(s));
        goto out;
    }

    if (pthread_create(&cons_thread, NULL, consumer, &r) != 0) {
        fprintf(stderr, "js_ceiling: cannot start the consumer thread\n");
        goto out;
    }
    if (pthread_create(&pub_thread, NULL, publisher, &r) != 0) {
        fprintf(stderr, "js_ceiling: cannot start the publisher thread\n");
        __atomic_store_n(&r.failed, 1, __ATOMIC_RELEASE);
        pthread_join(cons_thread, NULL);
        goto out;
    }
    pthread_join(pub_thread, NULL);
    pthread_join(cons_thread, NULL);
    if (r.pub_why[0] != '\0' || r.cons_why[0] != '\0') {
        if (r.pub_why[0] != '\0')
            fprintf(stderr, "js_ceiling: %s\n", r.pub_why);
        if (r.cons_why[0] != '\0')
            fprintf(stderr, "js_ceiling: %s\n", r.cons_why);
        goto out;
    }
    if (check_server(&r, bus, scratch) < 0)
        goto out;

    {
        double pub_s = r.t_pub_done - r.t_first_pub, total_s = r.t_last_ack - r.t_first_pub;
        printf("js_ceiling stream=%s messages=%ld source_messages=%ld bytes_mean=%.0f"
               " storage=%s replicas=%lld window=%ld batch=%ld publish_s=%.3f total_s=%.3f"
               " msgs_per_s=%.0f publish_only_per_s=%.0f\n",
               o.stream, o.n, k, bytes / (double)o.n,
               src->Config->Storage == js_MemoryStorage ? "memory" : "file",
               (long long)src->Config->Replicas, o.window, o.batch, pub_s, total_s,
               (double)o.n / total_s, (double)o.n / pub_s);
    }
    rc = 0;
out:
    mue_bus_consumer_close(r.cons);
    if (scratch_made && drop_stream(mue_bus_jetstream(bus), scratch) < 0)
        rc = 1;
    jsCtx_Destroy(r.pub_js);
    natsConnection_Destroy(pub_nc);
    jsStreamInfo_Destroy(src);
    mue_bus_close(bus);
    for (long i = 0; r.items != NULL && i < o.n; i++) {
        if (i < k)
            free(r.items[i].data);
        free(r.items[i].subject);
        free(r.items[i].id);
    }
    free(r.items);
    free(r.ids);
    free(r.seen);
    nats_Close();
    return rc;
bad:
    usage(stderr);
    return 2;
}
