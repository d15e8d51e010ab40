/* dcat.c - the DCAT-AP catalogue: checks the input, builds one page of it as an RDF tree
 * (dcat_graph.h) and hands it to the JSON-LD or Turtle writer.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcat.h"
#include "dcat_check.h"
#include "dcat_graph.h"
#include "dcat_vocab.h"
#include "mue_err.h"
#include "mue_log.h"
#include "mue_mem.h"

#define IANA_MEDIA_TYPES "https://www.iana.org/assignments/media-types/"
/* GeoDCAT-AP 2's datatype for a GeoJSON geometry; data.gouv.fr reads it (and not every
 * harvester reads WKT), so the bbox is given both ways. */
#define GEOJSON_LITERAL IANA_MEDIA_TYPES "application/vnd.geo+json"

enum syntax { SYNTAX_JSONLD, SYNTAX_TURTLE };

static int invalid(const char *dataset, const char *field, const char *reason)
{
    char id[80];

    mue_log_warn("dcat.invalid", "dataset=\"%s\" field=%s reason=\"%s\"",
                 mue_log_quote(id, sizeof(id), dataset ? dataset : "-"), field, reason);
    return MUE_EINVAL;
}

/* ---- input checks: everything is refused here, so building cannot fail ---- */

static int check_text(const char *ds, const char *field, const char *s, int required)
{
    if (!s)
        return required ? invalid(ds, field, "missing") : MUE_OK;
    if (required && !*s)
        return invalid(ds, field, "empty");
    return dcat_is_utf8(s) ? MUE_OK : invalid(ds, field, "not UTF-8");
}

static int check_iri(const char *ds, const char *field, const char *s, int required)
{
    if (!s)
        return required ? invalid(ds, field, "missing") : MUE_OK;
    return dcat_is_iri(s) ? MUE_OK : invalid(ds, field, "not an absolute IRI");
}

static int check_date(const char *ds, const char *field, const char *s)
{
    if (!s || dcat_date_type(s))
        return MUE_OK;
    return invalid(ds, field, "not an ISO 8601 date or date-time");
}

static int has_bbox(const double *b)
{
    return b[0] != 0 || b[1] != 0 || b[2] != 0 || b[3] != 0;
}

static int check_catalog(const struct dcat_catalog *c)
{
    const double *b = c->bbox;
    int rc = MUE_OK;

    if (rc == MUE_OK)
        rc = check_iri(NULL, "base_url", c->base_url, 1);
    if (rc == MUE_OK && strncmp(c->base_url, "http", 4) != 0)
        rc = invalid(NULL, "base_url", "not an http(s) URL");
    if (rc == MUE_OK)
        rc = check_text(NULL, "title", c->title, 1);
    if (rc == MUE_OK)
        rc = check_text(NULL, "description", c->description, 0);
    if (rc == MUE_OK && c->language && !dcat_vocab_language(c->language))
        rc = invalid(NULL, "language", "not a known ISO 639-1 code");
    if (rc == MUE_OK)
        rc = check_iri(NULL, "homepage", c->homepage, 0);
    if (rc == MUE_OK)
        rc = check_text(NULL, "publisher_name", c->publisher_name, 0);
    if (rc == MUE_OK)
        rc = check_iri(NULL, "publisher_url", c->publisher_url, 0);
    if (rc == MUE_OK && c->contact_email) {
        char mailto[512];
        int n = snprintf(mailto, sizeof(mailto), "mailto:%s", c->contact_email);
        if (n < 0 || (size_t)n >= sizeof(mailto) || !strchr(c->contact_email, '@') ||
            !dcat_is_iri(mailto))
            rc = invalid(NULL, "contact_email", "not an e-mail address");
    }
    if (rc == MUE_OK)
        rc = check_text(NULL, "spatial_name", c->spatial_name, 0);
    if (rc == MUE_OK)
        rc = check_iri(NULL, "spatial_uri", c->spatial_uri, 0);
    if (rc == MUE_OK && has_bbox(b) &&
        !(isfinite(b[0]) && isfinite(b[1]) && isfinite(b[2]) && isfinite(b[3]) && b[0] >= -180 &&
          b[0] < b[2] && b[2] <= 180 && b[1] >= -90 && b[1] < b[3] && b[3] <= 90))
        rc = invalid(NULL, "bbox", "not west < east in [-180,180], south < north in [-90,90]");
    if (rc == MUE_OK)
        rc = check_date(NULL, "modified", c->modified);
    if (rc == MUE_OK && c->nds < 0)
        rc = invalid(NULL, "nds", "negative");
    if (rc == MUE_OK && c->nds > 0 && !c->ds)
        rc = invalid(NULL, "ds", "missing");
    return rc;
}

static int check_distribution(const char *ds, const struct dcat_distribution *d)
{
    int rc = check_text(ds, "dist.title", d->title, 0);

    if (rc == MUE_OK)
        rc = check_text(ds, "dist.format", d->format, 1);
    if (rc == MUE_OK && d->media_type && !dcat_is_media_type(d->media_type))
        rc = invalid(ds, "dist.media_type", "not a type/subtype media type");
    if (rc == MUE_OK)
        rc = check_iri(ds, "dist.url", d->url, 1);
    if (rc == MUE_OK)
        rc = check_date(ds, "dist.modified", d->modified);
    return rc;
}

static int check_dataset(const struct dcat_dataset *d)
{
    const char *ds = d->id;
    int rc = MUE_OK;

    if (!dcat_is_slug(d->id))
        return invalid(ds, "id", "not a slug of [A-Za-z0-9._-]");
    if (rc == MUE_OK)
        rc = check_text(ds, "title", d->title, 1);
    if (rc == MUE_OK)
        rc = check_text(ds, "description", d->description, 1);
    if (rc == MUE_OK)
        rc = check_iri(ds, "landing_page", d->landing_page, 0);
    if (rc == MUE_OK)
        rc = check_iri(ds, "licence_url", d->licence_url, 0);
    if (rc == MUE_OK)
        rc = check_text(ds, "licence_title", d->licence_title, 0);
    if (rc == MUE_OK && d->frequency && !dcat_vocab_frequency(d->frequency))
        rc = invalid(ds, "frequency", "not 15min, hourly, daily, weekly or monthly");
    if (rc == MUE_OK && d->theme && !dcat_vocab_theme(d->theme))
        rc = invalid(ds, "theme", "not a data.europa.eu data theme code");
    if (rc == MUE_OK && (d->nkeywords < 0 || (d->nkeywords > 0 && !d->keywords)))
        rc = invalid(ds, "keywords", "count and array disagree");
    for (int i = 0; rc == MUE_OK && i < d->nkeywords; i++)
        rc = check_text(ds, "keywords", d->keywords[i], 1);
    if (rc == MUE_OK)
        rc = check_date(ds, "temporal_start", d->temporal_start);
    if (rc == MUE_OK)
        rc = check_date(ds, "temporal_end", d->temporal_end);
    if (rc == MUE_OK)
        rc = check_date(ds, "issued", d->issued);
    if (rc == MUE_OK)
        rc = check_date(ds, "modified", d->modified);
    if (rc == MUE_OK && (d->ndist < 0 || (d->ndist > 0 && !d->dist)))
        rc = invalid(ds, "dist", "count and array disagree");
    for (int i = 0; rc == MUE_OK && i < d->ndist; i++)
        rc = check_distribution(ds, &d->dist[i]);
    return rc;
}

/* ---- building the tree ---- */

/* A string made with printf, for the IRIs built from base_url. */
static char *format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *format(const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    s = mue_xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

static void add_date(struct dcat_node *n, const char *pred, const char *date)
{
    if (date)
        dcat_node_add_literal(n, pred, date, dcat_date_type(date));
}

static void add_text(struct dcat_node *n, const char *pred, const char *text)
{
    if (text)
        dcat_node_add_literal(n, pred, text, NULL);
}

static void add_iri(struct dcat_node *n, const char *pred, const char *iri)
{
    if (iri)
        dcat_node_add_iri(n, pred, iri);
}

/* Where the IRIs of one page come from. */
struct page_ctx {
    const struct dcat_catalog *c;
    const char *base; /* base_url without its trailing slashes */
    int baselen;
    const char *ext; /* "jsonld" or "ttl" */
    int page, pages;
};

static char *page_url(const struct page_ctx *p, int page)
{
    char name[64];

    dcat_page_file(name, sizeof(name), page, p->ext);
    return format("%.*s/opendata/%s", p->baselen, p->base, name);
}

static void add_spatial(struct dcat_node *ds, const struct dcat_catalog *c)
{
    const double *b = c->bbox;

    if (has_bbox(b) || c->spatial_name) {
        struct dcat_node *loc = dcat_node_add_node(ds, "dct:spatial", NULL);
        dcat_node_add_type(loc, "dct:Location");
        add_text(loc, "skos:prefLabel", c->spatial_name);
        if (has_bbox(b)) {
            /* Counter-clockwise from the south-west corner; WKT without a CRS is lon lat. */
            char *wkt = format("POLYGON((%.10g %.10g, %.10g %.10g, %.10g %.10g, %.10g %.10g, "
                               "%.10g %.10g))",
                               b[0], b[1], b[2], b[1], b[2], b[3], b[0], b[3], b[0], b[1]);
            char *geojson = format("{\"type\":\"Polygon\",\"coordinates\":[[[%.10g,%.10g],"
                                   "[%.10g,%.10g],[%.10g,%.10g],[%.10g,%.10g],[%.10g,%.10g]]]}",
                                   b[0], b[1], b[2], b[1], b[2], b[3], b[0], b[3], b[0], b[1]);
            dcat_node_add_literal(loc, "locn:geometry", wkt, "gsp:wktLiteral");
            dcat_node_add_literal(loc, "locn:geometry", geojson, GEOJSON_LITERAL);
            dcat_node_add_literal(loc, "dcat:bbox", wkt, "gsp:wktLiteral");
            free(wkt);
            free(geojson);
        }
    }
    add_iri(ds, "dct:spatial", c->spatial_uri);
}

static void add_distribution(struct dcat_node *ds, const struct dcat_dataset *d,
                             const struct dcat_distribution *x, int index)
{
    char *iri = format("%s#distribution-%d", ds->iri, index + 1);
    struct dcat_node *n = dcat_node_add_node(ds, "dcat:distribution", iri);
    const char *file_type = dcat_vocab_file_type(x->format);

    free(iri);
    dcat_node_add_type(n, "dcat:Distribution");
    add_text(n, "dct:title", x->title ? x->title : x->format);
    if (file_type)
        dcat_node_add_iri(n, "dct:format", file_type);
    else
        dcat_node_add_literal(n, "dct:format", x->format, NULL);
    if (x->media_type) {
        char *mt = format(IANA_MEDIA_TYPES "%s", x->media_type);
        dcat_node_add_iri(n, "dcat:mediaType", mt);
        free(mt);
    }
    dcat_node_add_iri(n, "dcat:accessURL", x->url);
    dcat_node_add_iri(n, "dcat:downloadURL", x->url);
    if (x->byte_size >= 0) {
        char size[32];
        snprintf(size, sizeof(size), "%lld", x->byte_size);
        dcat_node_add_literal(n, "dcat:byteSize", size, "xsd:decimal");
    }
    add_iri(n, "dct:license", d->licence_url);
    add_date(n, "dct:modified", x->modified);
}

static struct dcat_node *dataset_node(const struct page_ctx *p, const struct dcat_dataset *d)
{
    const struct dcat_catalog *c = p->c;
    char *iri = format("%.*s/opendata/%s", p->baselen, p->base, d->id);
    struct dcat_node *n = dcat_node_new(iri);

    dcat_node_add_type(n, "dcat:Dataset");
    /* data.gouv.fr keys a harvested dataset on dct:identifier: the URI never changes. */
    dcat_node_add_literal(n, "dct:identifier", iri, NULL);
    free(iri);
    dcat_node_add_literal(n, "dct:title", d->title, NULL);
    dcat_node_add_literal(n, "dct:description", d->description, NULL);
    for (int i = 0; i < d->nkeywords; i++)
        dcat_node_add_literal(n, "dcat:keyword", d->keywords[i], NULL);
    add_iri(n, "dcat:theme", dcat_vocab_theme(d->theme));
    add_iri(n, "dct:license", d->licence_url);
    add_iri(n, "dcat:landingPage", d->landing_page);
    add_iri(n, "dct:accrualPeriodicity", dcat_vocab_frequency(d->frequency));
    add_spatial(n, c);
    if (d->temporal_start || d->temporal_end) {
        struct dcat_node *t = dcat_node_add_node(n, "dct:temporal", NULL);
        dcat_node_add_type(t, "dct:PeriodOfTime");
        add_date(t, "dcat:startDate", d->temporal_start);
        add_date(t, "dcat:endDate", d->temporal_end);
    }
    add_date(n, "dct:issued", d->issued);
    add_date(n, "dct:modified", d->modified);
    if (c->publisher_name) {
        char *publisher = format("%.*s/opendata/catalog#publisher", p->baselen, p->base);
        dcat_node_add_iri(n, "dct:publisher", publisher);
        free(publisher);
    }
    if (c->contact_email) {
        struct dcat_node *k = dcat_node_add_node(n, "dcat:contactPoint", NULL);
        char *mailto = format("mailto:%s", c->contact_email);
        dcat_node_add_type(k, "vcard:Kind");
        add_text(k, "vcard:fn", c->publisher_name);
        dcat_node_add_iri(k, "vcard:hasEmail", mailto);
        free(mailto);
    }
    for (int i = 0; i < d->ndist; i++)
        add_distribution(n, d, &d->dist[i], i);
    return n;
}

static struct dcat_node *catalog_node(const struct page_ctx *p, int first, int last)
{
    const struct dcat_catalog *c = p->c;
    char *iri = format("%.*s/opendata/catalog", p->baselen, p->base);
    struct dcat_node *n = dcat_node_new(iri);

    dcat_node_add_type(n, "dcat:Catalog");
    if (p->pages > 1)
        dcat_node_add_type(n, "hydra:Collection");
    dcat_node_add_literal(n, "dct:title", c->title, NULL);
    add_text(n, "dct:description", c->description);
    if (c->publisher_name) {
        char *publisher = format("%s#publisher", iri);
        struct dcat_node *agent = dcat_node_add_node(n, "dct:publisher", publisher);
        free(publisher);
        dcat_node_add_type(agent, "foaf:Agent");
        dcat_node_add_literal(agent, "foaf:name", c->publisher_name, NULL);
        add_iri(agent, "foaf:homepage", c->publisher_url);
    }
    add_iri(n, "dct:language", dcat_vocab_language(c->language));
    add_iri(n, "foaf:homepage", c->homepage);
    add_date(n, "dct:modified", c->modified);
    dcat_node_add_iri(n, "dcat:themeTaxonomy", dcat_vocab_theme_scheme);
    for (int i = first; i < last; i++) {
        char *ds = format("%.*s/opendata/%s", p->baselen, p->base, c->ds[i].id);
        dcat_node_add_iri(n, "dcat:dataset", ds);
        free(ds);
    }
    if (p->pages > 1) {
        char total[24], *url = page_url(p, p->page);
        snprintf(total, sizeof(total), "%d", c->nds);
        dcat_node_add_literal(n, "hydra:totalItems", total, "xsd:integer");
        struct dcat_node *view = dcat_node_add_node(n, "hydra:view", url);
        free(url);
        dcat_node_add_type(view, "hydra:PartialCollectionView");
        int links[4] = { 1, p->pages, p->page + 1, p->page - 1 };
        const char *preds[4] = { "hydra:first", "hydra:last", "hydra:next", "hydra:previous" };
        for (int i = 0; i < 4; i++) {
            if (links[i] < 1 || links[i] > p->pages)
                continue;
            url = page_url(p, links[i]);
            dcat_node_add_iri(view, preds[i], url);
            free(url);
        }
    }
    free(iri);
    return n;
}

/* Each licence once per page, with its title (dct:title, not rdfs:label: data.gouv.fr would
 * take a label for the licence instead of its URL). */
static void add_licences(struct dcat_graph *g, const struct dcat_catalog *c, int first, int last)
{
    for (int i = first; i < last; i++) {
        const struct dcat_dataset *d = &c->ds[i];
        int seen = 0;
        if (!d->licence_url)
            continue;
        for (int j = first; j < i && !seen; j++)
            seen = c->ds[j].licence_url && strcmp(c->ds[j].licence_url, d->licence_url) == 0;
        if (seen)
            continue;
        struct dcat_node *n = dcat_node_new(d->licence_url);
        dcat_node_add_type(n, "dct:LicenseDocument");
        add_text(n, "dct:title", d->licence_title);
        dcat_graph_add(g, n);
    }
}

int dcat_pages(int nds, int per_page)
{
    if (nds < 0 || per_page < 1)
        return MUE_EINVAL;
    return nds == 0 ? 1 : (nds - 1) / per_page + 1;
}

int dcat_page_file(char *out, size_t cap, int page, const char *ext)
{
    int n;

    if (page < 1 || !ext || (strcmp(ext, "jsonld") != 0 && strcmp(ext, "ttl") != 0))
        return MUE_EINVAL;
    if (page == 1)
        n = snprintf(out, cap, "catalog.%s", ext);
    else
        n = snprintf(out, cap, "catalog-%d.%s", page, ext);
    return n < 0 || (size_t)n >= cap ? MUE_EINVAL : MUE_OK;
}

static int write_page(const struct dcat_catalog *c, int page, int per_page, enum syntax syntax,
                      struct mue_buf *out)
{
    struct dcat_graph g = { 0 };
    struct mue_buf doc;
    struct page_ctx p = { .c = c, .page = page };
    int rc;

    if (!c)
        return invalid(NULL, "catalog", "missing");
    rc = check_catalog(c);
    if (rc < 0)
        return rc;
    p.pages = dcat_pages(c->nds, per_page);
    if (p.pages < 0)
        return invalid(NULL, "per_page", "less than 1");
    if (page < 1 || page > p.pages)
        return invalid(NULL, "page", "out of range");
    int first = (page - 1) * per_page;
    int last = c->nds - first < per_page ? c->nds : first + per_page;
    for (int i = first; i < last; i++) {
        rc = check_dataset(&c->ds[i]);
        if (rc < 0)
            return rc;
    }

    p.base = c->base_url;
    p.baselen = (int)strlen(c->base_url);
    while (p.baselen > 0 && p.base[p.baselen - 1] == '/')
        p.baselen--;
    p.ext = syntax == SYNTAX_JSONLD ? "jsonld" : "ttl";

    dcat_graph_add(&g, catalog_node(&p, first, last));
    for (int i = first; i < last; i++)
        dcat_graph_add(&g, dataset_node(&p, &c->ds[i]));
    add_licences(&g, c, first, last);

    /* Written aside first, so 'out' is left as it was on any error. */
    mue_buf_init(&doc, 0);
    rc = syntax == SYNTAX_JSONLD ? dcat_graph_jsonld(&g, &doc) : dcat_graph_turtle(&g, &doc);
    if (rc == MUE_OK)
        rc = mue_buf_append(out, doc.data, doc.len);
    mue_buf_fini(&doc);
    dcat_graph_fini(&g);
    return rc;
}

int dcat_write_jsonld(const struct dcat_catalog *c, int page, int per_page, struct mue_buf *out)
{
    return write_page(c, page, per_page, SYNTAX_JSONLD, out);
}

int dcat_write_turtle(const struct dcat_catalog *c, int page, int per_page, struct mue_buf *out)
{
    return write_page(c, page, per_page, SYNTAX_TURTLE, out);
}
