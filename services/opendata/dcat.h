/* dcat.h - the DCAT-AP catalogue of the published datasets, in JSON-LD and Turtle, paged with
 * Hydra the way data.gouv.fr's DCAT harvester follows it (docs/opendata.md).
 * SPDX-License-Identifier: MIT */
#ifndef DCAT_H
#define DCAT_H

#include <stddef.h>

#include "mue_buf.h"

/* Every field is borrowed for the duration of a call. Strings are UTF-8; a NULL optional field
 * is left out of the catalogue. */
struct dcat_distribution {
    const char *title;      /* "CSV", "GeoJSON (carte)", ... */
    const char *format;     /* "CSV", "GeoJSON", "JSON", "JSON-LD" (others: a plain literal) */
    const char *media_type; /* "text/csv", "application/geo+json", ... (an IANA media type) */
    const char *url;        /* stable absolute URL: dcat:accessURL and dcat:downloadURL */
    long long byte_size;    /* -1 when unknown */
    const char *modified;   /* ISO 8601 or NULL */
};

struct dcat_dataset {
    const char *id; /* slug [A-Za-z0-9._-]+; the dataset is <base_url>/opendata/<id> */
    const char *title, *description;
    const char *landing_page; /* URL of the dataset's public page */
    const char *licence_url, *licence_title;
    const char *frequency; /* "15min", "hourly", "daily", "weekly", "monthly" */
    const char *theme;     /* a data.europa.eu data theme code: ENVI, TRAN, ENER, REGI... */
    const char *const *keywords;
    int nkeywords;
    const char *temporal_start, *temporal_end; /* ISO 8601 or NULL */
    const char *issued, *modified;             /* ISO 8601 or NULL */
    const struct dcat_distribution *dist;
    int ndist;
};

struct dcat_catalog {
    const char *base_url; /* "https://data.mue.example": every URI is made from it */
    const char *title, *description;
    const char *language; /* "fr", "en", ... (ISO 639-1) */
    const char *homepage;
    const char *publisher_name, *publisher_url, *contact_email;
    const char *spatial_name, *spatial_uri;
    double bbox[4]; /* west south east north in WGS 84 degrees; all 0 = no geometry */
    const char *modified;
    const struct dcat_dataset *ds;
    int nds;
};

/* The number of pages of a catalogue of 'nds' datasets, at most 'per_page' each (an empty
 * catalogue is one page). Returns it, or MUE_EINVAL when nds < 0 or per_page < 1. */
int dcat_pages(int nds, int per_page);

/* Writes the file name of page 'page' (1-based) into 'out': "catalog.<ext>" for page 1,
 * "catalog-<page>.<ext>" after ('ext' is "jsonld" or "ttl"). The page is published at
 * <base_url>/opendata/<name>. Returns 0, or MUE_EINVAL (bad page or ext, or 'cap' too small). */
int dcat_page_file(char *out, size_t cap, int page, const char *ext);

/* Appends page 'page' (1-based) of the catalogue to 'out', at most 'per_page' datasets, in
 * JSON-LD (a @context with prefixes and a @graph) or Turtle. Both describe the same graph:
 * a dcat:Catalog and its dcat:Dataset / dcat:Distribution nodes (DCAT-AP 2/3 with
 * data.gouv.fr's mapping). When there is more than one page, the catalogue is also a
 * hydra:Collection with hydra:totalItems and a hydra:view, the page's hydra:PartialCollectionView
 * with first, last, next and previous (the other pages of the same syntax).
 * Returns 0; MUE_EINVAL (logged as dcat.invalid with the field, 'out' unchanged) for a page out of
 * range, a missing required field (base_url, title, dataset id/title/description, distribution
 * url/format), text that is not UTF-8, a URL that is not an absolute IRI, a date that is not
 * ISO 8601, an unknown frequency or theme, a bad bbox; MUE_E2BIG when 'out' hits its ceiling. */
int dcat_write_jsonld(const struct dcat_catalog *c, int page, int per_page, struct mue_buf *out);
int dcat_write_turtle(const struct dcat_catalog *c, int page, int per_page, struct mue_buf *out);

#endif
