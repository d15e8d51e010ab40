/* normalize.c - codec, derivation and packing of one uplink; no I/O.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "codec.h"
#include "decoded.h"
#include "derive.h"
#include "mue/v1/measurement.pb-c.h"
#include "mue_err.h"
#include "mue_mem.h"
#include "mue_subjects.h"
#include "normalize.h"
#include "quantity.h"

static int refuse(struct normalize_out *out, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int refuse(struct normalize_out *out, const char *code, const char *fmt, ...)
{
    va_list ap;
    out->code = code;
    va_start(ap, fmt);
    vsnprintf(out->reason, sizeof(out->reason), fmt, ap);
    va_end(ap);
    return MUE_EDECODE;
}

/* Runs the model's codec, or, for a model without one, maps the network server's decoding. */
static int decode(const Mue__V1__Uplink *up, const struct registry_device *dev,
                  struct codec_result *res, struct normalize_out *out)
{
    const struct codec *codec = codec_find(dev->model);
    const json_t *map = json_object_get(dev->params, "decoded_map");

    if (codec != NULL) {
        if (codec_decode(codec, up->payload.data, up->payload.len, up->f_port, res) < 0)
            return refuse(out, "decode_failed", "%s: %s", dev->model, res->reason);
        return MUE_OK;
    }
    if (map == NULL)
        return refuse(out, "no_codec",
                      "no codec for model '%s' of device %s, and no decoded_map in its params",
                      dev->model, dev->dev_eui);
    if (decoded_apply(up->decoded_json, map, res) < 0)
        return refuse(out, "decode_failed", "%s (decoded_map): %s", dev->model, res->reason);
    return MUE_OK;
}

/* Device health travels with every uplink: the radio link and the frame counter, whose gaps
 * between consecutive uplinks are the frames lost. */
static int add_health(const Mue__V1__Uplink *up, struct codec_result *res)
{
    int rc = MUE_OK;
    if (up->radio != NULL) {
        rc = codec_add(res, "rssi", (double)up->radio->rssi);
        if (rc == MUE_OK)
            rc = codec_add(res, "snr", up->radio->snr);
    }
    /* Devices that post themselves (SenML) have no LoRaWAN frame counter. */
    if (rc == MUE_OK && strcmp(up->network, "senml") != 0)
        rc = codec_add(res, "f_cnt", (double)up->f_cnt);
    return rc;
}

int normalize_pack(const struct codec_result *res, const struct registry_device *dev,
                   const char *source_id, uint32_t f_cnt, int64_t time_us,
                   struct normalize_out *out)
{
    Mue__V1__MeasurementBatch batch = MUE__V1__MEASUREMENT_BATCH__INIT;
    Mue__V1__Measurement m[CODEC_MAX_READINGS];
    Mue__V1__Measurement *mp[CODEC_MAX_READINGS];

    for (size_t i = 0; i < res->n; i++) {
        if (quantity_find(res->r[i].quantity) == NULL)
            return refuse(out, "bad_value", "%s: '%s' is not a quantity of the vocabulary",
                          dev->model, res->r[i].quantity);
        /* NaN or infinity would poison every rollup that reads it. */
        if (!isfinite(res->r[i].value))
            return refuse(out, "bad_value", "%s: %s is not a finite number", dev->model,
                          res->r[i].quantity);
        mue__v1__measurement__init(&m[i]);
        m[i].quantity = (char *)res->r[i].quantity;
        m[i].value = res->r[i].value;
        m[i].time_us = res->r[i].time_us ? res->r[i].time_us : time_us;
        mp[i] = &m[i];
    }
    batch.uplink_id = (char *)source_id;
    batch.device_id = dev->id;
    batch.dev_eui = (char *)dev->dev_eui;
    batch.use_case = (char *)dev->use_case;
    batch.model = (char *)dev->model;
    batch.f_cnt = f_cnt;
    batch.n_measurements = res->n;
    batch.measurements = mp;
    out->n_measurements = res->n;
    out->batch_len = mue__v1__measurement_batch__get_packed_size(&batch);
    out->batch = mue_xmalloc(out->batch_len);
    mue__v1__measurement_batch__pack(&batch, out->batch);
    snprintf(out->subject, sizeof(out->subject), MUE_SUBJ_MEASURE_FMT, dev->use_case,
             (long long)dev->id);
    return MUE_OK;
}

int normalize_uplink(const Mue__V1__Uplink *up, const struct registry_device *dev,
                     struct normalize_out *out)
{
    struct codec_result res;

    memset(out, 0, sizeof(*out));
    memset(&res, 0, sizeof(res));
    if (decode(up, dev, &res, out) < 0)
        return MUE_EDECODE;
    if (derive_apply(dev->use_case, dev->params, &res) < 0)
        return refuse(out, "bad_params", "device %s: %s", dev->dev_eui, res.reason);
    if (add_health(up, &res) < 0)
        return refuse(out, "decode_failed", "%s: %s", dev->model, res.reason);
    return normalize_pack(&res, dev, up->id, up->f_cnt,
                          up->time_us ? up->time_us : up->ingested_at_us, out);
}
