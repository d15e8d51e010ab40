/* ckan.h - pushes a dataset's metadata and resources to a CKAN portal (DataSud) through CKAN's
 * action API, idempotently, with retries a flaky portal needs.
 * SPDX-License-Identifier: MIT */
#ifndef CKAN_H
#define CKAN_H

#include <stdbool.h>

struct ckan_portal {
    const char *url;     /* base: http://127.0.0.1:5000 or https://trouver.datasud.fr (API at
                          * /api/3/action/) */
    const char *api_key; /* sent as "Authorization: <key>" (CKAN's header); NULL or "" sends none */
    const char *owner_org; /* organisation name or id, for package_create */
    long timeout_ms;       /* per call: the wait for each answer */
    int max_attempts;      /* per call, >= 1: 5xx, 429 (honour Retry-After), connection errors are
                            * retried */
    long backoff_ms;       /* first wait, doubled each time, capped at 30 s */
    const char *ca_file;   /* https: the CA bundle; NULL is MUE_HTTP_CA_FILE */
};

struct ckan_resource {
    const char *name; /* stable: matches an existing resource of the package by name */
    const char *description;
    const char *format; /* "CSV", "GeoJSON", "JSON", "JSON-LD" */
    const char *url;    /* the stable public URL (by URL), or the name to give an upload
                         * (its last path segment when it is a URL) */
    /* Non-NULL: upload this file (multipart/form-data, field "upload") instead of linking. */
    const char *upload_path;
};

struct ckan_package {
    const char *name; /* CKAN name: lowercase slug, stable: never a second package */
    const char *title, *notes, *license_id, *url /* landing page */, *frequency;
    const char *const *tags;
    int ntags;
    const char *temporal_start, *temporal_end; /* ISO 8601 or NULL, as extras */
    const struct ckan_resource *res;
    int nres;
};

struct ckan_result {
    char package_id[128];
    bool created; /* package_create happened in this push */
    int resources_created, resources_updated;
    int calls, retries;
    char error[256]; /* when ckan_push fails: what and why, no secret */
};

/* Creates or updates the package and its resources: package_show (404 → package_create, found →
 * package_patch), then for each resource resource_update (found by name in the package) or
 * resource_create. Idempotent: run twice, the portal holds one package with one resource per name.
 * A create whose earlier attempt may have been processed (sent but no answer, or a gateway's 502
 * or 504) is re-sent only after package_show finds it was not. The frequency and the temporal
 * bounds go as extras ("frequency", "temporal_start", "temporal_end"); tags as [{"name"}]. A
 * retry waits backoff_ms doubled each time, or the answer's Retry-After when longer (over 300 s:
 * the push gives up).
 * Returns 0, or a negative mue error code with out->error set:
 *   MUE_EINVAL   the package or portal settings are unusable, or the portal refused a call (4xx);
 *   MUE_EAUTH    the portal refused the key (401, 403);
 *   MUE_EDECODE  an answer is not CKAN's JSON;
 *   MUE_E2BIG    an upload or an answer is too large;
 *   -EIO         the portal still answered 5xx or 429 after max_attempts;
 *   -EINTR       the process is stopping (mue_signal) while waiting to retry;
 *   other        mue_http_request's code for the last attempt (-ECONNREFUSED, MUE_ETIMEDOUT...).
 * Thread-safe, no globals; waits between attempts in the calling thread. */
int ckan_push(const struct ckan_portal *p, const struct ckan_package *pkg, struct ckan_result *out);

#endif
