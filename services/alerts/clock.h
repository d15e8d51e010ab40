/* clock.h - what the engine does on time rather than on measurements: devices gone silent,
 * unacknowledged alerts escalated, daily indicators judged once their day is complete.
 * SPDX-License-Identifier: MIT */
#ifndef ALERTS_CLOCK_H
#define ALERTS_CLOCK_H

#include <stdint.h>

#include "engine.h"
#include "rule.h"

struct mue_db;

/* Opens a no-data alert for each device in a no_data rule's scope silent at 'ref_us' for longer
 * than the rule allows (inside its window at 'now_us'), and resolves those heard again. A device
 * is silent when the platform has not heard it, not when the engine has not read it yet: 'ref_us'
 * is now when the engine is caught up with the bus, else the storage time of the newest message
 * it has read. An alert resolved by hand while the device was silent stays resolved until the
 * device is heard again. Returns 0, or MUE_EDB. */
int clock_no_data(struct mue_db *db, const struct rule_set *rs, int64_t now_us, int64_t ref_us,
                  struct engine_counts *c);

/* Escalates, once, every alert still open (unacknowledged) past its rule's escalate_after_s:
 * one severity up, with an 'escalated' event. Returns how many, or MUE_EDB. */
int clock_escalate(struct mue_db *db);

/* Evaluates each daily rule on its indicator for the last CLOCK_DAILY_DAYS complete days, oldest
 * first (an engine that was down judges the days it missed; a day already judged comes back
 * late). Returns 0, or MUE_EDB. */
#define CLOCK_DAILY_DAYS 3
int clock_daily(struct mue_db *db, const struct rule_set *rs, int64_t now_us,
                struct engine_counts *c);

/* The last complete day of an indicator at 'now_us': the local date (days since 1970-01-01) of
 * the period that ended at 'end_hour' local time the next day, counting it complete only
 * 'margin_min' later (late uplinks); *end_us is the instant its period ended. */
int64_t clock_last_day(int64_t now_us, int end_hour, int margin_min, int64_t *end_us);

#endif
