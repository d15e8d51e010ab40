/* downlink_ledger.c - the forwarder's marks in the bucket MUE_KV_DOWNLINK_REFS: sent, sending, and
 * the references of queue items.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "downlink_ledger.h"
#include "mue_err.h"
#include "mue_kv.h"
#include "mue_log.h"
#include "mue_sha256.h"
#include "mue_signal.h"

/* A put that failed is tried again this many times in all, this far apart: the bucket lives on
 * the same JetStream as the requests, and a leader election there takes a second or two. */
#define PUT_TRIES    3
#define PUT_PAUSE_MS 500
/* The value of a "sent." key: a network_ref, a space and an attempt number. */
#define SENT_VALUE_CAP (DOWNLINK_REF_CAP + 16)

int downlink_ledger_key(const char *prefix, const char *id, char *out, size_t cap)
{
    char digest[2 * MUE_SHA256_LEN + 1];
    int w;

    mue_sha256_hex(id, strlen(id), digest);
    w = snprintf(out, cap, "%s.%s", prefix, digest);
    return w < 0 || (size_t)w >= cap ? MUE_E2BIG : MUE_OK;
}

static int put_with_tries(struct mue_kv *kv, const char *key, const char *value)
{
    int rc = MUE_EBUS;

    for (int i = 0; i < PUT_TRIES; i++) {
        if (i > 0 && mue_signal_sleep_ms(PUT_PAUSE_MS))
            break;
        rc = mue_kv_put(kv, key, value);
        if (rc == MUE_OK || rc == MUE_EINVAL)
            break; /* a refused key stays refused */
    }
    return rc == MUE_OK ? MUE_OK : MUE_EBUS;
}

/* Reads a value: 0, MUE_ENOENT, MUE_E2BIG (a value too long, left unread), or MUE_EBUS for any
 * other failure, which is the bucket's (mue_kv logged it). */
static int get(struct mue_kv *kv, const char *key, char *value, size_t cap)
{
    int rc = mue_kv_get(kv, key, value, cap);

    if (rc == MUE_OK || rc == MUE_ENOENT || rc == MUE_E2BIG)
        return rc;
    return MUE_EBUS;
}

int downlink_ledger_sent(struct mue_kv *kv, const char *id, char *network_ref, size_t cap,
                         uint32_t *attempt)
{
    char key[DOWNLINK_LEDGER_KEY_CAP], value[SENT_VALUE_CAP], *space, *end;
    unsigned long n = 0;
    int rc;

    if (downlink_ledger_key("sent", id, key, sizeof(key)) < 0)
        return MUE_EBUS; /* cannot happen: the key has a fixed length */
    rc = get(kv, key, value, sizeof(value));
    if (rc == MUE_E2BIG)
        value[0] = '\0'; /* not what this module writes, but a mark all the same */
    else if (rc < 0)
        return rc;
    /* Written by downlink_ledger_record_sent; a value without its attempt still says "sent". */
    space = strrchr(value, ' ');
    if (space != NULL) {
        *space = '\0';
        n = strtoul(space + 1, &end, 10);
        if (*end != '\0' || n > UINT32_MAX)
            n = 0;
    }
    *attempt = (uint32_t)n;
    snprintf(network_ref, cap, "%s", strcmp(value, "-") == 0 ? "" : value);
    return MUE_OK;
}

int downlink_ledger_record_sent(struct mue_kv *kv, const struct downlink_request *rq,
                                const char *network_ref, uint32_t attempt)
{
    char key[DOWNLINK_LEDGER_KEY_CAP + DOWNLINK_REF_CAP], value[SENT_VALUE_CAP];
    int rc = MUE_OK;

    /* The reference first: ChirpStack may report the item transmitted (txack) within a second,
     * and the webhook side needs it by then. A "sent." mark without it would never be redone. */
    if (network_ref[0] != '\0') {
        snprintf(key, sizeof(key), "%s.%s", rq->network, network_ref);
        rc = put_with_tries(kv, key, rq->id);
    }
    if (rc == MUE_OK) {
        (void)downlink_ledger_key("sent", rq->id, key, sizeof(key));
        snprintf(value, sizeof(value), "%s %u", network_ref[0] != '\0' ? network_ref : "-",
                 attempt);
        rc = put_with_tries(kv, key, value);
    }
    if (rc < 0)
        mue_log_warn("downlink.unrecorded", "id=%s network=%s network_ref=%s", rq->id, rq->network,
                     network_ref[0] != '\0' ? network_ref : "-");
    return rc;
}

int downlink_ledger_is_sending(struct mue_kv *kv, const char *id)
{
    char key[DOWNLINK_LEDGER_KEY_CAP], value[16];
    int rc;

    (void)downlink_ledger_key("sending", id, key, sizeof(key));
    rc = get(kv, key, value, sizeof(value));
    if (rc == MUE_ENOENT)
        return 0;
    /* A value too long for the buffer is still a mark. */
    return rc == MUE_OK || rc == MUE_E2BIG ? 1 : MUE_EBUS;
}

int downlink_ledger_mark_sending(struct mue_kv *kv, const char *id, uint32_t attempt)
{
    char key[DOWNLINK_LEDGER_KEY_CAP], value[16];

    (void)downlink_ledger_key("sending", id, key, sizeof(key));
    snprintf(value, sizeof(value), "%u", attempt);
    return put_with_tries(kv, key, value);
}

void downlink_ledger_clear_sending(struct mue_kv *kv, const char *id)
{
    char key[DOWNLINK_LEDGER_KEY_CAP];

    (void)downlink_ledger_key("sending", id, key, sizeof(key));
    (void)mue_kv_delete(kv, key); /* logged there */
}

int downlink_ledger_ref_owner(struct mue_kv *kv, const char *network, const char *network_ref,
                              char *id, size_t cap)
{
    char key[DOWNLINK_LEDGER_KEY_CAP + DOWNLINK_REF_CAP];
    int rc;

    snprintf(key, sizeof(key), "%s.%s", network, network_ref);
    rc = get(kv, key, id, cap);
    if (rc == MUE_E2BIG && cap > 0) {
        id[0] = '\0'; /* longer than any id the caller holds: someone else's */
        rc = MUE_OK;
    }
    return rc;
}
