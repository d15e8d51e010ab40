/* derive.c - quantities the use cases need, derived from raw readings and the device's
 * installation parameters (device.params): fill level, water level, directed counts, lamp power.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "derive.h"
#include "mue_err.h"

/* Metres of fresh water per bar of pressure (ρ = 1000 kg/m³, g = 9.80665 m/s²). */
#define WATER_M_PER_BAR (100000.0 / (1000.0 * 9.80665))

/* Reads the number params[key]. Returns 1 and sets *v when present, 0 when absent (JSON null
 * counts as absent, the way a cleared form field arrives), or MUE_EINVAL with res->reason set. */
static int param_number(const json_t *params, const char *key, double *v, struct codec_result *res)
{
    const json_t *j = params ? json_object_get(params, key) : NULL;

    if (j == NULL || json_is_null(j))
        return 0;
    if (!json_is_number(j) || !isfinite(json_number_value(j))) {
        snprintf(res->reason, sizeof(res->reason), "parameter %s is not a number", key);
        return MUE_EINVAL;
    }
    *v = json_number_value(j);
    return 1;
}

/* Reads the string params[key] and checks it is one of 'allowed' (NULL-ended). Returns 1, 0 when
 * absent, or MUE_EINVAL. */
static int param_choice(const json_t *params, const char *key, const char *const *allowed,
                        const char **v, struct codec_result *res)
{
    const json_t *j = params ? json_object_get(params, key) : NULL;

    if (j == NULL || json_is_null(j))
        return 0;
    for (const char *const *a = allowed; json_is_string(j) && *a != NULL; a++) {
        if (strcmp(json_string_value(j), *a) == 0) {
            *v = *a;
            return 1;
        }
    }
    snprintf(res->reason, sizeof(res->reason), "parameter %s must be one of %s%s%s", key,
             allowed[0], allowed[1] ? ", " : "", allowed[1] ? allowed[1] : "");
    return MUE_EINVAL;
}

/* Finds the first reading of 'quantity' taken at the frame's time; a frame carries one
 * measurement time, so a second one of the same quantity adds nothing the first does not say. */
static int find_reading(const struct codec_result *res, const char *quantity, double *v)
{
    for (size_t i = 0; i < res->n; i++) {
        if (res->r[i].time_us == 0 && strcmp(res->r[i].quantity, quantity) == 0) {
            *v = res->r[i].value;
            return 1;
        }
    }
    return 0;
}

/* Waste: the sensor looks down into the container. Either container_depth_m (full line to
 * bottom) with sensor_offset_m (sensor to full line, default 0), or the two readings
 * empty_distance_m and full_distance_m (default 0) measured on site. */
static int derive_waste(const json_t *params, struct codec_result *res)
{
    double distance, empty = 0.0, full = 0.0, depth = 0.0, offset = 0.0, fill;
    int rc;

    if (!find_reading(res, "distance", &distance))
        return MUE_OK;
    rc = param_number(params, "container_depth_m", &depth, res);
    if (rc < 0)
        return rc;
    if (rc == 1) {
        if (param_number(params, "sensor_offset_m", &offset, res) < 0)
            return MUE_EINVAL;
        if (!(depth > 0.0) || offset < 0.0) {
            snprintf(res->reason, sizeof(res->reason),
                     "container_depth_m (%g) must be positive and sensor_offset_m (%g) not "
                     "negative",
                     depth, offset);
            return MUE_EINVAL;
        }
        full = offset;
        empty = offset + depth;
    } else {
        rc = param_number(params, "empty_distance_m", &empty, res);
        if (rc <= 0)
            return rc;
        if (param_number(params, "full_distance_m", &full, res) < 0)
            return MUE_EINVAL;
        if (!(empty > full)) {
            snprintf(res->reason, sizeof(res->reason),
                     "empty_distance_m (%g) must be greater than full_distance_m (%g)", empty,
                     full);
            return MUE_EINVAL;
        }
    }
    fill = (empty - distance) / (empty - full) * 100.0;
    /* Echoes off the rim or a lid left open read outside the calibrated range. */
    fill = fill < 0.0 ? 0.0 : fill > 100.0 ? 100.0 : fill;
    return codec_add(res, "fill_level", fill);
}

/* Water: the level above the gauge zero. An ultrasonic sensor above the river reads the distance
 * down to the surface (sensor_height_m above the zero); a submerged pressure or depth sensor
 * reads the column above it (sensor_elevation_m above the zero, negative below it). Not clamped:
 * a level below the gauge zero is a real reading on a low river. */
static int derive_water(const json_t *params, struct codec_result *res)
{
    double v, height = 0.0, elevation = 0.0;
    int rc;

    if (find_reading(res, "distance", &v)) {
        rc = param_number(params, "sensor_height_m", &height, res);
        return rc <= 0 ? rc : codec_add(res, "water_level", height - v);
    }
    if (find_reading(res, "water_depth", &v)) {
        rc = param_number(params, "sensor_elevation_m", &elevation, res);
        return rc <= 0 ? rc : codec_add(res, "water_level", elevation + v);
    }
    if (find_reading(res, "pressure", &v)) {
        rc = param_number(params, "sensor_elevation_m", &elevation, res);
        return rc <= 0 ? rc : codec_add(res, "water_level", elevation + v * WATER_M_PER_BAR);
    }
    return MUE_OK;
}

/* Counting: a counter counts one kind of traveller (counts: bike or pedestrian), and which of
 * its two directions is inbound depends on how it was mounted (ltr: in or out). */
static int derive_counting(const json_t *params, struct codec_result *res)
{
    static const char *const kinds[] = { "bike", "pedestrian", NULL };
    static const char *const dirs[] = { "in", "out", NULL };
    const char *kind = NULL, *ltr = "in";
    double ltr_count, rtl_count;
    char q[32];
    int rc = param_choice(params, "counts", kinds, &kind, res);

    if (rc <= 0)
        return rc;
    if (param_choice(params, "ltr", dirs, &ltr, res) < 0)
        return MUE_EINVAL;
    if (find_reading(res, "count_ltr", &ltr_count)) {
        snprintf(q, sizeof(q), "%s_count_%s", kind, ltr);
        if (codec_add(res, q, ltr_count) < 0)
            return MUE_E2BIG;
    }
    if (find_reading(res, "count_rtl", &rtl_count)) {
        snprintf(q, sizeof(q), "%s_count_%s", kind, strcmp(ltr, "in") == 0 ? "out" : "in");
        if (codec_add(res, q, rtl_count) < 0)
            return MUE_E2BIG;
    }
    return MUE_OK;
}

/* Lighting: a controller that dims but does not meter gets its power estimated from the lamp's
 * rated power (lamp_power_w) and the dim level, drivers being close to linear. */
static int derive_lighting(const json_t *params, struct codec_result *res)
{
    double dim, rated = 0.0, metered;
    int rc;

    if (find_reading(res, "power", &metered) || !find_reading(res, "dim_level", &dim))
        return MUE_OK;
    rc = param_number(params, "lamp_power_w", &rated, res);
    if (rc <= 0)
        return rc;
    if (rated < 0.0) {
        snprintf(res->reason, sizeof(res->reason), "lamp_power_w (%g) is negative", rated);
        return MUE_EINVAL;
    }
    return codec_add(res, "power", rated * dim / 100.0);
}

static const struct {
    const char *use_case;
    int (*derive)(const json_t *params, struct codec_result *res);
} derivations[] = {
    { "waste", derive_waste },
    { "water", derive_water },
    { "counting", derive_counting },
    { "lighting", derive_lighting },
};

int derive_apply(const char *use_case, const json_t *params, struct codec_result *res)
{
    if (use_case == NULL || params == NULL)
        return MUE_OK;
    /* Parameters are checked only when there is a reading to use them on, so a battery-only
     * frame is never refused for the installation's settings. */
    for (size_t i = 0; i < sizeof(derivations) / sizeof(derivations[0]); i++)
        if (strcmp(use_case, derivations[i].use_case) == 0)
            return derivations[i].derive(params, res);
    return MUE_OK;
}
