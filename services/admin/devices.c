/* devices.c - registry imports: files into device objects, objects into the device table.
 * SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "devices.h"
#include "mue_db.h"
#include "mue_err.h"
#include "mue_mem.h"

#define MAX_FILE (64 * 1024 * 1024)

static const char *const columns[] = { "dev_eui", "name",     "model",     "use_case",
                                       "network", "latitude", "longitude", "expected_period_s",
                                       NULL };

static char *read_file(const char *path, size_t *len, char *reason, size_t cap)
{
    FILE *f = fopen(path, "rb");
    char *text;
    long size;

    if (f == NULL) {
        snprintf(reason, cap, "%s: %s", path, strerror(errno));
        return NULL;
    }
    if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || size > MAX_FILE ||
        fseek(f, 0, SEEK_SET) != 0) {
        snprintf(reason, cap, "%s: unreadable or larger than 64 MiB", path);
        fclose(f);
        return NULL;
    }
    text = mue_xmalloc((size_t)size + 1);
    *len = fread(text, 1, (size_t)size, f);
    text[*len] = '\0';
    fclose(f);
    return text;
}

/* A CSV cell as JSON: numbers stay numbers, the rest is text. */
static json_t *cell_value(const char *text)
{
    char *end = NULL;
    double v;

    if (text[0] == '\0')
        return json_null();
    v = strtod(text, &end);
    if (end != text && *end == '\0')
        return json_real(v);
    return json_string(text);
}

static int row_object(const struct csv_record *head, const struct csv_record *row, json_t *obj,
                      char *reason, size_t cap)
{
    json_t *params = json_object();

    json_object_set_new(obj, "params", params);
    for (size_t k = 0; k < head->n && k < row->n; k++) {
        const char *col = head->field[k], *cell = row->field[k];
        if (strncmp(col, "param.", 6) == 0 && col[6] != '\0') {
            if (cell[0] != '\0')
                json_object_set_new(params, col + 6, cell_value(cell));
        } else if (strcmp(col, "params") == 0 && cell[0] != '\0') {
            json_t *p = json_loads(cell, 0, NULL);
            if (!json_is_object(p)) {
                json_decref(p);
                snprintf(reason, cap, "line %zu: params is not a JSON object", row->line);
                return MUE_EDECODE;
            }
            json_object_update(params, p);
            json_decref(p);
        } else if (cell[0] != '\0') {
            json_object_set_new(obj, col, cell_value(cell));
        }
    }
    if (row->n != head->n) {
        snprintf(reason, cap, "line %zu: %zu fields, the header has %zu", row->line, row->n,
                 head->n);
        return MUE_EDECODE;
    }
    return MUE_OK;
}

static int load_csv(const char *text, size_t len, json_t *arr, char *reason, size_t cap)
{
    struct csv c;
    int rc = MUE_OK;

    if (csv_parse(text, len, &c, reason, cap) < 0)
        return MUE_EDECODE;
    if (c.n == 0) {
        snprintf(reason, cap, "no header line");
        rc = MUE_EDECODE;
    }
    for (size_t i = 1; rc == MUE_OK && i < c.n; i++) {
        json_t *obj = json_object();
        json_array_append_new(arr, obj);
        rc = row_object(&c.rec[0], &c.rec[i], obj, reason, cap);
    }
    csv_fini(&c);
    return rc;
}

int devices_load_file(const char *path, json_t **out, char *reason, size_t cap)
{
    size_t len = 0, plen = strlen(path);
    char *text = read_file(path, &len, reason, cap);
    json_t *arr = NULL;
    int rc = MUE_OK;

    if (text == NULL)
        return MUE_EDECODE;
    if (plen > 5 && strcmp(path + plen - 5, ".json") == 0) {
        json_error_t jerr;
        arr = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
        if (!json_is_array(arr)) {
            snprintf(reason, cap, "%s: line %d: %s", path, jerr.line,
                     arr ? "not an array of devices" : jerr.text);
            rc = MUE_EDECODE;
        }
    } else if (plen > 4 && strcmp(path + plen - 4, ".csv") == 0) {
        arr = json_array();
        rc = load_csv(text, len, arr, reason, cap);
    } else {
        snprintf(reason, cap, "%s: the file name must end in .csv or .json", path);
        rc = MUE_EDECODE;
    }
    free(text);
    if (rc < 0) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return MUE_OK;
}

/* The text of obj[key] for a query parameter, or NULL for SQL NULL. */
static const char *text_of(const json_t *obj, const char *key, char *buf, size_t cap)
{
    const json_t *v = json_object_get(obj, key);
    if (v == NULL || json_is_null(v))
        return NULL;
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_integer(v))
        snprintf(buf, cap, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        snprintf(buf, cap, "%.17g", json_real_value(v));
    else
        snprintf(buf, cap, "%s", json_is_true(v) ? "true" : "false");
    return buf;
}

static const char upsert_sql[] =
    "INSERT INTO device (dev_eui, name, model, use_case, network, latitude, longitude,"
    " expected_period_s, params)"
    " VALUES (lower($1), $2, $3, $4, coalesce($5, 'chirpstack'), $6::float8, $7::float8,"
    " $8::float8::int, coalesce($9::jsonb, '{}'))"
    " ON CONFLICT (dev_eui) DO UPDATE SET name = EXCLUDED.name, model = EXCLUDED.model,"
    " use_case = EXCLUDED.use_case, network = EXCLUDED.network, latitude = EXCLUDED.latitude,"
    " longitude = EXCLUDED.longitude, expected_period_s = EXCLUDED.expected_period_s,"
    " params = EXCLUDED.params, updated_at = now()"
    " WHERE (device.name, device.model, device.use_case, device.network, device.latitude,"
    " device.longitude, device.expected_period_s, device.params)"
    " IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.model, EXCLUDED.use_case, EXCLUDED.network,"
    " EXCLUDED.latitude, EXCLUDED.longitude, EXCLUDED.expected_period_s, EXCLUDED.params)"
    " RETURNING (xmax = 0)";

static int upsert_one(struct mue_db *db, const json_t *dev, size_t index,
                      struct devices_counts *counts, char *reason, size_t cap)
{
    char bufs[9][48];
    const char *p[9];
    const json_t *params = json_object_get(dev, "params");
    char *params_text = NULL;
    PGresult *res = NULL;
    int n;

    if (!json_is_object(dev)) {
        snprintf(reason, cap, "entry %zu: not an object", index + 1);
        return MUE_EINVAL;
    }
    for (size_t i = 0; i < 8; i++)
        p[i] = text_of(dev, columns[i], bufs[i], sizeof(bufs[i]));
    for (size_t i = 0; i < 4; i++) {
        if (p[i] == NULL) {
            snprintf(reason, cap, "entry %zu: %s is missing", index + 1, columns[i]);
            return MUE_EINVAL;
        }
    }
    if (params != NULL && !json_is_null(params) && !json_is_object(params)) {
        snprintf(reason, cap, "entry %zu (%s): params is not an object", index + 1, p[0]);
        return MUE_EINVAL;
    }
    params_text = params && json_is_object(params) ? json_dumps(params, JSON_COMPACT) : NULL;
    p[8] = params_text;
    n = mue_db_query(db, "device upsert", &res, upsert_sql, 9, p);
    free(params_text);
    if (n < 0) {
        snprintf(reason, cap, "entry %zu (%s): refused by the database (see the log)", index + 1,
                 p[0]);
        return MUE_EDB;
    }
    if (n == 0)
        counts->unchanged++;
    else if (PQgetvalue(res, 0, 0)[0] == 't')
        counts->created++;
    else
        counts->updated++;
    PQclear(res);
    return MUE_OK;
}

int devices_upsert(struct mue_db *db, const json_t *devices, struct devices_counts *counts,
                   char *reason, size_t cap)
{
    int rc;

    memset(counts, 0, sizeof(*counts));
    if (mue_db_exec(db, "import begin", "BEGIN") < 0)
        return MUE_EDB;
    for (size_t i = 0; i < json_array_size(devices); i++) {
        rc = upsert_one(db, json_array_get(devices, i), i, counts, reason, cap);
        if (rc < 0) {
            mue_db_exec(db, "import rollback", "ROLLBACK");
            memset(counts, 0, sizeof(*counts));
            return rc;
        }
    }
    return mue_db_exec(db, "import commit", "COMMIT") < 0 ? MUE_EDB : MUE_OK;
}
