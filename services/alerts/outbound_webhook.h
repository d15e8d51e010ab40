/* outbound_webhook.h - outgoing webhooks of mue-alerts: a JSON POST signed with HMAC-SHA256.
 * SPDX-License-Identifier: MIT */
#ifndef ALERTS_OUTBOUND_WEBHOOK_H
#define ALERTS_OUTBOUND_WEBHOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "sha256=" and 64 hex digits, and the NUL. */
#define WEBHOOK_SIGNATURE_LEN (7 + 64 + 1)

/* The signature scheme, for the receivers' documentation:
 *
 *   X-Mue-Timestamp: <unix seconds when the request was made>
 *   X-Mue-Signature: sha256=<lowercase hex HMAC-SHA256(secret, "<timestamp>.<body>")>
 *
 * The receiver recomputes the HMAC over the timestamp header's text, a '.', and the raw body
 * bytes, compares it in constant time, and refuses timestamps more than a few minutes away from
 * its clock. Signing the timestamp with the body stops a captured request from being replayed
 * later: changing the timestamp breaks the signature, and an old one is refused. Delivery is at
 * least once (a request that timed out is sent again), so receivers drop events whose event_id
 * they have already seen. */

/* Writes the X-Mue-Signature value for 'body' (len bytes) sent at 'ts' (unix seconds) under
 * 'secret' into out[WEBHOOK_SIGNATURE_LEN]. */
void webhook_signature(const char *secret, int64_t ts, const char *body, size_t len,
                       char out[WEBHOOK_SIGNATURE_LEN]);

/* POSTs 'body' (len bytes of JSON) to 'url' (http, or https where the client has TLS) with
 * Content-Type application/json and the two headers above, signed with 'secret' (an empty secret
 * still signs, with an empty key), waiting at most 'timeout_ms' for the answer once sent.
 * Returns 0 on a 2xx answer. Otherwise a negative code, 'err' (capacity 'errcap') saying what
 * happened in words, and *permanent telling whether sending the same request again can help:
 *   MUE_EAUTH    401 or 403 (permanent);
 *   MUE_ENOENT   404 or 410 (permanent);
 *   MUE_EINVAL   another 4xx but 408 and 429 (permanent); or a URL that cannot be used
 *                (permanent; nothing was sent);
 *   -EPROTONOSUPPORT  an https URL while the client has no TLS (permanent);
 *   -EAGAIN      408, 429, 5xx, or any other status (not permanent);
 *   and mue_http_request's transport errors (MUE_ETIMEDOUT, -ECONNREFUSED, -EHOSTUNREACH,
 *   -ECONNRESET, -EPROTO), none permanent.
 * Thread-safe. */
int webhook_post(const char *url, const char *secret, const char *body, size_t len, long timeout_ms,
                 char *err, size_t errcap, bool *permanent);

#endif
