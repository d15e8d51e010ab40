/* send.h - the simulator's senders: a bounded queue of uplinks and the threads that post them to
 * the ingest as network servers do, retrying what was not taken, recording each in the ledger.
 * SPDX-License-Identifier: MIT */
#ifndef SEND_H
#define SEND_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sim.h"
#include "webhook.h"

/* What became of each uplink, counted. */
struct sim_stats {
    long sent;       /* handed to the senders */
    long accepted;   /* 2xx, new */
    long duplicates; /* 2xx, the ingest had it already */
    long rejected;   /* 4xx other than 429: the ingest refuses it for good */
    long failed;     /* no 2xx after every attempt */
    long retries;
};

struct sim_send_opts {
    const char *url;    /* the ingest's base URL */
    const char *secret; /* its bearer secret */
    int threads;
    int max_attempts;   /* per uplink, with a pause growing from 0.2 s to 5 s between tries */
    FILE *ledger;       /* one line per uplink (ledger.h), or NULL */
};

struct sim_sender;

/* Starts the sender threads. Returns 0, MUE_EINVAL for a bad URL. */
int sim_send_start(struct sim_sender **out, const struct sim_send_opts *o);

/* Queues one uplink of 'd' (kept by reference until sent); blocks while the queue is full.
 * 'repeat' marks a deliberate second post of an uplink already queued (load tests). */
void sim_send(struct sim_sender *s, const struct sim_device *d, const struct sim_uplink *u,
              bool repeat);

/* Waits until every queued uplink is done. */
void sim_send_drain(struct sim_sender *s);

/* Copies the counts so far. */
void sim_send_stats(struct sim_sender *s, struct sim_stats *out);

/* Drains, stops the threads, frees. Accepts NULL. */
void sim_send_stop(struct sim_sender *s);

#endif
