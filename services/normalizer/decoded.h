/* decoded.h - devices without a C codec: the network server's own decoding (ChirpStack object,
 * TTS decoded_payload) mapped to the vocabulary by the device's parameters.
 * SPDX-License-Identifier: MIT */
#ifndef DECODED_H
#define DECODED_H

#include <jansson.h>

#include "codec.h"

/* Applies 'map' (device.params.decoded_map) to the decoded object 'decoded_json':
 *   { "<path>": "<quantity>", "<path>": { "quantity": "<q>", "scale": k, "offset": c }, ... }
 * A path names a member, with dots for nesting ("sensor.temp"). A number becomes the reading
 * value * scale + offset (scale 1, offset 0 by default), true/false become 1/0; a mapped key that
 * is absent is skipped. Returns 0 with at least one reading added, or MUE_EDECODE with
 * res->reason set: no decoded object, not JSON, nothing mapped present, a mapped value that is
 * not a number, a quantity outside the vocabulary, a malformed map. */
int decoded_apply(const char *decoded_json, const json_t *map, struct codec_result *res);

#endif
