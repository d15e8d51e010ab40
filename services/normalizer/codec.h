/* codec.h - device-model codecs: a model id names a decode function from payload bytes to readings.
 * SPDX-License-Identifier: MIT */
#ifndef CODEC_H
#define CODEC_H

#include <stddef.h>
#include <stdint.h>

#define CODEC_MAX_READINGS 64
#define CODEC_MAX_ATTRS    24
#define CODEC_MAX_WARNINGS 4
#define CODEC_QUANTITY_MAX 32

/* One decoded value. 'quantity' is a name of the vocabulary (quantity.h, docs/quantities.md), a
 * base name with a numeric suffix for indexed quantities ("switch_3"); 'value' is in that
 * quantity's unit (SI or customary: m, %, V, dB, ...). 'time_us' is the reading's own time for
 * frames that carry one (history, logged records), 0 for "the time of the uplink". */
struct codec_reading {
    char quantity[CODEC_QUANTITY_MAX];
    double value;
    int64_t time_us;
};

/* A fact of the frame that is not a measurement: a firmware version, a configured interval, an
 * alarm threshold, a frame type. Shown by mue-decode; the normalizer does not store them. */
struct codec_attr {
    const char *key; /* static, snake_case */
    char value[48];
};

struct codec_result {
    size_t n;
    struct codec_reading r[CODEC_MAX_READINGS];
    size_t nattr;
    struct codec_attr attr[CODEC_MAX_ATTRS];
    size_t nwarn;
    char warning[CODEC_MAX_WARNINGS][96]; /* the device reports a problem, e.g. "metering error" */
    char reason[160];                     /* why decoding failed, for the dead-letter entry */
};

/* Decodes one FRMPayload received on 'fport'. Appends to 'out' (which the caller has zeroed).
 * Returns 0, or MUE_EDECODE with out->reason set when the bytes do not follow the vendor's format;
 * on failure out->n, nattr and nwarn are back to what they were. A frame with no measurement (a
 * configuration echo) returns 0 with attributes only. */
typedef int (*codec_decode_fn)(const uint8_t *buf, size_t len, unsigned fport,
                               struct codec_result *out);

struct codec {
    const char *model;  /* e.g. "milesight-em310-udl" */
    const char *vendor; /* e.g. "Milesight" */
    const char *name;   /* e.g. "EM310-UDL ultrasonic distance sensor" */
    codec_decode_fn decode;
};

/* Every codec, ended by NULL. The list is generated at build time from the file names: each
 * codec_<vendor>_<model>.c defines 'const struct codec codec_<vendor>_<model>', so a new model is
 * one file (plus its tests) and nothing else to edit. */
extern const struct codec *const codec_list[];

/* Finds the codec of 'model'. Returns it (static), or NULL when no codec has that id. */
const struct codec *codec_find(const char *model);

/* Runs c->decode and restores 'out' on failure (the rule above, kept in one place). */
int codec_decode(const struct codec *c, const uint8_t *buf, size_t len, unsigned fport,
                 struct codec_result *out);

/* Appends one reading at the uplink's time. Returns 0, or MUE_E2BIG (reason set) when 'out' is
 * full or the name is too long. */
int codec_add(struct codec_result *out, const char *quantity, double value);

/* Appends one reading with its own time (µs since the epoch). Same returns as codec_add. */
int codec_add_at(struct codec_result *out, const char *quantity, double value, int64_t time_us);

/* Appends an indexed reading, "<base>_<index>" (e.g. "switch", 3 -> "switch_3"). */
int codec_add_indexed(struct codec_result *out, const char *base, unsigned index, double value);

/* Appends an attribute with printf formatting ('key' is kept by reference: a literal). Returns 0,
 * or MUE_E2BIG when full. */
int codec_attr(struct codec_result *out, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Appends a warning (the frame is valid but reports a fault); past the fourth it is dropped. */
void codec_warn(struct codec_result *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Sets out->reason with printf formatting and returns MUE_EDECODE, for "return codec_fail(...)". */
int codec_fail(struct codec_result *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
