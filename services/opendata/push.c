/* push.c - an open dataset to a CKAN portal, recorded in opendata_push.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "catalog.h"
#include "mue_db.h"
#include "mue_err.h"
#include "mue_log.h"
#include "push.h"

static void record(const struct push_ctx *ctx, const struct dataset *d, int rc,
                   const struct ckan_result *r)
{
    char calls[16], retries[16];
    const char *p[7] = {
        d->id, ctx->portal_name, rc == 0 ? "ok" : "failed", r->package_id[0] ? r->package_id : NULL,
        calls, retries,          rc == 0 ? NULL : r->error
    };
    PGresult *res = NULL;

    snprintf(calls, sizeof(calls), "%d", r->calls);
    snprintf(retries, sizeof(retries), "%d", r->retries);
    mue_db_query(ctx->db, "opendata.push_record", &res,
                 "INSERT INTO opendata_push (dataset, portal, state, package_id, calls, retries,"
                 " error) VALUES ($1, $2, $3, $4, $5, $6, $7)"
                 " ON CONFLICT (dataset, portal) DO UPDATE SET state = $3,"
                 " package_id = coalesce($4, opendata_push.package_id), pushed_at = now(),"
                 " calls = $5, retries = $6, error = $7",
                 7, p);
    PQclear(res);
}

int push_dataset(const struct push_ctx *ctx, const struct dataset *d)
{
    const struct ds_licence *li = ds_licence_find(ctx->cat, d->licence);
    struct catalog_files files;
    struct ckan_resource res[8];
    struct ckan_result r;
    char dir[4096], name[128], landing[600], paths[8][4200];
    int rc;

    memset(&r, 0, sizeof(r));
    if (d->restricted) {
        snprintf(r.error, sizeof(r.error), "%s is restricted: never pushed", d->id);
        mue_log_error("push.refused", "dataset=%s reason=restricted", d->id);
        return MUE_EINVAL;
    }
    snprintf(dir, sizeof(dir), "%s/%s", ctx->public_dir, d->id);
    catalog_files(d, dir, ctx->base_url, &files);
    for (int i = 0; i < files.n; i++) {
        const char *file = strrchr(files.url[i], '/') + 1;
        snprintf(paths[i], sizeof(paths[i]), "%s/%s", dir, file);
        res[i] = (struct ckan_resource){ file, files.dist[i].title, files.dist[i].format,
                                         files.url[i], ctx->upload ? paths[i] : NULL };
    }
    snprintf(name, sizeof(name), "%s%s", ctx->name_prefix, d->id);
    snprintf(landing, sizeof(landing), "%s/opendata/%s/", ctx->base_url, d->id);
    /* The period the files cover, as the catalogue states it. */
    const char *p[1] = { d->id };
    PGresult *cov = NULL;
    int ncov = mue_db_query(ctx->db, "opendata.push_coverage", &cov,
                            "SELECT to_char(first_period AT TIME ZONE 'UTC',"
                            " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), to_char(done_until AT TIME ZONE"
                            " 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM opendata_dataset"
                            " WHERE id = $1",
                            1, p);
    const char *from = ncov == 1 && !PQgetisnull(cov, 0, 0) ? PQgetvalue(cov, 0, 0) : NULL;
    const char *to = ncov == 1 && !PQgetisnull(cov, 0, 1) ? PQgetvalue(cov, 0, 1) : NULL;
    struct ckan_package pkg = { name,
                                d->title,
                                d->description,
                                li->ckan_id,
                                landing,
                                d->frequency,
                                (const char *const *)d->keywords,
                                d->nkeywords,
                                from,
                                to,
                                res,
                                files.n };
    rc = ckan_push(ctx->portal, &pkg, &r);
    PQclear(cov);
    record(ctx, d, rc, &r);
    if (rc == 0)
        mue_log_info("push.done",
                     "dataset=%s package=%s created=%d resources_created=%d"
                     " resources_updated=%d calls=%d retries=%d",
                     d->id, r.package_id, r.created, r.resources_created, r.resources_updated,
                     r.calls, r.retries);
    else
        mue_log_warn("push.failed", "dataset=%s calls=%d reason=\"%s\"", d->id, r.calls, r.error);
    return rc;
}
