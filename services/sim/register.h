/* register.h - writes the simulated fleet into the registry (PostgreSQL tables site and device), so
 * that mue's services know the devices whose uplinks the simulator posts.
 * SPDX-License-Identifier: MIT */
#ifndef REGISTER_H
#define REGISTER_H

#include <stddef.h>

#include "fleet.h"

struct mue_db;

/* In one transaction: each site of the fleet (a distinct (use_case, site) of its devices) is found
 * by (use_case, name), the lowest id when several, or inserted; its commune, insee and position
 * (those of its first device in fleet order) are set. Then each device is upserted by dev_eui:
 * name, model, use_case, network, site_id, latitude, longitude, params, expected_period_s (its
 * period_s), active = true, updated_at = now(). A row already equal is not written at all, so a
 * second run changes nothing (same ids, same updated_at). Rows of devices or sites that are not in
 * the fleet are left alone. Returns 0, or MUE_EDB (everything rolled back) with the reason in err;
 * MUE_ENOMEM when memory runs out. */
int sim_fleet_register(const struct sim_fleet *f, struct mue_db *db, char *err, size_t cap);

#endif
