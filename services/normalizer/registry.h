/* registry.h - the device registry (PostgreSQL table device) behind a small time-bounded cache.
 * SPDX-License-Identifier: MIT */
#ifndef REGISTRY_H
#define REGISTRY_H

#include <stdint.h>

#include <jansson.h>

struct mue_db;

struct registry_device {
    int64_t id;
    char dev_eui[17];
    char model[64];
    char use_case[32];
    json_t *params; /* the JSON object of device.params, never NULL */
};

struct registry;

/* A cache over 'db' (kept by reference): found devices are trusted for 'ttl_s' seconds, unknown
 * ones for 'negative_ttl_s', so a device registered just now is seen within that delay. */
struct registry *registry_new(struct mue_db *db, long ttl_s, long negative_ttl_s);
void registry_free(struct registry *r);

/* Finds the active device of 'dev_eui' (lowercase hex). Returns 1 with *out set (borrowed, valid
 * until the next call), 0 when no active device has that DevEUI, MUE_EDB when the database could
 * not answer. */
int registry_lookup(struct registry *r, const char *dev_eui, const struct registry_device **out);

/* Forgets what the cache holds of 'dev_eui' (all devices when NULL or ""), so that the next
 * lookup reads the registry again. */
void registry_forget(struct registry *r, const char *dev_eui);

#endif
