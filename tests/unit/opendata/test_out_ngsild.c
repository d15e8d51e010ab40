/* test_out_ngsild.c - NGSI-LD entities from hand-made rows: ids, contexts, attribute kinds
 * (numbers, mapped text, relationships), periods, skipped rows and the array-file layout.
 * SPDX-License-Identifier: MIT */
#include <jansson.h>
#include <stdbool.h>
#include <string.h>

#include "mue_err.h"
#include "out_ngsild.h"
#include "pg_rows.h"
#include "../mue_test.h"

#define ENV_CONTEXT                                                                                \
    "https://raw.githubusercontent.com/smart-data-models/dataModel.Environment/master/"            \
    "context.jsonld"
/* The definitions hold char *: literals go in through a cast (-Wwrite-strings). */
#define S(text)     ((char *)(text))
#define OWN_CONTEXT "https://example.org/opendata/context.jsonld"

static const char *const noise_cols[] = { "period_start", "period_end",    "site_id",
                                          "name",         "commune_insee", "latitude",
                                          "longitude",    "laeq",          "lden" };

/* A noise site day: LAeq from the vocabulary, Lden ours. */
static struct ds_ngsi_attr noise_attrs[] = {
    { .column = S("laeq"), .attribute = S("LAeq"), .scale = 1 },
    { .column = S("lden"), .attribute = S("Lden"), .scale = 1, .custom = true },
};
static struct ds_ngsi_entity noise_tpl[] = {
    { .type = S("NoiseLevelObserved"), .attrs = noise_attrs, .nattrs = 2 },
};
static const struct dataset noise_ds = {
    .id = S("bruit-jour"), .period = DS_DAY, .ngsi = noise_tpl, .nngsi = 1
};

/* Writes and parses: the text must be one JSON array. */
static json_t *write_and_parse(const struct dataset *d, const char *key, PGresult *res,
                               const char *own, long *skipped, int *written, char **text)
{
    struct pg_mem m;
    json_error_t err;
    json_t *arr;

    pg_mem_open(&m);
    *written = out_ngsild_write(m.f, d, key, res, own, skipped);
    pg_mem_text(&m);
    *text = m.text;
    arr = json_loads(m.text, 0, &err);
    if (!json_is_array(arr)) {
        fprintf(stderr, "  not a JSON array (%s): %s\n", err.text, m.text);
        MUE_ASSERT(json_is_array(arr));
    }
    return arr;
}

/* Line by line: "[", items each ending with "," but the last, "]", then a newline. */
static void assert_array_layout(const char *text, int items)
{
    const char *p = text;
    int line = 0;

    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len;
        MUE_ASSERT(nl != NULL);
        len = (size_t)(nl - p);
        if (line == 0) {
            MUE_ASSERT(len == 1 && p[0] == '[');
        } else if (line == items + 1) {
            MUE_ASSERT(len == 1 && p[0] == ']');
        } else {
            MUE_ASSERT(len > 2 && p[0] == '{');
            MUE_ASSERT_INT_EQ(p[len - 1] == ',', line < items);
        }
        line++;
        p = nl + 1;
    }
    MUE_ASSERT_INT_EQ(line, items + 2);
}

static const char *str_at(json_t *o, const char *path1, const char *path2)
{
    json_t *v = json_object_get(o, path1);
    if (path2 != NULL)
        v = json_object_get(v, path2);
    return json_string_value(v);
}

static void test_a_periodic_row_becomes_one_noise_entity(void)
{
    const char *const cells[] = {
        "2026-11-28T23:00:00Z",
        "2026-11-29T23:00:00Z",
        "site-1",
        "Cours Mirabeau",
        "13001",
        "43.5263",
        "5.4454",
        "61.5",
        "67.25",
        /* no position: skipped and counted */
        "2026-11-28T23:00:00Z",
        "2026-11-29T23:00:00Z",
        "site-2",
        "Sans lieu",
        NULL,
        NULL,
        NULL,
        "60",
        "66",
        /* no value at all: no entity, not counted */
        "2026-11-28T23:00:00Z",
        "2026-11-29T23:00:00Z",
        "site-3",
        "Muet",
        "13001",
        "43.3",
        "5.4",
        NULL,
        NULL,
    };
    PGresult *res = pg_rows(noise_cols, 9, cells, 3);
    long skipped = 0;
    int written;
    char *text;
    json_t *arr =
        write_and_parse(&noise_ds, "site_id", res, OWN_CONTEXT, &skipped, &written, &text);
    json_t *e = json_array_get(arr, 0), *ctx, *coords;

    MUE_ASSERT_INT_EQ(written, 1);
    MUE_ASSERT_INT_EQ(skipped, 1);
    MUE_ASSERT_INT_EQ(json_array_size(arr), 1);
    assert_array_layout(text, 1);
    MUE_ASSERT_STR_EQ(str_at(e, "id", NULL),
                      "urn:ngsi-ld:NoiseLevelObserved:bruit-jour:site-1:20261128T230000Z");
    MUE_ASSERT_STR_EQ(str_at(e, "type", NULL), "NoiseLevelObserved");
    MUE_ASSERT_STR_EQ(str_at(e, "LAeq", "type"), "Property");
    MUE_ASSERT_DBL_NEAR(json_real_value(json_object_get(json_object_get(e, "LAeq"), "value")), 61.5,
                        0);
    MUE_ASSERT_DBL_NEAR(json_real_value(json_object_get(json_object_get(e, "Lden"), "value")),
                        67.25, 0);
    MUE_ASSERT_STR_EQ(str_at(e, "name", "value"), "Cours Mirabeau");
    MUE_ASSERT_STR_EQ(str_at(e, "location", "type"), "GeoProperty");
    coords =
        json_object_get(json_object_get(json_object_get(e, "location"), "value"), "coordinates");
    MUE_ASSERT_INT_EQ(json_array_size(coords), 2);
    MUE_ASSERT_DBL_NEAR(json_number_value(json_array_get(coords, 0)), 5.4454, 0);
    MUE_ASSERT_DBL_NEAR(json_number_value(json_array_get(coords, 1)), 43.5263, 0);
    MUE_ASSERT_STR_EQ(str_at(json_object_get(e, "dateObservedFrom"), "value", "@type"), "DateTime");
    MUE_ASSERT_STR_EQ(str_at(json_object_get(e, "dateObservedFrom"), "value", "@value"),
                      "2026-11-28T23:00:00Z");
    MUE_ASSERT_STR_EQ(str_at(json_object_get(e, "dateObservedTo"), "value", "@value"),
                      "2026-11-29T23:00:00Z");
    MUE_ASSERT_STR_EQ(str_at(e, "dateObserved", "value"),
                      "2026-11-28T23:00:00Z/2026-11-29T23:00:00Z");
    ctx = json_object_get(e, "@context");
    MUE_ASSERT_INT_EQ(json_array_size(ctx), 3);
    MUE_ASSERT_STR_EQ(json_string_value(json_array_get(ctx, 0)), OUT_NGSILD_CORE_CONTEXT);
    MUE_ASSERT_STR_EQ(json_string_value(json_array_get(ctx, 1)), ENV_CONTEXT);
    MUE_ASSERT_STR_EQ(json_string_value(json_array_get(ctx, 2)), OWN_CONTEXT);
    json_decref(arr);
    free(text);
    PQclear(res);
}

static void test_no_own_context_without_custom_attributes_or_url(void)
{
    const char *const cells[] = {
        "2026-11-28T23:00:00Z", "2026-11-29T23:00:00Z", "s", "n", NULL, "43.5", "5.4", "61", NULL
    };
    PGresult *res = pg_rows(noise_cols, 9, cells, 1);
    int written;
    char *text;
    json_t *arr = write_and_parse(&noise_ds, "site_id", res, NULL, NULL, &written, &text);

    MUE_ASSERT_INT_EQ(written, 1);
    MUE_ASSERT_INT_EQ(json_array_size(json_object_get(json_array_get(arr, 0), "@context")), 2);
    /* Lden has no value in this row: no attribute, rather than a null. */
    MUE_ASSERT(json_object_get(json_array_get(arr, 0), "Lden") == NULL);
    json_decref(arr);
    free(text);
    PQclear(res);
}

static void test_an_empty_result_is_the_opening_and_closing_lines(void)
{
    PGresult *res = pg_rows(noise_cols, 9, NULL, 0);
    struct pg_mem m;
    long skipped = 0;

    pg_mem_open(&m);
    MUE_ASSERT_INT_EQ(out_ngsild_write(m.f, &noise_ds, "site_id", res, NULL, &skipped), 0);
    MUE_ASSERT_STR_EQ(pg_mem_text(&m), "[\n]\n");
    MUE_ASSERT_INT_EQ(skipped, 0);
    pg_mem_free(&m);
    PQclear(res);
}

static void test_a_row_with_an_unreadable_period_is_skipped(void)
{
    const char *const cells[] = {
        "yesterday", "2026-11-29T23:00:00Z", "s", "n", NULL, "43.5", "5.4", "61", NULL
    };
    PGresult *res = pg_rows(noise_cols, 9, cells, 1);
    long skipped = 0;
    int written;
    char *text;
    json_t *arr = write_and_parse(&noise_ds, "site_id", res, NULL, &skipped, &written, &text);

    MUE_ASSERT_INT_EQ(written, 0);
    MUE_ASSERT_INT_EQ(skipped, 1);
    json_decref(arr);
    free(text);
    PQclear(res);
}

static void test_rows_without_the_key_column_are_refused(void)
{
    PGresult *res = pg_rows(noise_cols, 9, NULL, 0);
    struct pg_mem m;

    pg_mem_open(&m);
    MUE_ASSERT_INT_EQ(out_ngsild_write(m.f, &noise_ds, "device_eui", res, NULL, NULL), MUE_EINVAL);
    pg_mem_free(&m);
    PQclear(res);
}

/* Streetlights as a snapshot: status mapped from a float column's text, a level scaled from %,
 * a relationship to one or several groups, dateModified from last_seen. */
static const char *const light_cols[] = { "device_eui", "name",         "commune_insee",
                                          "latitude",   "longitude",    "last_seen",
                                          "groups",     "lamp_failure", "dim_level" };
static char *status_from[] = { S("0"), S("1.0") };
static char *status_to[] = { S("ok"), S("defectiveLamp") };
static struct ds_ngsi_attr light_attrs[] = {
    { .column = S("lamp_failure"),
      .attribute = S("status"),
      .scale = 1,
      .map_from = status_from,
      .map_to = status_to,
      .nmap = 2 },
    { .column = S("dim_level"), .attribute = S("illuminanceLevel"), .scale = 0.01 },
    { .column = S("groups"),
      .attribute = S("refStreetlightGroup"),
      .scale = 1,
      .relationship = S("StreetlightGroup") },
};
static struct ds_ngsi_entity light_tpl[] = {
    { .type = S("Streetlight"), .attrs = light_attrs, .nattrs = 3 },
};
static const struct dataset light_ds = {
    .id = S("eclairage"), .period = DS_SNAPSHOT, .ngsi = light_tpl, .nngsi = 1
};

static void test_snapshot_maps_scales_and_relates(void)
{
    const char *const cells[] = {
        "a840410001818540",
        "Lampadaire 1",
        "13001",
        "43.29",
        "5.37",
        "2026-11-28 14:05:09.5+00",
        "grp-nord",
        "1",
        "57",
        "a840410001818541",
        "Lampadaire 2",
        "13001",
        "43.3",
        "5.38",
        NULL,
        "grp-nord, grp sud",
        "0",
        "33",
    };
    PGresult *res = pg_rows(light_cols, 9, cells, 2);
    int written;
    char *text;
    json_t *arr = write_and_parse(&light_ds, "device_eui", res, OWN_CONTEXT, NULL, &written, &text);
    json_t *a = json_array_get(arr, 0), *b = json_array_get(arr, 1), *objs;

    MUE_ASSERT_INT_EQ(written, 2);
    assert_array_layout(text, 2);
    MUE_ASSERT_STR_EQ(str_at(a, "id", NULL), "urn:ngsi-ld:Streetlight:a840410001818540");
    /* "1" from libpq matches the definition's "1.0". */
    MUE_ASSERT_STR_EQ(str_at(a, "status", "value"), "defectiveLamp");
    MUE_ASSERT_STR_EQ(str_at(b, "status", "value"), "ok");
    /* 57 % -> 0.57, not 57 × 0.01 = 0.5700000000000001. */
    MUE_ASSERT(strstr(text, "\"illuminanceLevel\":{\"type\":\"Property\",\"value\":0.57}") != NULL);
    MUE_ASSERT(strstr(text, "\"value\":0.33}") != NULL);
    MUE_ASSERT_STR_EQ(str_at(a, "refStreetlightGroup", "type"), "Relationship");
    MUE_ASSERT_STR_EQ(str_at(a, "refStreetlightGroup", "object"),
                      "urn:ngsi-ld:StreetlightGroup:grp-nord");
    objs = json_object_get(json_object_get(b, "refStreetlightGroup"), "object");
    MUE_ASSERT_INT_EQ(json_array_size(objs), 2);
    MUE_ASSERT_STR_EQ(json_string_value(json_array_get(objs, 1)),
                      "urn:ngsi-ld:StreetlightGroup:grp%20sud");
    MUE_ASSERT_STR_EQ(str_at(json_object_get(a, "dateModified"), "value", "@value"),
                      "2026-11-28T14:05:09Z");
    MUE_ASSERT(json_object_get(b, "dateModified") == NULL);
    MUE_ASSERT(json_object_get(a, "dateObservedFrom") == NULL);
    /* No custom attribute: no own context even with its URL given. */
    MUE_ASSERT_INT_EQ(json_array_size(json_object_get(a, "@context")), 2);
    json_decref(arr);
    free(text);
    PQclear(res);
}

static void test_an_unknown_mapped_text_gives_no_attribute(void)
{
    const char *const cells[] = { "e1", "L", NULL, "43.29", "5.37", NULL, NULL, "7", NULL };
    PGresult *res = pg_rows(light_cols, 9, cells, 1);
    long skipped = 0;
    int written;
    char *text;
    json_t *arr = write_and_parse(&light_ds, "device_eui", res, NULL, &skipped, &written, &text);

    /* status 7 maps to nothing and the other attributes are empty: no entity, nothing amiss. */
    MUE_ASSERT_INT_EQ(written, 0);
    MUE_ASSERT_INT_EQ(skipped, 0);
    json_decref(arr);
    free(text);
    PQclear(res);
}

static void test_a_streetlight_without_status_is_left_out(void)
{
    const char *const cells[] = { "e1", "L", NULL, "43.29", "5.37", NULL, "grp-nord", NULL, "40" };
    PGresult *res = pg_rows(light_cols, 9, cells, 1);
    long skipped = 0;
    int written;
    char *text;
    json_t *arr = write_and_parse(&light_ds, "device_eui", res, NULL, &skipped, &written, &text);

    /* Values, but not the status the model requires: not a Streetlight, counted. */
    MUE_ASSERT_INT_EQ(written, 0);
    MUE_ASSERT_INT_EQ(skipped, 1);
    json_decref(arr);
    free(text);
    PQclear(res);
}

/* Counters: one TrafficFlowObserved per direction for bikes, CrowdFlowObserved for walkers. */
static const char *const count_cols[] = { "period_start",  "period_end",    "device_eui", "name",
                                          "commune_insee", "latitude",      "longitude",  "counts",
                                          "bike_count_in", "bike_count_out" };
static struct ds_ngsi_attr bike_in[] = {
    { .column = S("bike_count_in"), .attribute = S("intensity"), .scale = 1 }
};
static struct ds_ngsi_attr bike_out[] = {
    { .column = S("bike_count_out"), .attribute = S("intensity"), .scale = 1 }
};
static struct ds_ngsi_attr walk_in[] = {
    { .column = S("bike_count_in"), .attribute = S("peopleCount"), .scale = 1 }
};
static struct ds_ngsi_entity count_tpl[] = {
    { .type = S("TrafficFlowObserved"),
      .when = S("counts=bike"),
      .attrs = bike_in,
      .nattrs = 1,
      .fixed_json = S("{\"vehicleType\":\"bicycle\",\"laneDirection\":\"forward\"}") },
    { .type = S("TrafficFlowObserved"),
      .when = S("counts=bike"),
      .attrs = bike_out,
      .nattrs = 1,
      .fixed_json = S("{\"vehicleType\":\"bicycle\",\"laneDirection\":\"backward\"}") },
    { .type = S("CrowdFlowObserved"),
      .when = S("counts=pedestrian"),
      .attrs = walk_in,
      .nattrs = 1 },
};
static const struct dataset count_ds = {
    .id = S("comptages-velo"), .period = DS_HOUR, .ngsi = count_tpl, .nngsi = 3
};

static void test_templates_follow_when_and_share_a_type_apart(void)
{
    const char *const cells[] = {
        "2026-11-28T14:00:00Z",
        "2026-11-28T15:00:00Z",
        "c1",
        "Compteur",
        NULL,
        "43.5",
        "5.4",
        "bike",
        "12",
        "0",
        "2026-11-28T14:00:00Z",
        "2026-11-28T15:00:00Z",
        "c2",
        "Piétons",
        NULL,
        "43.5",
        "5.4",
        "pedestrian",
        "40",
        NULL,
    };
    PGresult *res = pg_rows(count_cols, 10, cells, 2);
    int written;
    char *text;
    json_t *arr = write_and_parse(&count_ds, "device_eui", res, NULL, NULL, &written, &text);
    json_t *in = json_array_get(arr, 0), *out = json_array_get(arr, 1),
           *walk = json_array_get(arr, 2);

    MUE_ASSERT_INT_EQ(written, 3);
    MUE_ASSERT_STR_EQ(str_at(in, "id", NULL),
                      "urn:ngsi-ld:TrafficFlowObserved:comptages-velo:c1:20261128T140000Z:1");
    MUE_ASSERT_STR_EQ(str_at(out, "id", NULL),
                      "urn:ngsi-ld:TrafficFlowObserved:comptages-velo:c1:20261128T140000Z:2");
    MUE_ASSERT_STR_EQ(str_at(in, "laneDirection", "value"), "forward");
    MUE_ASSERT_STR_EQ(str_at(out, "laneDirection", "value"), "backward");
    MUE_ASSERT_STR_EQ(str_at(out, "vehicleType", "type"), "Property");
    /* A count of 0 is a value. */
    MUE_ASSERT_INT_EQ(
        json_integer_value(json_object_get(json_object_get(out, "intensity"), "value")), 0);
    MUE_ASSERT_STR_EQ(str_at(walk, "id", NULL),
                      "urn:ngsi-ld:CrowdFlowObserved:comptages-velo:c2:20261128T140000Z");
    MUE_ASSERT_INT_EQ(
        json_integer_value(json_object_get(json_object_get(walk, "peopleCount"), "value")), 40);
    MUE_ASSERT_STR_EQ(str_at(walk, "dateObserved", "value"),
                      "2026-11-28T14:00:00Z/2026-11-28T15:00:00Z");
    MUE_ASSERT_STR_EQ(json_string_value(json_array_get(json_object_get(walk, "@context"), 1)),
                      "https://raw.githubusercontent.com/smart-data-models/"
                      "dataModel.Transportation/master/context.jsonld");
    json_decref(arr);
    free(text);
    PQclear(res);
}

static void test_water_models_observe_the_end_of_the_period(void)
{
    static const char *const cols[] = {
        "period_start",  "period_end", "device_eui", "name",
        "commune_insee", "latitude",   "longitude",  "temperature"
    };
    static struct ds_ngsi_attr attrs[] = {
        { .column = S("temperature"), .attribute = S("temperature"), .scale = 1 }
    };
    static struct ds_ngsi_entity tpl[] = {
        { .type = S("WaterQualityObserved"), .attrs = attrs, .nattrs = 1 }
    };
    const struct dataset ds = { .id = S("eau"), .period = DS_15MIN, .ngsi = tpl, .nngsi = 1 };
    const char *const cells[] = { "2026-11-28T14:00:00Z",
                                  "2026-11-28T14:15:00Z",
                                  "w1",
                                  "Port",
                                  NULL,
                                  "43.29",
                                  "5.36",
                                  "-1.5e-1" };
    PGresult *res = pg_rows(cols, 8, cells, 1);
    int written;
    char *text;
    json_t *arr = write_and_parse(&ds, "device_eui", res, NULL, NULL, &written, &text);
    json_t *e = json_array_get(arr, 0);

    MUE_ASSERT_INT_EQ(written, 1);
    MUE_ASSERT_STR_EQ(str_at(json_object_get(e, "dateObserved"), "value", "@type"), "DateTime");
    MUE_ASSERT_STR_EQ(str_at(json_object_get(e, "dateObserved"), "value", "@value"),
                      "2026-11-28T14:15:00Z");
    MUE_ASSERT(strstr(text, "\"value\":-0.15}") != NULL);
    json_decref(arr);
    free(text);
    PQclear(res);
}

static void test_a_fixed_json_that_is_no_object_is_refused(void)
{
    static struct ds_ngsi_entity tpl[] = { { .type = S("NoiseLevelObserved"),
                                             .attrs = noise_attrs,
                                             .nattrs = 2,
                                             .fixed_json = S("[1,2]") } };
    static struct ds_ngsi_entity reserved[] = { { .type = S("NoiseLevelObserved"),
                                                  .attrs = noise_attrs,
                                                  .nattrs = 2,
                                                  .fixed_json = S("{\"location\":1}") } };
    struct dataset ds = noise_ds;
    PGresult *res = pg_rows(noise_cols, 9, NULL, 0);
    struct pg_mem m;

    ds.ngsi = tpl;
    pg_mem_open(&m);
    MUE_ASSERT_INT_EQ(out_ngsild_write(m.f, &ds, "site_id", res, NULL, NULL), MUE_EINVAL);
    ds.ngsi = reserved;
    MUE_ASSERT_INT_EQ(out_ngsild_write(m.f, &ds, "site_id", res, NULL, NULL), MUE_EINVAL);
    MUE_ASSERT_STR_EQ(pg_mem_text(&m), "");
    pg_mem_free(&m);
    PQclear(res);
}

static void test_a_full_disk_is_reported(void)
{
    const char *const cells[] = {
        "2026-11-28T23:00:00Z", "2026-11-29T23:00:00Z", "s", "n", NULL, "43.5", "5.4", "61", NULL
    };
    PGresult *res = pg_rows(noise_cols, 9, cells, 1);
    FILE *f = fopen("/dev/full", "w");

    if (f == NULL) { /* no /dev/full here: nothing to test */
        PQclear(res);
        return;
    }
    MUE_ASSERT_INT_EQ(out_ngsild_write(f, &noise_ds, "site_id", res, NULL, NULL), -ENOSPC);
    fclose(f);
    PQclear(res);
}

static void test_the_context_names_each_custom_attribute_once(void)
{
    static struct ds_ngsi_attr more[] = {
        { .column = S("l10"), .attribute = S("L10"), .scale = 1, .custom = true },
        { .column = S("lden"), .attribute = S("Lden"), .scale = 1, .custom = true },
        { .column = S("laeq"), .attribute = S("LAeq"), .scale = 1 },
    };
    static struct ds_ngsi_entity tpl[] = {
        { .type = S("NoiseLevelObserved"), .attrs = more, .nattrs = 3 }
    };
    struct dataset ds[2] = { noise_ds, noise_ds };
    struct ds_catalog c = { .ds = ds, .nds = 2 };
    struct pg_mem m;
    json_error_t err;
    json_t *doc, *ctx;

    ds[1].ngsi = tpl;
    pg_mem_open(&m);
    MUE_ASSERT_INT_EQ(out_ngsild_write_context(m.f, &c, "https://example.org/vocab"), 2);
    doc = json_loads(pg_mem_text(&m), 0, &err);
    ctx = json_object_get(doc, "@context");
    MUE_ASSERT_INT_EQ(json_object_size(ctx), 2);
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(ctx, "Lden")),
                      "https://example.org/vocab#Lden");
    MUE_ASSERT_STR_EQ(json_string_value(json_object_get(ctx, "L10")),
                      "https://example.org/vocab#L10");
    json_decref(doc);
    pg_mem_free(&m);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_a_periodic_row_becomes_one_noise_entity),
        MUE_TEST(test_no_own_context_without_custom_attributes_or_url),
        MUE_TEST(test_an_empty_result_is_the_opening_and_closing_lines),
        MUE_TEST(test_a_row_with_an_unreadable_period_is_skipped),
        MUE_TEST(test_rows_without_the_key_column_are_refused),
        MUE_TEST(test_snapshot_maps_scales_and_relates),
        MUE_TEST(test_an_unknown_mapped_text_gives_no_attribute),
        MUE_TEST(test_a_streetlight_without_status_is_left_out),
        MUE_TEST(test_templates_follow_when_and_share_a_type_apart),
        MUE_TEST(test_water_models_observe_the_end_of_the_period),
        MUE_TEST(test_a_fixed_json_that_is_no_object_is_refused),
        MUE_TEST(test_a_full_disk_is_reported),
        MUE_TEST(test_the_context_names_each_custom_attribute_once),
    };
    return mue_test_run("out_ngsild", tests);
}
