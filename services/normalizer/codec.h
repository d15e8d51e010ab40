/* codec.h - device-model codecs: a model id names a decode function from payload bytes to readings.
 * SPDX-License-Identifier: MIT */
#ifndef CODEC_H
#define CODEC_H

#include <stddef.h>
#include <stdint.h>

#define CODEC_MAX_READINGS 48

/* One decoded value. 'quantity' is a static string of docs/quantities.md; 'value' is in that
 * quantity's unit (SI or customary: m, %, V, dB, ...). */
struct codec_reading {
    const char *quantity;
    double value;
};

struct codec_result {
    size_t n;
    struct codec_reading r[CODEC_MAX_READINGS];
    char reason[160]; /* why decoding failed, for the dead-letter entry */
};

/* Decodes one FRMPayload received on 'fport'. Appends readings to 'out' (which the caller has
 * zeroed). Returns 0, or MUE_EDECODE with out->reason set when the bytes do not follow the
 * vendor's format. A frame with no measurement (a configuration echo) returns 0 and no reading. */
typedef int (*codec_decode_fn)(const uint8_t *buf, size_t len, unsigned fport,
                               struct codec_result *out);

struct codec {
    const char *model; /* e.g. "milesight-em310-udl" */
    codec_decode_fn decode;
};

/* Finds the codec of 'model'. Returns it (static), or NULL when no codec has that id. */
const struct codec *codec_find(const char *model);

/* The table of all codecs, ended by an entry whose model is NULL. */
extern const struct codec codec_table[];

/* Appends one reading. Returns 0, or MUE_E2BIG (reason set) when 'out' is full. */
int codec_add(struct codec_result *out, const char *quantity, double value);

/* Sets out->reason with printf formatting and returns MUE_EDECODE, for "return codec_fail(...)". */
int codec_fail(struct codec_result *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The codecs, one file each. */
int codec_milesight_em310_udl_decode(const uint8_t *buf, size_t len, unsigned fport,
                                     struct codec_result *out);
int codec_decentlab_dl_mbx_decode(const uint8_t *buf, size_t len, unsigned fport,
                                  struct codec_result *out);

#endif
