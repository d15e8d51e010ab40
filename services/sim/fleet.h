/* fleet.h - the simulated fleet: every device of the fleet files (deploy/fleet/<use case>.json,
 * format in deploy/fleet/README.md), checked, numbered and placed inside its commune.
 * SPDX-License-Identifier: MIT */
#ifndef FLEET_H
#define FLEET_H

#include <stddef.h>

#include "sim.h"

struct sim_fleet {
    size_t n;
    struct sim_device *dev;
};

/* Loads every *.json file of 'dir' (names starting with '.' skipped) in the byte order of their
 * names, and their devices in file order, group by group. 'geojson' holds the communes
 * (geo.h). Each device gets: its DevEUI (the group's eui_base + its index from 0), its name, its
 * site, its commune's name and INSEE code, its position (a site's "at", else a point placed by
 * geo_place() near the group's anchor from the device's seed), seed = sim_hash(DevEUI, 0, 0) and
 * phase_s = seed mod period_s, and its own copy of the group's params.
 * Everything is checked: unknown or missing keys, wrong types, unknown communes, a DevEUI twice
 * (in one file or across files), a site's "at" outside its commune, a site in two communes, a
 * period_s that is not a positive integer, names too long for struct sim_device... The same files
 * always give the same fleet. Returns 0 with *out set (free it with sim_fleet_free()), or a
 * negative mue_err code (MUE_EINVAL for a wrong file, MUE_ENOENT for a missing folder or no file)
 * with err naming the file and the group ("waste.json: group 3 (PAV verre Pertuis %02d): ..."),
 * *out then empty. */
int sim_fleet_load(const char *dir, const char *geojson, struct sim_fleet *out, char *err,
                   size_t cap);

/* Frees the devices and their params, and empties *f. Accepts an empty fleet. */
void sim_fleet_free(struct sim_fleet *f);

#endif
