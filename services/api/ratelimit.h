/* ratelimit.h - the public's request budget, per client address: a token bucket each, refilled at
 * a steady rate up to a burst. Callers with a key are not limited.
 * SPDX-License-Identifier: MIT */
#ifndef RATELIMIT_H
#define RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

struct ratelimit;

/* 'per_s' requests a second on average, 'burst' at once. Returns the limiter (never NULL). */
struct ratelimit *ratelimit_new(double per_s, double burst);
void ratelimit_free(struct ratelimit *rl);

/* Takes one request from the bucket of 'addr' at 'now_ms' (monotonic). Returns true when the
 * request may go on. Thread-safe. */
bool ratelimit_allow(struct ratelimit *rl, const char *addr, int64_t now_ms);

#endif
