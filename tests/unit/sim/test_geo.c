/* test_geo.c - communes from GeoJSON, point-in-polygon with holes and MultiPolygons, placement.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "../mue_test.h"
#include "geo.h"
#include "mue_err.h"

#define COMMUNES "deploy/data/geo/amp-communes.geojson"

static struct geo_map map;
static char err[256];

/* Parses a FeatureCollection given as text into 'map'. */
static int parse(const char *text)
{
    json_error_t je;
    json_t *fc = json_loads(text, 0, &je);
    int rc;

    geo_free(&map);
    err[0] = '\0';
    if (fc == NULL) {
        fprintf(stderr, "  bad test JSON: %s\n", je.text);
        return -9999;
    }
    rc = geo_parse(fc, &map, err, sizeof(err));
    json_decref(fc);
    return rc;
}

/* A 10 x 10 square with a 2 x 2 hole in its middle (outline clockwise as in the real file, hole
 * counter-clockwise); an L-shaped Polygon; a MultiPolygon of a square, and a frame (a square with
 * a big hole) around an island that sits in the frame's hole. */
static const char shapes[] =
    "{\"type\": \"FeatureCollection\", \"features\": ["
    "{\"type\": \"Feature\", \"properties\": {\"code\": \"13001\", \"nom\": \"Trou\"},"
    " \"geometry\": {\"type\": \"Polygon\", \"coordinates\": ["
    "  [[0, 0], [0, 10], [10, 10], [10, 0], [0, 0]],"
    "  [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]]]}},"
    "{\"type\": \"Feature\", \"properties\": {\"code\": \"13002\", \"nom\": \"Equerre\"},"
    " \"geometry\": {\"type\": \"Polygon\", \"coordinates\": ["
    "  [[20, 0], [30, 0], [30, 2], [22, 2], [22, 10], [20, 10], [20, 0]]]}},"
    "{\"type\": \"Feature\", \"properties\": {\"code\": \"2A004\", \"nom\": \"Archipel\"},"
    " \"geometry\": {\"type\": \"MultiPolygon\", \"coordinates\": ["
    "  [[[40, 0], [42, 0], [42, 2], [40, 2], [40, 0]]],"
    "  [[[50, 0], [60, 0], [60, 10], [50, 10], [50, 0]],"
    "   [[52, 2], [58, 2], [58, 8], [52, 8], [52, 2]]],"
    "  [[[54, 4], [56, 4], [56, 6], [54, 6], [54, 4]]]]}}"
    "]}";

static void test_a_polygon_holds_its_inside_but_not_its_hole_nor_the_outside(void)
{
    const struct geo_commune *c;

    MUE_ASSERT_INT_EQ(parse(shapes), MUE_OK);
    MUE_ASSERT_UINT_EQ(map.n, 3);
    c = geo_find(&map, "13001");
    MUE_ASSERT(c != NULL);
    MUE_ASSERT_STR_EQ(c->name, "Trou");
    MUE_ASSERT_UINT_EQ(c->npoly, 1);
    MUE_ASSERT_UINT_EQ(c->poly[0].nrings, 2);
    MUE_ASSERT_INT_EQ(geo_contains(c, 2, 2), 1);
    MUE_ASSERT_INT_EQ(geo_contains(c, 9.9, 0.1), 1);
    MUE_ASSERT_INT_EQ(geo_contains(c, 5, 7), 1); /* beside the hole, same longitude */
    MUE_ASSERT_INT_EQ(geo_contains(c, 5, 5), 0); /* in the hole */
    MUE_ASSERT_INT_EQ(geo_contains(c, 4.1, 5.9), 0);
    MUE_ASSERT_INT_EQ(geo_contains(c, 11, 5), 0);
    MUE_ASSERT_INT_EQ(geo_contains(c, -1, 5), 0);
    MUE_ASSERT_INT_EQ(geo_contains(c, 5, -0.5), 0);
}

static void test_a_concave_polygon_leaves_out_its_notch(void)
{
    const struct geo_commune *c;

    MUE_ASSERT_INT_EQ(parse(shapes), MUE_OK);
    c = geo_find(&map, "13002");
    MUE_ASSERT(c != NULL);
    MUE_ASSERT_INT_EQ(geo_contains(c, 21, 9), 1);
    MUE_ASSERT_INT_EQ(geo_contains(c, 29, 1), 1);
    MUE_ASSERT_INT_EQ(geo_contains(c, 25, 5), 0); /* inside the bounding box, outside the L */
    /* A ray through a vertex (y = 2 at x = 22 and 30) counts once. */
    MUE_ASSERT_INT_EQ(geo_contains(c, 21, 2), 1);
    MUE_ASSERT_INT_EQ(geo_contains(c, 19, 2), 0);
}

static void test_a_multipolygon_holds_each_part_and_an_island_in_a_hole(void)
{
    const struct geo_commune *c;

    MUE_ASSERT_INT_EQ(parse(shapes), MUE_OK);
    c = geo_find(&map, "2A004");
    MUE_ASSERT(c != NULL);
    MUE_ASSERT_UINT_EQ(c->npoly, 3);
    MUE_ASSERT_INT_EQ(geo_contains(c, 41, 1), 1); /* the small square */
    MUE_ASSERT_INT_EQ(geo_contains(c, 51, 9), 1); /* the frame */
    MUE_ASSERT_INT_EQ(geo_contains(c, 53, 3), 0); /* the frame's hole */
    MUE_ASSERT_INT_EQ(geo_contains(c, 55, 5), 1); /* the island in that hole */
    MUE_ASSERT_INT_EQ(geo_contains(c, 45, 1), 0); /* between the parts */
    MUE_ASSERT(geo_find(&map, "13003") == NULL);
}

static void test_bad_documents_are_refused_with_the_feature_named(void)
{
    MUE_ASSERT_INT_EQ(parse("{\"type\": \"FeatureCollection\", \"features\": []}"), MUE_EDECODE);
    MUE_ASSERT(strstr(err, "FeatureCollection") != NULL);
    MUE_ASSERT_INT_EQ(parse("{\"features\": [{\"properties\": {\"nom\": \"X\"}, \"geometry\":"
                            " {\"type\": \"Polygon\", \"coordinates\": []}}]}"),
                      MUE_EDECODE);
    MUE_ASSERT(strstr(err, "feature 1") != NULL);
    MUE_ASSERT_INT_EQ(
        parse("{\"features\": [{\"properties\": {\"code\": \"13001\", \"nom\": \"X\"},"
              " \"geometry\": {\"type\": \"Point\", \"coordinates\": [1, 2]}}]}"),
        MUE_EDECODE);
    MUE_ASSERT(strstr(err, "13001") != NULL);
    /* A ring of three points is not closed. */
    MUE_ASSERT_INT_EQ(
        parse("{\"features\": [{\"properties\": {\"code\": \"13001\", \"nom\": \"X\"},"
              " \"geometry\": {\"type\": \"Polygon\", \"coordinates\":"
              " [[[0, 0], [1, 0], [0, 1]]]}}]}"),
        MUE_EDECODE);
    MUE_ASSERT_INT_EQ(
        parse("{\"features\": ["
              "{\"properties\": {\"code\": \"13001\", \"nom\": \"X\"}, \"geometry\":"
              " {\"type\": \"Polygon\", \"coordinates\": [[[0,0],[1,0],[1,1],[0,0]]]}},"
              "{\"properties\": {\"code\": \"13001\", \"nom\": \"Y\"}, \"geometry\":"
              " {\"type\": \"Polygon\", \"coordinates\": [[[0,0],[1,0],[1,1],[0,0]]]}}"
              "]}"),
        MUE_EDECODE);
    MUE_ASSERT(strstr(err, "feature 2") != NULL && strstr(err, "twice") != NULL);
    MUE_ASSERT_UINT_EQ(map.n, 0);
}

/* About 800 m by 1.1 km at 43 degrees north, with a 160 m by 220 m hole in its middle. */
static const char small_town[] =
    "{\"features\": [{\"properties\": {\"code\": \"13099\", \"nom\": \"Petite\"}, \"geometry\":"
    " {\"type\": \"Polygon\", \"coordinates\": ["
    "  [[5.0, 43.0], [5.0, 43.01], [5.01, 43.01], [5.01, 43.0], [5.0, 43.0]],"
    "  [[5.004, 43.004], [5.006, 43.004], [5.006, 43.006], [5.004, 43.006], [5.004, 43.004]]]}}]}";

static void test_placed_points_are_inside_within_the_radius_and_never_in_the_hole(void)
{
    const struct geo_commune *c;
    double lon, lat;

    MUE_ASSERT_INT_EQ(parse(small_town), MUE_OK);
    c = geo_find(&map, "13099");
    /* Anchored in the hole itself: every point must land around it. */
    for (uint64_t seed = 0; seed < 300; seed++) {
        MUE_ASSERT_INT_EQ(geo_place(c, 5.005, 43.005, 300, seed, &lon, &lat), MUE_OK);
        MUE_ASSERT_INT_EQ(geo_contains(c, lon, lat), 1);
        MUE_ASSERT(!(lon > 5.004 && lon < 5.006 && lat > 43.004 && lat < 43.006));
        MUE_ASSERT(geo_distance_m(5.005, 43.005, lon, lat) <= 300.2);
        /* Rounded to a millionth of a degree. */
        MUE_ASSERT_DBL_NEAR(lon * 1e6, round(lon * 1e6), 1e-6);
        MUE_ASSERT_DBL_NEAR(lat * 1e6, round(lat * 1e6), 1e-6);
    }
}

static void test_placement_is_a_function_of_the_seed(void)
{
    const struct geo_commune *c;
    double lon1, lat1, lon2, lat2;

    MUE_ASSERT_INT_EQ(parse(small_town), MUE_OK);
    c = geo_find(&map, "13099");
    MUE_ASSERT_INT_EQ(geo_place(c, 5.002, 43.002, 200, 42, &lon1, &lat1), MUE_OK);
    MUE_ASSERT_INT_EQ(geo_place(c, 5.002, 43.002, 200, 42, &lon2, &lat2), MUE_OK);
    MUE_ASSERT(lon1 == lon2 && lat1 == lat2);
    MUE_ASSERT_INT_EQ(geo_place(c, 5.002, 43.002, 200, 43, &lon2, &lat2), MUE_OK);
    MUE_ASSERT(lon1 != lon2 || lat1 != lat2);
}

/* Uniform over the disc: the mean distance to the centre is 2/3 of the radius (it would be 1/2 if
 * the radius were drawn uniformly, crowding points at the centre). */
static void test_placement_is_uniform_over_the_disc(void)
{
    const struct geo_commune *c;
    double lon, lat, sum = 0, north = 0;
    const int n = 4000;

    MUE_ASSERT_INT_EQ(parse(shapes), MUE_OK);
    c = geo_find(&map, "13001"); /* the 10-degree square: a 100 m disc never leaves it */
    for (int i = 0; i < n; i++) {
        MUE_ASSERT_INT_EQ(geo_place(c, 2, 2, 100, (uint64_t)i, &lon, &lat), MUE_OK);
        sum += geo_distance_m(2, 2, lon, lat) / 100;
        north += lat > 2;
    }
    MUE_ASSERT_DBL_NEAR(sum / n, 2.0 / 3.0, 0.02);
    MUE_ASSERT_DBL_NEAR(north / n, 0.5, 0.04);
}

static void test_placement_fails_far_from_the_commune_or_without_a_radius(void)
{
    const struct geo_commune *c;
    double lon = -1, lat = -1;

    MUE_ASSERT_INT_EQ(parse(small_town), MUE_OK);
    c = geo_find(&map, "13099");
    MUE_ASSERT_INT_EQ(geo_place(c, 5.2, 43.2, 500, 1, &lon, &lat), MUE_ENOENT);
    MUE_ASSERT_INT_EQ(geo_place(c, 5.005, 43.002, 0, 1, &lon, &lat), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(geo_place(c, 5.005, 43.002, -3, 1, &lon, &lat), MUE_EINVAL);
    MUE_ASSERT(lon == -1 && lat == -1);
}

static void test_distances_follow_the_earth(void)
{
    MUE_ASSERT_DBL_NEAR(geo_distance_m(5, 43, 5, 44), 111195.08, 1);
    /* A degree of longitude at 43 N is cos(43) of that. */
    MUE_ASSERT_DBL_NEAR(geo_distance_m(5, 43, 6, 43), 111195.08 * cos(43 * M_PI / 180), 10);
    /* Marseille's Vieux-Port to Aix's Cours Mirabeau: about 26 km. */
    MUE_ASSERT_DBL_NEAR(geo_distance_m(5.3740, 43.2951, 5.4480, 43.5266) / 1000, 26.3, 0.5);
}

static void test_the_real_file_holds_the_92_communes(void)
{
    const struct geo_commune *marseille, *aix;

    geo_free(&map);
    MUE_ASSERT_INT_EQ(geo_load(COMMUNES, &map, err, sizeof(err)), MUE_OK);
    MUE_ASSERT_UINT_EQ(map.n, 92);
    marseille = geo_find(&map, "13055");
    aix = geo_find(&map, "13001");
    MUE_ASSERT(marseille != NULL && aix != NULL);
    MUE_ASSERT_STR_EQ(marseille->name, "Marseille");
    MUE_ASSERT_STR_EQ(geo_find(&map, "84089")->name, "Pertuis");
    MUE_ASSERT_STR_EQ(geo_find(&map, "13028")->name, "La Ciotat");
    MUE_ASSERT_INT_EQ(geo_contains(marseille, 5.3740, 43.2951), 1); /* Vieux-Port */
    MUE_ASSERT_INT_EQ(geo_contains(marseille, 5.2950, 43.2800), 1); /* Frioul, an island */
    MUE_ASSERT_INT_EQ(geo_contains(aix, 5.3740, 43.2951), 0);
    MUE_ASSERT_INT_EQ(geo_contains(aix, 5.4480, 43.5266), 1); /* Cours Mirabeau */
    /* The Etang de Berre belongs to no commune. */
    for (size_t i = 0; i < map.n; i++)
        MUE_ASSERT_INT_EQ(geo_contains(&map.c[i], 5.10, 43.48), 0);
}

static void test_a_missing_file_is_enoent(void)
{
    geo_free(&map);
    MUE_ASSERT_INT_EQ(geo_load("deploy/data/geo/nope.geojson", &map, err, sizeof(err)), MUE_ENOENT);
    MUE_ASSERT(strstr(err, "nope.geojson") != NULL);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_a_polygon_holds_its_inside_but_not_its_hole_nor_the_outside),
        MUE_TEST(test_a_concave_polygon_leaves_out_its_notch),
        MUE_TEST(test_a_multipolygon_holds_each_part_and_an_island_in_a_hole),
        MUE_TEST(test_bad_documents_are_refused_with_the_feature_named),
        MUE_TEST(test_placed_points_are_inside_within_the_radius_and_never_in_the_hole),
        MUE_TEST(test_placement_is_a_function_of_the_seed),
        MUE_TEST(test_placement_is_uniform_over_the_disc),
        MUE_TEST(test_placement_fails_far_from_the_commune_or_without_a_radius),
        MUE_TEST(test_distances_follow_the_earth),
        MUE_TEST(test_the_real_file_holds_the_92_communes),
        MUE_TEST(test_a_missing_file_is_enoent),
    };
    int rc = mue_test_run("geo", tests);

    geo_free(&map);
    return rc;
}
