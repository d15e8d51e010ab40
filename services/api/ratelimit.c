/* ratelimit.c - token buckets in a fixed table indexed by a hash of the address. Two addresses
 * that share a slot take it over in turn (each starts with a full bucket): memory stays bounded
 * whatever the number of clients, and a collision can only let more through, never less.
 * SPDX-License-Identifier: MIT */
#include "ratelimit.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "mue_mem.h"

#define SLOTS 4096

struct slot {
    char addr[48];
    double tokens;
    int64_t last_ms;
};

struct ratelimit {
    pthread_mutex_t lock;
    double per_ms, burst;
    struct slot slot[SLOTS];
};

struct ratelimit *ratelimit_new(double per_s, double burst)
{
    struct ratelimit *rl = mue_xcalloc(1, sizeof(*rl));

    pthread_mutex_init(&rl->lock, NULL);
    rl->per_ms = per_s / 1000.0;
    rl->burst = burst < 1.0 ? 1.0 : burst;
    return rl;
}

void ratelimit_free(struct ratelimit *rl)
{
    if (rl == NULL)
        return;
    pthread_mutex_destroy(&rl->lock);
    free(rl);
}

/* FNV-1a: quick, and good enough to spread addresses over the slots. */
static size_t slot_of(const char *addr)
{
    uint32_t h = 2166136261u;

    for (; *addr != '\0'; addr++)
        h = (h ^ (uint8_t)*addr) * 16777619u;
    return h % SLOTS;
}

bool ratelimit_allow(struct ratelimit *rl, const char *addr, int64_t now_ms)
{
    struct slot *s = &rl->slot[slot_of(addr)];
    bool ok;

    pthread_mutex_lock(&rl->lock);
    if (strncmp(s->addr, addr, sizeof(s->addr)) != 0) {
        strncpy(s->addr, addr, sizeof(s->addr) - 1);
        s->addr[sizeof(s->addr) - 1] = '\0';
        s->tokens = rl->burst;
        s->last_ms = now_ms;
    }
    s->tokens += (double)(now_ms - s->last_ms) * rl->per_ms;
    if (s->tokens > rl->burst)
        s->tokens = rl->burst;
    s->last_ms = now_ms;
    ok = s->tokens >= 1.0;
    if (ok)
        s->tokens -= 1.0;
    pthread_mutex_unlock(&rl->lock);
    return ok;
}
