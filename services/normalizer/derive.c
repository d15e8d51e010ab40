/* derive.c - derives use-case quantities (fill level, water level) from a distance reading.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "derive.h"
#include "mue_err.h"

/* Reads the number params[key]. Returns 1 and sets *v when present, 0 when absent (JSON null
 * counts as absent, the way a cleared form field arrives), or MUE_EINVAL with res->reason set. */
static int param_number(const json_t *params, const char *key, double *v, struct codec_result *res)
{
    const json_t *j;

    if (params == NULL)
        return 0;
    j = json_object_get(params, key);
    if (j == NULL || json_is_null(j))
        return 0;
    if (!json_is_number(j)) {
        snprintf(res->reason, sizeof(res->reason), "parameter %s is not a number", key);
        return MUE_EINVAL;
    }
    *v = json_number_value(j);
    return 1;
}

/* Finds the first reading of 'quantity'; a frame carries one measurement time, so a second
 * distance in the same frame would add nothing the first does not say. */
static int find_reading(const struct codec_result *res, const char *quantity, double *v)
{
    size_t i;

    for (i = 0; i < res->n; i++) {
        if (strcmp(res->r[i].quantity, quantity) == 0) {
            *v = res->r[i].value;
            return 1;
        }
    }
    return 0;
}

static int derive_waste(double distance, const json_t *params, struct codec_result *res)
{
    double empty = 0.0, full = 0.0, fill;
    int rc;

    rc = param_number(params, "empty_distance_m", &empty, res);
    if (rc <= 0)
        return rc;
    rc = param_number(params, "full_distance_m", &full, res); /* absent: full at the sensor */
    if (rc < 0)
        return rc;
    if (!(empty > full)) {
        snprintf(res->reason, sizeof(res->reason),
                 "empty_distance_m (%g) must be greater than full_distance_m (%g)", empty, full);
        return MUE_EINVAL;
    }
    fill = (empty - distance) / (empty - full) * 100.0;
    /* Echoes off the rim or a lid left open read outside the calibrated range. */
    if (fill < 0.0)
        fill = 0.0;
    if (fill > 100.0)
        fill = 100.0;
    return codec_add(res, "fill_level", fill);
}

static int derive_water(double distance, const json_t *params, struct codec_result *res)
{
    double height = 0.0;
    int rc;

    rc = param_number(params, "sensor_height_m", &height, res);
    if (rc <= 0)
        return rc;
    /* Not clamped: a level below the gauge zero is a real reading on a low river. */
    return codec_add(res, "water_level", height - distance);
}

int derive_apply(const char *use_case, const json_t *params, struct codec_result *res)
{
    double distance;

    if (use_case == NULL || params == NULL)
        return MUE_OK;
    /* Parameters are checked only when there is a distance to use them on, so a battery-only
     * frame is never refused for the installation's settings. */
    if (!find_reading(res, "distance", &distance))
        return MUE_OK;
    if (strcmp(use_case, "waste") == 0)
        return derive_waste(distance, params, res);
    if (strcmp(use_case, "water") == 0)
        return derive_water(distance, params, res);
    return MUE_OK;
}
