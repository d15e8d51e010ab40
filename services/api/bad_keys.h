/* bad_keys.h - addresses that present unknown API keys. Each address may fail a burst, then
 * about 'per_s' a second; past that, its requests carrying a key are refused before the key is
 * looked up, so that guessing keys, or dodging the public's budget with a made-up key, costs the
 * database nothing. A valid key never spends anything.
 * SPDX-License-Identifier: MIT */
#ifndef BAD_KEYS_H
#define BAD_KEYS_H

#include <stdbool.h>
#include <stdint.h>

struct bad_keys;

/* 'burst' failures at once, refilled at 'per_s' a second. Returns the table (never NULL). */
struct bad_keys *bad_keys_new(double per_s, double burst);
void bad_keys_free(struct bad_keys *b);

/* True when 'addr' has no failure left to spend at 'now_ms' (monotonic). Spends nothing.
 * Thread-safe. */
bool bad_keys_exhausted(struct bad_keys *b, const char *addr, int64_t now_ms);

/* Spends one failure of 'addr' at 'now_ms'. Thread-safe. */
void bad_keys_record(struct bad_keys *b, const char *addr, int64_t now_ms);

#endif
