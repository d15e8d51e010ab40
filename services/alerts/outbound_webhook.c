/* outbound_webhook.c - outgoing webhooks of mue-alerts: the signed POST and what its answer means.
 * SPDX-License-Identifier: MIT */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mue_err.h"
#include "mue_hmac.h"
#include "mue_http_client.h"
#include "mue_mem.h"
#include "outbound_webhook.h"

/* How much of a refusal's body goes into the error text (receivers often say why). */
#define ANSWER_MAX 512

void webhook_signature(const char *secret, int64_t ts, const char *body, size_t len,
                       char out[WEBHOOK_SIGNATURE_LEN])
{
    char prefix[24];
    size_t plen = (size_t)snprintf(prefix, sizeof(prefix), "%" PRId64 ".", ts);
    char *signed_text = mue_xmalloc(plen + len + 1);

    memcpy(signed_text, prefix, plen);
    if (len > 0)
        memcpy(signed_text + plen, body, len);
    memcpy(out, "sha256=", 7);
    mue_hmac_sha256_hex(secret, secret != NULL ? strlen(secret) : 0, signed_text, plen + len,
                        out + 7);
    free(signed_text);
}

/* Copies the start of a receiver's answer into 'out' as one printable line. */
static void answer_excerpt(const struct mue_http_resp *resp, char *out, size_t cap)
{
    size_t n = 0;

    for (size_t i = 0; i < resp->len && n + 1 < cap && n < 160; i++) {
        unsigned char c = (unsigned char)resp->body[i];
        out[n++] = (char)(c < 0x20 || c == 0x7f ? ' ' : c);
    }
    while (n > 0 && out[n - 1] == ' ')
        n--;
    out[n] = '\0';
}

/* The code and permanence of an answer that is not 2xx. */
static int classify_status(int status, bool *permanent)
{
    *permanent = status >= 400 && status < 500 && status != 408 && status != 429;
    if (!*permanent)
        return -EAGAIN;
    if (status == 401 || status == 403)
        return MUE_EAUTH;
    if (status == 404 || status == 410)
        return MUE_ENOENT;
    return MUE_EINVAL;
}

int webhook_post(const char *url, const char *secret, const char *body, size_t len, long timeout_ms,
                 char *err, size_t errcap, bool *permanent)
{
    char ts_header[48], sig_header[24 + WEBHOOK_SIGNATURE_LEN], answer[ANSWER_MAX];
    char excerpt[ANSWER_MAX];
    const char *headers[] = { ts_header, sig_header, "User-Agent: mue-alerts", NULL };
    int64_t ts = (int64_t)time(NULL);
    struct mue_http_req req = { "POST", url, headers,    "application/json",
                                body,   len, timeout_ms, NULL };
    struct mue_http_resp resp;
    int rc;

    *permanent = false;
    if (errcap > 0)
        err[0] = '\0';
    snprintf(ts_header, sizeof(ts_header), "X-Mue-Timestamp: %" PRId64, ts);
    memcpy(sig_header, "X-Mue-Signature: ", 17);
    webhook_signature(secret, ts, body, len, sig_header + 17);

    memset(&resp, 0, sizeof(resp));
    resp.body = answer;
    resp.cap = sizeof(answer);
    rc = mue_http_request(&req, &resp);
    if (rc != MUE_OK) {
        /* A URL or scheme this process cannot use stays unusable however often it is tried. */
        *permanent = rc == MUE_EINVAL || rc == -EPROTONOSUPPORT;
        snprintf(err, errcap, "%s%s", resp.error[0] ? resp.error : mue_strerror(rc),
                 resp.sent ? " (after the request was sent)" : "");
        return rc;
    }
    if (resp.status >= 200 && resp.status < 300)
        return MUE_OK;
    rc = classify_status(resp.status, permanent);
    answer_excerpt(&resp, excerpt, sizeof(excerpt));
    if (resp.status == 429 && resp.retry_after_s >= 0)
        snprintf(err, errcap, "HTTP 429 (retry after %ld s): %s", resp.retry_after_s, excerpt);
    else
        snprintf(err, errcap, "HTTP %d%s%s", resp.status, excerpt[0] ? ": " : "", excerpt);
    return rc;
}
