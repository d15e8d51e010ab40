/* h_devices_edit.c - admins register, change and retire devices (POST, PUT and DELETE on
 * /v1/devices): the JSON body checked field by field (a 400 names the field), the change and its
 * audit_log row in one transaction, then a registry-change notice on the bus so that the
 * normalizers' caches see the device at once rather than when their entries expire.
 *
 * The routes are the admins' only, whose scope is everything: no scope clause here. A retired
 * device (active = false) keeps its row and its measurements; PUT {"active": true} brings it
 * back, and POST of its DevEUI is a conflict. PUT replaces params as a whole.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device_body.h"
#include "handlers.h"
#include "mue_bus.h"
#include "mue_log.h"
#include "mue_subjects.h"

#define BODY_MAX 65536

/* A timestamptz as RFC 3339 UTC with microseconds, as the catalog shows it. */

/* The fields of a device row that a body may set, in the order of the SQL parameters $2.. of
 * INSERT and UPDATE below ($1 is the DevEUI). */
static const char *const fields[] = { "name",      "model",   "use_case",
                                      "network",   "site_id", "latitude",
                                      "longitude", "params",  "expected_period_s",
                                      "active" };
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

/* ---- the body ---- */

/* Reads the body and checks every field (device_body.h). Returns 0 with *set (the fields given,
 * normalised; the caller's reference) and, for POST, eui from the body; or the status of the
 * answer sent. */
static int read_body(struct api_req *r, bool create, char eui[17], json_t **set)
{
    json_t *body;
    char why[512];
    int rc;

    *set = NULL;
    if ((rc = api_body_json(r, BODY_MAX, &body)) != 0)
        return rc;
    if (device_body_check(body, create, eui, set, why, sizeof(why)) < 0)
        rc = api_error(r, 400, "bad_parameter", "%s", why);
    json_decref(body);
    return rc;
}

/* ---- the database ---- */

static void rollback(struct api_req *r)
{
    PQclear(PQexec(r->db, "ROLLBACK"));
}

/* Runs BEGIN or COMMIT. Returns 0, or 500 after answering. */
static int tx(struct api_req *r, const char *cmd)
{
    PGresult *res = api_sql(r, cmd, cmd, 0, NULL);

    if (res == NULL)
        return 500;
    PQclear(res);
    return 0;
}

/* Two values of a field are the same (numbers by value: 43 and 43.0 are). */
static bool same(const json_t *a, const json_t *b)
{
    if (json_is_number(a) && json_is_number(b))
        return json_number_value(a) == json_number_value(b);
    return json_equal(a, b);
}

/* 'v' as JSON text whose numbers are as short as reading them back allows: params 0.3 is stored
 * as 0.3, not as the 0.29999999999999999 of 17 digits. */
static char *dump_shortest(const json_t *v)
{
    for (int prec = 15;; prec++) {
        char *text = json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(prec));
        json_t *back = text != NULL && prec < 17 ? json_loads(text, 0, NULL) : NULL;
        bool exact = back != NULL && json_equal(back, v);

        json_decref(back);
        if (exact || prec == 17 || text == NULL)
            return text;
        free(text);
    }
}

/* The value of field i of 'row' as an SQL parameter: NULL, or text in buf[i] or kept by row. */
static const char *sql_value(const json_t *row, size_t i, char buf[][32], char **dumped)
{
    const json_t *v = json_object_get(row, fields[i]);

    if (v == NULL || json_is_null(v))
        return NULL;
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_boolean(v))
        return json_is_true(v) ? "true" : "false";
    if (json_is_integer(v)) {
        snprintf(buf[i], 32, "%lld", (long long)json_integer_value(v));
        return buf[i];
    }
    if (json_is_real(v)) {
        snprintf(buf[i], 32, "%.17g", json_real_value(v));
        return buf[i];
    }
    *dumped = dump_shortest(v);
    return *dumped;
}

/* The use case exists and the site, if any, is one of it. Returns 0, or the status sent. */
static int check_refs(struct api_req *r, const json_t *row)
{
    static const char sql[] = "SELECT EXISTS (SELECT 1 FROM use_case WHERE id = $1),"
                              " (SELECT use_case FROM site WHERE id = $2::bigint)";
    char buf[NFIELDS][32];
    char *none = NULL;
    const char *params[2] = { sql_value(row, 2, buf, &none), sql_value(row, 4, buf, &none) };
    PGresult *res = api_sql(r, "device refs", sql, 2, params);
    int rc = 0;

    if (res == NULL)
        return 500;
    if (strcmp(PQgetvalue(res, 0, 0), "t") != 0)
        rc = api_error(r, 400, "bad_parameter", "use_case: there is no use case %s", params[0]);
    else if (params[1] != NULL && PQgetisnull(res, 0, 1))
        rc = api_error(r, 400, "bad_parameter", "site_id: there is no site %s", params[1]);
    else if (params[1] != NULL && strcmp(PQgetvalue(res, 0, 1), params[0]) != 0)
        rc = api_error(r, 400, "bad_parameter", "site_id: site %s belongs to use case %s, not %s",
                       params[1], PQgetvalue(res, 0, 1), params[0]);
    PQclear(res);
    return rc;
}

/* Writes 'row' (every field) as device 'eui': INSERT for create (a DevEUI taken meanwhile is a
 * 409), else UPDATE. Returns 0, or the status sent. */
static int write_row(struct api_req *r, const char *eui, const json_t *row, bool create)
{
    static const char insert_sql[] =
        "INSERT INTO device (dev_eui, name, model, use_case, network, site_id, latitude,"
        " longitude, params, expected_period_s, active)"
        " VALUES ($1, $2, $3, $4, $5, $6::bigint, $7::float8, $8::float8, $9::jsonb,"
        " $10::integer, $11::boolean) ON CONFLICT (dev_eui) DO NOTHING";
    static const char update_sql[] =
        "UPDATE device SET name = $2, model = $3, use_case = $4, network = $5,"
        " site_id = $6::bigint, latitude = $7::float8, longitude = $8::float8,"
        " params = $9::jsonb, expected_period_s = $10::integer, active = $11::boolean,"
        " updated_at = now() WHERE dev_eui = $1";
    char buf[NFIELDS][32];
    char *dumped = NULL;
    const char *params[NFIELDS + 1];
    PGresult *res;
    int rc = 0;

    params[0] = eui;
    for (size_t i = 0; i < NFIELDS; i++)
        params[i + 1] = sql_value(row, i, buf, &dumped);
    res = api_sql(r, create ? "device insert" : "device update", create ? insert_sql : update_sql,
                  (int)NFIELDS + 1, params);
    free(dumped);
    if (res == NULL)
        return 500;
    if (strcmp(PQcmdTuples(res), "1") != 0)
        rc = api_error(r, 409, "conflict", "device %s is already registered", eui);
    PQclear(res);
    return rc;
}

/* The device's row as JSON, locked for the transaction: 0 with *row (NULL when there is no such
 * device), or 500 after answering. */
static int lock_row(struct api_req *r, const char *eui, json_t **row)
{
    static const char sql[] =
        "SELECT row_to_json(x)::text FROM (SELECT name, model, use_case, network, site_id,"
        " latitude, longitude, params, expected_period_s, active FROM device"
        " WHERE dev_eui = $1 FOR UPDATE) x";
    const char *params[1] = { eui };
    PGresult *res = api_sql(r, "device lock", sql, 1, params);
    bool found;

    *row = NULL;
    if (res == NULL)
        return 500;
    found = PQntuples(res) == 1;
    if (found)
        *row = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
    PQclear(res);
    if (found && *row == NULL)
        return api_error(r, 500, "internal", "the device could not be read");
    return 0;
}

/* Tells the normalizers (after the commit) that the device changed. A bus that is down only
 * delays it: their caches expire on their own. */
static void announce(const char *eui)
{
    struct mue_bus *bus = api_bus();

    if (bus == NULL || mue_bus_notify(bus, MUE_SUBJ_REGISTRY_CHANGED, eui, 16) != 0)
        mue_log_warn("api.registry_notice_failed", "dev_eui=%s", eui);
}

/* ---- handlers ---- */

/* Creates (cur NULL) or updates device 'eui' with the fields of 'set', in one transaction with
 * its audit row. Returns 0 (committed; *changed says whether anything did), or the status sent. */
static int apply(struct api_req *r, const char *eui, bool create, json_t *set, bool *changed)
{
    json_t *row = NULL, *detail = json_object(), *v;
    const char *key;
    int rc;

    *changed = false;
    if ((rc = tx(r, "BEGIN")) != 0)
        goto out;
    if ((rc = lock_row(r, eui, &row)) != 0)
        goto fail;
    if (create && row != NULL) {
        rc = api_error(r, 409, "conflict", "device %s is already registered%s", eui,
                       json_is_false(json_object_get(row, "active"))
                           ? " (retired: PUT {\"active\": true} brings it back)"
                           : "");
        goto fail;
    }
    if (!create && row == NULL) {
        rc = api_error(r, 404, "not_found", "no device %s", eui);
        goto fail;
    }
    if (create)
        row = json_pack("{s:s, s:o, s:b}", "network", "chirpstack", "params", json_object(),
                        "active", 1);
    json_object_foreach(set, key, v)
    {
        if (!create && same(json_object_get(row, key), v))
            continue;
        json_object_set(detail, key, v);
        json_object_set(row, key, v);
    }
    if (json_object_size(detail) == 0) {
        rc = tx(r, "COMMIT");
        goto out;
    }
    if (create || json_object_get(set, "use_case") != NULL ||
        json_object_get(set, "site_id") != NULL)
        if ((rc = check_refs(r, row)) != 0)
            goto fail;
    if ((rc = write_row(r, eui, row, create)) != 0)
        goto fail;
    if (api_audit(r, create ? "device.create" : "device.update", eui, detail) != 0) {
        rc = api_error(r, 500, "internal", "the change could not be audited; nothing changed");
        goto fail;
    }
    if ((rc = tx(r, "COMMIT")) != 0)
        goto out;
    *changed = true;
    goto out;
fail:
    rollback(r);
out:
    json_decref(row);
    json_decref(detail);
    return rc;
}

int h_device_create(struct api_req *r)
{
    char eui[17];
    json_t *set;
    bool changed;
    int rc;

    if ((rc = read_body(r, true, eui, &set)) != 0)
        return rc;
    rc = apply(r, eui, true, set, &changed);
    json_decref(set);
    if (rc != 0)
        return rc;
    announce(eui);
    return catalog_device_answer(r, 201, eui);
}

int h_device_update(struct api_req *r)
{
    char eui[17];
    json_t *set;
    bool changed;
    int rc;

    if ((rc = api_dev_eui(r, r->param[0], eui)) != 0 || (rc = read_body(r, false, eui, &set)) != 0)
        return rc;
    rc = apply(r, eui, false, set, &changed);
    json_decref(set);
    if (rc != 0)
        return rc;
    if (changed)
        announce(eui);
    return catalog_device_answer(r, 200, eui);
}

int h_device_delete(struct api_req *r)
{
    /* The old value of active tells a retirement from a repeated DELETE (no change, no audit). */
    static const char sql[] =
        "UPDATE device d SET active = false,"
        " updated_at = CASE WHEN o.active THEN now() ELSE d.updated_at END"
        " FROM (SELECT id, active FROM device WHERE dev_eui = $1 FOR UPDATE) o"
        " WHERE d.id = o.id RETURNING o.active";
    char eui[17];
    const char *params[1] = { eui };
    json_t *detail;
    PGresult *res;
    bool was_active;
    int rc;

    if ((rc = api_dev_eui(r, r->param[0], eui)) != 0 || (rc = tx(r, "BEGIN")) != 0)
        return rc;
    if ((res = api_sql(r, "device retire", sql, 1, params)) == NULL) {
        rollback(r);
        return 500;
    }
    if (PQntuples(res) == 0) {
        PQclear(res);
        rollback(r);
        return api_error(r, 404, "not_found", "no device %s", eui);
    }
    was_active = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    PQclear(res);
    if (was_active) {
        detail = json_pack("{s:b}", "active", 0);
        rc = api_audit(r, "device.retire", eui, detail);
        json_decref(detail);
        if (rc != 0) {
            rollback(r);
            return api_error(r, 500, "internal",
                             "the change could not be audited; nothing "
                             "changed");
        }
    }
    if ((rc = tx(r, "COMMIT")) != 0)
        return rc;
    if (was_active)
        announce(eui);
    return api_json(r, 200, json_pack("{s:s, s:b}", "dev_eui", eui, "active", 0));
}
