/* geo.c - communes from GeoJSON, point-in-polygon and deterministic placement inside a commune.
 * SPDX-License-Identifier: MIT */
#include "geo.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mue_err.h"
#include "sim.h"

#define EARTH_RADIUS_M 6371008.8
#define DEG            (M_PI / 180.0)

/* Purpose tags of the draws of geo_place(), so that they do not reuse a signal's randomness. */
#define TAG_RADIUS UINT64_C(0x67656f7261640001)
#define TAG_ANGLE  UINT64_C(0x67656f616e670002)

static void free_polygon(struct geo_polygon *p)
{
    for (size_t i = 0; i < p->nrings; i++)
        free(p->ring[i].pt);
    free(p->ring);
    p->ring = NULL;
    p->nrings = 0;
}

static void free_commune(struct geo_commune *c)
{
    for (size_t i = 0; i < c->npoly; i++)
        free_polygon(&c->poly[i]);
    free(c->poly);
    c->poly = NULL;
    c->npoly = 0;
}

void geo_free(struct geo_map *m)
{
    for (size_t i = 0; i < m->n; i++)
        free_commune(&m->c[i]);
    free(m->c);
    m->c = NULL;
    m->n = 0;
}

/* A ring: an array of at least 4 [lon, lat] positions. */
static int parse_ring(const json_t *j, struct geo_ring *r)
{
    size_t n = json_array_size(j);

    if (!json_is_array(j) || n < 4)
        return MUE_EDECODE;
    r->pt = malloc(2 * n * sizeof(double));
    if (r->pt == NULL)
        return MUE_ENOMEM;
    r->n = n;
    for (size_t i = 0; i < n; i++) {
        const json_t *pos = json_array_get(j, i);
        const json_t *x = json_array_get(pos, 0), *y = json_array_get(pos, 1);
        if (!json_is_number(x) || !json_is_number(y))
            return MUE_EDECODE;
        r->pt[2 * i] = json_number_value(x);
        r->pt[2 * i + 1] = json_number_value(y);
    }
    return MUE_OK;
}

/* A polygon: an array of rings, the outline first. */
static int parse_polygon(const json_t *j, struct geo_polygon *p)
{
    size_t n = json_array_size(j);
    int rc;

    if (!json_is_array(j) || n == 0)
        return MUE_EDECODE;
    p->ring = calloc(n, sizeof(*p->ring));
    if (p->ring == NULL)
        return MUE_ENOMEM;
    p->nrings = n;
    for (size_t i = 0; i < n; i++) {
        rc = parse_ring(json_array_get(j, i), &p->ring[i]);
        if (rc < 0)
            return rc;
    }
    p->min_lon = p->max_lon = p->ring[0].pt[0];
    p->min_lat = p->max_lat = p->ring[0].pt[1];
    for (size_t i = 1; i < p->ring[0].n; i++) {
        double x = p->ring[0].pt[2 * i], y = p->ring[0].pt[2 * i + 1];
        p->min_lon = fmin(p->min_lon, x);
        p->max_lon = fmax(p->max_lon, x);
        p->min_lat = fmin(p->min_lat, y);
        p->max_lat = fmax(p->max_lat, y);
    }
    return MUE_OK;
}

static int parse_geometry(const json_t *g, struct geo_commune *c)
{
    const char *type = json_string_value(json_object_get(g, "type"));
    const json_t *coords = json_object_get(g, "coordinates");
    int multi, rc;

    if (type == NULL || !json_is_array(coords))
        return MUE_EDECODE;
    if (strcmp(type, "Polygon") == 0)
        multi = 0;
    else if (strcmp(type, "MultiPolygon") == 0)
        multi = 1;
    else
        return MUE_EDECODE;
    c->npoly = multi ? json_array_size(coords) : 1;
    if (c->npoly == 0)
        return MUE_EDECODE;
    c->poly = calloc(c->npoly, sizeof(*c->poly));
    if (c->poly == NULL) {
        c->npoly = 0;
        return MUE_ENOMEM;
    }
    for (size_t i = 0; i < c->npoly; i++) {
        rc = parse_polygon(multi ? json_array_get(coords, i) : coords, &c->poly[i]);
        if (rc < 0)
            return rc;
    }
    return MUE_OK;
}

static int valid_insee(const char *s)
{
    if (strlen(s) != 5 || s[0] < '0' || s[0] > '9')
        return 0;
    if (!(s[1] >= '0' && s[1] <= '9') && s[1] != 'A' && s[1] != 'B')
        return 0;
    for (int i = 2; i < 5; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

int geo_parse(const json_t *fc, struct geo_map *out, char *err, size_t cap)
{
    const json_t *features = json_object_get(fc, "features");
    size_t n = json_array_size(features);
    int rc;

    memset(out, 0, sizeof(*out));
    if (!json_is_array(features) || n == 0) {
        snprintf(err, cap, "not a FeatureCollection with features");
        return MUE_EDECODE;
    }
    out->c = calloc(n, sizeof(*out->c));
    if (out->c == NULL) {
        snprintf(err, cap, "out of memory");
        return MUE_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        const json_t *f = json_array_get(features, i);
        const json_t *props = json_object_get(f, "properties");
        const char *code = json_string_value(json_object_get(props, "code"));
        const char *nom = json_string_value(json_object_get(props, "nom"));
        struct geo_commune *c = &out->c[out->n++];

        if (code == NULL || nom == NULL || !valid_insee(code) || strlen(nom) >= sizeof(c->name)) {
            snprintf(err, cap, "feature %zu: properties code (an INSEE code) and nom are required",
                     i + 1);
            geo_free(out);
            return MUE_EDECODE;
        }
        memcpy(c->insee, code, 6);
        memcpy(c->name, nom, strlen(nom) + 1);
        if (geo_find(out, code) != c) {
            snprintf(err, cap, "feature %zu: INSEE code %s appears twice", i + 1, code);
            geo_free(out);
            return MUE_EDECODE;
        }
        rc = parse_geometry(json_object_get(f, "geometry"), c);
        if (rc < 0) {
            snprintf(err, cap, "feature %zu (%s %s): %s", i + 1, code, nom,
                     rc == MUE_ENOMEM ? "out of memory"
                                      : "geometry is not a Polygon or MultiPolygon of closed "
                                        "rings of [lon, lat]");
            geo_free(out);
            return rc;
        }
    }
    return MUE_OK;
}

int geo_load(const char *path, struct geo_map *out, char *err, size_t cap)
{
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    int rc;

    memset(out, 0, sizeof(*out));
    if (root == NULL) {
        snprintf(err, cap, "%s:%d: %s", path, je.line, je.text);
        return je.line <= 0 ? MUE_ENOENT : MUE_EDECODE;
    }
    rc = geo_parse(root, out, err, cap);
    json_decref(root);
    return rc;
}

const struct geo_commune *geo_find(const struct geo_map *m, const char *insee)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->c[i].insee, insee) == 0)
            return &m->c[i];
    return NULL;
}

/* Even-odd rule: a ray from the point towards +lon crosses the ring an odd number of times. The
 * half-open test on latitudes counts a vertex on the ray once. */
static int ring_contains(const struct geo_ring *r, double x, double y)
{
    int in = 0;

    for (size_t i = 0, j = r->n - 1; i < r->n; j = i++) {
        double xi = r->pt[2 * i], yi = r->pt[2 * i + 1];
        double xj = r->pt[2 * j], yj = r->pt[2 * j + 1];
        if ((yi > y) != (yj > y) && x < xj + (y - yj) * (xi - xj) / (yi - yj))
            in = !in;
    }
    return in;
}

int geo_contains(const struct geo_commune *c, double lon, double lat)
{
    for (size_t i = 0; i < c->npoly; i++) {
        const struct geo_polygon *p = &c->poly[i];
        int in;

        if (lon < p->min_lon || lon > p->max_lon || lat < p->min_lat || lat > p->max_lat)
            continue;
        in = ring_contains(&p->ring[0], lon, lat);
        for (size_t h = 1; in && h < p->nrings; h++)
            if (ring_contains(&p->ring[h], lon, lat))
                in = 0;
        if (in)
            return 1;
    }
    return 0;
}

int geo_place(const struct geo_commune *c, double lon, double lat, double radius_m, uint64_t seed,
              double *out_lon, double *out_lat)
{
    /* Metres per degree of latitude, and of longitude at the anchor's latitude. */
    double m_lat = EARTH_RADIUS_M * DEG, m_lon = m_lat * cos(lat * DEG);

    if (!(radius_m > 0) || !(m_lon > 0))
        return MUE_EINVAL;
    for (uint64_t k = 0; k < GEO_PLACE_TRIES; k++) {
        /* sqrt: uniform over the disc's area, not crowded at its centre. */
        double r = radius_m * sqrt(sim_uniform(seed, k, TAG_RADIUS));
        double a = 2.0 * M_PI * sim_uniform(seed, k, TAG_ANGLE);
        double x = round((lon + r * cos(a) / m_lon) * 1e6) / 1e6;
        double y = round((lat + r * sin(a) / m_lat) * 1e6) / 1e6;
        if (geo_contains(c, x, y)) {
            *out_lon = x;
            *out_lat = y;
            return MUE_OK;
        }
    }
    return MUE_ENOENT;
}

double geo_distance_m(double lon1, double lat1, double lon2, double lat2)
{
    double dlat = (lat2 - lat1) * DEG, dlon = (lon2 - lon1) * DEG;
    double h = sin(dlat / 2) * sin(dlat / 2) +
               cos(lat1 * DEG) * cos(lat2 * DEG) * sin(dlon / 2) * sin(dlon / 2);

    return 2.0 * EARTH_RADIUS_M * asin(fmin(1.0, sqrt(h)));
}
