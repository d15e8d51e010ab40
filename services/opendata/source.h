/* source.h - the rows of a dataset for a time range, read from PostgreSQL by one of a few named
 * queries that dataset definitions choose from ("source": "measure", "noise_site_day"...).
 *
 * Every result has these columns, in this order, as text (libpq's text format):
 *   period_start, period_end   ISO 8601 UTC, "2026-11-28T14:00:00Z" (periodic sources only);
 *   date                       YYYY-MM-DD, the local (Europe/Paris) day of a DS_DAY period only;
 *   <key>                      the subject's identifier: source_key(), e.g. "device_eui";
 *   name                       the subject's name;
 *   commune_insee              its commune's INSEE code, or NULL;
 *   latitude, longitude        WGS84 (float8), or NULL when it has no position;
 *   the source's own columns   (site, site_id, use_case, model, counts, installed_at,
 * last_seen...); the dataset's value columns, in struct dataset's order (float8, NULL for no
 * value). Rows come ordered by period then key, so the same data always gives the same file.
 * SPDX-License-Identifier: MIT */
#ifndef SOURCE_H
#define SOURCE_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "dataset.h"

struct mue_db;

/* Whether 'name' is a source, and whether it is periodic (else a snapshot). */
bool source_exists(const char *name, bool *periodic);

/* Whether a dataset of source 'name' may have the value column 'column': a computed source has
 * its own (noise_site_day: lday, levening, lnight, lden; lighting_group_day: energy_kwh,
 * meters), and no value column may take the name of a fixed one. */
bool source_allows_column(const char *name, const char *column);

/* Every device of 'use_case', retired ones too, with the "devices" source's columns (no value
 * columns): the counting schema's sites and channels. Returns the row count or MUE_EDB. */
int source_counting_registry(struct mue_db *db, const char *use_case, PGresult **out);

/* The column that identifies a row's subject for the source. */
const char *source_key(const char *name);

/* The rows of 'd' whose period starts in [from, to) (ISO 8601 timestamps; ignored for a
 * snapshot). Returns the row count with *out set (the caller PQclear()s it), or MUE_EDB. */
int source_rows(struct mue_db *db, const struct dataset *d, const char *from, const char *to,
                PGresult **out);

#endif
