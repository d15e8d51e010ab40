/* mue_bus.h - NATS and JetStream for mue: connect with reconnect, the five streams, publishing
 * with Nats-Msg-Id, durable pull consumers.
 * SPDX-License-Identifier: MIT */
#ifndef MUE_BUS_H
#define MUE_BUS_H

#include <stddef.h>
#include <stdint.h>

#include <nats/nats.h>

#include "mue_config.h"

struct mue_bus;
struct mue_bus_consumer;

struct mue_bus_opts {
    const char *url;         /* one URL or a comma-separated list (a cluster) */
    const char *name;        /* connection name shown by the server, e.g. "mue-ingest" */
    long connect_timeout_ms; /* how long mue_bus_open keeps trying; later drops reconnect forever */
    long duplicate_window_s; /* JetStream de-duplication window of the streams */
    long max_age_s;          /* how long the streams keep messages (replay horizon) */
    long replicas;           /* JetStream replicas (1 on one server, 3 on a cluster) */
};

/* The bus settings every service shares, for its option table ('st' has a member 'field' of type
 * struct mue_bus_opts). */
#define MUE_BUS_OPTIONS(st, field)                                                                 \
    MUE_OPT_STR("MUE_NATS_URL", st, field.url, "nats://127.0.0.1:4222",                            \
                "NATS server URL, or a comma-separated list of a cluster's servers"),              \
        MUE_OPT_INT("MUE_NATS_CONNECT_TIMEOUT_MS", st, field.connect_timeout_ms, "30000", 0,       \
                    3600000, "how long to keep trying the first connection before exiting"),       \
        MUE_OPT_INT(                                                                               \
            "MUE_BUS_DUPLICATE_WINDOW_S", st, field.duplicate_window_s, "1200", 1, 604800,         \
            "JetStream de-duplication window of the streams (retried webhooks within it are "      \
            "dropped on the bus)"),                                                                \
        MUE_OPT_INT("MUE_BUS_MAX_AGE_S", st, field.max_age_s, "604800", 3600, 31536000,            \
                    "how long the streams keep messages for replay"),                              \
        MUE_OPT_INT("MUE_BUS_REPLICAS", st, field.replicas, "1", 1, 5,                             \
                    "JetStream replicas of each stream (3 on a NATS cluster)")

/* Connects, retrying until o->connect_timeout_ms or a stop signal. Returns 0, or MUE_EBUS. */
int mue_bus_open(struct mue_bus **out, const struct mue_bus_opts *o);

/* Waits for pending asynchronous publishes (up to 2 s), flushes and disconnects. Accepts NULL. */
void mue_bus_close(struct mue_bus *b);

/* True while the connection is up. Thread-safe. */
int mue_bus_is_connected(struct mue_bus *b);

/* Creates the streams UPLINKS, MEASURES, ALERTS, DOWNLINKS and DEADLETTER, or updates their
 * settings when they exist. Returns 0, or MUE_EBUS. */
int mue_bus_ensure_streams(struct mue_bus *b);

/* Publishes and waits for JetStream's acknowledgement, at most 'timeout_ms'. 'msg_id' (may be NULL)
 * becomes Nats-Msg-Id; 'reason' (may be NULL) the Mue-Reason header. Sets *duplicate (may be
 * NULL) when the stream already had that id. Returns 0, or MUE_EBUS. Thread-safe. */
int mue_bus_publish(struct mue_bus *b, const char *subject, const void *data, size_t len,
                    const char *msg_id, const char *reason, long timeout_ms, int *duplicate);

/* Publishes without waiting; mue_bus_publish_async_wait collects the acknowledgements. Returns 0,
 * or MUE_EBUS when the message could not even be queued. */
int mue_bus_publish_async(struct mue_bus *b, const char *subject, const void *data, size_t len,
                          const char *msg_id, const char *reason);

/* Waits until every asynchronous publish since the last call was acknowledged. Returns 0 when all
 * were stored, MUE_EBUS when any failed or the wait timed out (then every one of them must be
 * considered unstored and published again: their ids make that safe). */
int mue_bus_publish_async_wait(struct mue_bus *b, long timeout_ms);

struct mue_bus_consumer_opts {
    const char *stream;
    const char *durable; /* the durable consumer's name, shared by copies of a service */
    const char *filter;  /* subject filter, e.g. "mue.uplink.>" */
    long ack_wait_ms;    /* redelivery after this long without an ack */
    long max_ack_pending;
};

/* Binds to (or creates) a durable pull consumer. Returns 0, or MUE_EBUS. */
int mue_bus_consumer_open(struct mue_bus_consumer **out, struct mue_bus *b,
                          const struct mue_bus_consumer_opts *o);

/* Leaves the durable consumer on the server (it is not deleted) and frees. Accepts NULL. */
void mue_bus_consumer_close(struct mue_bus_consumer *c);

/* Messages of one fetch; they belong to the batch until mue_bus_batch_fini. */
struct mue_bus_batch {
    natsMsgList list;
};

/* How many messages of the stream the consumer has not yet been delivered (its lag). Returns 0
 * with *pending set, or MUE_EBUS. */
int mue_bus_consumer_pending(struct mue_bus_consumer *c, uint64_t *pending);

/* Fetches up to 'max' (at least 1) messages, waiting at most 'timeout_ms' for the first.
 * Messages of an earlier fetch's pull request that arrived after it stopped waiting come first,
 * without waiting for more.
 * Returns the count (0 when nothing came), MUE_EINVAL when max < 1, or MUE_EBUS after a failure,
 * which it logs; after repeated failures it binds the consumer again (streams re-created if the
 * server lost them). Call mue_bus_batch_fini after every call, whatever it returned. */
int mue_bus_fetch(struct mue_bus_consumer *c, struct mue_bus_batch *batch, int max,
                  long timeout_ms);
void mue_bus_batch_fini(struct mue_bus_batch *batch);

/* Core NATS, for notices that need no storage (a cache to refresh): publishes and flushes.
 * Returns 0, or MUE_EBUS. */
int mue_bus_notify(struct mue_bus *b, const char *subject, const void *data, size_t len);

struct mue_bus_sub;

/* Subscribes to core NATS 'subject' (wildcards allowed) and flushes, so the server has the interest
 * when it returns. Returns 0, or MUE_EBUS. */
int mue_bus_subscribe(struct mue_bus_sub **out, struct mue_bus *b, const char *subject);

/* As mue_bus_subscribe, in queue group 'queue' (NULL: none): each message goes to one member of
 * the group, so copies of a service share requests. */
int mue_bus_subscribe_queue(struct mue_bus_sub **out, struct mue_bus *b, const char *subject,
                            const char *queue);

/* Core NATS request and reply: sends 'data' to 'subject' and waits at most 'timeout_ms' for one
 * answer (*reply, destroyed by the caller with natsMsg_Destroy). Returns 0, MUE_ETIMEDOUT when
 * nobody answered (no responder, or too late), or MUE_EBUS. */
int mue_bus_request(struct mue_bus *b, const char *subject, const void *data, size_t len,
                    long timeout_ms, natsMsg **reply);

/* Answers a request taken with mue_bus_sub_next (nothing to do when it wanted no answer).
 * Returns 0, or MUE_EBUS. */
int mue_bus_respond(struct mue_bus *b, natsMsg *request, const void *data, size_t len);

/* Takes the next notice, waiting at most 'timeout_ms' (0: only what already arrived). Returns 1
 * with *msg set (the caller destroys it with natsMsg_Destroy), 0 when none came, or MUE_EBUS. */
int mue_bus_sub_next(struct mue_bus_sub *s, long timeout_ms, natsMsg **msg);

/* Unsubscribes and frees. Accepts NULL. */
void mue_bus_sub_close(struct mue_bus_sub *s);

/* The first and last sequence numbers held by 'stream' (both 0 when it is empty). Returns 0, or
 * MUE_EBUS. */
int mue_bus_stream_range(struct mue_bus *b, const char *stream, uint64_t *first, uint64_t *last);

/* Reads the message at 'seq' of 'stream' without consuming it; the caller destroys *out with
 * natsMsg_Destroy. Returns 0, MUE_ENOENT when that sequence was deleted, or MUE_EBUS. */
int mue_bus_stream_get(struct mue_bus *b, const char *stream, uint64_t seq, natsMsg **out);

/* Deletes the message at 'seq' of 'stream'. Returns 0 (also when it was already gone), or
 * MUE_EBUS. */
int mue_bus_stream_delete(struct mue_bus *b, const char *stream, uint64_t seq);

/* Accessors of a fetched message (borrowed). */
const void *mue_bus_msg_data(natsMsg *m);
size_t mue_bus_msg_len(natsMsg *m);
const char *mue_bus_msg_subject(natsMsg *m);
/* A header's value (borrowed, valid while the message lives), or NULL. */
const char *mue_bus_msg_header(natsMsg *m, const char *key);
/* How many times it was delivered (1 the first time), 0 if unknown. */
uint64_t mue_bus_msg_deliveries(natsMsg *m);

/* When the stream stored it, in microseconds since the epoch, 0 if unknown. */
int64_t mue_bus_msg_stored_us(natsMsg *m);

/* Acknowledge (done), negative-acknowledge (redeliver after 'delay_ms'), terminate (never
 * again). Return 0, or MUE_EBUS (the server will redeliver after ack_wait anyway). */
int mue_bus_ack(natsMsg *m);
int mue_bus_nak(natsMsg *m, long delay_ms);
int mue_bus_term(natsMsg *m);

/* The replicas asked of the streams (MUE_BUS_REPLICAS), for other JetStream stores (mue_kv). */
long mue_bus_replicas(const struct mue_bus *b);

/* The JetStream context of the connection, for modules built on other JetStream APIs (mue_kv).
 * Borrowed: valid until mue_bus_close. */
jsCtx *mue_bus_jetstream(struct mue_bus *b);

#endif
