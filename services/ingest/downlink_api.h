/* downlink_api.h - the forwarder's I/O with the network servers' APIs: one call, its failure in
 * words, and the look at a device's queue that comes before calling again.
 * SPDX-License-Identifier: MIT */
#ifndef DOWNLINK_API_H
#define DOWNLINK_API_H

#include <stddef.h>

#include "downlink.h"

struct mue_http_resp;
struct mue_kv;

/* Makes 'call' with 'method' ("POST" with its JSON body, "GET"), its bearer header and
 * cfg->timeout_ms. Returns mue_http_request's result, the answer in *resp. */
int downlink_api_call(const struct downlink_config *cfg, const char *method,
                      const struct downlink_call *call, struct mue_http_resp *resp);

/* Words for a failed call into out: "HTTP 503: <the server's message>", or the client's error. */
void downlink_api_describe(int rc, const struct mue_http_resp *resp, char *out, size_t cap);

/* Looks for rq's downlink in its device's queue (downlink_chirpstack_queue_call,
 * downlink_tts_queue_call). A ChirpStack item of the same bytes is rq's when no other request
 * claims it in 'refs' ("chirpstack.<id>" absent or rq's): of several, the oldest such. Returns 1
 * and the item's id in network_ref ("" for TTS, which names none), 0 when the downlink is not
 * there, or a negative code when the look failed: MUE_EBUS ('refs' could not be read), the
 * client's error, -EREMOTEIO (an answer other than 2xx), MUE_E2BIG (a listing too long),
 * MUE_EDECODE (not a listing). Then 'why' says how ("queue check: ...") and *retry_after_s is the
 * server's Retry-After, or -1. */
int downlink_api_find_queued(const struct downlink_config *cfg, struct mue_kv *refs,
                             const struct downlink_request *rq, char network_ref[DOWNLINK_REF_CAP],
                             char *why, size_t cap, long *retry_after_s);

#endif
