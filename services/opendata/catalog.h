/* catalog.h - what describes the open datasets beside their files: the DCAT-AP catalogue
 * (catalog.jsonld and catalog.ttl, paged), our NGSI-LD @context, and a landing page per dataset
 * (index.html) that lists its files for a person. Restricted datasets never appear.
 * SPDX-License-Identifier: MIT */
#ifndef CATALOG_H
#define CATALOG_H

#include "dataset.h"
#include "dcat.h"

struct mue_db;

/* One open dataset's distributions, as published: the whole-history (or snapshot) files that
 * exist, with their stable URLs, sizes and times. */
struct catalog_files {
    struct dcat_distribution dist[8];
    char url[8][512];
    char modified[8][32];
    int n;
};

/* Lists the files of 'd' in 'dir' (its folder) under base_url. */
void catalog_files(const struct dataset *d, const char *dir, const char *base_url,
                   struct catalog_files *out);

/* Writes every page of the catalogue, the @context and the landing pages into 'public_dir'.
 * 'per_page' bounds the datasets of one page. Returns 0 or a negative mue error. */
int catalog_publish(struct mue_db *db, const struct ds_catalog *cat, const char *public_dir,
                    const char *base_url, int per_page);

#endif
