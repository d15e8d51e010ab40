/* dataset.c - reads and checks the dataset definition file (deploy/opendata/datasets.json).
 * SPDX-License-Identifier: MIT */
#include <jansson.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataset.h"
#include "mue_err.h"
#include "mue_mem.h"
#include "source.h"

static const char *const format_names[] = { "csv", "geojson", "json", "ngsi-ld",
                                            "schema-comptage" };
static const char *const period_names[] = { "snapshot", "15min", "hour", "day" };

const char *ds_format_name(enum ds_format f)
{
    for (int i = 0; i < 5; i++)
        if ((int)f == 1 << i)
            return format_names[i];
    return "?";
}

const char *ds_period_name(enum ds_period p)
{
    return p <= DS_DAY ? period_names[p] : "?";
}

/* The run interval each publication frequency stands for. */
static const struct {
    const char *name;
    long seconds;
} frequencies[] = {
    { "15min", 900 },        { "hourly", 3600 },        { "daily", 86400 },
    { "weekly", 7 * 86400 }, { "monthly", 30 * 86400 },
};

static const char *const aggregations[] = { "mean",           "sum",  "min", "max",
                                            "energetic_mean", "last", "none" };

/* Loading state: the first error wins and says where it is. */
struct load {
    char *err;
    size_t errlen;
    const char *where; /* dataset id, or "catalog" */
    int failed;
};

static void fail(struct load *l, const char *field, const char *why)
{
    if (!l->failed)
        snprintf(l->err, l->errlen, "%s: %s: %s", l->where, field, why);
    l->failed = 1;
}

static char *get_str(struct load *l, json_t *o, const char *field, const char *def, int required)
{
    json_t *v = json_object_get(o, field);

    if (v == NULL || json_is_null(v)) {
        if (required)
            fail(l, field, "missing");
        return def ? mue_xstrdup(def) : NULL;
    }
    if (!json_is_string(v) || json_string_length(v) == 0) {
        fail(l, field, "not a non-empty string");
        return def ? mue_xstrdup(def) : NULL;
    }
    return mue_xstrdup(json_string_value(v));
}

static long get_long(struct load *l, json_t *o, const char *field, long def, long min, long max)
{
    json_t *v = json_object_get(o, field);

    if (v == NULL)
        return def;
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
        fail(l, field, "not an integer in range");
        return def;
    }
    return (long)json_integer_value(v);
}

static int matches(const char *pattern, const char *text)
{
    regex_t re;
    int ok;

    if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0)
        return 0;
    ok = regexec(&re, text, 0, NULL, 0) == 0;
    regfree(&re);
    return ok;
}

static int name_in(const char *name, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(name, list[i]) == 0)
            return 1;
    return 0;
}

static void load_columns(struct load *l, struct dataset *d, json_t *arr)
{
    size_t i;
    json_t *c;

    if (!json_is_array(arr)) {
        fail(l, "columns", "not an array");
        return;
    }
    d->columns = mue_xcalloc(json_array_size(arr) + 1, sizeof(*d->columns));
    json_array_foreach(arr, i, c)
    {
        struct ds_column *col = &d->columns[d->ncolumns++];

        col->name = get_str(l, c, "name", NULL, 1);
        col->quantity = get_str(l, c, "quantity", col->name, 0);
        col->unit = get_str(l, c, "unit", "", 0);
        col->label = get_str(l, c, "label", col->name, 0);
        if (col->name && !matches("^[a-z][a-z0-9_]{0,62}$", col->name))
            fail(l, "columns", "a name must match [a-z][a-z0-9_]*");
        if (col->quantity && !matches("^[A-Za-z][A-Za-z0-9_]{0,62}$", col->quantity))
            fail(l, "columns", "a quantity must match [A-Za-z][A-Za-z0-9_]*");
        for (int k = 0; col->name && k < d->ncolumns - 1; k++)
            if (d->columns[k].name && strcmp(d->columns[k].name, col->name) == 0)
                fail(l, "columns", "a name appears twice");
    }
}

static void load_ngsi_attr(struct load *l, struct ds_ngsi_attr *a, const char *attribute, json_t *v)
{
    const char *key;
    json_t *m, *to;

    a->attribute = mue_xstrdup(attribute);
    a->scale = 1;
    if (json_is_string(v)) {
        a->column = mue_xstrdup(json_string_value(v));
        return;
    }
    if (!json_is_object(v)) {
        fail(l, "ngsi_ld.attributes", "each is a column name or an object");
        return;
    }
    a->column = get_str(l, v, "column", NULL, 1);
    a->relationship = get_str(l, v, "relationship", NULL, 0);
    a->custom = json_is_true(json_object_get(v, "custom"));
    if (json_object_get(v, "scale")) {
        if (!json_is_number(json_object_get(v, "scale")))
            fail(l, "ngsi_ld.attributes.scale", "not a number");
        else
            a->scale = json_number_value(json_object_get(v, "scale"));
    }
    m = json_object_get(v, "map");
    if (m == NULL)
        return;
    if (!json_is_object(m)) {
        fail(l, "ngsi_ld.attributes.map", "not an object");
        return;
    }
    a->map_from = mue_xcalloc(json_object_size(m) + 1, sizeof(char *));
    a->map_to = mue_xcalloc(json_object_size(m) + 1, sizeof(char *));
    json_object_foreach(m, key, to)
    {
        if (!json_is_string(to)) {
            fail(l, "ngsi_ld.attributes.map", "values are strings");
            continue;
        }
        a->map_from[a->nmap] = mue_xstrdup(key);
        a->map_to[a->nmap++] = mue_xstrdup(json_string_value(to));
    }
}

/* True when 'column' is one the rows of 'd' have. */
static int has_column(const struct dataset *d, const char *column)
{
    static const char *const fixed[] = { "name",         "commune_insee", "latitude",   "longitude",
                                         "site",         "site_id",       "use_case",   "model",
                                         "installed_at", "last_seen",     "counts",     "ltr",
                                         "groups",       "period_start",  "period_end", "date" };
    if (name_in(column, fixed, sizeof(fixed) / sizeof(*fixed)) ||
        strcmp(column, source_key(d->source)) == 0)
        return 1;
    for (int i = 0; i < d->ncolumns; i++)
        if (d->columns[i].name && strcmp(d->columns[i].name, column) == 0)
            return 1;
    return 0;
}

static void load_ngsi(struct load *l, struct dataset *d, json_t *arr)
{
    size_t i;
    json_t *t;

    if (!json_is_array(arr)) {
        fail(l, "ngsi_ld", "not an array of entity templates");
        return;
    }
    d->ngsi = mue_xcalloc(json_array_size(arr) + 1, sizeof(*d->ngsi));
    json_array_foreach(arr, i, t)
    {
        struct ds_ngsi_entity *e = &d->ngsi[d->nngsi++];
        json_t *attrs = json_object_get(t, "attributes"), *fixed = json_object_get(t, "fixed");
        const char *name;
        json_t *v;

        e->type = get_str(l, t, "type", NULL, 1);
        e->when = get_str(l, t, "when", NULL, 0);
        if (e->type && !matches("^[A-Z][A-Za-z]{1,63}$", e->type))
            fail(l, "ngsi_ld.type", "not a Smart Data Model type name");
        if (!json_is_object(attrs) || json_object_size(attrs) == 0) {
            fail(l, "ngsi_ld.attributes", "missing or empty");
            continue;
        }
        e->attrs = mue_xcalloc(json_object_size(attrs) + 1, sizeof(*e->attrs));
        json_object_foreach(attrs, name, v)
        {
            struct ds_ngsi_attr *a = &e->attrs[e->nattrs++];
            load_ngsi_attr(l, a, name, v);
            if (a->column && !has_column(d, a->column))
                fail(l, "ngsi_ld.attributes", "names a column the rows do not have");
        }
        if (e->when) {
            char col[64];
            size_t n = strcspn(e->when, "=");
            snprintf(col, sizeof(col), "%.*s", (int)(n < 63 ? n : 63), e->when);
            if (!has_column(d, col))
                fail(l, "ngsi_ld.when", "names a column the rows do not have");
        }
        if (fixed) {
            if (!json_is_object(fixed))
                fail(l, "ngsi_ld.fixed", "not an object");
            else
                e->fixed_json = json_dumps(fixed, JSON_COMPACT | JSON_ENSURE_ASCII);
        }
    }
}

static int load_formats(struct load *l, json_t *arr)
{
    int bits = 0;
    size_t i;
    json_t *f;

    if (!json_is_array(arr) || json_array_size(arr) == 0) {
        fail(l, "formats", "missing or empty");
        return 0;
    }
    json_array_foreach(arr, i, f)
    {
        int k;
        for (k = 0;
             k < 5 && !(json_is_string(f) && strcmp(json_string_value(f), format_names[k]) == 0);
             k++)
            ;
        if (k == 5)
            fail(l, "formats", "csv, geojson, json, ngsi-ld or schema-comptage");
        else
            bits |= 1 << k;
    }
    return bits;
}

static void load_dataset(struct load *l, struct dataset *d, json_t *o)
{
    json_t *kw = json_object_get(o, "keywords");
    char *period;
    bool periodic = false;
    size_t i;
    json_t *k;

    l->where = "dataset";
    d->id = get_str(l, o, "id", NULL, 1);
    l->where = d->id ? d->id : "dataset";
    if (d->id && !matches("^[a-z0-9][a-z0-9-]{0,79}$", d->id))
        fail(l, "id", "a slug of lowercase letters, digits and hyphens");
    d->title = get_str(l, o, "title", NULL, 1);
    d->description = get_str(l, o, "description", NULL, 1);
    d->use_case = get_str(l, o, "use_case", NULL, 0);
    d->source = get_str(l, o, "source", NULL, 1);
    d->aggregation = get_str(l, o, "aggregation", "none", 0);
    d->licence = get_str(l, o, "licence", "lov2", 0);
    d->frequency = get_str(l, o, "frequency", NULL, 1);
    d->theme = get_str(l, o, "theme", "ENVI", 0);
    period = get_str(l, o, "period", "snapshot", 0);
    for (int p = DS_SNAPSHOT; p <= DS_DAY; p++)
        if (period && strcmp(period, period_names[p]) == 0)
            d->period = (enum ds_period)p, free(period), period = NULL;
    if (period) {
        fail(l, "period", "snapshot, 15min, hour or day");
        free(period);
    }
    if (d->source && !source_exists(d->source, &periodic))
        fail(l, "source", "not a known source (docs/opendata.md)");
    else if (d->source && periodic != (d->period != DS_SNAPSHOT))
        fail(l, "period", periodic ? "this source is periodic" : "this source is a snapshot");
    if (!name_in(d->aggregation, aggregations, sizeof(aggregations) / sizeof(*aggregations)))
        fail(l, "aggregation", "mean, sum, min, max, energetic_mean, last or none");
    d->every_s = 0;
    for (size_t f = 0; d->frequency && f < sizeof(frequencies) / sizeof(*frequencies); f++)
        if (strcmp(d->frequency, frequencies[f].name) == 0)
            d->every_s = frequencies[f].seconds;
    if (d->frequency && d->every_s == 0)
        fail(l, "frequency", "15min, hourly, daily, weekly or monthly");
    d->every_s = get_long(l, o, "every_s", d->every_s, 10, 31 * 86400);
    d->restricted = json_is_string(json_object_get(o, "access")) &&
                    strcmp(json_string_value(json_object_get(o, "access")), "restricted") == 0;
    if (json_object_get(o, "access") && !d->restricted &&
        !(json_is_string(json_object_get(o, "access")) &&
          strcmp(json_string_value(json_object_get(o, "access")), "open") == 0))
        fail(l, "access", "open or restricted");
    d->delay_s = get_long(l, o, "delay_s", 900, 0, 7 * 86400);
    d->revise_s = get_long(l, o, "revise_s", 86400, 0, 366 * 86400);
    d->history_days = get_long(l, o, "history_days", 30, 1, 3660);
    d->formats = load_formats(l, json_object_get(o, "formats"));
    if (kw && !json_is_array(kw))
        fail(l, "keywords", "not an array");
    d->keywords = mue_xcalloc(json_array_size(kw) + 1, sizeof(char *));
    json_array_foreach(kw, i, k)
    {
        if (json_is_string(k))
            d->keywords[d->nkeywords++] = mue_xstrdup(json_string_value(k));
        else
            fail(l, "keywords", "not strings");
    }
    load_columns(l, d, json_object_get(o, "columns"));
    for (int c = 0; d->source && c < d->ncolumns; c++)
        if (d->columns[c].name && !source_allows_column(d->source, d->columns[c].name))
            fail(l, "columns", "a column this source does not compute, or a fixed column's name");
    if (d->source && d->ncolumns == 0 && strcmp(d->source, "devices") != 0)
        fail(l, "columns", "a periodic dataset needs value columns");
    if (json_object_get(o, "ngsi_ld"))
        load_ngsi(l, d, json_object_get(o, "ngsi_ld"));
    if ((d->formats & DS_NGSILD) && d->nngsi == 0)
        fail(l, "ngsi_ld", "the ngsi-ld format needs entity templates");
    if ((d->formats & DS_COUNTING) && (d->source == NULL || strcmp(d->source, "measure") != 0 ||
                                       d->use_case == NULL || strcmp(d->use_case, "counting") != 0))
        fail(l, "formats", "schema-comptage is for the counting use case's measure datasets");
}

static void load_licences(struct load *l, struct ds_catalog *c, json_t *o)
{
    const char *key;
    json_t *v;

    if (!json_is_object(o) || json_object_size(o) == 0) {
        fail(l, "licences", "missing or empty");
        return;
    }
    c->licences = mue_xcalloc(json_object_size(o) + 1, sizeof(*c->licences));
    json_object_foreach(o, key, v)
    {
        struct ds_licence *li = &c->licences[c->nlicences++];
        li->key = mue_xstrdup(key);
        li->title = get_str(l, v, "title", NULL, 1);
        li->url = get_str(l, v, "url", NULL, 1);
        li->ckan_id = get_str(l, v, "ckan_id", key, 0);
    }
}

int ds_catalog_load(struct ds_catalog *c, const char *path, char *err, size_t errlen)
{
    struct load l = { err, errlen, "catalog", 0 };
    json_error_t je;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je), *arr, *bbox, *o;
    size_t i;

    memset(c, 0, sizeof(*c));
    if (root == NULL) {
        snprintf(err, errlen, "%s:%d: %s", path, je.line, je.text);
        return MUE_EINVAL;
    }
    c->title = get_str(&l, root, "title", NULL, 1);
    c->description = get_str(&l, root, "description", NULL, 1);
    c->publisher = get_str(&l, root, "publisher", NULL, 1);
    c->publisher_url = get_str(&l, root, "publisher_url", NULL, 1);
    c->contact_email = get_str(&l, root, "contact_email", NULL, 1);
    c->spatial_name = get_str(&l, root, "spatial_name", NULL, 1);
    c->spatial_uri = get_str(&l, root, "spatial_uri", NULL, 0);
    bbox = json_object_get(root, "bbox");
    if (!json_is_array(bbox) || json_array_size(bbox) != 4)
        fail(&l, "bbox", "[west, south, east, north]");
    for (i = 0; i < 4 && json_is_array(bbox) && json_array_size(bbox) == 4; i++)
        c->bbox[i] = json_number_value(json_array_get(bbox, i));
    if (!(c->bbox[0] >= -180 && c->bbox[0] < c->bbox[2] && c->bbox[2] <= 180 && c->bbox[1] >= -90 &&
          c->bbox[1] < c->bbox[3] && c->bbox[3] <= 90))
        fail(&l, "bbox", "west < east, south < north, in WGS84 degrees");
    load_licences(&l, c, json_object_get(root, "licences"));
    arr = json_object_get(root, "datasets");
    if (!json_is_array(arr) || json_array_size(arr) == 0)
        fail(&l, "datasets", "missing or empty");
    c->ds = mue_xcalloc(json_array_size(arr) + 1, sizeof(*c->ds));
    json_array_foreach(arr, i, o)
    {
        struct dataset *d = &c->ds[c->nds++];
        load_dataset(&l, d, o);
        if (!l.failed && ds_licence_find(c, d->licence) == NULL)
            fail(&l, "licence", "not in the catalogue's licence table");
        for (int k = 0; !l.failed && k < c->nds - 1; k++)
            if (strcmp(c->ds[k].id, d->id) == 0)
                fail(&l, "id", "used twice");
        l.where = "catalog";
    }
    json_decref(root);
    if (l.failed) {
        ds_catalog_fini(c);
        return MUE_EINVAL;
    }
    return 0;
}

const struct dataset *ds_find(const struct ds_catalog *c, const char *id)
{
    for (int i = 0; i < c->nds; i++)
        if (strcmp(c->ds[i].id, id) == 0)
            return &c->ds[i];
    return NULL;
}

const struct ds_licence *ds_licence_find(const struct ds_catalog *c, const char *key)
{
    for (int i = 0; key && i < c->nlicences; i++)
        if (strcmp(c->licences[i].key, key) == 0)
            return &c->licences[i];
    return NULL;
}

static void free_strings(char **v, int n)
{
    for (int i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

static void dataset_fini(struct dataset *d)
{
    free(d->id);
    free(d->title);
    free(d->description);
    free(d->use_case);
    free(d->source);
    free(d->aggregation);
    free(d->licence);
    free(d->frequency);
    free(d->theme);
    free_strings(d->keywords, d->nkeywords);
    for (int i = 0; i < d->ncolumns; i++) {
        free(d->columns[i].name);
        free(d->columns[i].quantity);
        free(d->columns[i].unit);
        free(d->columns[i].label);
    }
    free(d->columns);
    for (int i = 0; i < d->nngsi; i++) {
        struct ds_ngsi_entity *e = &d->ngsi[i];
        for (int k = 0; k < e->nattrs; k++) {
            free(e->attrs[k].column);
            free(e->attrs[k].attribute);
            free(e->attrs[k].relationship);
            free_strings(e->attrs[k].map_from, e->attrs[k].nmap);
            free_strings(e->attrs[k].map_to, e->attrs[k].nmap);
        }
        free(e->attrs);
        free(e->type);
        free(e->when);
        free(e->fixed_json);
    }
    free(d->ngsi);
}

void ds_catalog_fini(struct ds_catalog *c)
{
    for (int i = 0; i < c->nds; i++)
        dataset_fini(&c->ds[i]);
    free(c->ds);
    for (int i = 0; i < c->nlicences; i++) {
        free(c->licences[i].key);
        free(c->licences[i].title);
        free(c->licences[i].url);
        free(c->licences[i].ckan_id);
    }
    free(c->licences);
    free(c->title);
    free(c->description);
    free(c->publisher);
    free(c->publisher_url);
    free(c->contact_email);
    free(c->spatial_name);
    free(c->spatial_uri);
    memset(c, 0, sizeof(*c));
}
