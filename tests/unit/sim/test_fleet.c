/* test_fleet.c - the fleet files: the real ones of deploy/fleet, and bad ones the loader refuses.
 * SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../mue_test.h"
#include "fleet.h"
#include "geo.h"
#include "mue_err.h"

#define FLEET    "deploy/fleet"
#define COMMUNES "deploy/data/geo/amp-communes.geojson"

static struct sim_fleet fleet;
static char err[512];
static char tmp[64]; /* a scratch folder of fleet files, emptied before each bad-file test */

static size_t count_use_case(const char *use_case)
{
    size_t n = 0;

    for (size_t i = 0; i < fleet.n; i++)
        n += strcmp(fleet.dev[i].use_case, use_case) == 0;
    return n;
}

static const struct sim_device *find_name(const char *name)
{
    for (size_t i = 0; i < fleet.n; i++)
        if (strcmp(fleet.dev[i].name, name) == 0)
            return &fleet.dev[i];
    return NULL;
}

/* The device of that name, which must exist. */
static const struct sim_device *must_find(const char *name)
{
    const struct sim_device *d = find_name(name);

    if (d == NULL) {
        fprintf(stderr, "  no device \"%s\"\n", name);
        mue_test_fail(__FILE__, __LINE__, "the device exists");
    }
    return d;
}

static void load_real(void)
{
    sim_fleet_free(&fleet);
    err[0] = '\0';
    if (sim_fleet_load(FLEET, COMMUNES, &fleet, err, sizeof(err)) != MUE_OK) {
        fprintf(stderr, "  %s\n", err);
        mue_test_fail(__FILE__, __LINE__, "the real fleet loads");
    }
}

static void test_the_real_fleet_has_its_devices_per_use_case(void)
{
    load_real();
    MUE_ASSERT_UINT_EQ(count_use_case("waste"), 105);
    MUE_ASSERT_UINT_EQ(count_use_case("noise"), 11);
    MUE_ASSERT_UINT_EQ(count_use_case("water"), 7);
    MUE_ASSERT_UINT_EQ(count_use_case("counting"), 6);
    MUE_ASSERT_UINT_EQ(count_use_case("lighting"), 66);
    MUE_ASSERT_UINT_EQ(count_use_case("heat"), 12);
    MUE_ASSERT_UINT_EQ(fleet.n, 105 + 11 + 7 + 6 + 66 + 12);
    /* Files by name, devices in file order. */
    MUE_ASSERT_STR_EQ(fleet.dev[0].use_case, "counting");
    MUE_ASSERT_STR_EQ(fleet.dev[0].name, "Compteur vélos Prado");
    MUE_ASSERT_STR_EQ(fleet.dev[fleet.n - 1].use_case, "water");
}

static void test_every_device_is_inside_its_commune(void)
{
    struct geo_map geo;

    load_real();
    MUE_ASSERT_INT_EQ(geo_load(COMMUNES, &geo, err, sizeof(err)), MUE_OK);
    for (size_t i = 0; i < fleet.n; i++) {
        const struct sim_device *d = &fleet.dev[i];
        const struct geo_commune *c = geo_find(&geo, d->insee);
        if (c == NULL || strcmp(c->name, d->commune) != 0 || !geo_contains(c, d->lon, d->lat)) {
            fprintf(stderr, "  %s %s at [%f, %f] not in %s\n", d->dev_eui, d->name, d->lon, d->lat,
                    d->insee);
            geo_free(&geo);
            mue_test_fail(__FILE__, __LINE__, "inside its commune");
        }
    }
    geo_free(&geo);
}

static void test_deveuis_are_unique_lowercase_hex_and_seed_the_device(void)
{
    load_real();
    for (size_t i = 0; i < fleet.n; i++) {
        const struct sim_device *d = &fleet.dev[i];
        MUE_ASSERT_UINT_EQ(strlen(d->dev_eui), 16);
        MUE_ASSERT_UINT_EQ(strspn(d->dev_eui, "0123456789abcdef"), 16);
        for (size_t k = 0; k < i; k++)
            MUE_ASSERT(strcmp(fleet.dev[k].dev_eui, d->dev_eui) != 0);
        MUE_ASSERT_UINT_EQ(d->seed, sim_hash(strtoull(d->dev_eui, NULL, 16), 0, 0));
        MUE_ASSERT(d->period_s > 0);
        MUE_ASSERT_INT_EQ(d->phase_s, (int)(d->seed % (uint64_t)d->period_s));
        MUE_ASSERT(d->params != NULL && json_is_object(d->params));
        MUE_ASSERT(strcmp(d->network, "chirpstack") == 0 || strcmp(d->network, "tts") == 0);
    }
}

static void test_loading_twice_gives_the_same_fleet(void)
{
    struct sim_fleet again;

    load_real();
    MUE_ASSERT_INT_EQ(sim_fleet_load(FLEET, COMMUNES, &again, err, sizeof(err)), MUE_OK);
    MUE_ASSERT_UINT_EQ(again.n, fleet.n);
    for (size_t i = 0; i < fleet.n; i++) {
        const struct sim_device *a = &fleet.dev[i], *b = &again.dev[i];
        int same = strcmp(a->dev_eui, b->dev_eui) == 0 && strcmp(a->name, b->name) == 0 &&
                   a->lon == b->lon && a->lat == b->lat && a->phase_s == b->phase_s &&
                   json_equal(a->params, b->params);
        if (!same) {
            sim_fleet_free(&again);
            mue_test_fail(__FILE__, __LINE__, "the same device at the same place");
        }
    }
    sim_fleet_free(&again);
}

static void test_noise_sites_are_at_their_given_points(void)
{
    const struct sim_device *d;

    load_real();
    d = find_name("Vieux-Port - Quai des Belges");
    MUE_ASSERT(d != NULL);
    MUE_ASSERT_STR_EQ(d->site, d->name);
    MUE_ASSERT_STR_EQ(d->model, "milesight-ws302");
    MUE_ASSERT_STR_EQ(d->profile, "street");
    MUE_ASSERT_STR_EQ(d->commune, "Marseille");
    MUE_ASSERT_STR_EQ(d->insee, "13055");
    MUE_ASSERT_INT_EQ(d->period_s, 600);
    MUE_ASSERT(d->lon == 5.3740 && d->lat == 43.2951);
    d = find_name("Place Richelme");
    MUE_ASSERT(d != NULL);
    MUE_ASSERT_STR_EQ(d->model, "elsys-ers-sound");
    MUE_ASSERT_STR_EQ(d->commune, "Aix-en-Provence");
}

static void test_waste_containers_carry_their_params_and_network(void)
{
    load_real();
    for (size_t i = 0; i < fleet.n; i++) {
        const struct sim_device *d = &fleet.dev[i];
        if (strcmp(d->use_case, "waste") != 0)
            continue;
        int martigues = strcmp(d->insee, "13056") == 0 || strcmp(d->insee, "13077") == 0 ||
                        strcmp(d->insee, "13098") == 0;
        MUE_ASSERT_STR_EQ(d->network, martigues ? "tts" : "chirpstack");
        MUE_ASSERT(sim_param(d, "empty_distance_m", 0) >= 2.0);
        MUE_ASSERT(sim_param(d, "empty_distance_m", 9) <= 2.6);
        MUE_ASSERT(sim_param(d, "full_distance_m", 0) >= 0.3);
        MUE_ASSERT(sim_param(d, "full_distance_m", 9) <= 0.4);
        MUE_ASSERT_STR_EQ(sim_param_str(d, "waste", ""), d->profile);
        MUE_ASSERT_INT_EQ(d->period_s, 3600);
        MUE_ASSERT(strcmp(d->model, "milesight-em310-udl") == 0 ||
                   strcmp(d->model, "dingtek-df702") == 0);
        MUE_ASSERT_STR_EQ(d->site, "");
    }
    MUE_ASSERT(find_name("PAV verre Aix-en-Provence 01") != NULL);
    MUE_ASSERT(find_name("PAV verre Aix-en-Provence 12") != NULL);
    MUE_ASSERT(find_name("PAV verre Aix-en-Provence 13") == NULL);
    MUE_ASSERT_STR_EQ(must_find("PAV verre Aix-en-Provence 01")->dev_eui, "24e124713d000100");
    MUE_ASSERT_STR_EQ(must_find("PAV verre Aix-en-Provence 12")->dev_eui, "24e124713d00010b");
}

static void test_water_stations_share_a_site_between_level_and_quality(void)
{
    const struct sim_device *level, *quality;
    size_t nquality = 0;

    load_real();
    level = find_name("Touloubre à Saint-Chamas - niveau");
    quality = find_name("Touloubre à Saint-Chamas - qualité");
    MUE_ASSERT(level != NULL && quality != NULL);
    MUE_ASSERT_STR_EQ(level->site, "Touloubre à Saint-Chamas");
    MUE_ASSERT_STR_EQ(quality->site, level->site);
    MUE_ASSERT_STR_EQ(quality->model, "decentlab-dl-ctd10");
    MUE_ASSERT_STR_EQ(quality->profile, "quality");
    for (size_t i = 0; i < fleet.n; i++) {
        const struct sim_device *d = &fleet.dev[i];
        if (strcmp(d->use_case, "water") != 0)
            continue;
        const char *river = sim_param_str(d, "river", "");
        MUE_ASSERT(strcmp(river, "Touloubre") == 0 || strcmp(river, "Cadière") == 0);
        MUE_ASSERT(sim_param(d, "vigilance_yellow_m", 0) < sim_param(d, "vigilance_orange_m", 0));
        MUE_ASSERT(sim_param(d, "vigilance_orange_m", 0) < sim_param(d, "vigilance_red_m", 0));
        MUE_ASSERT(sim_param(d, "base_level_m", -1) >= 0);
        MUE_ASSERT(sim_param(d, "flood_lag_h", -1) >= 0);
        MUE_ASSERT_INT_EQ(d->period_s, 900);
        if (strcmp(d->model, "decentlab-dl-mbx") == 0)
            MUE_ASSERT(sim_param(d, "sensor_height_m", 0) > 0);
        else
            MUE_ASSERT(sim_param(d, "sensor_elevation_m", -1) >= 0);
        if (strcmp(d->profile, "quality") == 0) {
            nquality++;
            MUE_ASSERT(strcmp(d->insee, "13092") == 0 || strcmp(d->insee, "13054") == 0);
        }
    }
    MUE_ASSERT_UINT_EQ(nquality, 2);
}

static void test_lamps_share_their_cabinets_site(void)
{
    size_t lamps = 0, cabinets = 0;

    load_real();
    for (size_t i = 0; i < fleet.n; i++) {
        const struct sim_device *d = &fleet.dev[i], *cab;
        if (strcmp(d->use_case, "lighting") != 0)
            continue;
        if (strcmp(d->profile, "cabinet") == 0) {
            cabinets++;
            MUE_ASSERT_STR_EQ(d->site, d->name);
            MUE_ASSERT_STR_EQ(d->model, "milesight-ws558");
            MUE_ASSERT(sim_param(d, "lamps", 0) >= 1);
            continue;
        }
        lamps++;
        MUE_ASSERT_STR_EQ(d->profile, "lamp");
        MUE_ASSERT_STR_EQ(d->model, "nas-ul20xx");
        MUE_ASSERT_INT_EQ(d->period_s, 1800);
        MUE_ASSERT_STR_EQ(sim_param_str(d, "cabinet", ""), d->site);
        MUE_ASSERT(sim_param(d, "lamp_power_w", 0) >= 30 && sim_param(d, "lamp_power_w", 0) <= 90);
        cab = find_name(d->site);
        MUE_ASSERT(cab != NULL && strcmp(cab->profile, "cabinet") == 0);
        MUE_ASSERT_STR_EQ(cab->insee, d->insee);
        MUE_ASSERT_STR_EQ(cab->network, d->network);
        MUE_ASSERT(geo_distance_m(cab->lon, cab->lat, d->lon, d->lat) < 450);
    }
    MUE_ASSERT_UINT_EQ(cabinets, 6);
    MUE_ASSERT_UINT_EQ(lamps, 60);
    MUE_ASSERT_STR_EQ(must_find("Armoire EP Pertuis Centre")->network, "tts");
    MUE_ASSERT_STR_EQ(must_find("Armoire EP Istres Centre")->network, "chirpstack");
}

static void test_counters_and_heat_sensors(void)
{
    size_t bikes = 0, parks = 0;

    load_real();
    for (size_t i = 0; i < fleet.n; i++) {
        const struct sim_device *d = &fleet.dev[i];
        if (strcmp(d->use_case, "counting") == 0) {
            const char *what = sim_param_str(d, "counts", "");
            double mean = sim_param(d, "daily_mean", 0);
            MUE_ASSERT_STR_EQ(d->model, "parametric-pcr2");
            if (strcmp(what, "bike") == 0) {
                bikes++;
                MUE_ASSERT(mean >= 800 && mean <= 3000);
            } else {
                MUE_ASSERT_STR_EQ(what, "pedestrian");
                MUE_ASSERT(mean >= 3000 && mean <= 8000);
            }
            MUE_ASSERT(json_is_true(json_object_get(d->params, "display")));
        } else if (strcmp(d->use_case, "heat") == 0) {
            MUE_ASSERT_STR_EQ(d->model, "elsys-ers");
            MUE_ASSERT(strcmp(d->insee, "13055") == 0 || strcmp(d->insee, "13001") == 0);
            parks += strcmp(d->profile, "park") == 0;
        }
    }
    MUE_ASSERT(bikes >= 4);
    MUE_ASSERT_UINT_EQ(parks, 3);
    MUE_ASSERT(find_name("Chaleur - Parc Borély") != NULL);
    MUE_ASSERT(find_name("Chaleur - Parc Jourdan") != NULL);
}

/* ------------------------------------------------------------------ bad files */

static void clear_tmp(void)
{
    DIR *d = opendir(tmp);
    struct dirent *e;
    char path[512];

    while (d != NULL && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", tmp, e->d_name);
        unlink(path);
    }
    if (d != NULL)
        closedir(d);
}

static void put(const char *name, const char *text)
{
    char path[512];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", tmp, name);
    f = fopen(path, "w");
    MUE_ASSERT(f != NULL);
    fputs(text, f);
    fclose(f);
}

/* One file of use case "waste" with the given groups. */
static void put_groups(const char *name, const char *groups)
{
    char text[4096];

    snprintf(text, sizeof(text), "{\"use_case\": \"waste\", \"groups\": [%s]}", groups);
    put(name, text);
}

/* Loads the scratch folder, which must fail with 'code' and an error holding every string of
 * the NULL-ended list. */
static void expect_failure(int code, ...)
{
    va_list ap;
    const char *s;
    int rc;

    sim_fleet_free(&fleet);
    err[0] = '\0';
    rc = sim_fleet_load(tmp, COMMUNES, &fleet, err, sizeof(err));
    if (rc != code)
        fprintf(stderr, "  error: %s\n", err);
    MUE_ASSERT_INT_EQ(rc, code);
    MUE_ASSERT_UINT_EQ(fleet.n, 0);
    MUE_ASSERT(fleet.dev == NULL);
    va_start(ap, code);
    while ((s = va_arg(ap, const char *)) != NULL) {
        if (strstr(err, s) == NULL) {
            fprintf(stderr, "  error \"%s\" lacks \"%s\"\n", err, s);
            va_end(ap);
            mue_test_fail(__FILE__, __LINE__, "the error names what is wrong");
        }
    }
    va_end(ap);
}

#define GOOD_GROUP                                                                                 \
    "{\"model\": \"milesight-em310-udl\", \"profile\": \"glass\", \"network\": \"chirpstack\","    \
    " \"period_s\": 3600, \"eui_base\": \"24E1247100000100\", \"commune\": \"13001\","             \
    " \"name\": \"PAV verre %02d\", \"count\": 3, \"near\": [5.4474, 43.5297], \"radius_m\": 800," \
    " \"params\": {\"waste\": \"glass\"}}"

static void test_a_small_good_folder_loads_as_written(void)
{
    clear_tmp();
    put_groups("a.json", GOOD_GROUP);
    put("b.json", "{\"use_case\": \"water\", \"groups\": [{\"model\": \"decentlab-dl-mbx\","
                  " \"profile\": \"level\", \"network\": \"tts\", \"period_s\": 900,"
                  " \"eui_base\": \"70b3d57ba0ffff00\", \"commune\": \"13055\","
                  " \"name\": \"%s - niveau (100%%)\", \"sites\": [{\"name\": \"Huveaune\","
                  " \"at\": [5.3835, 43.2856]}]}]}");
    put("README.md", "not a fleet file");
    put(".hidden.json", "not JSON");
    sim_fleet_free(&fleet);
    MUE_ASSERT_INT_EQ(sim_fleet_load(tmp, COMMUNES, &fleet, err, sizeof(err)), MUE_OK);
    MUE_ASSERT_UINT_EQ(fleet.n, 4);
    MUE_ASSERT_STR_EQ(fleet.dev[0].name, "PAV verre 01");
    MUE_ASSERT_STR_EQ(fleet.dev[2].name, "PAV verre 03");
    MUE_ASSERT_STR_EQ(fleet.dev[0].dev_eui, "24e1247100000100");
    MUE_ASSERT_STR_EQ(fleet.dev[2].dev_eui, "24e1247100000102");
    MUE_ASSERT_STR_EQ(fleet.dev[1].commune, "Aix-en-Provence");
    MUE_ASSERT(geo_distance_m(5.4474, 43.5297, fleet.dev[1].lon, fleet.dev[1].lat) <= 800.2);
    MUE_ASSERT(fleet.dev[0].lon != fleet.dev[1].lon || fleet.dev[0].lat != fleet.dev[1].lat);
    MUE_ASSERT_STR_EQ(sim_param_str(&fleet.dev[2], "waste", ""), "glass");
    MUE_ASSERT(fleet.dev[0].params != fleet.dev[1].params); /* each its own copy */
    MUE_ASSERT_STR_EQ(fleet.dev[3].name, "Huveaune - niveau (100%)");
    MUE_ASSERT_STR_EQ(fleet.dev[3].site, "Huveaune");
    MUE_ASSERT_STR_EQ(fleet.dev[3].use_case, "water");
    MUE_ASSERT_STR_EQ(fleet.dev[3].network, "tts");
    MUE_ASSERT(fleet.dev[3].lon == 5.3835 && fleet.dev[3].lat == 43.2856);
    MUE_ASSERT_UINT_EQ(json_object_size(fleet.dev[3].params), 0);
}

static void test_an_unknown_key_is_refused_with_file_and_group(void)
{
    clear_tmp();
    put_groups("a.json", GOOD_GROUP ", {\"model\": \"x\", \"colour\": \"green\"}");
    expect_failure(MUE_EINVAL, "a.json: group 2", "unknown key \"colour\"", NULL);
    clear_tmp();
    put("a.json", "{\"use_case\": \"waste\", \"grups\": []}");
    expect_failure(MUE_EINVAL, "a.json: ", "unknown key \"grups\"", NULL);
    clear_tmp();
    put_groups("a.json", "{\"model\": \"decentlab-dl-mbx\", \"profile\": \"level\","
                         " \"network\": \"tts\", \"period_s\": 900, \"eui_base\": "
                         "\"70b3d57ba0ffff00\", \"commune\": \"13055\", \"sites\": [{\"name\":"
                         " \"Huveaune\", \"at\": [5.3835, 43.2856], \"height\": 2}]}");
    expect_failure(MUE_EINVAL, "a.json: group 1 (Huveaune)", "\"height\" in site 1", NULL);
}

static void test_a_deveui_in_two_files_is_refused_naming_both(void)
{
    clear_tmp();
    put_groups("a.json", GOOD_GROUP);
    /* b's second device is a's third. */
    put_groups("b.json", "{\"model\": \"dingtek-df702\", \"profile\": \"paper\", \"network\":"
                         " \"tts\", \"period_s\": 3600, \"eui_base\": \"24e12471000000ff\","
                         " \"commune\": \"13056\", \"name\": \"PAV papier Martigues %d\","
                         " \"count\": 4, \"near\": [5.0530, 43.4050], \"radius_m\": 2500}");
    expect_failure(MUE_EINVAL, "b.json: group 1 (PAV papier Martigues %d)", "24e1247100000100",
                   "also in a.json, group 1", NULL);
    clear_tmp();
    put_groups("a.json", GOOD_GROUP "," GOOD_GROUP);
    expect_failure(MUE_EINVAL, "a.json: group 2", "also in a.json, group 1", NULL);
}

static void test_a_site_outside_its_commune_is_refused(void)
{
    clear_tmp();
    /* The Cours Mirabeau, given as a site of Marseille. */
    put_groups("a.json", "{\"model\": \"milesight-ws302\", \"profile\": \"street\", \"network\":"
                         " \"chirpstack\", \"period_s\": 600, \"eui_base\": \"24e1247400000100\","
                         " \"commune\": \"13055\", \"sites\": ["
                         "{\"name\": \"Vieux-Port\", \"at\": [5.3740, 43.2951]},"
                         "{\"name\": \"Cours Mirabeau\", \"at\": [5.4480, 43.5266]}]}");
    expect_failure(MUE_EINVAL, "a.json: group 1 (Vieux-Port)", "\"Cours Mirabeau\"",
                   "outside Marseille (13055)", NULL);
}

static void test_a_period_that_is_not_a_positive_integer_is_refused(void)
{
    static const char *const periods[] = { "0", "-600", "1.5", "\"600\"", "null" };
    char group[1024];

    for (size_t i = 0; i < sizeof(periods) / sizeof(periods[0]); i++) {
        clear_tmp();
        snprintf(group, sizeof(group),
                 "{\"model\": \"milesight-em310-udl\", \"profile\": \"glass\", \"network\":"
                 " \"chirpstack\", \"period_s\": %s, \"eui_base\": \"24e1247100000100\","
                 " \"commune\": \"13001\", \"name\": \"PAV\", \"count\": 1,"
                 " \"near\": [5.4474, 43.5297], \"radius_m\": 800}",
                 periods[i]);
        put_groups("w.json", group);
        expect_failure(MUE_EINVAL, "w.json: group 1 (PAV)", "period_s", NULL);
    }
}

static void test_other_mistakes_are_refused_with_a_reason(void)
{
    static const struct {
        const char *key, *value, *reason;
    } cases[] = {
        { "commune", "\"99999\"", "commune \"99999\"" },
        { "network", "\"chirpstak\"", "network \"chirpstak\"" },
        { "eui_base", "\"24e12471000001\"", "eui_base" },
        { "eui_base", "\"ffffffffffffffff\"", "past ffffffffffffffff" },
        { "name", "\"PAV verre\"", "one %d" },
        { "name", "\"PAV %s\"", "one %d" },
        { "name", "\"PAV %d %d\"", "one %d" },
        { "name", "\"PAV %5d\"", "one %d" },
        { "count", "0", "count" },
        { "count", "\"3\"", "count" },
        { "radius_m", "0", "radius_m" },
        { "near", "[5.4, 43.5, 1]", "near" },
        { "near", "[43.5, 95.4]", "near" },
        { "params", "[1]", "params" },
        { "model", "\"\"", "model" },
        { "sites", "[{\"name\": \"A\", \"at\": [5.4474, 43.5297]}]", "does not go with" },
        /* Far from Aix: no point of the commune in the disc. */
        { "near", "[5.0, 43.0]", "no point of Aix-en-Provence" },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        json_t *g = json_loads("{\"model\": \"milesight-em310-udl\", \"profile\": \"glass\","
                               " \"network\": \"chirpstack\", \"period_s\": 3600,"
                               " \"eui_base\": \"24e1247100000100\", \"commune\": \"13001\","
                               " \"name\": \"PAV %d\", \"count\": 3,"
                               " \"near\": [5.4474, 43.5297], \"radius_m\": 800}",
                               0, NULL);
        char *text;

        MUE_ASSERT(g != NULL);
        json_object_set_new(g, cases[i].key, json_loads(cases[i].value, JSON_DECODE_ANY, NULL));
        text = json_dumps(g, 0);
        json_decref(g);
        clear_tmp();
        put_groups("x.json", text);
        free(text);
        expect_failure(MUE_EINVAL, "x.json: group 1", cases[i].reason, NULL);
    }
}

static void test_a_site_in_two_communes_is_refused(void)
{
    clear_tmp();
    put_groups("a.json",
               "{\"model\": \"milesight-ws558\", \"profile\": \"cabinet\", \"network\": \"tts\","
               " \"period_s\": 900, \"eui_base\": \"24e1247500000100\", \"commune\": \"84089\","
               " \"name\": \"Armoire\", \"site\": \"Armoire\", \"count\": 1,"
               " \"near\": [5.5020, 43.6942], \"radius_m\": 100},"
               "{\"model\": \"nas-ul20xx\", \"profile\": \"lamp\", \"network\": \"tts\","
               " \"period_s\": 1800, \"eui_base\": \"70b3d5e75e000100\", \"commune\": \"13047\","
               " \"name\": \"Lampe %d\", \"site\": \"Armoire\", \"count\": 2,"
               " \"near\": [4.9870, 43.5140], \"radius_m\": 100}");
    expect_failure(MUE_EINVAL, "a.json: group 2", "site \"Armoire\"", "Istres", "Pertuis", NULL);
}

static void test_broken_json_missing_folders_and_empty_ones_are_refused(void)
{
    clear_tmp();
    put("a.json", "{\"use_case\": \"waste\",\n \"groups\": [}");
    expect_failure(MUE_EINVAL, "a.json: line 2", NULL);
    clear_tmp();
    put("a.json", "{\"use_case\": \"waste\", \"use_case\": \"noise\", \"groups\": []}");
    expect_failure(MUE_EINVAL, "a.json", "duplicate", NULL);
    clear_tmp();
    put("a.json", "{\"use_case\": \"Waste!\", \"groups\": [" GOOD_GROUP "]}");
    expect_failure(MUE_EINVAL, "a.json: use_case \"Waste!\"", NULL);
    clear_tmp();
    put("a.json", "{\"use_case\": \"waste\", \"groups\": []}");
    expect_failure(MUE_EINVAL, "a.json: \"groups\"", NULL);
    clear_tmp();
    expect_failure(MUE_ENOENT, "no fleet file", NULL);
    sim_fleet_free(&fleet);
    MUE_ASSERT_INT_EQ(sim_fleet_load("deploy/no-such-folder", COMMUNES, &fleet, err, sizeof(err)),
                      MUE_ENOENT);
    MUE_ASSERT_INT_EQ(sim_fleet_load(FLEET, "deploy/nope.geojson", &fleet, err, sizeof(err)),
                      MUE_ENOENT);
    MUE_ASSERT_UINT_EQ(fleet.n, 0);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_the_real_fleet_has_its_devices_per_use_case),
        MUE_TEST(test_every_device_is_inside_its_commune),
        MUE_TEST(test_deveuis_are_unique_lowercase_hex_and_seed_the_device),
        MUE_TEST(test_loading_twice_gives_the_same_fleet),
        MUE_TEST(test_noise_sites_are_at_their_given_points),
        MUE_TEST(test_waste_containers_carry_their_params_and_network),
        MUE_TEST(test_water_stations_share_a_site_between_level_and_quality),
        MUE_TEST(test_lamps_share_their_cabinets_site),
        MUE_TEST(test_counters_and_heat_sensors),
        MUE_TEST(test_a_small_good_folder_loads_as_written),
        MUE_TEST(test_an_unknown_key_is_refused_with_file_and_group),
        MUE_TEST(test_a_deveui_in_two_files_is_refused_naming_both),
        MUE_TEST(test_a_site_outside_its_commune_is_refused),
        MUE_TEST(test_a_period_that_is_not_a_positive_integer_is_refused),
        MUE_TEST(test_other_mistakes_are_refused_with_a_reason),
        MUE_TEST(test_a_site_in_two_communes_is_refused),
        MUE_TEST(test_broken_json_missing_folders_and_empty_ones_are_refused),
    };
    int rc;

    snprintf(tmp, sizeof(tmp), "/tmp/mue-fleet-XXXXXX");
    if (mkdtemp(tmp) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    rc = mue_test_run("fleet", tests);
    clear_tmp();
    rmdir(tmp);
    sim_fleet_free(&fleet);
    return rc;
}
