/* store.h - the engine's PostgreSQL statements: rule states locked per (rule, device), alerts
 * opened, updated and resolved with their events, and when each device was last heard.
 * Every function runs inside the caller's transaction (store_begin .. store_commit).
 * SPDX-License-Identifier: MIT */
#ifndef ALERTS_STORE_H
#define ALERTS_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "eval.h"

struct mue_db;

/* One (rule, device) of a transaction: its state as locked, and its unresolved alert. */
struct store_pair {
    int64_t rule_id;
    int64_t device_id;
    struct eval_state st;
    int64_t alert_id; /* the unresolved alert, 0 when none */
    bool found;       /* locked: the rule and the device still exist */
};

int store_begin(struct mue_db *db);
int store_commit(struct mue_db *db);
void store_rollback(struct mue_db *db);

/* Creates the missing states of 'pairs' (sorted by rule, then device, so that two engines lock
 * in the same order), locks them FOR UPDATE and loads them, then each pair's unresolved alert
 * (read after the lock, so an alert another engine committed meanwhile is seen). A pair whose
 * rule or device was deleted is left with 'found' false. Returns 0, or MUE_EDB. */
int store_lock_pairs(struct mue_db *db, struct store_pair *pairs, int n);

/* Writes back the states of 'pairs'. Returns 0, or MUE_EDB. */
int store_save_pairs(struct mue_db *db, const struct store_pair *pairs, int n);

/* What opens an alert. */
struct store_alert {
    int64_t rule_id, device_id;
    const char *use_case, *severity, *quantity, *message;
    int64_t since_us, opened_us;
    double value;
};

/* Opens an alert with its 'opened' event, unless the (rule, device) already has an unresolved
 * one (the partial unique index decides, whoever got there first). Returns 1 with *alert_id set
 * when opened here, 0 with *alert_id set to the existing alert (0 when that one was committed
 * by another transaction while this statement waited), or MUE_EDB. */
int store_open_alert(struct mue_db *db, const struct store_alert *a, int64_t *alert_id);

/* Records the latest value of an unresolved alert, and its peak ('above': the highest). */
int store_update_alert(struct mue_db *db, int64_t alert_id, int64_t t_us, double value, bool above);

/* Resolves an unresolved alert with its 'resolved' event, by 'actor' ("auto" for the engine).
 * Returns 1 when resolved, 0 when it already was, or MUE_EDB. */
int store_resolve_alert(struct mue_db *db, int64_t alert_id, int64_t at_us, double value,
                        const char *actor, const char *comment);

/* Records that the devices were heard (the bus's storage time of their messages); sorts both
 * arrays by device, so that concurrent transactions take the rows in one order. */
int store_heard(struct mue_db *db, int64_t *device_ids, int64_t *heard_us, int n);

/* Microseconds since the epoch as a SQL expression of parameter $n (exact, unlike to_timestamp). */
#define STORE_TS(n) "(timestamptz 'epoch' + ($" #n "::bigint) * interval '1 microsecond')"
/* A timestamptz column as microseconds since the epoch. */
#define STORE_US(col) "(extract(epoch FROM " col ") * 1000000)::bigint"

#endif
