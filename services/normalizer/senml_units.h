/* senml_units.h - SenML record names and units (RFC 8428 12.1, RFC 8798) mapped onto mue's
 * quantities, for the senml codec.
 * SPDX-License-Identifier: MIT */
#ifndef SENML_UNITS_H
#define SENML_UNITS_H

#include <stdbool.h>

#include "quantity.h"

/* Why a record does or does not map to a quantity. */
enum senml_match {
    SENML_MAPPED,         /* q, factor and offset are set */
    SENML_UNKNOWN_NAME,   /* neither the name nor the unit says which quantity */
    SENML_WRONG_UNIT,     /* the name is a quantity's, the unit cannot be converted to its unit */
    SENML_NO_UNIT,        /* the name is a dimensioned quantity's, and the record has no unit */
    SENML_AMBIGUOUS_UNIT, /* "%", which SenML defines as a ratio and devices use as a percent */
    SENML_NOT_A_FLAG,     /* a boolean for a quantity that is not a 1/0 flag or count */
};

struct senml_mapping {
    const char *name; /* the reading's quantity ("switch_3"), borrowed from the name or a table */
    const struct quantity *q;
    double factor, offset; /* ours = SenML value * factor + offset */
};

/* The quantity of a resolved record named 'name' (the full SenML name: its last segment after
 * ':' or '/' is what is compared), in 'unit' (NULL when it has none); 'is_bool' for a "vb"
 * record. The name decides when it is a quantity's (or an alias's); the unit alone decides only
 * for units that mean one thing ("%RH", "%EL", "lat", "lon"). Fills *m when SENML_MAPPED. */
enum senml_match senml_units_map(const char *name, const char *unit, bool is_bool,
                                 struct senml_mapping *m);

/* The last segment of 'name', after its last ':' or '/' (borrowed from 'name'). */
const char *senml_units_last_segment(const char *name);

#endif
