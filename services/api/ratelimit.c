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
static struct slot *slot_of(struct ratelimit *rl, const char *addr)
{
    uint32_t h = 2166136261u;

    for (const char *p = addr; *p != '\0'; p++)
        h = (h ^ (uint8_t)*p) * 16777619u;
    return &rl->slot[h % SLOTS];
}

static bool holds(const struct slot *s, const char *addr)
{
    return strncmp(s->addr, addr, sizeof(s->addr) - 1) == 0;
}

/* The slot of 'addr', taken over with a full bucket when another address held it, and refilled
 * up to 'now_ms'. The lock is held. */
static struct slot *claim(struct ratelimit *rl, const char *addr, int64_t now_ms)
{
    struct slot *s = slot_of(rl, addr);

    if (!holds(s, addr)) {
        strncpy(s->addr, addr, sizeof(s->addr) - 1);
        s->addr[sizeof(s->addr) - 1] = '\0';
        s->tokens = rl->burst;
        s->last_ms = now_ms;
    }
    if (now_ms > s->last_ms) {
        s->tokens += (double)(now_ms - s->last_ms) * rl->per_ms;
        if (s->tokens > rl->burst)
            s->tokens = rl->burst;
        s->last_ms = now_ms;
    }
    return s;
}

bool ratelimit_allow(struct ratelimit *rl, const char *addr, int64_t now_ms)
{
    bool ok;

    pthread_mutex_lock(&rl->lock);
    struct slot *s = claim(rl, addr, now_ms);
    ok = s->tokens >= 1.0;
    if (ok)
        s->tokens -= 1.0;
    pthread_mutex_unlock(&rl->lock);
    return ok;
}

bool ratelimit_exhausted(struct ratelimit *rl, const char *addr, int64_t now_ms)
{
    struct slot *s = slot_of(rl, addr);
    bool out = false;

    pthread_mutex_lock(&rl->lock);
    /* Only spending claims a slot: asking never pushes out the address that spent there. */
    if (holds(s, addr))
        out = claim(rl, addr, now_ms)->tokens < 1.0;
    pthread_mutex_unlock(&rl->lock);
    return out;
}

void ratelimit_spend(struct ratelimit *rl, const char *addr, int64_t now_ms)
{
    pthread_mutex_lock(&rl->lock);
    struct slot *s = claim(rl, addr, now_ms);
    s->tokens = s->tokens >= 1.0 ? s->tokens - 1.0 : 0.0;
    pthread_mutex_unlock(&rl->lock);
}
