/* mue_kv.h - JetStream key-value buckets: small shared maps that outlive any one service (downlink
 * references, device tokens).
 * SPDX-License-Identifier: MIT */
#ifndef MUE_KV_H
#define MUE_KV_H

#include <stddef.h>

struct mue_bus;
struct mue_kv;

/* Binds to the bucket 'bucket', creating it when missing: file storage, one value per key (no
 * history), entries dropped 'ttl_s' seconds after they were written (0: never). An existing
 * bucket keeps its own settings. 'b' is kept by reference and must outlive the handle. Returns 0,
 * or MUE_EINVAL for a bucket name JetStream refuses, MUE_EBUS otherwise (both logged). */
int mue_kv_open(struct mue_kv **out, struct mue_bus *b, const char *bucket, long ttl_s);

/* Keys are 1..255 characters of A-Z a-z 0-9 - _ / = and '.' (not first or last): the KV keys of
 * JetStream. Values are text. Every call below is thread-safe and waits for the server. */

/* Sets 'key' to 'value'. Returns 0, MUE_EINVAL for a refused key, or MUE_EBUS. */
int mue_kv_put(struct mue_kv *kv, const char *key, const char *value);

/* Copies the value of 'key' into 'value' (capacity 'cap', NUL-terminated). Returns 0,
 * MUE_ENOENT when the key is absent, deleted or expired, MUE_E2BIG when it does not fit (value
 * untouched), MUE_EINVAL for a refused key, or MUE_EBUS. */
int mue_kv_get(struct mue_kv *kv, const char *key, char *value, size_t cap);

/* Deletes 'key'. Returns 0 (also when it was absent), MUE_EINVAL, or MUE_EBUS. */
int mue_kv_delete(struct mue_kv *kv, const char *key);

/* Frees the handle; the bucket stays on the server. Accepts NULL. */
void mue_kv_close(struct mue_kv *kv);

#endif
