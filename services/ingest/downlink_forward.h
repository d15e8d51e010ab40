/* downlink_forward.h - the forwarder of mue-ingest: a thread that takes DownlinkRequests from
 * JetStream and enqueues each to its network server's API, reporting every step.
 * SPDX-License-Identifier: MIT */
#ifndef DOWNLINK_FORWARD_H
#define DOWNLINK_FORWARD_H

#include "downlink.h"

struct mue_bus;
struct downlink_forward;

/* Checks the API URLs of 'cfg' (those set must parse), binds the durable pull consumer
 * cfg->durable on cfg->stream (filter cfg->filter) and the key-value bucket MUE_KV_DOWNLINK_REFS,
 * and starts the thread. Each request is queued at most once by its network server, however
 * often JetStream delivers it (downlink_ledger.h keeps the marks). For each request, in order:
 *   - invalid (see downlink_request_decode): status FAILED, the request terminated;
 *   - accepted by the API before (its status or its ack was lost): QUEUED again with the recorded
 *     network_ref and attempt, acknowledged, nothing sent;
 *   - past its expires_at_us: EXPIRED, terminated, nothing sent;
 *   - for a network without an API or with none configured: FAILED, terminated;
 *   - when the last call may have queued it unheard (an answer lost after the request went out, a
 *     502 or 504, a crash): the device's queue is read first; the downlink found there is QUEUED
 *     (ChirpStack: the oldest item of the same port, flag and bytes that no other request claims;
 *     TTS: the item with its correlation id), acknowledged, not sent again; a failed look counts
 *     as a transient failure (below);
 *   - the API answers 2xx: recorded, then QUEUED (ChirpStack: network_ref = the queue item id, also
 *     written as "chirpstack.<id>" -> request id for the webhook side), acknowledged;
 *   - 5xx, 429, 408, timeouts, connection failures: RETRYING with the attempt, handed back to
 *     JetStream with a backoff delay; at cfg->max_attempts FAILED, and EXPIRED when the next
 *     attempt would come after expires_at_us; a bucket that cannot be read or written is such a
 *     failure too;
 *   - other answers (4xx): FAILED with the status and the server's message, no retry.
 * Statuses go to mue.dlstatus.<network>.<dev_eui> (Nats-Msg-Id "<id>:<STATE>:<attempt>", source
 * "forwarder"); a request is acknowledged or terminated only after its status is stored. Counts
 * mue_ingest_downlinks_total{network,outcome}. 'bus' and 'cfg' are kept by reference. Returns 0,
 * MUE_ECONFIG (a bad URL, logged) or MUE_EBUS. */
int downlink_forward_start(struct downlink_forward **out, struct mue_bus *bus,
                           const struct downlink_config *cfg);

/* Asks the thread to stop and waits for it: the request in hand finishes first (an API call takes
 * at most the connect limit plus cfg->timeout_ms, a queue look before it as much again); requests
 * fetched but not started go back to JetStream.
 * The thread also stops by itself on SIGTERM. Frees. Accepts NULL. */
void downlink_forward_stop(struct downlink_forward *f);

#endif
