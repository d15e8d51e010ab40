/* geo.h - the communes of the metropolis (deploy/data/geo/amp-communes.geojson): find one by its
 * INSEE code, tell whether a point lies inside it, and place a point inside it.
 * Coordinates are WGS84 degrees, longitude first as in GeoJSON; distances are small enough (a few
 * km) for a local flat approximation.
 * SPDX-License-Identifier: MIT */
#ifndef GEO_H
#define GEO_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/* How many random candidates geo_place() draws before it gives up. */
#define GEO_PLACE_TRIES 1000

/* A closed ring of n points (lon, lat pairs in pt[2 * i], pt[2 * i + 1]); the closing point may or
 * may not repeat the first. */
struct geo_ring {
    size_t n;
    double *pt;
};

/* One polygon: ring[0] is its outline, ring[1..] its holes. */
struct geo_polygon {
    size_t nrings;
    struct geo_ring *ring;
    double min_lon, min_lat, max_lon, max_lat; /* of the outline */
};

/* One commune: a Polygon (npoly 1) or a MultiPolygon. */
struct geo_commune {
    char insee[6]; /* properties.code: "13001" */
    char name[64]; /* properties.nom: "Aix-en-Provence" */
    size_t npoly;
    struct geo_polygon *poly;
};

struct geo_map {
    size_t n;
    struct geo_commune *c;
};

/* Reads a GeoJSON FeatureCollection whose features carry properties "code" (INSEE) and "nom" and a
 * Polygon or MultiPolygon geometry. Returns 0 with *out filled (free it with geo_free()), or
 * MUE_EDECODE (MUE_ENOENT when the file cannot be read) with the reason in err. */
int geo_load(const char *path, struct geo_map *out, char *err, size_t cap);

/* The same from an already parsed document (borrowed). */
int geo_parse(const json_t *fc, struct geo_map *out, char *err, size_t cap);

/* Frees what geo_load() or geo_parse() allocated and empties *m. Accepts an empty map. */
void geo_free(struct geo_map *m);

/* Finds the commune of INSEE code 'insee'. Returns it (borrowed from m), or NULL. */
const struct geo_commune *geo_find(const struct geo_map *m, const char *insee);

/* Returns 1 when (lon, lat) lies inside one of the commune's polygons and in none of that
 * polygon's holes, else 0 (points exactly on an edge may fall either way). */
int geo_contains(const struct geo_commune *c, double lon, double lat);

/* Places a point inside 'c' within 'radius_m' metres of the anchor (lon, lat): draws candidates
 * uniformly in that disc, each from (seed, try number) only, rounded to 1e-6 degree, and keeps the
 * first one inside the commune. The same arguments always give the same point. Returns 0 with
 * *out_lon, *out_lat set, MUE_EINVAL for a radius that is not > 0, or MUE_ENOENT when none of
 * GEO_PLACE_TRIES candidates fell inside (the anchor is too far from the commune). */
int geo_place(const struct geo_commune *c, double lon, double lat, double radius_m, uint64_t seed,
              double *out_lon, double *out_lat);

/* The distance in metres between two points (haversine on a sphere of the Earth's mean radius). */
double geo_distance_m(double lon1, double lat1, double lon2, double lat2);

#endif
