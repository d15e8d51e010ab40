/* ratelimit.h - a budget per client address: a token bucket each, refilled at a steady rate up to
 * a burst. mue-api keeps two: the public's requests (callers with a key are not limited), and the
 * made-up keys an address presents (past that budget, its requests carrying a key are refused
 * before the key is looked up, so guessing keys costs the database nothing).
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

/* True when 'addr' has spent its budget at 'now_ms'; spends nothing, and an address that never
 * spent is never exhausted (asking does not take its slot from one that spent). Thread-safe. */
bool ratelimit_exhausted(struct ratelimit *rl, const char *addr, int64_t now_ms);

/* Spends one token of 'addr' at 'now_ms', down to none. Thread-safe. */
void ratelimit_spend(struct ratelimit *rl, const char *addr, int64_t now_ms);

#endif
