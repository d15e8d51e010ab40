/* downlink_api.c - calls to the network servers' APIs for the forwarder, and the look at a device's
 * queue after a call that may have queued a downlink unheard.
 * SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "downlink.h"
#include "downlink_api.h"
#include "downlink_ledger.h"
#include "mue_err.h"
#include "mue_http_client.h"
#include "mue_log.h"
#include "mue_mem.h"
#include "mue_redact.h"
#include "mue_subjects.h"

/* A device's queue listing: some 250 bytes of JSON per ChirpStack item. */
#define LISTING_MAX (64 * 1024)
/* Items of the same bytes a look considers, oldest first. */
#define MATCHES_MAX 8

int downlink_api_call(const struct downlink_config *cfg, const char *method,
                      const struct downlink_call *call, struct mue_http_resp *resp)
{
    const char *headers[3] = { NULL, NULL, NULL };
    struct mue_http_req req = {
        .method = method,
        .url = call->url,
        .headers = headers,
        .content_type = call->body != NULL ? "application/json" : NULL,
        .body = call->body,
        .body_len = call->body_len,
        .timeout_ms = cfg->timeout_ms,
    };
    int rc, n = 0;
    char shown[sizeof(call->url)];

    if (call->authorization[0] != '\0')
        headers[n++] = call->authorization;
    headers[n] = "Accept: application/json";
    rc = mue_http_request(&req, resp);
    mue_log_debug("downlink.called", "method=%s url=%s rc=%d status=%d sent=%d", method,
                  mue_redact_url(shown, sizeof(shown), call->url), rc, resp->status,
                  (int)resp->sent);
    return rc;
}

void downlink_api_describe(int rc, const struct mue_http_resp *resp, char *out, size_t cap)
{
    char msg[200];

    if (rc < 0) {
        snprintf(out, cap, "%s", resp->error[0] ? resp->error : mue_strerror(rc));
        return;
    }
    downlink_error_message(resp->body, resp->len, msg, sizeof(msg));
    snprintf(out, cap, "HTTP %d%s%s", resp->status, msg[0] ? ": " : "", msg);
}

/* Of ChirpStack items of the same bytes, the oldest no other request claims: its index, -1 when
 * every one is claimed, or MUE_EBUS. Two requests of the same command whose answers were both
 * lost thus take one item each. */
static int unclaimed(struct mue_kv *refs, const struct downlink_request *rq,
                     char ids[][DOWNLINK_REF_CAP], int n)
{
    char owner[DOWNLINK_MAX_ID + 1];

    for (int i = 0; i < n; i++) {
        int rc = downlink_ledger_ref_owner(refs, rq->network, ids[i], owner, sizeof(owner));
        if (rc == MUE_ENOENT || (rc == MUE_OK && strcmp(owner, rq->id) == 0))
            return i;
        if (rc < 0)
            return MUE_EBUS;
    }
    return -1;
}

/* Reads the listing in resp. Returns 1 (network_ref set), 0, MUE_EBUS or MUE_EDECODE (why set). */
static int read_listing(struct mue_kv *refs, const struct downlink_request *rq,
                        const struct mue_http_resp *resp, char network_ref[DOWNLINK_REF_CAP],
                        char *why, size_t cap)
{
    char ids[MATCHES_MAX][DOWNLINK_REF_CAP], detail[200] = "";
    int n, i;

    network_ref[0] = '\0';
    if (strcmp(rq->network, "chirpstack") == 0) {
        n = downlink_chirpstack_find_queued(resp->body, resp->len, rq, ids, MATCHES_MAX, detail,
                                            sizeof(detail));
        i = n > 0 ? unclaimed(refs, rq, ids, n) : -1;
        if (n > 0 && i >= 0)
            memcpy(network_ref, ids[i], DOWNLINK_REF_CAP);
        if (n > 0)
            n = i == MUE_EBUS ? MUE_EBUS : i >= 0;
    } else {
        n = downlink_tts_find_queued(resp->body, resp->len, rq, detail, sizeof(detail));
    }
    if (n == MUE_EDECODE)
        snprintf(why, cap, "queue check: the answer: %s", detail);
    else if (n == MUE_EBUS)
        snprintf(why, cap, "queue check: the bucket %s cannot be read", MUE_KV_DOWNLINK_REFS);
    return n;
}

int downlink_api_find_queued(const struct downlink_config *cfg, struct mue_kv *refs,
                             const struct downlink_request *rq, char network_ref[DOWNLINK_REF_CAP],
                             char *why, size_t cap, long *retry_after_s)
{
    struct downlink_call call;
    struct mue_http_resp resp = { .cap = LISTING_MAX };
    char detail[200] = "";
    int rc;

    *retry_after_s = -1;
    rc = strcmp(rq->network, "chirpstack") == 0
             ? downlink_chirpstack_queue_call(rq, cfg, &call, detail, sizeof(detail))
             : downlink_tts_queue_call(rq, cfg, &call, detail, sizeof(detail));
    if (rc < 0) {
        /* Cannot happen: the push to the same API was built from the same settings. */
        snprintf(why, cap, "queue check: %s", detail);
        downlink_call_fini(&call);
        return rc;
    }
    resp.body = mue_xmalloc(LISTING_MAX);
    rc = downlink_api_call(cfg, "GET", &call, &resp);
    if (rc == MUE_OK && resp.truncated) {
        snprintf(why, cap, "queue check: a listing longer than %d bytes", LISTING_MAX);
        rc = MUE_E2BIG;
    } else if (rc < 0 || resp.status < 200 || resp.status > 299) {
        /* Whatever the status, even a 4xx: the downlink may be queued, and only the listing can
         * tell, so the look is tried again like any transient failure. */
        downlink_api_describe(rc, &resp, detail, sizeof(detail));
        snprintf(why, cap, "queue check: %s", detail);
        *retry_after_s = rc == MUE_OK ? resp.retry_after_s : -1;
        rc = rc < 0 ? rc : -EREMOTEIO; /* the server answered with an error */
    } else {
        rc = read_listing(refs, rq, &resp, network_ref, why, cap);
    }
    downlink_call_fini(&call);
    free(resp.body);
    return rc;
}
