/* devices.h - the device registry from the command line: one device, or a whole file.
 * SPDX-License-Identifier: MIT */
#ifndef DEVICES_H
#define DEVICES_H

#include <stddef.h>

#include <jansson.h>

struct mue_db;

struct devices_counts {
    size_t created, updated, unchanged;
};

/* Turns a registry file into a JSON array of device objects. A .json file holds an array of
 * objects {dev_eui, name, model, use_case, network?, latitude?, longitude?, expected_period_s?,
 * params?{...}}. A .csv file has a header line naming those columns; a column "params" holds a
 * JSON object, and columns "param.<key>" add params[key] (a number when the text is one).
 * Returns 0 and *out (the caller's), or MUE_EDECODE with a reason naming the line or entry. */
int devices_load_file(const char *path, json_t **out, char *reason, size_t cap);

/* Creates or updates each device of 'devices' (keyed by DevEUI) in one transaction: all or
 * nothing. Idempotent: importing the same file twice changes nothing the second time. Returns 0
 * with the counts, or MUE_EINVAL (reason: which entry and why) / MUE_EDB. */
int devices_upsert(struct mue_db *db, const json_t *devices, struct devices_counts *counts,
                   char *reason, size_t cap);

#endif
