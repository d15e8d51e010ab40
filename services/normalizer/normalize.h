/* normalize.h - one uplink of one registered device into a measurement batch, or a refusal.
 * SPDX-License-Identifier: MIT */
#ifndef NORMALIZE_H
#define NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

#include "codec.h"
#include "mue/v1/uplink.pb-c.h"
#include "registry.h"

struct normalize_out {
    /* On success: the packed mue.v1.MeasurementBatch (caller frees) and its subject. */
    uint8_t *batch;
    size_t batch_len;
    size_t n_measurements;
    char subject[96];
    /* On refusal: a stable code ("no_codec", "decode_failed", "bad_params", "bad_value") and
     * a reason for a person. */
    const char *code;
    char reason[200];
};

/* Decodes 'up' with the codec of dev->model (or, for a model without a codec, maps the network
 * server's decoded object through dev->params.decoded_map), adds the derived quantities and the
 * device's health (rssi, snr, f_cnt), and packs the batch, stamped with the uplink's network time
 * (its ingest time when the network gave none) unless a reading carries its own. Returns 0
 * (out->batch set), or MUE_EDECODE with out->code and out->reason set. */
int normalize_uplink(const Mue__V1__Uplink *up, const struct registry_device *dev,
                     struct normalize_out *out);

/* Packs the readings of 'res' (each checked against the vocabulary and for finiteness) as the
 * measurement batch of 'dev', identified by 'source_id' (an uplink or device-event id), stamped
 * 'time_us' unless a reading carries its own time. Returns 0, or MUE_EDECODE (code "bad_value"). */
int normalize_pack(const struct codec_result *res, const struct registry_device *dev,
                   const char *source_id, uint32_t f_cnt, int64_t time_us,
                   struct normalize_out *out);

#endif
