/* bad_keys.c - a failure budget per address, in a fixed table indexed by a hash of the address.
 * Two addresses that share a slot take it over in turn with a full budget: memory stays bounded
 * whatever the number of clients, and a collision can only let more through, never less.
 * SPDX-License-Identifier: MIT */
#include "bad_keys.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "mue_mem.h"

#define SLOTS 1024

struct slot {
    char addr[48];
    double left; /* failures this address may still make */
    int64_t last_ms;
};

struct bad_keys {
    pthread_mutex_t lock;
    double per_ms, burst;
    struct slot slot[SLOTS];
};

struct bad_keys *bad_keys_new(double per_s, double burst)
{
    struct bad_keys *b = mue_xcalloc(1, sizeof(*b));

    pthread_mutex_init(&b->lock, NULL);
    b->per_ms = per_s / 1000.0;
    b->burst = burst < 1.0 ? 1.0 : burst;
    return b;
}

void bad_keys_free(struct bad_keys *b)
{
    if (b == NULL)
        return;
    pthread_mutex_destroy(&b->lock);
    free(b);
}

/* FNV-1a over the address. */
static struct slot *slot_of(struct bad_keys *b, const char *addr)
{
    uint32_t h = 2166136261u;

    for (const char *p = addr; *p != '\0'; p++)
        h = (h ^ (uint8_t)*p) * 16777619u;
    return &b->slot[h % SLOTS];
}

static bool holds(const struct slot *s, const char *addr)
{
    return strncmp(s->addr, addr, sizeof(s->addr) - 1) == 0;
}

/* Brings the budget of slot 's' up to 'now_ms'; the lock is held. */
static void refill(struct bad_keys *b, struct slot *s, int64_t now_ms)
{
    if (now_ms > s->last_ms) {
        s->left += (double)(now_ms - s->last_ms) * b->per_ms;
        if (s->left > b->burst)
            s->left = b->burst;
        s->last_ms = now_ms;
    }
}

bool bad_keys_exhausted(struct bad_keys *b, const char *addr, int64_t now_ms)
{
    struct slot *s = slot_of(b, addr);
    bool out = false;

    pthread_mutex_lock(&b->lock);
    /* Only a failure claims a slot: asking never pushes out the address that failed there. */
    if (holds(s, addr)) {
        refill(b, s, now_ms);
        out = s->left < 1.0;
    }
    pthread_mutex_unlock(&b->lock);
    return out;
}

void bad_keys_record(struct bad_keys *b, const char *addr, int64_t now_ms)
{
    struct slot *s = slot_of(b, addr);

    pthread_mutex_lock(&b->lock);
    if (!holds(s, addr)) {
        strncpy(s->addr, addr, sizeof(s->addr) - 1);
        s->addr[sizeof(s->addr) - 1] = '\0';
        s->left = b->burst;
        s->last_ms = now_ms;
    }
    refill(b, s, now_ms);
    s->left = s->left >= 1.0 ? s->left - 1.0 : 0.0;
    pthread_mutex_unlock(&b->lock);
}
