/* test_dataset.c - the dataset definition file: the real one loads as written, with its defaults,
 * and each kind of bad definition is refused naming the dataset and the field.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dataset.h"
#include "mue_err.h"
#include "../mue_test.h"

#define DATASETS "deploy/opendata/datasets.json"

static char tmp[64];   /* the test's own folder */
static char file[128]; /* the definition file written there */

/* Test definitions are written with ' for " so that they read as JSON; no test text needs a '. */
static void write_file(const char *text)
{
    FILE *f = fopen(file, "w");

    MUE_ASSERT(f != NULL);
    for (const char *p = text; *p; p++)
        fputc(*p == '\'' ? '"' : *p, f);
    MUE_ASSERT(fclose(f) == 0);
}

/* A catalogue around 'datasets' (the text inside the array), with 'bbox' and two licences. */
static void write_catalog(const char *bbox, const char *datasets)
{
    char text[8192];

    snprintf(text, sizeof(text),
             "{'title':'Catalogue','description':'Des mesures','publisher':'Metropole',"
             "'publisher_url':'https://example.org','contact_email':'od@example.org',"
             "'spatial_name':'Metropole','bbox':%s,"
             "'licences':{'lov2':{'title':'Licence Ouverte','url':'https://lo.example'},"
             "'odbl':{'title':'ODbL','url':'https://odbl.example','ckan_id':'odc-odbl'}},"
             "'datasets':[%s]}",
             bbox, datasets);
    write_file(text);
}

#define BBOX "[4.7, 43.1, 5.8, 43.7]"

/* The fields a dataset needs besides the ones a test changes. */
#define TEXTS "'title':'T','description':'D','frequency':'daily'"
/* A good periodic dataset of the noise source. */
#define NOISE_DAY                                                                                  \
    "{'id':'bruit-jour'," TEXTS ",'use_case':'noise','source':'noise_site_day','period':'day',"    \
    "'columns':[{'name':'lden','unit':'dB(A)'}],'formats':['csv']}"

/* Loads what write_catalog wrote, expecting MUE_EINVAL with exactly 'why' and a zeroed result. */
static void expect_refused(const char *why)
{
    struct ds_catalog c;
    char err[256] = "";

    memset(&c, 0x5a, sizeof(c));
    MUE_ASSERT_INT_EQ(ds_catalog_load(&c, file, err, sizeof(err)), MUE_EINVAL);
    MUE_ASSERT_STR_EQ(err, why);
    MUE_ASSERT_INT_EQ(c.nds, 0);
    MUE_ASSERT(c.ds == NULL && c.licences == NULL && c.title == NULL);
}

static const struct dataset *find(const struct ds_catalog *c, const char *id)
{
    const struct dataset *d = ds_find(c, id);

    if (d == NULL) {
        char m[128];
        snprintf(m, sizeof(m), "no dataset %s", id);
        mue_test_fail(__FILE__, __LINE__, m);
    }
    return d;
}

static const struct ds_ngsi_attr *attr(const struct ds_ngsi_entity *e, const char *name)
{
    for (int i = 0; i < e->nattrs; i++)
        if (strcmp(e->attrs[i].attribute, name) == 0)
            return &e->attrs[i];
    mue_test_fail(__FILE__, __LINE__, name);
    return NULL;
}

static void test_the_real_file_loads_its_nine_datasets(void)
{
    struct ds_catalog c;
    char err[256] = "";
    int restricted = 0;

    MUE_ASSERT_INT_EQ(ds_catalog_load(&c, DATASETS, err, sizeof(err)), 0);
    MUE_ASSERT_STR_EQ(err, "");
    MUE_ASSERT_INT_EQ(c.nds, 9);
    MUE_ASSERT_STR_EQ(c.publisher, "Métropole Aix-Marseille-Provence");
    MUE_ASSERT_STR_EQ(c.spatial_uri, "https://geo.api.gouv.fr/epcis/200054807");
    MUE_ASSERT_DBL_NEAR(c.bbox[0], 4.73375, 1e-9);
    MUE_ASSERT_DBL_NEAR(c.bbox[3], 43.77211, 1e-9);
    MUE_ASSERT_INT_EQ(c.nlicences, 3);
    MUE_ASSERT_STR_EQ(ds_licence_find(&c, "odbl")->ckan_id, "odc-odbl");
    MUE_ASSERT_STR_EQ(ds_licence_find(&c, "cc-by-4.0")->ckan_id, "cc-by");
    MUE_ASSERT(ds_licence_find(&c, "proprietary") == NULL);
    for (int i = 0; i < c.nds; i++) {
        restricted += c.ds[i].restricted;
        /* No dataset names a licence: every one gets the default. */
        MUE_ASSERT_STR_EQ(c.ds[i].licence, "lov2");
    }
    MUE_ASSERT_INT_EQ(restricted, 1);
    MUE_ASSERT(find(&c, "equipements-etat")->restricted);
    MUE_ASSERT(!find(&c, "capteurs")->restricted);
    MUE_ASSERT(ds_find(&c, "nope") == NULL);
    ds_catalog_fini(&c);
    MUE_ASSERT_INT_EQ(c.nds, 0);
}

static void test_the_real_file_keeps_formats_periods_and_columns_as_written(void)
{
    struct ds_catalog c;
    char err[256];
    const struct dataset *d;

    MUE_ASSERT_INT_EQ(ds_catalog_load(&c, DATASETS, err, sizeof(err)), 0);
    d = find(&c, "bruit-indicateurs-jour");
    MUE_ASSERT_INT_EQ(d->formats, DS_CSV | DS_GEOJSON | DS_JSON | DS_NGSILD);
    MUE_ASSERT_INT_EQ(d->period, DS_DAY);
    MUE_ASSERT_STR_EQ(d->source, "noise_site_day");
    MUE_ASSERT_STR_EQ(d->aggregation, "energetic_mean");
    MUE_ASSERT_INT_EQ(d->delay_s, 28800);
    MUE_ASSERT_INT_EQ(d->revise_s, 172800);
    MUE_ASSERT_INT_EQ(d->nkeywords, 5);
    MUE_ASSERT_STR_EQ(d->keywords[3], "directive 2002/49/CE");
    MUE_ASSERT_INT_EQ(d->ncolumns, 4);
    MUE_ASSERT_STR_EQ(d->columns[3].name, "lden");
    MUE_ASSERT_STR_EQ(d->columns[3].quantity, "lden"); /* no quantity: the name */
    MUE_ASSERT_STR_EQ(d->columns[3].unit, "dB(A)");
    d = find(&c, "comptages-velos-pietons-heure");
    MUE_ASSERT_INT_EQ(d->formats, DS_CSV | DS_GEOJSON | DS_JSON | DS_NGSILD | DS_COUNTING);
    MUE_ASSERT_INT_EQ(d->period, DS_HOUR);
    MUE_ASSERT_STR_EQ(d->theme, "TRAN");
    d = find(&c, "rivieres-hauteur-15min");
    MUE_ASSERT_INT_EQ(d->period, DS_15MIN);
    MUE_ASSERT_INT_EQ(d->history_days, 14);
    d = find(&c, "equipements-etat");
    MUE_ASSERT_INT_EQ(d->formats, DS_CSV | DS_JSON);
    MUE_ASSERT_INT_EQ(d->period, DS_SNAPSHOT);
    MUE_ASSERT(d->use_case == NULL);
    MUE_ASSERT_STR_EQ(d->columns[1].name, "rssi");
    ds_catalog_fini(&c);
}

static void test_the_real_file_gets_the_defaults(void)
{
    struct ds_catalog c;
    char err[256];
    const struct dataset *d;

    MUE_ASSERT_INT_EQ(ds_catalog_load(&c, DATASETS, err, sizeof(err)), 0);
    d = find(&c, "capteurs"); /* no delay_s, revise_s, history_days; every_s given */
    MUE_ASSERT_INT_EQ(d->delay_s, 900);
    MUE_ASSERT_INT_EQ(d->revise_s, 86400);
    MUE_ASSERT_INT_EQ(d->history_days, 30);
    MUE_ASSERT_INT_EQ(d->every_s, 3600);
    /* every_s from the frequency when not given. */
    MUE_ASSERT_INT_EQ(find(&c, "dechets-remplissage-heure")->every_s, 3600);
    MUE_ASSERT_INT_EQ(find(&c, "dechets-remplissage-heure")->revise_s, 86400);
    MUE_ASSERT_INT_EQ(find(&c, "rivieres-qualite-15min")->every_s, 900);
    MUE_ASSERT_INT_EQ(find(&c, "bruit-indicateurs-jour")->every_s, 86400);
    MUE_ASSERT_INT_EQ(find(&c, "bruit-indicateurs-jour")->history_days, 30);
    ds_catalog_fini(&c);
}

static void test_the_real_file_keeps_the_ngsi_templates(void)
{
    struct ds_catalog c;
    char err[256];
    const struct dataset *d;
    const struct ds_ngsi_attr *a;

    MUE_ASSERT_INT_EQ(ds_catalog_load(&c, DATASETS, err, sizeof(err)), 0);
    d = find(&c, "bruit-indicateurs-jour");
    MUE_ASSERT_INT_EQ(d->nngsi, 1);
    MUE_ASSERT_STR_EQ(d->ngsi[0].type, "NoiseLevelObserved");
    MUE_ASSERT(d->ngsi[0].when == NULL && d->ngsi[0].fixed_json == NULL);
    MUE_ASSERT_INT_EQ(d->ngsi[0].nattrs, 4);
    a = attr(&d->ngsi[0], "Lden");
    MUE_ASSERT_STR_EQ(a->column, "lden");
    MUE_ASSERT(a->custom);
    MUE_ASSERT_DBL_NEAR(a->scale, 1, 0);

    d = find(&c, "rivieres-qualite-15min");
    a = attr(&d->ngsi[0], "O2"); /* the short form: attribute: column */
    MUE_ASSERT_STR_EQ(a->column, "dissolved_oxygen");
    MUE_ASSERT(!a->custom && a->relationship == NULL && a->nmap == 0);

    d = find(&c, "comptages-velos-pietons-heure");
    MUE_ASSERT_INT_EQ(d->nngsi, 4);
    MUE_ASSERT_STR_EQ(d->ngsi[1].type, "TrafficFlowObserved");
    MUE_ASSERT_STR_EQ(d->ngsi[1].when, "bike_count_out");
    MUE_ASSERT_STR_EQ(d->ngsi[1].fixed_json,
                      "{\"vehicleType\":\"bicycle\",\"laneDirection\":\"backward\"}");
    MUE_ASSERT_STR_EQ(d->ngsi[2].type, "CrowdFlowObserved");
    MUE_ASSERT_STR_EQ(attr(&d->ngsi[2], "peopleCount")->column, "pedestrian_count_in");

    d = find(&c, "capteurs");
    MUE_ASSERT_INT_EQ(d->nngsi, 3);
    MUE_ASSERT_STR_EQ(d->ngsi[0].when, "use_case=waste");
    a = attr(&d->ngsi[0], "fillingLevel");
    MUE_ASSERT_DBL_NEAR(a->scale, 0.01, 1e-12);
    a = attr(&d->ngsi[0], "refDevice");
    MUE_ASSERT_STR_EQ(a->column, "device_eui");
    MUE_ASSERT_STR_EQ(a->relationship, "Device");
    a = attr(&d->ngsi[1], "status");
    MUE_ASSERT_INT_EQ(a->nmap, 2);
    MUE_ASSERT_STR_EQ(a->map_from[1], "1");
    MUE_ASSERT_STR_EQ(a->map_to[1], "defectiveLamp");
    MUE_ASSERT_STR_EQ(d->ngsi[2].fixed_json, "{\"workingMode\":\"automatic\"}");
    MUE_ASSERT(find(&c, "equipements-etat")->nngsi == 0);
    ds_catalog_fini(&c);
}

static void test_a_small_file_gets_every_default(void)
{
    struct ds_catalog c;
    char err[256] = "";
    const struct dataset *d;

    write_catalog(BBOX, "{'id':'capteurs','title':'T','description':'D','source':'devices',"
                        "'frequency':'weekly','columns':[{'name':'battery'}],'formats':['json']}");
    MUE_ASSERT_INT_EQ(ds_catalog_load(&c, file, err, sizeof(err)), 0);
    MUE_ASSERT_STR_EQ(err, "");
    MUE_ASSERT(c.spatial_uri == NULL);
    MUE_ASSERT_STR_EQ(ds_licence_find(&c, "lov2")->ckan_id, "lov2"); /* the key by default */
    d = &c.ds[0];
    MUE_ASSERT_STR_EQ(d->licence, "lov2");
    MUE_ASSERT_STR_EQ(d->aggregation, "none");
    MUE_ASSERT_STR_EQ(d->theme, "ENVI");
    MUE_ASSERT_INT_EQ(d->period, DS_SNAPSHOT);
    MUE_ASSERT_INT_EQ(d->delay_s, 900);
    MUE_ASSERT_INT_EQ(d->revise_s, 86400);
    MUE_ASSERT_INT_EQ(d->history_days, 30);
    MUE_ASSERT_INT_EQ(d->every_s, 7 * 86400);
    MUE_ASSERT(!d->restricted);
    MUE_ASSERT_INT_EQ(d->nkeywords, 0);
    MUE_ASSERT_STR_EQ(d->columns[0].quantity, "battery");
    MUE_ASSERT_STR_EQ(d->columns[0].label, "battery");
    MUE_ASSERT_STR_EQ(d->columns[0].unit, "");
    ds_catalog_fini(&c);
}

static void test_counting_measures_may_have_the_counting_schema(void)
{
    struct ds_catalog c;
    char err[256] = "";

    write_catalog(BBOX, "{'id':'comptages'," TEXTS ",'use_case':'counting','source':'measure',"
                        "'period':'hour','licence':'odbl','access':'open',"
                        "'columns':[{'name':'bike_count_in','quantity':'bike_count_in'}],"
                        "'formats':['csv','schema-comptage']}");
    MUE_ASSERT_INT_EQ(ds_catalog_load(&c, file, err, sizeof(err)), 0);
    MUE_ASSERT_INT_EQ(c.ds[0].formats, DS_CSV | DS_COUNTING);
    MUE_ASSERT_STR_EQ(c.ds[0].licence, "odbl");
    ds_catalog_fini(&c);
}

/* One bad definition and the error it must give. */
struct refusal {
    const char *dataset;
    const char *why;
};

static const struct refusal refusals[] = {
    { "{'id':'Bruit_Jour'," TEXTS ",'source':'devices','columns':[{'name':'a'}],'formats':['csv']}",
      "Bruit_Jour: id: a slug of lowercase letters, digits and hyphens" },
    { "{'id':'-bruit'," TEXTS ",'source':'devices','columns':[{'name':'a'}],'formats':['csv']}",
      "-bruit: id: a slug of lowercase letters, digits and hyphens" },
    { "{'id':'x'," TEXTS ",'source':'radar','period':'hour','columns':[{'name':'a'}],"
      "'formats':['csv']}",
      "x: source: not a known source (docs/opendata.md)" },
    { "{'id':'x'," TEXTS ",'source':'measure','columns':[{'name':'a'}],'formats':['csv']}",
      "x: period: this source is periodic" },
    { "{'id':'x'," TEXTS ",'source':'devices','period':'hour','columns':[{'name':'a'}],"
      "'formats':['csv']}",
      "x: period: this source is a snapshot" },
    { "{'id':'x'," TEXTS ",'source':'measure','period':'week','columns':[{'name':'a'}],"
      "'formats':['csv']}",
      "x: period: snapshot, 15min, hour or day" },
    { "{'id':'x'," TEXTS ",'source':'devices','columns':[{'name':'a'}],'formats':['csv','xlsx']}",
      "x: formats: csv, geojson, json, ngsi-ld or schema-comptage" },
    { "{'id':'x'," TEXTS ",'source':'devices','columns':[{'name':'a'}],'formats':[]}",
      "x: formats: missing or empty" },
    { "{'id':'x'," TEXTS ",'use_case':'noise','source':'measure','period':'hour',"
      "'columns':[{'name':'a'}],'formats':['schema-comptage']}",
      "x: formats: schema-comptage is for the counting use case's measure datasets" },
    { "{'id':'x'," TEXTS ",'use_case':'counting','source':'noise_site_day','period':'day',"
      "'columns':[{'name':'lden'}],'formats':['schema-comptage']}",
      "x: formats: schema-comptage is for the counting use case's measure datasets" },
    { "{'id':'x'," TEXTS ",'source':'devices','columns':[{'name':'a'}],'formats':['ngsi-ld']}",
      "x: ngsi_ld: the ngsi-ld format needs entity templates" },
    { "{'id':'x'," TEXTS ",'source':'devices','columns':[{'name':'a'}],'formats':['ngsi-ld'],"
      "'ngsi_ld':[{'type':'Device','attributes':{'value':'b'}}]}",
      "x: ngsi_ld.attributes: names a column the rows do not have" },
    { "{'id':'x'," TEXTS ",'source':'devices','columns':[{'name':'a'}],'formats':['ngsi-ld'],"
      "'ngsi_ld':[{'type':'Device','attributes':{'value':{'column':'b','scale':2}}}]}",
      "x: ngsi_ld.attributes: names a column the rows do not have" },
    /* group_name is the key of lighting_group_day's rows, not a column of devices rows. */
    { "{'id':'x'," TEXTS ",'source':'devices','columns':[{'name':'a'}],'formats':['ngsi-ld'],"
      "'ngsi_ld':[{'type':'Device','when':'group_name=x','attributes':{'value':'a'}}]}",
      "x: ngsi_ld.when: names a column the rows do not have" },
    { "{'id':'x'," TEXTS ",'source':'devices','columns':[{'name':'a'}],'formats':['ngsi-ld'],"
      "'ngsi_ld':[{'type':'Device','attributes':{}}]}",
      "x: ngsi_ld.attributes: missing or empty" },
    { "{'id':'x'," TEXTS ",'source':'devices','columns':[{'name':'a'}],'formats':['ngsi-ld'],"
      "'ngsi_ld':[{'type':'device','attributes':{'value':'a'}}]}",
      "x: ngsi_ld.type: not a Smart Data Model type name" },
    { "{'id':'x'," TEXTS ",'source':'devices','columns':[{'name':'a'}],'formats':['ngsi-ld'],"
      "'ngsi_ld':[{'type':'Device','attributes':{'value':{'column':'a','map':{'1':2}}}}]}",
      "x: ngsi_ld.attributes.map: values are strings" },
    { "{'id':'x'," TEXTS ",'source':'devices','licence':'proprietary','columns':[{'name':'a'}],"
      "'formats':['csv']}",
      "x: licence: not in the catalogue's licence table" },
    { "{'id':'x'," TEXTS ",'source':'devices','columns':[{'name':'a'},{'name':'a'}],"
      "'formats':['csv']}",
      "x: columns: a name appears twice" },
    { "{'id':'x'," TEXTS ",'source':'devices','columns':[{'name':'Battery'}],'formats':['csv']}",
      "x: columns: a name must match [a-z][a-z0-9_]*" },
    { "{'id':'x'," TEXTS ",'source':'devices','columns':[{'name':'a b'}],'formats':['csv']}",
      "x: columns: a name must match [a-z][a-z0-9_]*" },
    { "{'id':'x'," TEXTS ",'source':'measure','period':'hour','columns':[],'formats':['csv']}",
      "x: columns: a periodic dataset needs value columns" },
    { "{'id':'x','title':'T','description':'D','frequency':'yearly','source':'devices',"
      "'columns':[{'name':'a'}],'formats':['csv']}",
      "x: frequency: 15min, hourly, daily, weekly or monthly" },
    { "{'id':'x'," TEXTS ",'source':'devices','every_s':5,'columns':[{'name':'a'}],"
      "'formats':['csv']}",
      "x: every_s: not an integer in range" },
    { "{'id':'x'," TEXTS ",'source':'devices','delay_s':'900','columns':[{'name':'a'}],"
      "'formats':['csv']}",
      "x: delay_s: not an integer in range" },
    { "{'id':'x'," TEXTS ",'source':'devices','access':'private','columns':[{'name':'a'}],"
      "'formats':['csv']}",
      "x: access: open or restricted" },
    { "{'id':'x'," TEXTS ",'source':'devices','aggregation':'median','columns':[{'name':'a'}],"
      "'formats':['csv']}",
      "x: aggregation: mean, sum, min, max, energetic_mean, last or none" },
    { "{'id':'x','title':'','description':'D','frequency':'daily','source':'devices',"
      "'columns':[{'name':'a'}],'formats':['csv']}",
      "x: title: not a non-empty string" },
    { "{'id':'x'," TEXTS ",'source':'devices','keywords':['a',1],'columns':[{'name':'a'}],"
      "'formats':['csv']}",
      "x: keywords: not strings" },
    /* A computed source has its own columns; no value column may take a fixed column's name. */
    { "{'id':'x'," TEXTS ",'use_case':'noise','source':'noise_site_day','period':'day',"
      "'columns':[{'name':'l10'}],'formats':['csv']}",
      "x: columns: a column this source does not compute, or a fixed column's name" },
    { "{'id':'x'," TEXTS ",'source':'devices','columns':[{'name':'latitude'}],'formats':['csv']}",
      "x: columns: a column this source does not compute, or a fixed column's name" },
    { NOISE_DAY, "bruit-jour: id: used twice" }, /* the same one again */
};

static void test_each_bad_definition_is_refused_naming_dataset_and_field(void)
{
    for (size_t i = 0; i < sizeof(refusals) / sizeof(*refusals); i++) {
        /* The good dataset first: a mistake in the second is still found and named. */
        char datasets[4096];
        snprintf(datasets, sizeof(datasets), "%s,%s", NOISE_DAY, refusals[i].dataset);
        write_catalog(BBOX, datasets);
        expect_refused(refusals[i].why);
    }
}

static void test_the_good_dataset_of_the_refusals_loads(void)
{
    struct ds_catalog c;
    char err[256] = "";

    /* Else every refusal above could come from it. */
    write_catalog(BBOX, NOISE_DAY);
    MUE_ASSERT_INT_EQ(ds_catalog_load(&c, file, err, sizeof(err)), 0);
    MUE_ASSERT_INT_EQ(c.nds, 1);
    MUE_ASSERT_INT_EQ(c.ds[0].period, DS_DAY);
    ds_catalog_fini(&c);
}

static void test_a_bbox_the_wrong_way_round_is_refused(void)
{
    write_catalog("[5.8, 43.1, 4.7, 43.7]", NOISE_DAY);
    expect_refused("catalog: bbox: west < east, south < north, in WGS84 degrees");
    write_catalog("[4.7, 43.7, 5.8, 43.1]", NOISE_DAY);
    expect_refused("catalog: bbox: west < east, south < north, in WGS84 degrees");
    write_catalog("[4.7, 43.1, 5.8]", NOISE_DAY);
    expect_refused("catalog: bbox: [west, south, east, north]");
    write_catalog("[4.7, 43.1, 185, 43.7]", NOISE_DAY);
    expect_refused("catalog: bbox: west < east, south < north, in WGS84 degrees");
}

static void test_a_catalogue_without_datasets_or_licences_is_refused(void)
{
    write_catalog(BBOX, "");
    expect_refused("catalog: datasets: missing or empty");
    write_file("{'title':'C','description':'D','publisher':'P','publisher_url':'https://p',"
               "'contact_email':'a@b','spatial_name':'S','bbox':" BBOX ",'licences':{},"
               "'datasets':[" NOISE_DAY "]}");
    expect_refused("catalog: licences: missing or empty");
    write_file("{'description':'D','publisher':'P','publisher_url':'https://p',"
               "'contact_email':'a@b','spatial_name':'S','bbox':" BBOX ","
               "'licences':{'lov2':{'title':'LO','url':'https://lo'}},'datasets':[" NOISE_DAY "]}");
    expect_refused("catalog: title: missing");
}

static void test_a_file_that_is_not_json_is_refused_with_its_line(void)
{
    struct ds_catalog c;
    char err[256] = "", prefix[160];

    write_file("{'title':'C',\n'datasets': [\n");
    MUE_ASSERT_INT_EQ(ds_catalog_load(&c, file, err, sizeof(err)), MUE_EINVAL);
    snprintf(prefix, sizeof(prefix), "%s:3: ", file);
    MUE_ASSERT(strncmp(err, prefix, strlen(prefix)) == 0);
    MUE_ASSERT_INT_EQ(c.nds, 0);

    write_file("");
    MUE_ASSERT_INT_EQ(ds_catalog_load(&c, file, err, sizeof(err)), MUE_EINVAL);
    MUE_ASSERT(strncmp(err, file, strlen(file)) == 0);

    MUE_ASSERT_INT_EQ(ds_catalog_load(&c, "deploy/opendata/nope.json", err, sizeof(err)),
                      MUE_EINVAL);
    MUE_ASSERT(strstr(err, "nope.json") != NULL);
}

static void test_a_duplicate_key_is_refused(void)
{
    struct ds_catalog c;
    char err[256] = "";

    /* The second "source" would silently win without the check. */
    write_catalog(BBOX, "{'id':'x'," TEXTS ",'source':'measure','source':'devices',"
                        "'columns':[{'name':'a'}],'formats':['csv']}");
    MUE_ASSERT_INT_EQ(ds_catalog_load(&c, file, err, sizeof(err)), MUE_EINVAL);
    MUE_ASSERT(strstr(err, "duplicate object key") != NULL);
    MUE_ASSERT(strncmp(err, file, strlen(file)) == 0);
    MUE_ASSERT_INT_EQ(c.nds, 0);
}

static void test_a_dataset_without_an_id_is_refused(void)
{
    struct ds_catalog c;
    char err[256] = "";
    const char *tail = ": id: missing";

    write_catalog(BBOX, NOISE_DAY ",{" TEXTS ",'source':'devices','columns':[{'name':'a'}],"
                                  "'formats':['csv']}");
    MUE_ASSERT_INT_EQ(ds_catalog_load(&c, file, err, sizeof(err)), MUE_EINVAL);
    MUE_ASSERT(strlen(err) > strlen(tail));
    MUE_ASSERT_STR_EQ(err + strlen(err) - strlen(tail), tail);
}

/* A column without a name before a named one: the name check must not compare with the missing
 * one (found by fuzz_datasets). */
static void test_a_column_without_a_name_is_refused(void)
{
    write_catalog(BBOX, "{'id':'x'," TEXTS ",'source':'devices','columns':[{'unit':'%'},"
                        "{'name':'a'}],'formats':['csv']}");
    expect_refused("x: name: missing");
    write_catalog(BBOX, "{'id':'x'," TEXTS ",'source':'devices','columns':[{'unit':'%'}],"
                        "'formats':['ngsi-ld'],'ngsi_ld':[{'type':'Device',"
                        "'attributes':{'value':'b'}}]}");
    expect_refused("x: name: missing");
}

static void test_names_of_formats_and_periods(void)
{
    MUE_ASSERT_STR_EQ(ds_format_name(DS_CSV), "csv");
    MUE_ASSERT_STR_EQ(ds_format_name(DS_NGSILD), "ngsi-ld");
    MUE_ASSERT_STR_EQ(ds_format_name(DS_COUNTING), "schema-comptage");
    MUE_ASSERT_STR_EQ(ds_format_name((enum ds_format)(DS_CSV | DS_JSON)), "?");
    MUE_ASSERT_STR_EQ(ds_period_name(DS_15MIN), "15min");
    MUE_ASSERT_STR_EQ(ds_period_name(DS_SNAPSHOT), "snapshot");
    MUE_ASSERT_STR_EQ(ds_period_name((enum ds_period)9), "?");
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_the_real_file_loads_its_nine_datasets),
        MUE_TEST(test_the_real_file_keeps_formats_periods_and_columns_as_written),
        MUE_TEST(test_the_real_file_gets_the_defaults),
        MUE_TEST(test_the_real_file_keeps_the_ngsi_templates),
        MUE_TEST(test_a_small_file_gets_every_default),
        MUE_TEST(test_counting_measures_may_have_the_counting_schema),
        MUE_TEST(test_the_good_dataset_of_the_refusals_loads),
        MUE_TEST(test_each_bad_definition_is_refused_naming_dataset_and_field),
        MUE_TEST(test_a_bbox_the_wrong_way_round_is_refused),
        MUE_TEST(test_a_catalogue_without_datasets_or_licences_is_refused),
        MUE_TEST(test_a_file_that_is_not_json_is_refused_with_its_line),
        MUE_TEST(test_a_duplicate_key_is_refused),
        MUE_TEST(test_a_dataset_without_an_id_is_refused),
        MUE_TEST(test_a_column_without_a_name_is_refused),
        MUE_TEST(test_names_of_formats_and_periods),
    };
    int rc;

    snprintf(tmp, sizeof(tmp), "/tmp/mue-datasets-XXXXXX");
    if (mkdtemp(tmp) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(file, sizeof(file), "%s/datasets.json", tmp);
    rc = mue_test_run("dataset", tests);
    unlink(file);
    rmdir(tmp);
    return rc;
}
