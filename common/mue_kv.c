/* mue_kv.c - the adapter to nats.c's key-value API: natsStatus becomes MUE_E* here, logged once.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nats/nats.h>

#include "mue_bus.h"
#include "mue_err.h"
#include "mue_kv.h"
#include "mue_log.h"
#include "mue_mem.h"

#define NS_PER_S 1000000000LL

struct mue_kv {
    kvStore *store;
    char bucket[64];
};

static void log_kv(const char *event, natsStatus s, const char *bucket, const char *key)
{
    const char *text = nats_GetLastError(NULL);
    char quoted[256], qbucket[80], qkey[96];

    /* A refused name may hold spaces or quotes: quoted, so the line stays one logfmt record. */
    mue_log_warn(event, "bucket=\"%s\" key=\"%s\" status=%d err=\"%s\"",
                 mue_log_quote(qbucket, sizeof(qbucket), bucket),
                 mue_log_quote(qkey, sizeof(qkey), key ? key : ""), (int)s,
                 mue_log_quote(quoted, sizeof(quoted),
                               text != NULL && text[0] != '\0' ? text : natsStatus_GetText(s)));
}

/* A key or bucket name nats.c refused before asking the server is the caller's mistake, not an
 * outage: callers must not retry it. */
static int code_of(natsStatus s)
{
    return s == NATS_INVALID_ARG ? MUE_EINVAL : MUE_EBUS;
}

int mue_kv_open(struct mue_kv **out, struct mue_bus *b, const char *bucket, long ttl_s)
{
    jsCtx *js = mue_bus_jetstream(b);
    kvStore *store = NULL;
    natsStatus s;

    if (strlen(bucket) >= sizeof(((struct mue_kv *)NULL)->bucket) || ttl_s < 0)
        return MUE_EINVAL;
    s = js_KeyValue(&store, js, bucket);
    if (s == NATS_NOT_FOUND) {
        kvConfig kc;
        kvConfig_Init(&kc);
        kc.Bucket = bucket;
        kc.History = 1;
        kc.StorageType = js_FileStorage;
        kc.TTL = (int64_t)ttl_s * NS_PER_S;
        kc.Replicas = (int)mue_bus_replicas(b); /* on a cluster, as many copies as the streams */
        /* Two services starting together may both create it: the server accepts the same
         * configuration twice. */
        s = js_CreateKeyValue(&store, js, &kc);
        if (s == NATS_OK)
            mue_log_info("kv.created", "bucket=%s ttl_s=%ld", bucket, ttl_s);
    }
    if (s != NATS_OK) {
        log_kv("kv.open_failed", s, bucket, NULL);
        return code_of(s);
    }
    *out = mue_xcalloc(1, sizeof(**out));
    (*out)->store = store;
    snprintf((*out)->bucket, sizeof((*out)->bucket), "%s", bucket);
    return MUE_OK;
}

int mue_kv_put(struct mue_kv *kv, const char *key, const char *value)
{
    uint64_t rev = 0;
    natsStatus s = kvStore_PutString(&rev, kv->store, key, value);

    if (s != NATS_OK) {
        log_kv("kv.put_failed", s, kv->bucket, key);
        return code_of(s);
    }
    return MUE_OK;
}

int mue_kv_get(struct mue_kv *kv, const char *key, char *value, size_t cap)
{
    kvEntry *e = NULL;
    natsStatus s = kvStore_Get(&e, kv->store, key);
    int rc = MUE_OK;
    int len;

    if (s == NATS_NOT_FOUND)
        return MUE_ENOENT;
    if (s != NATS_OK) {
        log_kv("kv.get_failed", s, kv->bucket, key);
        return code_of(s);
    }
    len = kvEntry_ValueLen(e);
    if (len < 0 || (size_t)len >= cap) {
        rc = MUE_E2BIG;
        goto out;
    }
    memcpy(value, kvEntry_Value(e), (size_t)len);
    value[len] = '\0';
out:
    kvEntry_Destroy(e);
    return rc;
}

int mue_kv_delete(struct mue_kv *kv, const char *key)
{
    natsStatus s = kvStore_Delete(kv->store, key);

    if (s != NATS_OK) {
        log_kv("kv.delete_failed", s, kv->bucket, key);
        return code_of(s);
    }
    return MUE_OK;
}

void mue_kv_close(struct mue_kv *kv)
{
    if (kv == NULL)
        return;
    kvStore_Destroy(kv->store);
    free(kv);
}
