/* dataset.h - the published datasets as their definition file describes them
 * (deploy/opendata/datasets.json, docs/opendata.md): what each holds, how often, in which formats,
 * under which licence, and whether the public may have it.
 * SPDX-License-Identifier: MIT */
#ifndef DATASET_H
#define DATASET_H

#include <stdbool.h>
#include <stddef.h>

/* The time step of a dataset's rows; a snapshot has none (the list of sensors). */
enum ds_period { DS_SNAPSHOT, DS_15MIN, DS_HOUR, DS_DAY };

/* Formats, as a bit set. DS_COUNTING is the French national counting schema
 * (schema-comptage-mobilites: sites, channels and measures files). */
enum ds_format {
    DS_CSV = 1 << 0,
    DS_GEOJSON = 1 << 1,
    DS_JSON = 1 << 2,
    DS_NGSILD = 1 << 3,
    DS_COUNTING = 1 << 4,
};

/* A column of values: a quantity of the vocabulary (docs/quantities.md) or an indicator the source
 * computes (Lden...), with its unit and a French label for the documentation. */
struct ds_column {
    char *name; /* lowercase: [a-z][a-z0-9_]*, the file's column */
    char *
        quantity; /* the "measure" source's vocabulary quantity ("LA10"); the name when not given */
    char *unit;
    char *label;
};

/* One NGSI-LD attribute made from one column. A number is written as column × scale (fill_level
 * % → fillingLevel 0..1) unless 'map' translates its text ("1" → "defectiveLamp"); a
 * 'relationship' makes a Relationship to the entities of that type named by the column (ids
 * separated by commas). 'custom' marks an attribute the Smart Data Model lacks (documented as
 * ours in docs/opendata.md). */
struct ds_ngsi_attr {
    char *column;
    char *attribute;
    double scale; /* 1 when not given */
    bool custom;
    char *relationship; /* an entity type, or NULL */
    char **map_from;    /* the column's text values ... */
    char **map_to;      /* ... and what each becomes */
    int nmap;
};

/* One NGSI-LD entity per row (and per template) when at least one of its attributes has a value:
 * type, attributes, and fixed properties written as they are (vehicleType: "bicycle"). 'when'
 * limits the template to some rows: "column" (not null) or "column=text"; NULL for every row. */
struct ds_ngsi_entity {
    char *type;
    char *when;
    struct ds_ngsi_attr *attrs;
    int nattrs;
    char *fixed_json; /* a JSON object's text, or NULL */
};

struct dataset {
    char *id;          /* slug: folder and file names, stable URLs, the CKAN package name */
    char *title;       /* French */
    char *description; /* French, plain text */
    char *use_case;    /* use_case.id: who may read it while restricted */
    char *source;      /* a source of source.c: what rows it holds */
    char *aggregation; /* "mean", "sum", "max", "energetic_mean", "none" */
    char *licence;     /* a key of the catalogue's licence table; "lov2" by default */
    char *frequency;   /* "15min", "hourly", "daily", "weekly", "monthly" */
    char *theme;       /* a data.europa.eu data theme code: ENVI, TRAN, ENER, REGI... */
    char **keywords;
    int nkeywords;
    struct ds_column *columns; /* the value columns, in file order */
    int ncolumns;
    enum ds_period period;
    int formats;       /* enum ds_format bits */
    bool restricted;   /* never written to the public folder, catalogued or pushed */
    long delay_s;      /* a period is exported once it ended this long ago */
    long revise_s;     /* each run writes again this far back, for late uplinks */
    long history_days; /* the first run starts this far back */
    long every_s;      /* how often the job runs */
    struct ds_ngsi_entity *ngsi;
    int nngsi;
};

struct ds_licence {
    char *key;     /* "lov2" */
    char *title;   /* "Licence Ouverte v2.0 (Etalab)" */
    char *url;     /* the licence's URL, as data.gouv.fr knows it */
    char *ckan_id; /* the portal's license_id */
};

/* The whole file: who publishes, where, under which licences, and the datasets. */
struct ds_catalog {
    char *title;
    char *description;
    char *publisher;     /* "Métropole Aix-Marseille-Provence" */
    char *publisher_url; /* its home page */
    char *contact_email;
    char *spatial_name; /* "Métropole Aix-Marseille-Provence" */
    char *spatial_uri;  /* an identifier of the area (the EPCI's SIREN as a URI) */
    double bbox[4];     /* west, south, east, north (WGS84) of the 92 communes */
    struct ds_licence *licences;
    int nlicences;
    struct dataset *ds;
    int nds;
};

/* Reads and checks a definition file. Returns 0, or MUE_EINVAL with 'err' saying what and where
 * (the dataset's id and field). Fills defaults: licence lov2, delay 900 s, revise 1 day, history
 * 30 days, every_s from the frequency. */
int ds_catalog_load(struct ds_catalog *c, const char *path, char *err, size_t errlen);
void ds_catalog_fini(struct ds_catalog *c);

const struct dataset *ds_find(const struct ds_catalog *c, const char *id);
const struct ds_licence *ds_licence_find(const struct ds_catalog *c, const char *key);

/* Names: "csv", "geojson", "json", "ngsi-ld", "schema-comptage"; "15min", "hour", "day",
 * "snapshot". */
const char *ds_format_name(enum ds_format f);
const char *ds_period_name(enum ds_period p);

#endif
