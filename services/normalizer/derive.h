/* derive.h - quantities the use cases need, derived from raw readings and installation parameters.
 * SPDX-License-Identifier: MIT */
#ifndef DERIVE_H
#define DERIVE_H

#include <jansson.h>

#include "codec.h"

/* Adds derived readings to 'res' from the device's installation parameters 'params' (the JSON
 * object of device.params, may be NULL; JSON null counts as absent):
 *   waste:    distance + container_depth_m [+ sensor_offset_m], or + empty_distance_m
 *             [+ full_distance_m]                          -> fill_level in %, clamped to 0..100;
 *   water:    distance + sensor_height_m                    -> water_level = height - distance;
 *             water_depth or pressure + sensor_elevation_m  -> water_level = elevation + column;
 *   counting: count_ltr/count_rtl + counts (bike|pedestrian) [+ ltr (in|out), default in]
 *                                                            -> <kind>_count_in / _out;
 *   lighting: dim_level + lamp_power_w, when no power was metered -> power in W.
 * Only readings at the frame's time are used. A missing parameter derives nothing. Returns 0, or
 * MUE_EINVAL with res->reason set when a parameter is present but unusable, MUE_E2BIG when 'res'
 * is full. */
int derive_apply(const char *use_case, const json_t *params, struct codec_result *res);

#endif
