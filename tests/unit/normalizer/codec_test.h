/* codec_test.h - helpers the codec unit tests share: hex, decoding, readings, attributes, maps.
 * SPDX-License-Identifier: MIT */
#ifndef CODEC_TEST_H
#define CODEC_TEST_H

#include <stdio.h>
#include <string.h>

#include "../mue_test.h"
#include "codec.h"
#include "quantity.h"

/* Hex digits to bytes in buf[cap]. Returns the byte count; the test fails on an odd number of
 * digits, a pair that is not hex, or more than 'cap' bytes. */
static inline size_t codec_test_unhex(const char *hex, uint8_t *buf, size_t cap)
{
    size_t n = strlen(hex) / 2;

    MUE_ASSERT(strlen(hex) % 2 == 0 && n <= cap);
    for (size_t i = 0; i < n; i++) {
        unsigned b = 0;

        MUE_ASSERT(sscanf(hex + 2 * i, "%2x", &b) == 1);
        buf[i] = (uint8_t)b;
    }
    return n;
}

/* Zeroes *res, then decodes through codec_decode() (which restores res on failure). Returns what
 * codec_decode() returns. */
static inline int codec_test_decode(const struct codec *c, const uint8_t *buf, size_t len,
                                    unsigned fport, struct codec_result *res)
{
    memset(res, 0, sizeof(*res));
    return codec_decode(c, buf, len, fport, res);
}

/* Zeroes *res, then calls c->decode itself: the codec's own return value and its own clean-up on
 * failure, without codec_decode()'s. */
static inline int codec_test_decode_raw(const struct codec *c, const uint8_t *buf, size_t len,
                                        unsigned fport, struct codec_result *res)
{
    memset(res, 0, sizeof(*res));
    return c->decode(buf, len, fport, res);
}

/* codec_test_unhex() of 'hex' (at most 256 bytes), then codec_test_decode(). */
static inline int codec_test_decode_hex(const struct codec *c, const char *hex, unsigned fport,
                                        struct codec_result *res)
{
    uint8_t buf[256];
    size_t n = codec_test_unhex(hex, buf, sizeof(buf));

    return codec_test_decode(c, buf, n, fport, res);
}

/* Fails the test, naming 'what' and 'name', unless 'found' is 1. */
static inline void codec_test_assert_one(size_t found, const char *what, const char *name)
{
    char m[160];

    if (found == 1)
        return;
    snprintf(m, sizeof(m), "%zu %s \"%.64s\", expected exactly one", found, what, name);
    mue_test_fail(__FILE__, __LINE__, m);
}

/* The only reading of 'quantity'; the test fails when there is none or more than one. */
static inline const struct codec_reading *codec_test_reading_of(const struct codec_result *res,
                                                                const char *quantity)
{
    const struct codec_reading *r = NULL;
    size_t found = 0;

    for (size_t i = 0; i < res->n; i++) {
        if (strcmp(res->r[i].quantity, quantity) == 0) {
            r = &res->r[i];
            found++;
        }
    }
    codec_test_assert_one(found, "readings of", quantity);
    return r;
}

/* The value of the only reading of 'quantity'; the test fails when there is not exactly one. */
static inline double codec_test_reading(const struct codec_result *res, const char *quantity)
{
    return codec_test_reading_of(res, quantity)->value;
}

/* 1 when 'res' has a reading of 'quantity', 0 when it has none. */
static inline int codec_test_has_reading(const struct codec_result *res, const char *quantity)
{
    for (size_t i = 0; i < res->n; i++) {
        if (strcmp(res->r[i].quantity, quantity) == 0)
            return 1;
    }
    return 0;
}

/* The value of the only attribute 'key'; the test fails when there is not exactly one. */
static inline const char *codec_test_attr(const struct codec_result *res, const char *key)
{
    const char *v = NULL;
    size_t found = 0;

    for (size_t i = 0; i < res->nattr; i++) {
        if (strcmp(res->attr[i].key, key) == 0) {
            v = res->attr[i].value;
            found++;
        }
    }
    codec_test_assert_one(found, "attributes", key);
    return v;
}

/* 1 when 'res' has an attribute 'key', 0 when it has none. */
static inline int codec_test_has_attr(const struct codec_result *res, const char *key)
{
    for (size_t i = 0; i < res->nattr; i++) {
        if (strcmp(res->attr[i].key, key) == 0)
            return 1;
    }
    return 0;
}

/* Fails the test, naming the reading, unless every reading's quantity is in the vocabulary. */
static inline void codec_test_assert_vocabulary(const struct codec_result *res)
{
    for (size_t i = 0; i < res->n; i++) {
        if (quantity_find(res->r[i].quantity) == NULL)
            MUE_ASSERT_STR_EQ(res->r[i].quantity, "a name of the vocabulary");
    }
}

/* codec_test_assert_vocabulary(), and every reading is at the uplink's time (time_us 0). */
static inline void codec_test_assert_vocabulary_at_uplink(const struct codec_result *res)
{
    codec_test_assert_vocabulary(res);
    for (size_t i = 0; i < res->n; i++)
        MUE_ASSERT(res->r[i].time_us == 0);
}

/* The element of table[n] whose key is 'key', or NULL. The elements are 'size' bytes each and
 * start with their key, a const char * (a vendor-key map: struct { const char *vendor; ... }). */
static inline const void *codec_test_find_key(const void *table, size_t n, size_t size,
                                              const char *key)
{
    const char *p = table;

    for (size_t i = 0; i < n; i++, p += size) {
        const char *const *k = (const void *)p;

        if (strcmp(*k, key) == 0)
            return p;
    }
    return NULL;
}

/* How a key of the vendor decoder's output maps to ours: a quantity (vendor value x factor =
 * ours), an attribute (the same number, as text), or a constant the codec checks instead of
 * reporting. */
enum codec_test_map_kind { CODEC_TEST_QUANTITY, CODEC_TEST_ATTR, CODEC_TEST_CHECKED };

struct codec_test_key_map {
    const char *vendor_key;
    const char *ours;
    enum codec_test_map_kind kind;
    double factor;
};

/* One value of the vendor decoder's output, as published. */
struct codec_test_vendor_value {
    const char *key;
    double value;
};

/* Checks 'res' against the vendor's values data[] (ended by a NULL key) through map[nmap]: every
 * vendor key is in the map, every quantity and attribute has the vendor's value, 'res' has no
 * reading or attribute the vendor does not report, and its quantities are in the vocabulary. */
static inline void codec_test_check_vendor_values(const struct codec_result *res,
                                                  const struct codec_test_vendor_value *data,
                                                  const struct codec_test_key_map *map, size_t nmap)
{
    size_t nq = 0, na = 0;
    char want[48];

    for (const struct codec_test_vendor_value *v = data; v->key != NULL; v++) {
        const struct codec_test_key_map *m = codec_test_find_key(map, nmap, sizeof(*map), v->key);

        MUE_ASSERT(m != NULL); /* every vendor key is accounted for */
        if (m->kind == CODEC_TEST_QUANTITY) {
            MUE_ASSERT_DBL_NEAR(codec_test_reading(res, m->ours), v->value * m->factor, 1e-9);
            nq++;
        } else if (m->kind == CODEC_TEST_ATTR) {
            snprintf(want, sizeof(want), "%.0f", v->value);
            MUE_ASSERT_STR_EQ(codec_test_attr(res, m->ours), want);
            na++;
        }
    }
    MUE_ASSERT_UINT_EQ(res->n, nq); /* nothing the vendor does not report */
    MUE_ASSERT_UINT_EQ(res->nattr, na);
    codec_test_assert_vocabulary(res);
}

#endif
