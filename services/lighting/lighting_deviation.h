/* lighting_deviation.h - "schedule not applied": the gap between what a lamp reports and what
 * its schedule plans, published as the measurement schedule_deviation for the alert engine
 * (rule lighting.schedule_deviation).
 * SPDX-License-Identifier: MIT */
#ifndef LIGHTING_DEVIATION_H
#define LIGHTING_DEVIATION_H

#include <stddef.h>
#include <stdint.h>

struct mue_bus;
struct mue_db;
struct deviation_cache;

/* The gap in percentage points between a reported and a planned level: a lamp's dim level
 * (dim_level, or the highest dim_level_N), or a cabinet's circuits (100 when any switch_N is on,
 * else 0) against its plan (any level above 0 is on for a cabinet). Returns -1 when the batch
 * reports neither. Pure. */
double deviation_of(const char *model, const char *const *quantities, const double *values,
                    size_t n, int planned);

struct deviation_cache *deviation_cache_new(void);
void deviation_cache_free(struct deviation_cache *c);
/* Forgets every lamp's schedule (they changed). */
void deviation_cache_clear(struct deviation_cache *c);

/* Takes one MeasurementBatch (protobuf bytes) of the lighting use case: when it reports a level
 * and the lamp has a schedule, publishes schedule_deviation at the batch's time on
 * mue.measure.lighting.<device_id> (Nats-Msg-Id "lighting-deviation:<uplink id>"). Sets
 * *published. Returns 0, MUE_EDECODE, MUE_EDB or MUE_EBUS. */
int deviation_take(struct mue_db *db, struct mue_bus *bus, struct deviation_cache *c,
                   const void *data, size_t len, int *published);

#endif
