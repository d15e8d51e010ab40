/* mue_deadletter.h - what a stage cannot process goes to mue.deadletter.<stage>, with its reason.
 * SPDX-License-Identifier: MIT */
#ifndef MUE_DEADLETTER_H
#define MUE_DEADLETTER_H

#include "mue_bus.h"

/* Publishes (asynchronously: collect with mue_bus_publish_async_wait) a mue.v1.DeadLetter holding
 * the original message 'orig' untouched, 'code' (a stable name such as "unknown_device") and
 * 'reason' (words for a person). Its Nats-Msg-Id derives from the original's, so a redelivered
 * original is dead-lettered once. Logs deadletter.published and counts
 * mue_deadletter_total{stage,code}. Returns 0, or MUE_EBUS. */
int mue_deadletter_publish(struct mue_bus *bus, const char *stage, const char *code,
                           const char *reason, natsMsg *orig);

#endif
