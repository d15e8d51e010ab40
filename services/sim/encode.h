/* encode.h - the simulator's payload encoders: a frame of values to the bytes and fPort of the
 * device's real model, the inverse of the normalizer's codec of that model.
 * SPDX-License-Identifier: MIT */
#ifndef ENCODE_H
#define ENCODE_H

#include <stddef.h>
#include <stdint.h>

#include "sim.h"

#define SIM_PAYLOAD_MAX 64

/* Encodes 'f' into 'buf' (cap bytes) as the model's uplink of kind f->kind, and sets *len and
 * *fport. Values are named as the codec names its readings; each is rounded to the device's
 * resolution and clamped to what the field can hold; a value the frame lacks takes a plausible
 * default (a full battery, no alarm). Returns 0, MUE_EINVAL when the model sends no frame of that
 * kind, MUE_E2BIG when cap is too small. */
typedef int (*sim_encode_fn)(const struct sim_frame *f, uint8_t *buf, size_t cap, size_t *len,
                             unsigned *fport);

struct sim_encoder {
    const char *model; /* the codec id: "milesight-em310-udl" */
    sim_encode_fn encode;
};

/* Every encoder, ended by NULL (encode.c). */
extern const struct sim_encoder *const sim_encoders[];

/* Finds the encoder of 'model'. Returns it (static), or NULL. */
const struct sim_encoder *sim_encoder_find(const char *model);

#endif
