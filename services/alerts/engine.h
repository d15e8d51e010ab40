/* engine.h - samples of many (rule, device) pairs evaluated in one transaction: the states
 * locked, each sample run through eval_sample in time order, alerts opened, updated and resolved,
 * the states saved. Measurements from the bus and daily indicators from the clock both come
 * through here.
 * SPDX-License-Identifier: MIT */
#ifndef ALERTS_ENGINE_H
#define ALERTS_ENGINE_H

#include <stdint.h>

#include "rule.h"

struct mue_db;

/* One value for one rule and device. */
struct engine_sample {
    const struct rule *rule;
    const struct rule_device *device;
    char quantity[64];
    int64_t t_us;
    double value;
};

/* What a run did, for the metrics and the logs. */
struct engine_counts {
    int pairs, opened, resolved, late;
};

/* Adds a sample to a growable array (*cap grows it). Rules with a quantity pattern keep, for one
 * device and time, only the worst matching value (the highest for 'above'). */
void engine_add(struct engine_sample **v, int *n, int *cap, const struct rule *r,
                const struct rule_device *d, const char *quantity, int64_t t_us, double value);

/* Evaluates the samples in one transaction, with 'heard' devices recorded in it too (may be 0).
 * The samples and the heard arrays are sorted in place; samples of a rule or device deleted
 * meanwhile are skipped. Returns 0 (committed), or MUE_EDB (rolled back: nothing
 * happened, call again with the same samples). */
int engine_run(struct mue_db *db, struct engine_sample *v, int n, int64_t *heard_ids,
               int64_t *heard_us, int nheard, struct engine_counts *counts);

/* The French message of an alert. */
void engine_message(char *out, size_t cap, const struct rule *r, const struct rule_device *d,
                    const char *quantity, double value, double threshold);

#endif
