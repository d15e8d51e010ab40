/* dcat_vocab.h - the EU controlled vocabularies the catalogue points to (publications.europa.eu
 * authority tables): frequencies, data themes, languages, file types. Internal to dcat*.c.
 * SPDX-License-Identifier: MIT */
#ifndef DCAT_VOCAB_H
#define DCAT_VOCAB_H

/* Each returns the authority IRI (static), or NULL when the code is not in the table. */

/* "15min", "hourly", "daily", "weekly", "monthly" -> .../frequency/UPDATE_CONT, HOURLY, ... */
const char *dcat_vocab_frequency(const char *frequency);

/* A data theme code ("ENVI") -> .../data-theme/ENVI. */
const char *dcat_vocab_theme(const char *code);

/* The data theme scheme itself, for the catalogue's dcat:themeTaxonomy. */
extern const char dcat_vocab_theme_scheme[];

/* An ISO 639-1 code ("fr") -> .../language/FRA. */
const char *dcat_vocab_language(const char *code);

/* A format name, any case ("GeoJSON") -> .../file-type/GEOJSON. */
const char *dcat_vocab_file_type(const char *format);

#endif
