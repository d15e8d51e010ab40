/* store.h - measurement rows into PostgreSQL: one transaction per batch, idempotent.
 * SPDX-License-Identifier: MIT */
#ifndef STORE_H
#define STORE_H

#include <stddef.h>
#include <stdint.h>

struct mue_db;

struct store_row {
    int64_t device_id;
    const char *quantity; /* [A-Za-z0-9_]+, checked by store_row_is_valid */
    int64_t time_us;
    double value;
    const char *use_case; /* [a-z][a-z0-9_]*, the device's: it picks the partition */
};

struct store;

/* Keeps 'db' by reference. */
struct store *store_new(struct mue_db *db);
void store_free(struct store *s);

/* True when 'r' can be written: a quantity of 1..63 characters [A-Za-z0-9_], a use case of 1..32
 * characters [a-z0-9_] starting with a letter, a finite value, a time between 1970 and 9999. */
int store_row_is_valid(const struct store_row *r);

/* Writes 'rows' in one transaction: COPY into a session staging table, then INSERT ... ON
 * CONFLICT DO NOTHING into measurement; the latest values and the hourly and daily rollups are
 * updated, in the same statement, from the rows actually inserted, so a replay changes nothing.
 * Rows go under their device's current use case (the message's when the device is gone); the
 * partitions they need are created in the same transaction. Returns the number of rows inserted
 * (rows already stored are not counted: a replay inserts 0), or MUE_EDB after rolling back. */
int store_write(struct store *s, const struct store_row *rows, size_t n);

/* Housekeeping, run now and then: partitions for this month and the next two of every use case,
 * and the raw partitions past their use case's retention dropped. Returns the number of
 * partitions dropped, or MUE_EDB. */
int store_maintain(struct store *s);

#endif
