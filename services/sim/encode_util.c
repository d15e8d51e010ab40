/* encode_util.c - values to field integers and bounded byte writers for the payload encoders.
 * SPDX-License-Identifier: MIT */
#include "encode_util.h"

#include <math.h>
#include <string.h>

#include "mue_err.h"

double encode_get(const struct sim_frame *f, const char *name, double dflt)
{
    double v;

    return sim_frame_get(f, name, &v) ? v : dflt;
}

int64_t encode_scaled(double v, double per_unit, int64_t lo, int64_t hi)
{
    double x = round(v * per_unit);

    /* Compared as doubles first: converting an out-of-range double to an integer is undefined. */
    if (isnan(x) || x <= (double)lo)
        return lo;
    if (x >= (double)hi)
        return hi;
    return (int64_t)x;
}

uint32_t encode_counter(double v, double per_unit, unsigned bits)
{
    double x = round(v * per_unit), m = ldexp(1.0, (int)bits);

    if (isnan(x) || x <= 0.0 || isinf(x))
        return 0;
    return (uint32_t)fmod(x, m);
}

unsigned encode_flag(double v)
{
    return v >= 0.5 ? 1u : 0u;
}

void encode_begin(struct encode_buf *b, uint8_t *p, size_t cap)
{
    b->p = p;
    b->cap = cap;
    b->len = 0;
    b->full = 0;
}

static void put(struct encode_buf *b, const uint8_t *bytes, size_t n)
{
    if (b->full || b->cap - b->len < n) {
        b->full = 1;
        return;
    }
    memcpy(b->p + b->len, bytes, n);
    b->len += n;
}

void encode_u8(struct encode_buf *b, unsigned v)
{
    uint8_t x = (uint8_t)v;

    put(b, &x, 1);
}

void encode_be16(struct encode_buf *b, unsigned v)
{
    uint8_t x[2] = { (uint8_t)(v >> 8), (uint8_t)v };

    put(b, x, sizeof(x));
}

void encode_le16(struct encode_buf *b, unsigned v)
{
    uint8_t x[2] = { (uint8_t)v, (uint8_t)(v >> 8) };

    put(b, x, sizeof(x));
}

void encode_le32(struct encode_buf *b, uint32_t v)
{
    uint8_t x[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

    put(b, x, sizeof(x));
}

int encode_end(const struct encode_buf *b, unsigned port, size_t *len, unsigned *fport)
{
    if (b->full)
        return MUE_E2BIG;
    *len = b->len;
    *fport = port;
    return MUE_OK;
}
