/* derive.h - quantities the use cases need, derived from raw readings and installation parameters.
 * SPDX-License-Identifier: MIT */
#ifndef DERIVE_H
#define DERIVE_H

#include <jansson.h>

#include "codec.h"

/* Adds derived readings to 'res' from the device's installation parameters 'params' (the JSON
 * object of device.params, may be NULL):
 *   waste: distance + empty_distance_m [+ full_distance_m, default 0] -> fill_level in %, 0..100;
 *   water: distance + sensor_height_m (sensor above the gauge zero) -> water_level in m.
 * A missing parameter derives nothing. Returns 0, or MUE_EINVAL with res->reason set when a
 * parameter is present but unusable (not a number, empty <= full). */
int derive_apply(const char *use_case, const json_t *params, struct codec_result *res);

#endif
