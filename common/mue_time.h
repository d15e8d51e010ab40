/* mue_time.h - RFC 3339 times to and from microseconds since the Unix epoch (UTC).
 * SPDX-License-Identifier: MIT */
#ifndef MUE_TIME_H
#define MUE_TIME_H

#include <stddef.h>
#include <stdint.h>

/* Parses an RFC 3339 date-time ("2022-07-18T09:34:15.775023242+00:00", "...Z", 'T' or ' ',
 * any number of fraction digits, truncated to µs). Returns 0 and *out_us, or MUE_EDECODE. */
int mue_time_parse(const char *text, int64_t *out_us);

/* Formats 'us' as "2022-07-18T09:34:15.775023Z" into 'out' (cap >= 28). Returns the length. */
size_t mue_time_format(int64_t us, char *out, size_t cap);

/* Now, in µs since the epoch (CLOCK_REALTIME). */
int64_t mue_time_now_us(void);

/* A monotonic clock in ms, for timeouts and durations. */
int64_t mue_time_mono_ms(void);

#endif
