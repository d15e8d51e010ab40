/* test_dcat.c - the DCAT-AP catalogue: every field in the JSON-LD (read back with jansson),
 * escaping in JSON-LD and Turtle, Hydra paging, and refused input.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "dcat.h"
#include "mue_buf.h"
#include "mue_err.h"
#include "../mue_test.h"

#define BASE "https://data.mue.example"
#define EU   "http://publications.europa.eu/resource/authority/"

static const char *const keywords[] = { "bruit", "sonométrie" };

static const struct dcat_distribution dists[] = {
    { "CSV", "CSV", "text/csv", BASE "/opendata/bruit/bruit.csv", 12345, "2025-06-01T00:00:00Z" },
    { "GeoJSON (carte)", "GeoJSON", "application/geo+json", BASE "/opendata/bruit/bruit.geojson",
      -1, NULL },
};

static struct dcat_dataset dataset(const char *id)
{
    struct dcat_dataset d = {
        .id = id,
        .title = "Bruit urbain",
        .description = "Niveaux sonores LAeq par quart d'heure.",
        .landing_page = BASE "/donnees/bruit",
        .licence_url = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
        .licence_title = "Licence Ouverte v2.0",
        .frequency = "15min",
        .theme = "ENVI",
        .keywords = keywords,
        .nkeywords = 2,
        .temporal_start = "2024-01-01T00:00:00Z",
        .temporal_end = "2025-06-01T00:00:00Z",
        .issued = "2024-01-02",
        .modified = "2025-06-01T02:00:00+02:00",
        .dist = dists,
        .ndist = 2,
    };
    return d;
}

static struct dcat_catalog catalog(const struct dcat_dataset *ds, int nds)
{
    struct dcat_catalog c = {
        .base_url = BASE "/",
        .title = "Données ouvertes de la métropole",
        .description = "Capteurs de la ville.",
        .language = "fr",
        .homepage = BASE "/",
        .publisher_name = "Métropole Aix-Marseille-Provence",
        .publisher_url = "https://ampmetropole.fr",
        .contact_email = "opendata@mue.example",
        .spatial_name = "Aix-Marseille",
        .spatial_uri = "https://www.geonames.org/2995469",
        .bbox = { 4.8, 43.1, 5.9, 43.8 },
        .modified = "2025-06-01T02:00:00Z",
        .ds = ds,
        .nds = nds,
    };
    return c;
}

static json_t *parse_jsonld(const struct dcat_catalog *c, int page, int per_page)
{
    struct mue_buf b;
    json_error_t err;
    json_t *doc;

    mue_buf_init(&b, 0);
    MUE_ASSERT_INT_EQ(dcat_write_jsonld(c, page, per_page, &b), MUE_OK);
    doc = json_loads(b.data, 0, &err);
    if (!doc)
        fprintf(stderr, "  json: %s at line %d\n", err.text, err.line);
    mue_buf_fini(&b);
    MUE_ASSERT(doc != NULL);
    return doc;
}

static json_t *find_node(json_t *doc, const char *id)
{
    size_t i;
    json_t *n;

    json_array_foreach(json_object_get(doc, "@graph"), i, n)
    {
        const char *nid = json_string_value(json_object_get(n, "@id"));
        if (nid && strcmp(nid, id) == 0)
            return n;
    }
    return NULL;
}

/* The text of a member: a string, an {"@id"} or an {"@value"}; NULL when absent. */
static const char *text(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);

    if (json_is_object(v))
        v = json_object_get(v, json_object_get(v, "@id") ? "@id" : "@value");
    return json_string_value(v);
}

static const char *type_of(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(json_object_get(obj, key), "@type"));
}

static void test_jsonld_holds_every_field(void)
{
    struct dcat_dataset d = dataset("bruit");
    struct dcat_catalog c = catalog(&d, 1);
    json_t *doc = parse_jsonld(&c, 1, 10);
    json_t *cat = find_node(doc, BASE "/opendata/catalog");
    json_t *ds = find_node(doc, BASE "/opendata/bruit");

    MUE_ASSERT_STR_EQ(text(json_object_get(doc, "@context"), "dcat"), "http://www.w3.org/ns/dcat#");
    MUE_ASSERT(cat != NULL);
    MUE_ASSERT_STR_EQ(text(cat, "@type"), "dcat:Catalog");
    MUE_ASSERT_STR_EQ(text(cat, "dct:title"), "Données ouvertes de la métropole");
    MUE_ASSERT_STR_EQ(text(cat, "dct:description"), "Capteurs de la ville.");
    MUE_ASSERT_STR_EQ(text(cat, "dct:language"), EU "language/FRA");
    MUE_ASSERT_STR_EQ(text(cat, "foaf:homepage"), BASE "/");
    MUE_ASSERT_STR_EQ(text(cat, "dct:modified"), "2025-06-01T02:00:00Z");
    MUE_ASSERT_STR_EQ(type_of(cat, "dct:modified"), "xsd:dateTime");
    MUE_ASSERT_STR_EQ(text(cat, "dcat:dataset"), BASE "/opendata/bruit");
    json_t *agent = json_object_get(cat, "dct:publisher");
    MUE_ASSERT_STR_EQ(text(agent, "@id"), BASE "/opendata/catalog#publisher");
    MUE_ASSERT_STR_EQ(text(agent, "@type"), "foaf:Agent");
    MUE_ASSERT_STR_EQ(text(agent, "foaf:name"), "Métropole Aix-Marseille-Provence");
    MUE_ASSERT_STR_EQ(text(agent, "foaf:homepage"), "https://ampmetropole.fr");
    MUE_ASSERT(json_object_get(cat, "hydra:view") == NULL); /* one page: no paging */

    MUE_ASSERT(ds != NULL);
    MUE_ASSERT_STR_EQ(text(ds, "@type"), "dcat:Dataset");
    MUE_ASSERT_STR_EQ(text(ds, "dct:identifier"), BASE "/opendata/bruit");
    MUE_ASSERT_STR_EQ(text(ds, "dct:title"), "Bruit urbain");
    MUE_ASSERT_STR_EQ(text(ds, "dct:description"), "Niveaux sonores LAeq par quart d'heure.");
    json_t *kw = json_object_get(ds, "dcat:keyword");
    MUE_ASSERT_INT_EQ(json_array_size(kw), 2);
    MUE_ASSERT_STR_EQ(json_string_value(json_array_get(kw, 1)), "sonométrie");
    MUE_ASSERT_STR_EQ(text(ds, "dcat:theme"), EU "data-theme/ENVI");
    MUE_ASSERT_STR_EQ(text(ds, "dct:license"),
                      "https://www.etalab.gouv.fr/licence-ouverte-open-licence/");
    MUE_ASSERT_STR_EQ(text(ds, "dcat:landingPage"), BASE "/donnees/bruit");
    MUE_ASSERT_STR_EQ(text(ds, "dct:accrualPeriodicity"), EU "frequency/UPDATE_CONT");
    MUE_ASSERT_STR_EQ(text(ds, "dct:issued"), "2024-01-02");
    MUE_ASSERT_STR_EQ(type_of(ds, "dct:issued"), "xsd:date");
    MUE_ASSERT_STR_EQ(text(ds, "dct:modified"), "2025-06-01T02:00:00+02:00");
    MUE_ASSERT_STR_EQ(text(ds, "dct:publisher"), BASE "/opendata/catalog#publisher");

    json_t *spatial = json_object_get(ds, "dct:spatial");
    MUE_ASSERT_INT_EQ(json_array_size(spatial), 2);
    json_t *loc = json_array_get(spatial, 0);
    MUE_ASSERT_STR_EQ(text(loc, "@type"), "dct:Location");
    MUE_ASSERT_STR_EQ(text(loc, "skos:prefLabel"), "Aix-Marseille");
    json_t *geom = json_object_get(loc, "locn:geometry");
    MUE_ASSERT_STR_EQ(text(json_array_get(geom, 0), "@value"),
                      "POLYGON((4.8 43.1, 5.9 43.1, 5.9 43.8, 4.8 43.8, 4.8 43.1))");
    MUE_ASSERT_STR_EQ(text(json_array_get(geom, 0), "@type"), "gsp:wktLiteral");
    json_t *gj = json_loads(text(json_array_get(geom, 1), "@value"), 0, NULL);
    MUE_ASSERT(gj != NULL);
    MUE_ASSERT_STR_EQ(text(gj, "type"), "Polygon");
    json_decref(gj);
    MUE_ASSERT_STR_EQ(text(loc, "dcat:bbox"), text(json_array_get(geom, 0), "@value"));
    MUE_ASSERT_STR_EQ(text(json_array_get(spatial, 1), "@id"), "https://www.geonames.org/2995469");

    json_t *period = json_object_get(ds, "dct:temporal");
    MUE_ASSERT_STR_EQ(text(period, "@type"), "dct:PeriodOfTime");
    MUE_ASSERT_STR_EQ(text(period, "dcat:startDate"), "2024-01-01T00:00:00Z");
    MUE_ASSERT_STR_EQ(type_of(period, "dcat:startDate"), "xsd:dateTime");
    MUE_ASSERT_STR_EQ(text(period, "dcat:endDate"), "2025-06-01T00:00:00Z");

    json_t *contact = json_object_get(ds, "dcat:contactPoint");
    MUE_ASSERT_STR_EQ(text(contact, "@type"), "vcard:Kind");
    MUE_ASSERT_STR_EQ(text(contact, "vcard:hasEmail"), "mailto:opendata@mue.example");

    json_t *dist = json_object_get(ds, "dcat:distribution");
    MUE_ASSERT_INT_EQ(json_array_size(dist), 2);
    json_t *csv = json_array_get(dist, 0), *geo = json_array_get(dist, 1);
    MUE_ASSERT_STR_EQ(text(csv, "@id"), BASE "/opendata/bruit#distribution-1");
    MUE_ASSERT_STR_EQ(text(csv, "@type"), "dcat:Distribution");
    MUE_ASSERT_STR_EQ(text(csv, "dct:title"), "CSV");
    MUE_ASSERT_STR_EQ(text(csv, "dct:format"), EU "file-type/CSV");
    MUE_ASSERT_STR_EQ(text(csv, "dcat:mediaType"),
                      "https://www.iana.org/assignments/media-types/text/csv");
    MUE_ASSERT_STR_EQ(text(csv, "dcat:accessURL"), BASE "/opendata/bruit/bruit.csv");
    MUE_ASSERT_STR_EQ(text(csv, "dcat:downloadURL"), BASE "/opendata/bruit/bruit.csv");
    MUE_ASSERT_STR_EQ(text(csv, "dcat:byteSize"), "12345");
    MUE_ASSERT_STR_EQ(type_of(csv, "dcat:byteSize"), "xsd:decimal");
    MUE_ASSERT_STR_EQ(text(csv, "dct:license"), text(ds, "dct:license"));
    MUE_ASSERT_STR_EQ(text(csv, "dct:modified"), "2025-06-01T00:00:00Z");
    MUE_ASSERT_STR_EQ(text(geo, "dct:format"), EU "file-type/GEOJSON");
    MUE_ASSERT(json_object_get(geo, "dcat:byteSize") == NULL); /* unknown size */
    MUE_ASSERT(json_object_get(geo, "dct:modified") == NULL);

    json_t *lic = find_node(doc, "https://www.etalab.gouv.fr/licence-ouverte-open-licence/");
    MUE_ASSERT_STR_EQ(text(lic, "@type"), "dct:LicenseDocument");
    MUE_ASSERT_STR_EQ(text(lic, "dct:title"), "Licence Ouverte v2.0");
    json_decref(doc);
}

#define NASTY "Il a dit \"bonjour\\\" à\nl'école\t\x01 ✓"

static void test_jsonld_escapes_quotes_newlines_and_keeps_utf8(void)
{
    struct dcat_dataset d = dataset("bruit");
    struct dcat_catalog c = catalog(&d, 1);
    struct mue_buf b;

    d.title = NASTY;
    json_t *doc = parse_jsonld(&c, 1, 10);
    MUE_ASSERT_STR_EQ(text(find_node(doc, BASE "/opendata/bruit"), "dct:title"), NASTY);
    json_decref(doc);

    mue_buf_init(&b, 0);
    MUE_ASSERT_INT_EQ(dcat_write_jsonld(&c, 1, 10, &b), MUE_OK);
    MUE_ASSERT(strstr(b.data, "à") != NULL); /* UTF-8 as it is, not \u00e0 */
    MUE_ASSERT(strstr(b.data, "\\u0001") != NULL);
    mue_buf_fini(&b);
}

static void test_turtle_escapes_quotes_newlines_and_keeps_utf8(void)
{
    struct dcat_dataset d = dataset("bruit");
    struct dcat_catalog c = catalog(&d, 1);
    struct mue_buf b;

    d.title = NASTY;
    mue_buf_init(&b, 0);
    MUE_ASSERT_INT_EQ(dcat_write_turtle(&c, 1, 10, &b), MUE_OK);
    MUE_ASSERT(
        strstr(b.data, "dct:title \"Il a dit \\\"bonjour\\\\\\\" à\\nl'école\\t\\u0001 ✓\" ;") !=
        NULL);
    MUE_ASSERT(strstr(b.data, "@prefix dcat: <http://www.w3.org/ns/dcat#> .") != NULL);
    MUE_ASSERT(strstr(b.data, "dcat:byteSize \"12345\"^^xsd:decimal") != NULL);
    MUE_ASSERT(strstr(b.data, "^^<https://www.iana.org/assignments/media-types/application/"
                              "vnd.geo+json>") != NULL);
    MUE_ASSERT(strstr(b.data,
                      "<" BASE "/opendata/bruit#distribution-2>\n    a dcat:Distribution") != NULL);
    mue_buf_fini(&b);
}

static void test_five_datasets_two_per_page_make_three_pages(void)
{
    struct dcat_dataset ds[5] = { dataset("a"), dataset("b"), dataset("c"), dataset("d"),
                                  dataset("e") };
    struct dcat_catalog c = catalog(ds, 5);

    MUE_ASSERT_INT_EQ(dcat_pages(5, 2), 3);
    MUE_ASSERT_INT_EQ(dcat_pages(4, 2), 2);
    MUE_ASSERT_INT_EQ(dcat_pages(0, 2), 1);

    json_t *doc = parse_jsonld(&c, 2, 2);
    json_t *cat = find_node(doc, BASE "/opendata/catalog");
    json_t *types = json_object_get(cat, "@type");
    MUE_ASSERT_STR_EQ(json_string_value(json_array_get(types, 1)), "hydra:Collection");
    MUE_ASSERT_STR_EQ(text(cat, "hydra:totalItems"), "5");
    json_t *listed = json_object_get(cat, "dcat:dataset");
    MUE_ASSERT_INT_EQ(json_array_size(listed), 2);
    MUE_ASSERT_STR_EQ(text(json_array_get(listed, 0), "@id"), BASE "/opendata/c");
    MUE_ASSERT_STR_EQ(text(json_array_get(listed, 1), "@id"), BASE "/opendata/d");
    MUE_ASSERT(find_node(doc, BASE "/opendata/b") == NULL);
    MUE_ASSERT(find_node(doc, BASE "/opendata/c") != NULL);
    json_t *view = json_object_get(cat, "hydra:view");
    MUE_ASSERT_STR_EQ(text(view, "@id"), BASE "/opendata/catalog-2.jsonld");
    MUE_ASSERT_STR_EQ(text(view, "@type"), "hydra:PartialCollectionView");
    MUE_ASSERT_STR_EQ(text(view, "hydra:first"), BASE "/opendata/catalog.jsonld");
    MUE_ASSERT_STR_EQ(text(view, "hydra:last"), BASE "/opendata/catalog-3.jsonld");
    MUE_ASSERT_STR_EQ(text(view, "hydra:next"), BASE "/opendata/catalog-3.jsonld");
    MUE_ASSERT_STR_EQ(text(view, "hydra:previous"), BASE "/opendata/catalog.jsonld");
    json_decref(doc);

    doc = parse_jsonld(&c, 1, 2);
    view = json_object_get(find_node(doc, BASE "/opendata/catalog"), "hydra:view");
    MUE_ASSERT_STR_EQ(text(view, "hydra:next"), BASE "/opendata/catalog-2.jsonld");
    MUE_ASSERT(json_object_get(view, "hydra:previous") == NULL);
    json_decref(doc);

    doc = parse_jsonld(&c, 3, 2);
    cat = find_node(doc, BASE "/opendata/catalog");
    view = json_object_get(cat, "hydra:view");
    MUE_ASSERT(json_object_get(view, "hydra:next") == NULL);
    MUE_ASSERT_STR_EQ(text(view, "hydra:previous"), BASE "/opendata/catalog-2.jsonld");
    MUE_ASSERT_STR_EQ(text(cat, "dcat:dataset"), BASE "/opendata/e");
    json_decref(doc);

    struct mue_buf b;
    mue_buf_init(&b, 0);
    MUE_ASSERT_INT_EQ(dcat_write_turtle(&c, 2, 2, &b), MUE_OK);
    MUE_ASSERT(strstr(b.data, "hydra:next <" BASE "/opendata/catalog-3.ttl>") != NULL);
    MUE_ASSERT(strstr(b.data, "hydra:previous <" BASE "/opendata/catalog.ttl>") != NULL);
    mue_buf_fini(&b);
}

static void test_page_file_names(void)
{
    char name[32];

    MUE_ASSERT_INT_EQ(dcat_page_file(name, sizeof(name), 1, "jsonld"), MUE_OK);
    MUE_ASSERT_STR_EQ(name, "catalog.jsonld");
    MUE_ASSERT_INT_EQ(dcat_page_file(name, sizeof(name), 12, "ttl"), MUE_OK);
    MUE_ASSERT_STR_EQ(name, "catalog-12.ttl");
    MUE_ASSERT_INT_EQ(dcat_page_file(name, sizeof(name), 0, "ttl"), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(dcat_page_file(name, sizeof(name), 1, "rdf"), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(dcat_page_file(name, 8, 1, "jsonld"), MUE_EINVAL);
}

static void test_bad_page_is_refused_and_out_untouched(void)
{
    struct dcat_dataset ds[5] = { dataset("a"), dataset("b"), dataset("c"), dataset("d"),
                                  dataset("e") };
    struct dcat_catalog c = catalog(ds, 5);
    struct mue_buf b;

    mue_buf_init(&b, 0);
    mue_buf_append_str(&b, "kept");
    MUE_ASSERT_INT_EQ(dcat_write_jsonld(&c, 0, 2, &b), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(dcat_write_jsonld(&c, 4, 2, &b), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(dcat_write_turtle(&c, 4, 2, &b), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(dcat_write_turtle(&c, 1, 0, &b), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(dcat_pages(5, 0), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(dcat_pages(-1, 2), MUE_EINVAL);
    MUE_ASSERT_STR_EQ(b.data, "kept");
    mue_buf_fini(&b);
}

/* Each refused for its own reason; the buffer stays as it was. */
static void test_bad_fields_are_refused(void)
{
    struct dcat_distribution bad_dist[1] = { dists[0] };
    struct dcat_dataset d;
    struct dcat_catalog c;
    struct mue_buf b;

    mue_buf_init(&b, 0);
#define REFUSED(setup)                                                                             \
    do {                                                                                           \
        d = dataset("bruit");                                                                      \
        c = catalog(&d, 1);                                                                        \
        bad_dist[0] = dists[0];                                                                    \
        setup;                                                                                     \
        MUE_ASSERT_INT_EQ(dcat_write_jsonld(&c, 1, 10, &b), MUE_EINVAL);                           \
        MUE_ASSERT_INT_EQ(dcat_write_turtle(&c, 1, 10, &b), MUE_EINVAL);                           \
    } while (0)
    REFUSED(d.title = "caf\xc3");        /* truncated UTF-8 */
    REFUSED(d.description = "\xc0\xaf"); /* overlong */
    REFUSED(d.title = NULL);
    REFUSED(d.id = "bruit/../x");
    REFUSED(d.landing_page = "https://x/a b");
    REFUSED(d.licence_url = "etalab.gouv.fr/lo"); /* relative */
    REFUSED(d.frequency = "yearly");
    REFUSED(d.theme = "NOISE");
    REFUSED(d.temporal_start = "2024-13-01");
    REFUSED(d.modified = "2024-01-01 10:00");
    REFUSED(c.base_url = "ftp://x");
    REFUSED(c.language = "french");
    REFUSED(c.contact_email = "nobody");
    REFUSED(c.bbox[2] = 1.0); /* east < west */
    REFUSED((d.dist = bad_dist, bad_dist[0].url = NULL));
    REFUSED((d.dist = bad_dist, bad_dist[0].media_type = "text csv"));
    REFUSED((d.dist = bad_dist, bad_dist[0].url = "https://x/<y>"));
#undef REFUSED
    MUE_ASSERT(b.data == NULL);
    mue_buf_fini(&b);
}

static void test_ceiling_gives_e2big_and_out_untouched(void)
{
    struct dcat_dataset d = dataset("bruit");
    struct dcat_catalog c = catalog(&d, 1);
    struct mue_buf b;

    mue_buf_init(&b, 100);
    MUE_ASSERT_INT_EQ(dcat_write_turtle(&c, 1, 10, &b), MUE_E2BIG);
    MUE_ASSERT_INT_EQ(b.len, 0);
    mue_buf_fini(&b);
}

static void test_empty_catalog_is_one_page_without_datasets(void)
{
    struct dcat_catalog c = catalog(NULL, 0);
    json_t *doc = parse_jsonld(&c, 1, 10);
    json_t *cat = find_node(doc, BASE "/opendata/catalog");

    MUE_ASSERT(cat != NULL);
    MUE_ASSERT(json_object_get(cat, "dcat:dataset") == NULL);
    MUE_ASSERT_INT_EQ(json_array_size(json_object_get(doc, "@graph")), 1);
    json_decref(doc);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_jsonld_holds_every_field),
        MUE_TEST(test_jsonld_escapes_quotes_newlines_and_keeps_utf8),
        MUE_TEST(test_turtle_escapes_quotes_newlines_and_keeps_utf8),
        MUE_TEST(test_five_datasets_two_per_page_make_three_pages),
        MUE_TEST(test_page_file_names),
        MUE_TEST(test_bad_page_is_refused_and_out_untouched),
        MUE_TEST(test_bad_fields_are_refused),
        MUE_TEST(test_ceiling_gives_e2big_and_out_untouched),
        MUE_TEST(test_empty_catalog_is_one_page_without_datasets),
    };
    return mue_test_run("dcat", tests);
}
