/* senml_units.c - which mue quantity a SenML record is, and how its unit converts to the
 * quantity's: tables of names and units, read by the senml codec.
 * SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <string.h>

#include "senml_units.h"

/* A SenML unit (RFC 8428 12.1 registry, RFC 8798 primary and secondary units) and what one of
 * it is in a mue unit: ours = value * factor + offset. 'only' restricts the entry to one quantity
 * when the SenML unit says more than the mue unit ("%RH" is a humidity, not any percentage). */
struct unit_conversion {
    const char *senml;
    const char *ours;
    double factor, offset;
    const char *only;
};

static const struct unit_conversion conversions[] = {
    { "Cel", "°C", 1, 0, NULL },
    { "K", "°C", 1, -273.15, NULL },
    { "%RH", "%", 1, 0, "humidity" },
    { "%EL", "%", 1, 0, "battery" },
    /* "/" is a ratio (1 = whole); "/100" and "/1000" (RFC 8798) are percent and per mille. */
    { "/", "%", 100, 0, NULL },
    { "/100", "%", 1, 0, NULL },
    { "/1000", "%", 0.1, 0, NULL },
    { "/", "1", 1, 0, NULL },
    { "count", "1", 1, 0, NULL },
    { "ppm", "ppm", 1, 0, NULL },
    { "/", "ppm", 1e6, 0, NULL },
    { "m", "m", 1, 0, NULL },
    { "mm", "m", 1e-3, 0, NULL },
    { "cm", "m", 1e-2, 0, NULL },
    { "km", "m", 1e3, 0, NULL },
    { "V", "V", 1, 0, NULL },
    { "mV", "V", 1e-3, 0, NULL },
    { "A", "A", 1, 0, NULL },
    { "mA", "A", 1e-3, 0, NULL },
    { "W", "W", 1, 0, NULL },
    { "kW", "W", 1e3, 0, NULL },
    { "J", "kWh", 1 / 3.6e6, 0, NULL },
    { "Wh", "kWh", 1e-3, 0, NULL },
    { "kWh", "kWh", 1, 0, NULL },
    { "lx", "lx", 1, 0, NULL },
    /* SenML has no bar (RFC 8428 12.1 rule 8 bans it): pressure comes in Pa. */
    { "Pa", "bar", 1e-5, 0, NULL },
    { "hPa", "bar", 1e-3, 0, NULL },
    /* SenML has no dB(A): its "dB" is any logarithmic level. The weighting is in the quantity's
     * name (LAeq, LCF, LZSmax...), so a record named after one of them in dB is taken in that
     * weighting; a device that names a record LAeq and measured it unweighted is wrong either
     * way. "Bspl" is the deprecated bel of sound pressure level: ten decibels. */
    { "dB", "dB(A)", 1, 0, NULL },
    { "dB", "dB(C)", 1, 0, NULL },
    { "dB", "dB(Z)", 1, 0, NULL },
    { "dB", "dB", 1, 0, NULL },
    { "Bspl", "dB(A)", 10, 0, NULL },
    { "Bspl", "dB(C)", 10, 0, NULL },
    { "Bspl", "dB(Z)", 10, 0, NULL },
    { "dBm", "dBm", 1, 0, NULL },
    { "dBW", "dBm", 1, 30, NULL },
    { "lat", "°", 1, 0, "latitude" },
    { "lon", "°", 1, 0, "longitude" },
    { "deg", "°", 1, 0, NULL },
    { "rad", "°", 57.295779513082321, 0, NULL }, /* 180 / pi */
    { "S/m", "µS/cm", 1e4, 0, NULL },
    { "pH", "pH", 1, 0, NULL },
    { "kg/m3", "mg/L", 1e3, 0, NULL },
    { "s", "h", 1 / 3600.0, 0, NULL },
    { "ms", "h", 1 / 3.6e6, 0, NULL },
    { "min", "h", 1 / 60.0, 0, NULL },
    { "h", "h", 1, 0, NULL },
};

/* Names the RFC's own examples and common firmware use for a quantity of ours. */
static const struct {
    const char *senml;
    const char *quantity;
} aliases[] = {
    { "temp", "temperature" }, /* RFC 8428 5.1.5 and 5.1.7 */
    { "batteryLevel", "battery" },
};

/* Units that name their quantity on their own, so a record named only by its base name (RFC
 * 8428 5.1.3: a device's humidity, position and battery, told apart by unit) still maps. */
static const struct {
    const char *unit;
    const char *quantity;
} unit_only[] = {
    { "%RH", "humidity" },
    { "%EL", "battery" },
    { "lat", "latitude" },
    { "lon", "longitude" },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *senml_units_last_segment(const char *name)
{
    const char *colon = strrchr(name, ':'), *slash = strrchr(name, '/');
    const char *last = colon > slash ? colon : slash;

    return last != NULL ? last + 1 : name;
}

/* The quantity a name (its last segment) or its unit designates; sets m->name and m->q. */
static bool find_quantity(const char *name, const char *unit, struct senml_mapping *m)
{
    const char *seg = senml_units_last_segment(name);

    m->name = seg;
    m->q = quantity_find(seg);
    for (size_t i = 0; m->q == NULL && i < COUNT(aliases); i++) {
        if (strcmp(seg, aliases[i].senml) == 0) {
            m->name = aliases[i].quantity;
            m->q = quantity_find(m->name);
        }
    }
    for (size_t i = 0; m->q == NULL && unit != NULL && i < COUNT(unit_only); i++) {
        if (strcmp(unit, unit_only[i].unit) == 0) {
            m->name = unit_only[i].quantity;
            m->q = quantity_find(m->name);
        }
    }
    return m->q != NULL;
}

enum senml_match senml_units_map(const char *name, const char *unit, bool is_bool,
                                 struct senml_mapping *m)
{
    bool unitless;

    m->factor = 1;
    m->offset = 0;
    if (!find_quantity(name, unit, m))
        return SENML_UNKNOWN_NAME;
    unitless = strcmp(m->q->unit, "1") == 0;
    /* A boolean is a flag whatever its unit says, and only a flag (or count) can hold one. */
    if (is_bool)
        return unitless ? SENML_MAPPED : SENML_NOT_A_FLAG;
    /* RFC 8428 4.5.2 lets the application context supply a missing unit: for counts and flags
     * there is nothing to supply; for anything with a dimension a guess could be off by 1000. */
    if (unit == NULL)
        return unitless ? SENML_MAPPED : SENML_NO_UNIT;
    /* RFC 8428 defines "%" as a ratio (1 = 100 %), RFC 8798 recommends against it, and devices
     * send it meaning percent: 0.87 or 87 could both be 87 %. Better no reading than a wrong one.
     */
    if (strcmp(unit, "%") == 0)
        return SENML_AMBIGUOUS_UNIT;
    for (size_t i = 0; i < COUNT(conversions); i++) {
        const struct unit_conversion *c = &conversions[i];

        if (strcmp(c->senml, unit) == 0 && strcmp(c->ours, m->q->unit) == 0 &&
            (c->only == NULL || strcmp(c->only, m->q->name) == 0)) {
            m->factor = c->factor;
            m->offset = c->offset;
            return SENML_MAPPED;
        }
    }
    return SENML_WRONG_UNIT;
}
