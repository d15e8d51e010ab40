/* encode_util.h - what the payload encoders share: reading a frame's values, turning them into
 * a field's integers (rounded, clamped, or wrapped for counters) and writing bytes with a bound.
 * SPDX-License-Identifier: MIT */
#ifndef ENCODE_UTIL_H
#define ENCODE_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "sim.h"

/* The value 'name' of 'f', or 'dflt' when the frame lacks it. */
double encode_get(const struct sim_frame *f, const char *name, double dflt);

/* v * per_unit rounded to the nearest integer (halves away from zero), clamped to [lo, hi]: a
 * field of resolution 1/per_unit. NaN gives lo. */
int64_t encode_scaled(double v, double per_unit, int64_t lo, int64_t hi);

/* A cumulative counter of 'bits' bits (at most 32): v * per_unit rounded, modulo 2^bits as the
 * device's register wraps; below zero (or NaN) it is 0. */
uint32_t encode_counter(double v, double per_unit, unsigned bits);

/* A flag: 1 when v is at least 0.5, else 0. */
unsigned encode_flag(double v);

/* A payload being written into buf[cap]. A write past cap sets 'full' and writes nothing, so an
 * encoder writes its fields in a row and asks encode_end once. */
struct encode_buf {
    uint8_t *p;
    size_t cap;
    size_t len;
    int full;
};

void encode_begin(struct encode_buf *b, uint8_t *p, size_t cap);
void encode_u8(struct encode_buf *b, unsigned v);
void encode_be16(struct encode_buf *b, unsigned v);
void encode_le16(struct encode_buf *b, unsigned v);
void encode_le32(struct encode_buf *b, uint32_t v);

/* Sets *len and *fport. Returns 0, or MUE_E2BIG when the payload did not fit. */
int encode_end(const struct encode_buf *b, unsigned port, size_t *len, unsigned *fport);

#endif
