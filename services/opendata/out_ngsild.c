/* out_ngsild.c - NGSI-LD entities (normalized form) from a dataset's rows: one per row and per
 * template of the definition, and the @context of our own attributes.
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mue_buf.h"
#include "mue_err.h"
#include "mue_log.h"
#include "mue_mem.h"
#include "out_isotime.h"
#include "out_cells.h"
#include "out_ngsild.h"
#include "out_table.h"

/* The Smart Data Models domain of each type we write: where its @context lives. */
static const struct {
    const char *type;
    const char *domain;
} models[] = {
    { "NoiseLevelObserved", "Environment" },
    { "WaterQualityObserved", "Environment" },
    { "WaterObserved", "Environment" },
    { "FloodMonitoring", "Environment" },
    { "AirQualityObserved", "Environment" },
    { "WasteContainer", "WasteManagement" },
    { "TrafficFlowObserved", "Transportation" },
    { "CrowdFlowObserved", "Transportation" },
    { "Streetlight", "Streetlighting" },
    { "StreetlightGroup", "Streetlighting" },
    { "StreetlightControlCabinet", "Streetlighting" },
};
#define NMODELS ((int)(sizeof(models) / sizeof(*models)))
#define DOMAIN_CONTEXT                                                                             \
    "https://raw.githubusercontent.com/smart-data-models/dataModel.%s/master/context.jsonld"

/* dateObserved is the period as an ISO 8601 interval for these types; the water models want the
 * instant the observation stands for, the period's end. */
static const char *const interval_types[] = { "NoiseLevelObserved", "TrafficFlowObserved",
                                              "CrowdFlowObserved", NULL };
static const char *const instant_types[] = { "WaterQualityObserved", "WaterObserved", NULL };

/* The attributes a model requires that only a template can give (location and the dates are
 * this writer's): an entity without them would not be one of the model's. */
static const struct {
    const char *type;
    const char *attribute;
} required[] = {
    { "Streetlight", "status" },
    { "StreetlightControlCabinet", "refStreetlightGroup" },
    { "StreetlightControlCabinet", "workingMode" },
};
#define NREQUIRED ((int)(sizeof(required) / sizeof(*required)))

/* Members this writer fills itself: a definition may not write them too (JSON would hold the
 * name twice, and readers keep either). */
static const char *const reserved[] = { "id",
                                        "type",
                                        "@context",
                                        "location",
                                        "name",
                                        "dateObserved",
                                        "dateObservedFrom",
                                        "dateObservedTo",
                                        "dateModified",
                                        NULL };

/* A template made ready for the rows: its columns found, its fixed properties rendered. */
struct tpl {
    const struct ds_ngsi_entity *e;
    int *cols;           /* each attribute's column, -1 when the rows lack it */
    int when_col;        /* the column 'when' tests, -1 for every row */
    bool when_unknown;   /* 'when' names a column the rows lack: the template never applies */
    const char *when_eq; /* the text after '=' in 'when', or NULL for "not null" */
    char *fixed;         /* ,"k":{"type":"Property","value":...}... or NULL */
    json_t *fixed_obj;   /* the fixed properties as parsed, or NULL */
    bool custom;
    int number;         /* its number from 1 when another template shares its type, else 0 */
    const char *domain; /* NULL for a type we do not know the domain of */
};

struct job {
    const struct dataset *d;
    const PGresult *res;
    const char *own_context;
    bool periodic;
    int c_start, c_end, c_key, c_name, c_lat, c_lon, c_seen;
    struct tpl *tpls;
};

static bool in_list(const char *const *list, const char *s)
{
    for (; *list; list++)
        if (strcmp(*list, s) == 0)
            return true;
    return false;
}

/* PQfnumber() folds case and reads quotes; the rows' names are compared as they are. */

/* libpq writes 1.0 as "1": texts that both read as numbers compare as numbers. */
static bool same_value(const char *a, const char *b)
{
    double x, y;
    if (out_parse_number(a, &x) && out_parse_number(b, &y))
        return x == y;
    return strcmp(a, b) == 0;
}

/* value × scale. Dividing by 100 rounds once where multiplying by 0.01 (itself inexact) can land
 * one unit in the last place away from the number a reader expects (80 % -> 0.8). */
static double scaled(double v, double scale)
{
    if (scale > 0 && scale < 1) {
        double inv = 1 / scale, n = nearbyint(inv);
        if (fabs(inv - n) <= 1e-9 * n)
            return v / n;
    }
    return v * scale;
}

/* The shortest of %.15g, %.16g, %.17g that reads back as the same double. */
static void put_number(FILE *f, double v)
{
    char buf[40];

    if (v == 0) { /* no "-0" */
        fputc('0', f);
        return;
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof(buf), "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    fputs(buf, f);
}

/* Appends s[0..n) with every character outside [A-Za-z0-9-._~:@] as %XX, so that an identifier
 * stays one URN whatever a key holds. */
static void append_id_part(struct mue_buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isalnum(c) || strchr("-._~:@", c) != NULL)
            mue_buf_append(b, &s[i], 1);
        else
            mue_buf_printf(b, "%%%02X", c);
    }
}

static void append_urn(struct mue_buf *b, const char *type, const char *id, size_t n)
{
    if (n >= 4 && strncmp(id, "urn:", 4) == 0) { /* already an entity id */
        append_id_part(b, id, n);
        return;
    }
    mue_buf_append_str(b, "urn:ngsi-ld:");
    append_id_part(b, type, strlen(type));
    mue_buf_append_str(b, ":");
    append_id_part(b, id, n);
}

/* Calls back for each id of a comma-separated list, spaces around it trimmed. */
static int each_id(const char *text, void (*fn)(const char *id, size_t n, void *arg), void *arg)
{
    int count = 0;
    for (const char *p = text; *p;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        const char *s = p;
        size_t len = n;
        while (len > 0 && isspace((unsigned char)*s)) {
            s++;
            len--;
        }
        while (len > 0 && isspace((unsigned char)s[len - 1]))
            len--;
        if (len > 0) {
            if (fn != NULL)
                fn(s, len, arg);
            count++;
        }
        p += n;
        if (*p == ',')
            p++;
    }
    return count;
}

struct rel_writer {
    FILE *f;
    const char *type;
    int written;
};

static void write_one_object(const char *id, size_t n, void *arg)
{
    struct rel_writer *w = arg;
    struct mue_buf urn;

    mue_buf_init(&urn, 0);
    append_urn(&urn, w->type, id, n);
    if (w->written++ > 0)
        fputc(',', w->f);
    out_json_string(w->f, urn.data);
    mue_buf_fini(&urn);
}

static const char *map_lookup(const struct ds_ngsi_attr *a, const char *text)
{
    for (int i = 0; i < a->nmap; i++)
        if (same_value(text, a->map_from[i]))
            return a->map_to[i];
    return NULL;
}

/* Whether the attribute has a value in this row: a cell, a known mapped text, at least one id. */
static bool attr_has_value(const struct ds_ngsi_attr *a, const char *text)
{
    if (text == NULL || *text == '\0')
        return false;
    if (a->relationship != NULL)
        return each_id(text, NULL, NULL) > 0;
    if (a->nmap > 0)
        return map_lookup(a, text) != NULL;
    return true;
}

/* Writes ,"<attribute>":{...} for a value attr_has_value() accepted. A column text that is not a
 * number (a status word) stays text. */
static void attr_write(FILE *f, const struct ds_ngsi_attr *a, const char *text)
{
    double v;

    fputc(',', f);
    out_json_string(f, a->attribute);
    if (a->relationship != NULL) {
        struct rel_writer w = { f, a->relationship, 0 };
        bool many = each_id(text, NULL, NULL) > 1;
        fputs(":{\"type\":\"Relationship\",\"object\":", f);
        if (many)
            fputc('[', f);
        each_id(text, write_one_object, &w);
        fputs(many ? "]}" : "}", f);
        return;
    }
    fputs(":{\"type\":\"Property\",\"value\":", f);
    if (a->nmap > 0)
        out_json_string(f, map_lookup(a, text));
    else if (out_parse_number(text, &v))
        put_number(f, scaled(v, a->scale));
    else
        out_json_string(f, text);
    fputc('}', f);
}

static void write_datetime(FILE *f, const char *name, time_t t)
{
    char iso[21];
    out_isotime_iso(t, iso);
    fprintf(f,
            ",\"%s\":{\"type\":\"Property\",\"value\":{\"@type\":\"DateTime\",\"@value\":\"%s\"}}",
            name, iso);
}

static bool when_holds(const struct job *j, const struct tpl *t, int row)
{
    const char *v;

    if (t->when_unknown)
        return false;
    if (t->when_col < 0)
        return true;
    v = out_cell(j->res, row, t->when_col);
    if (v == NULL)
        return false;
    return t->when_eq == NULL || same_value(v, t->when_eq);
}

static bool tpl_has_value(const struct job *j, const struct tpl *t, int row)
{
    if (t->e->nattrs == 0)
        return true;
    for (int i = 0; i < t->e->nattrs; i++)
        if (attr_has_value(&t->e->attrs[i], out_cell(j->res, row, t->cols[i])))
            return true;
    return false;
}

static bool attribute_present(const struct job *j, const struct tpl *t, int row, const char *name)
{
    if (json_object_get(t->fixed_obj, name) != NULL)
        return true;
    for (int i = 0; i < t->e->nattrs; i++)
        if (strcmp(t->e->attrs[i].attribute, name) == 0 &&
            attr_has_value(&t->e->attrs[i], out_cell(j->res, row, t->cols[i])))
            return true;
    return false;
}

static bool tpl_has_required(const struct job *j, const struct tpl *t, int row)
{
    for (int r = 0; r < NREQUIRED; r++)
        if (strcmp(required[r].type, t->e->type) == 0 &&
            !attribute_present(j, t, row, required[r].attribute))
            return false;
    return true;
}

static void write_id(FILE *f, const struct job *j, const struct tpl *t, int row, time_t start)
{
    struct mue_buf id;
    const char *key = PQgetvalue(j->res, row, j->c_key);

    mue_buf_init(&id, 0);
    mue_buf_append_str(&id, "urn:ngsi-ld:");
    append_id_part(&id, t->e->type, strlen(t->e->type));
    mue_buf_append_str(&id, ":");
    if (j->periodic) {
        char stamp[17];
        out_isotime_compact(start, stamp);
        append_id_part(&id, j->d->id, strlen(j->d->id));
        mue_buf_append_str(&id, ":");
        append_id_part(&id, key, strlen(key));
        mue_buf_printf(&id, ":%s", stamp);
    } else {
        append_id_part(&id, key, strlen(key));
    }
    if (t->number > 0)
        mue_buf_printf(&id, ":%d", t->number);
    fputs("{\"id\":", f);
    out_json_string(f, id.data);
    mue_buf_fini(&id);
}

static void write_context(FILE *f, const struct job *j, const struct tpl *t)
{
    fputs(",\"@context\":[\"" OUT_NGSILD_CORE_CONTEXT "\"", f);
    if (t->domain != NULL) {
        fputs(",\"", f);
        fprintf(f, DOMAIN_CONTEXT, t->domain);
        fputc('"', f);
    }
    if (t->custom && j->own_context != NULL) {
        fputc(',', f);
        out_json_string(f, j->own_context);
    }
    fputs("]}", f);
}

/* One entity of template 't' for 'row', on one line without its separator. */
static void write_entity(FILE *f, const struct job *j, const struct tpl *t, int row, double lat,
                         double lon, time_t start, time_t end)
{
    const char *type = t->e->type, *name = out_cell(j->res, row, j->c_name);
    time_t seen;

    write_id(f, j, t, row, start);
    fputs(",\"type\":", f);
    out_json_string(f, type);
    for (int i = 0; i < t->e->nattrs; i++) {
        const char *text = out_cell(j->res, row, t->cols[i]);
        if (attr_has_value(&t->e->attrs[i], text))
            attr_write(f, &t->e->attrs[i], text);
    }
    if (t->fixed != NULL)
        fputs(t->fixed, f);
    if (name != NULL && *name != '\0') {
        fputs(",\"name\":{\"type\":\"Property\",\"value\":", f);
        out_json_string(f, name);
        fputc('}', f);
    }
    fputs(",\"location\":{\"type\":\"GeoProperty\",\"value\":{\"type\":\"Point\",\"coordinates\":[",
          f);
    put_number(f, lon);
    fputc(',', f);
    put_number(f, lat);
    fputs("]}}", f);
    if (j->periodic) {
        write_datetime(f, "dateObservedFrom", start);
        write_datetime(f, "dateObservedTo", end);
        if (in_list(interval_types, type)) {
            char a[21], b[21];
            out_isotime_iso(start, a);
            out_isotime_iso(end, b);
            fprintf(f, ",\"dateObserved\":{\"type\":\"Property\",\"value\":\"%s/%s\"}", a, b);
        } else if (in_list(instant_types, type)) {
            write_datetime(f, "dateObserved", end);
        }
    } else if (out_isotime_parse(out_cell(j->res, row, j->c_seen), &seen)) {
        write_datetime(f, "dateModified", seen);
    }
    write_context(f, j, t);
}

/* The fixed properties as the text of Properties, rendered once for all rows. */
static int render_fixed(const struct dataset *d, const struct ds_ngsi_entity *e, struct tpl *t)
{
    json_error_t err;
    json_t *fixed = json_loads(e->fixed_json, 0, &err), *props = NULL, *v;
    const char *k;
    char *text = NULL;
    int rc = MUE_EINVAL;

    if (!json_is_object(fixed)) {
        mue_log_error("ngsild.fixed_invalid", "dataset=%s type=%s reason=\"not a JSON object\"",
                      d->id, e->type);
        goto out;
    }
    props = json_object();
    json_object_foreach(fixed, k, v)
    {
        if (in_list(reserved, k)) {
            mue_log_error("ngsild.fixed_invalid", "dataset=%s type=%s member=%s reason=reserved",
                          d->id, e->type, k);
            goto out;
        }
        json_object_set_new(props, k, json_pack("{s:s,s:O}", "type", "Property", "value", v));
    }
    /* {"a":{...},"b":{...}} -> ,"a":{...},"b":{...}: jansson keeps the members' order. */
    text = json_dumps(props, JSON_COMPACT);
    if (text == NULL)
        abort(); /* out of memory */
    if (strlen(text) > 2) {
        text[0] = ',';
        text[strlen(text) - 1] = '\0';
        t->fixed = text;
        text = NULL;
    }
    t->fixed_obj = fixed;
    fixed = NULL;
    rc = 0;
out:
    free(text);
    json_decref(props);
    json_decref(fixed);
    return rc;
}

static int prepare_tpl(struct job *j, int i)
{
    const struct dataset *d = j->d;
    const struct ds_ngsi_entity *e = &d->ngsi[i];
    struct tpl *t = &j->tpls[i];

    t->e = e;
    t->when_col = -1;
    t->cols = mue_xcalloc((size_t)(e->nattrs > 0 ? e->nattrs : 1), sizeof(int));
    for (int a = 0; a < e->nattrs; a++) {
        const struct ds_ngsi_attr *at = &e->attrs[a];
        if (in_list(reserved, at->attribute)) {
            mue_log_error("ngsild.attribute_invalid",
                          "dataset=%s type=%s attribute=%s reason=reserved", d->id, e->type,
                          at->attribute);
            return MUE_EINVAL;
        }
        t->cols[a] = out_find_col(j->res, at->column, strlen(at->column));
        if (t->cols[a] < 0)
            mue_log_warn("ngsild.column_missing", "dataset=%s type=%s column=%s", d->id, e->type,
                         at->column);
        if (at->custom)
            t->custom = true;
    }
    if (e->when != NULL) {
        const char *eq = strchr(e->when, '=');
        size_t len = eq ? (size_t)(eq - e->when) : strlen(e->when);
        t->when_col = out_find_col(j->res, e->when, len);
        t->when_unknown = t->when_col < 0;
        t->when_eq = eq ? eq + 1 : NULL;
        if (t->when_unknown)
            mue_log_warn("ngsild.column_missing", "dataset=%s type=%s when=\"%s\"", d->id, e->type,
                         e->when);
    }
    for (int m = 0; m < NMODELS; m++)
        if (strcmp(models[m].type, e->type) == 0)
            t->domain = models[m].domain;
    for (int o = 0; o < d->nngsi; o++)
        if (o != i && strcmp(d->ngsi[o].type, e->type) == 0)
            t->number = i + 1;
    if (e->fixed_json != NULL)
        return render_fixed(d, e, t);
    return 0;
}

/* Finds the columns every row needs; MUE_EINVAL when the rows lack one. */
static int prepare_columns(struct job *j, const char *key)
{
    const PGresult *r = j->res;

    j->c_key = out_find_col(r, key, strlen(key));
    j->c_name = out_find_col(r, "name", 4);
    j->c_lat = out_find_col(r, "latitude", 8);
    j->c_lon = out_find_col(r, "longitude", 9);
    j->c_start = out_find_col(r, "period_start", 12);
    j->c_end = out_find_col(r, "period_end", 10);
    j->c_seen = out_find_col(r, "last_seen", 9);
    if (j->c_key < 0 || j->c_lat < 0 || j->c_lon < 0 ||
        (j->periodic && (j->c_start < 0 || j->c_end < 0))) {
        mue_log_error("ngsild.columns_missing", "dataset=%s key=%s", j->d->id, key);
        return MUE_EINVAL;
    }
    return 0;
}

static bool row_position(const struct job *j, int row, double *lat, double *lon)
{
    return out_parse_number(out_cell(j->res, row, j->c_lat), lat) &&
           out_parse_number(out_cell(j->res, row, j->c_lon), lon) && *lat >= -90 && *lat <= 90 &&
           *lon >= -180 && *lon <= 180;
}

int out_ngsild_write(FILE *f, const struct dataset *d, const char *key, const PGresult *res,
                     const char *own_context_url, long *skipped)
{
    struct job j = { .d = d, .res = res, .own_context = own_context_url };
    long no_position = 0, bad_period = 0, incomplete = 0;
    int written = 0, rc;

    j.periodic = d->period != DS_SNAPSHOT;
    j.tpls = mue_xcalloc((size_t)(d->nngsi > 0 ? d->nngsi : 1), sizeof(*j.tpls));
    rc = prepare_columns(&j, key);
    for (int i = 0; rc == 0 && i < d->nngsi; i++)
        rc = prepare_tpl(&j, i);
    if (rc < 0)
        goto out;

    fputs(OUT_JSON_OPEN "\n", f);
    for (int row = 0; row < PQntuples(res); row++) {
        double lat, lon;
        time_t start = 0, end = 0;

        if (!row_position(&j, row, &lat, &lon)) {
            no_position++;
            continue;
        }
        if (j.periodic && (!out_isotime_parse(out_cell(res, row, j.c_start), &start) ||
                           !out_isotime_parse(out_cell(res, row, j.c_end), &end) || end <= start)) {
            bad_period++;
            continue;
        }
        for (int i = 0; i < d->nngsi; i++) {
            if (!when_holds(&j, &j.tpls[i], row) || !tpl_has_value(&j, &j.tpls[i], row))
                continue;
            if (!tpl_has_required(&j, &j.tpls[i], row)) {
                incomplete++;
                continue;
            }
            if (written++ > 0)
                fputs(",\n", f);
            write_entity(f, &j, &j.tpls[i], row, lat, lon, start, end);
        }
    }
    if (written > 0)
        fputc('\n', f);
    fputs(OUT_JSON_CLOSE "\n", f);
    if (no_position + bad_period + incomplete > 0)
        mue_log_warn("ngsild.rows_skipped",
                     "dataset=%s no_position=%ld bad_period=%ld incomplete_entities=%ld", d->id,
                     no_position, bad_period, incomplete);
    if (skipped != NULL)
        *skipped += no_position + bad_period + incomplete;
    rc = (fflush(f) != 0 || ferror(f)) ? -(errno ? errno : EIO) : written;
out:
    for (int i = 0; i < d->nngsi; i++) {
        free(j.tpls[i].cols);
        free(j.tpls[i].fixed);
        json_decref(j.tpls[i].fixed_obj);
    }
    free(j.tpls);
    return rc;
}

int out_ngsild_write_context(FILE *f, const struct ds_catalog *c, const char *vocab_url)
{
    const char **seen = NULL;
    int n = 0, cap = 0;

    fputs("{\"@context\":{", f);
    for (int i = 0; i < c->nds; i++)
        for (int e = 0; e < c->ds[i].nngsi; e++)
            for (int a = 0; a < c->ds[i].ngsi[e].nattrs; a++) {
                const struct ds_ngsi_attr *at = &c->ds[i].ngsi[e].attrs[a];
                bool dup = false;
                struct mue_buf iri;

                for (int s = 0; s < n && !dup; s++)
                    dup = strcmp(seen[s], at->attribute) == 0;
                if (!at->custom || dup)
                    continue;
                if (n == cap) {
                    cap = cap ? cap * 2 : 16;
                    seen = mue_xrealloc(seen, (size_t)cap * sizeof(*seen));
                }
                seen[n] = at->attribute;
                fputs(n++ ? ",\n" : "\n", f);
                out_json_string(f, at->attribute);
                fputc(':', f);
                mue_buf_init(&iri, 0);
                mue_buf_printf(&iri, "%s#%s", vocab_url, at->attribute);
                out_json_string(f, iri.data);
                mue_buf_fini(&iri);
            }
    fputs("\n}}\n", f);
    free(seen);
    return (fflush(f) != 0 || ferror(f)) ? -(errno ? errno : EIO) : n;
}
