/* push.h - an open dataset's metadata and files to a CKAN portal (DataSud), recorded in
 * opendata_push. Restricted datasets are refused here whatever the caller asks.
 * SPDX-License-Identifier: MIT */
#ifndef PUSH_H
#define PUSH_H

#include <stdbool.h>

#include "ckan.h"
#include "dataset.h"

struct mue_db;

struct push_ctx {
    struct mue_db *db;
    const struct ds_catalog *cat;
    const struct ckan_portal *portal;
    const char *portal_name; /* how opendata_push names the portal: its URL */
    const char *public_dir;
    const char *base_url;
    const char *name_prefix; /* prepended to the dataset id to make the CKAN package name */
    bool upload;             /* upload the files instead of linking their stable URLs */
};

/* Pushes 'd'. Returns 0, or a negative mue error (recorded with its reason). */
int push_dataset(const struct push_ctx *ctx, const struct dataset *d);

#endif
