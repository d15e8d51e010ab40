/* job.h - one run of a dataset's export job: the periods not yet published (and the last
 * revise_s again, for late uplinks) read month by month, each month's files rewritten whole,
 * then the whole-history files joined from the months; recorded in opendata_run as it goes.
 * Running it twice writes the same files: a month's file depends only on the data.
 * SPDX-License-Identifier: MIT */
#ifndef JOB_H
#define JOB_H

#include <stdbool.h>

#include "dataset.h"

struct mue_db;

struct job_ctx {
    struct mue_db *db;
    const struct ds_catalog *cat;
    const char *public_dir;  /* served by mue-api under /opendata/ */
    const char *private_dir; /* restricted datasets: never served, catalogued or pushed */
    const char *context_url; /* our NGSI-LD @context for custom attributes, or NULL */
    const char *provider;    /* data_provider_name of the counting schema */
};

struct job_result {
    long long run_id;
    long long rows;  /* rows read (all formats come from the same rows) */
    int parts;       /* monthly parts written */
    int files;       /* files renamed into place */
    bool up_to_date; /* nothing new since the last run */
    bool busy;       /* another process runs this dataset now: nothing done */
    char error[256];
};

/* The folder of a dataset's files: <public or private dir>/<id>. */
void job_dataset_dir(const struct job_ctx *ctx, const struct dataset *d, char *out, size_t cap);

/* Runs the job of 'd' once. Returns 0 (also when up to date or busy), or a negative mue error
 * with out->error set and the run recorded as failed. */
int job_run(const struct job_ctx *ctx, const struct dataset *d, struct job_result *out);

/* Copies the definitions (read from 'path') into opendata_dataset, what the API lists; a changed
 * definition has all its published months written again by the next run. A restricted dataset's
 * public folder, and those of datasets no longer defined, are removed (their rows too). Returns 0
 * or MUE_EDB. */
int job_sync_definitions(const struct job_ctx *ctx, const char *path);

#endif
