/* main.c - mue-opendata: each dataset exported on its schedule into the published folder, the
 * DCAT-AP catalogue rewritten after each change, and the open datasets pushed to a CKAN portal.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "dataset.h"
#include "job.h"
#include "mue_admin.h"
#include "mue_config.h"
#include "mue_db.h"
#include "mue_err.h"
#include "mue_http_client.h"
#include "mue_log.h"
#include "mue_mem.h"
#include "mue_metrics.h"
#include "mue_migrate.h"
#include "mue_redact.h"
#include "mue_service.h"
#include "mue_signal.h"
#include "mue_time.h"
#include "push.h"

struct config {
    const char *pg_dsn;
    const char *admin_listen;
    const char *log_level;
    const char *datasets;
    const char *public_dir;
    const char *private_dir;
    const char *base_url;
    const char *provider;
    const char *only;
    long tick_s;
    long per_page;
    int once;
    const char *ckan_url;
    const char *ckan_key;
    const char *ckan_org;
    const char *ckan_prefix;
    int ckan_upload;
    long ckan_attempts;
    long ckan_timeout_ms;
    long ckan_retry_s;
    long connect_timeout_ms;
};

static const struct mue_config_option options[] = {
    MUE_OPT_SECRET_REQUIRED("MUE_PG_DSN", struct config, pg_dsn, "libpq connection string"),
    MUE_OPT_STR("MUE_ADMIN_LISTEN", struct config, admin_listen, "127.0.0.1:9086",
                "address:port of /healthz and /metrics"),
    MUE_OPT_STR("MUE_OPENDATA_DATASETS", struct config, datasets, "deploy/opendata/datasets.json",
                "the dataset definition file"),
    MUE_OPT_STR("MUE_OPENDATA_PUBLIC_DIR", struct config, public_dir, "/var/lib/mue/opendata",
                "the published folder (mue-api serves it under /opendata/)"),
    MUE_OPT_STR("MUE_OPENDATA_PRIVATE_DIR", struct config, private_dir,
                "/var/lib/mue/opendata-restricted",
                "where restricted datasets go: never served, catalogued or pushed"),
    MUE_OPT_STR("MUE_OPENDATA_BASE_URL", struct config, base_url, "http://127.0.0.1:8080",
                "the public address of mue-api, for the files' stable URLs"),
    MUE_OPT_STR("MUE_OPENDATA_PROVIDER", struct config, provider,
                "Métropole Aix-Marseille-Provence", "data provider named in the counting files"),
    MUE_OPT_STR("MUE_OPENDATA_ONLY", struct config, only, NULL,
                "comma-separated dataset ids to run (all when unset)"),
    MUE_OPT_INT("MUE_OPENDATA_TICK_S", struct config, tick_s, "30", 1, 3600,
                "seconds between looks for datasets due"),
    MUE_OPT_INT("MUE_OPENDATA_CATALOG_PAGE", struct config, per_page, "50", 1, 1000,
                "datasets per page of the DCAT catalogue"),
    MUE_OPT_BOOL("MUE_OPENDATA_ONCE", struct config, once, "0",
                 "run every dataset once, publish, push, and exit (for cron and tests)"),
    MUE_OPT_STR("MUE_OPENDATA_CKAN_URL", struct config, ckan_url, NULL,
                "a CKAN portal to push the open datasets to (DataSud); unset: no push"),
    MUE_OPT_SECRET("MUE_OPENDATA_CKAN_KEY", struct config, ckan_key, NULL, "its API key"),
    MUE_OPT_STR("MUE_OPENDATA_CKAN_ORG", struct config, ckan_org, NULL,
                "the organisation owning the packages"),
    MUE_OPT_STR("MUE_OPENDATA_CKAN_PREFIX", struct config, ckan_prefix, "amp-",
                "prepended to dataset ids to name the packages"),
    MUE_OPT_BOOL("MUE_OPENDATA_CKAN_UPLOAD", struct config, ckan_upload, "0",
                 "upload the files instead of linking their stable URLs"),
    MUE_OPT_INT("MUE_OPENDATA_CKAN_ATTEMPTS", struct config, ckan_attempts, "5", 1, 20,
                "attempts per portal call"),
    MUE_OPT_INT("MUE_OPENDATA_CKAN_TIMEOUT_MS", struct config, ckan_timeout_ms, "30000", 100,
                600000, "wait for each portal answer"),
    MUE_OPT_INT("MUE_OPENDATA_CKAN_RETRY_S", struct config, ckan_retry_s, "600", 1, 86400,
                "seconds before a failed push is tried again"),
    MUE_OPT_INT("MUE_CONNECT_TIMEOUT_MS", struct config, connect_timeout_ms, "30000", 0, 600000,
                "how long to retry the first database connection"),
    MUE_OPT_STR("MUE_LOG_LEVEL", struct config, log_level, "info", "debug, info, warn or error"),
    MUE_OPT_END,
};

static struct mue_metric *m_runs_ok, *m_runs_failed, *m_rows, *m_files, *m_pushes_ok,
    *m_pushes_failed, *m_seconds;

/* One dataset's schedule. */
struct slot {
    int64_t next_run_ms;
    int64_t next_push_ms; /* 0: nothing to push */
};

static bool selected(const struct config *cfg, const char *id)
{
    const char *p = cfg->only;
    size_t n = strlen(id);

    if (p == NULL || *p == '\0')
        return true;
    while (*p) {
        size_t len = strcspn(p, ",");
        if (len == n && strncmp(p, id, n) == 0)
            return true;
        p += len + (p[len] == ',');
    }
    return false;
}

static int run_one(const struct job_ctx *jc, const struct dataset *d)
{
    struct job_result r;
    int64_t t0 = mue_time_mono_ms();
    int rc = job_run(jc, d, &r);

    mue_metric_observe(m_seconds, (double)(mue_time_mono_ms() - t0) / 1000.0);
    if (r.busy) {
        mue_log_info("export.busy", "dataset=%s reason=\"another process exports it\"", d->id);
        return 0;
    }
    if (rc < 0) {
        mue_metric_inc(m_runs_failed);
        mue_log_error("export.failed", "dataset=%s run=%lld reason=\"%s\"", d->id, r.run_id,
                      r.error);
        return rc;
    }
    mue_metric_inc(m_runs_ok);
    mue_metric_add(m_rows, (uint64_t)r.rows);
    mue_metric_add(m_files, (uint64_t)r.files);
    mue_log_info("export.done", "dataset=%s run=%lld rows=%lld parts=%d files=%d up_to_date=%d",
                 d->id, r.run_id, r.rows, r.parts, r.files, r.up_to_date);
    return r.files;
}

static int push_one(const struct push_ctx *pc, const struct dataset *d)
{
    int rc = push_dataset(pc, d);
    mue_metric_inc(rc == 0 ? m_pushes_ok : m_pushes_failed);
    return rc;
}

/* Runs what is due; returns the number of failures. In 'once' mode everything is due. */
static int tick(const struct config *cfg, const struct ds_catalog *cat, const struct job_ctx *jc,
                const struct push_ctx *pc, struct slot *slots)
{
    int64_t now = mue_time_mono_ms();
    bool changed = false;
    int failures = 0;

    for (int i = 0; i < cat->nds && !mue_signal_stopping(); i++) {
        const struct dataset *d = &cat->ds[i];
        if (!selected(cfg, d->id) || now < slots[i].next_run_ms)
            continue;
        int files = run_one(jc, d);
        slots[i].next_run_ms = now + d->every_s * 1000;
        if (files < 0) {
            failures++;
            /* A failed run is tried again at the next tick, not a whole period later. */
            slots[i].next_run_ms = now + cfg->tick_s * 1000;
            continue;
        }
        if (files > 0) {
            changed = true;
            if (!d->restricted && pc->portal)
                slots[i].next_push_ms = now;
        }
    }
    if (changed &&
        catalog_publish(jc->db, cat, cfg->public_dir, cfg->base_url, (int)cfg->per_page) < 0)
        failures++;
    for (int i = 0; pc->portal && i < cat->nds && !mue_signal_stopping(); i++) {
        if (slots[i].next_push_ms == 0 || now < slots[i].next_push_ms)
            continue;
        if (push_one(pc, &cat->ds[i]) == 0) {
            slots[i].next_push_ms = 0;
        } else {
            failures++;
            slots[i].next_push_ms = now + cfg->ckan_retry_s * 1000;
        }
    }
    return failures;
}

int main(int argc, char **argv)
{
    static const double time_bounds[] = { 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300 };
    struct config cfg;
    struct ds_catalog cat = { 0 };
    struct mue_service_deps st = { NULL, NULL };
    struct mue_admin *admin = NULL;
    struct slot *slots = NULL;
    char err[512], shown[512]; /* shown: the CKAN URL as logged, without credentials */
    int rc = mue_service_setup(
        argc, argv, "opendata",
        "datasets exported on schedule, catalogued in DCAT-AP, pushed to CKAN", options, &cfg);

    if (rc >= 0)
        return rc;
    rc = 1;
    if (ds_catalog_load(&cat, cfg.datasets, err, sizeof(err)) < 0) {
        mue_log_error("config.invalid", "file=%s reason=\"%s\"", cfg.datasets, err);
        return 2;
    }
    m_runs_ok =
        mue_metrics_counter("mue_opendata_runs_total", "outcome=\"ok\"", "Export runs by outcome");
    m_runs_failed = mue_metrics_counter("mue_opendata_runs_total", "outcome=\"failed\"",
                                        "Export runs by outcome");
    m_rows = mue_metrics_counter("mue_opendata_rows_total", NULL, "Rows exported");
    m_files = mue_metrics_counter("mue_opendata_files_total", NULL, "Files published");
    m_pushes_ok = mue_metrics_counter("mue_opendata_pushes_total", "outcome=\"ok\"",
                                      "Pushes to the CKAN portal by outcome");
    m_pushes_failed = mue_metrics_counter("mue_opendata_pushes_total", "outcome=\"failed\"",
                                          "Pushes to the CKAN portal by outcome");
    m_seconds = mue_metrics_histogram("mue_opendata_run_seconds", NULL, "Time of one export run",
                                      time_bounds, sizeof(time_bounds) / sizeof(double));
    mue_http_client_init();
    char ctx_url[600];
    snprintf(ctx_url, sizeof(ctx_url), "%s/opendata/context.jsonld", cfg.base_url);
    if (mue_db_open(&st.db, cfg.pg_dsn, cfg.connect_timeout_ms) < 0 ||
        mue_migrate_require(st.db) < 0)
        goto out;
    struct job_ctx jc = { st.db, &cat, cfg.public_dir, cfg.private_dir, ctx_url, cfg.provider };
    if (job_sync_definitions(&jc, cfg.datasets) < 0)
        goto out;
    if (!cfg.once && mue_admin_open(&admin, cfg.admin_listen, mue_service_health, &st) < 0)
        goto out;

    struct ckan_portal portal = {
        cfg.ckan_url,           cfg.ckan_key, cfg.ckan_org, cfg.ckan_timeout_ms,
        (int)cfg.ckan_attempts, 1000,         NULL
    };
    struct push_ctx pc = { st.db,
                           &cat,
                           cfg.ckan_url ? &portal : NULL,
                           cfg.ckan_url,
                           cfg.public_dir,
                           cfg.base_url,
                           cfg.ckan_prefix,
                           cfg.ckan_upload != 0 };
    slots = mue_xcalloc((size_t)cat.nds + 1, sizeof(*slots));
    mue_log_info("service.started", "datasets=%d public_dir=%s ckan=%s", cat.nds, cfg.public_dir,
                 cfg.ckan_url ? mue_redact_url(shown, sizeof(shown), cfg.ckan_url) : "none");
    /* The catalogue exists from the start, even before the first export finishes. */
    catalog_publish(st.db, &cat, cfg.public_dir, cfg.base_url, (int)cfg.per_page);
    if (cfg.once) {
        rc = tick(&cfg, &cat, &jc, &pc, slots) == 0 ? 0 : 1;
        goto out;
    }
    while (!mue_signal_stopping()) {
        tick(&cfg, &cat, &jc, &pc, slots);
        mue_signal_sleep_ms(cfg.tick_s * 1000);
    }
    mue_log_info("service.stopping", "reason=signal");
    rc = 0;
out:
    free(slots);
    mue_admin_close(admin);
    mue_db_close(st.db);
    ds_catalog_fini(&cat);
    mue_log_info("service.stopped", "rc=%d", rc);
    return rc;
}
