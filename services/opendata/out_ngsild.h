/* out_ngsild.h - a dataset's rows as NGSI-LD entities (normalized form) of the Smart Data Models
 * its definition names (struct ds_ngsi_entity), and the JSON-LD @context of our own attributes.
 * SPDX-License-Identifier: MIT */
#ifndef OUT_NGSILD_H
#define OUT_NGSILD_H

#include <libpq-fe.h>
#include <stdio.h>

#include "dataset.h"

/* Pinned rather than the unversioned alias, which follows each new release of the core context:
 * the same data should expand the same way next year. */
#define OUT_NGSILD_CORE_CONTEXT "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld"

/* Writes one entity per row of 'res' and per template of d->ngsi whose 'when' holds and which has
 * at least one attribute with a value (a template without attributes: every row), in the
 * array-file layout (out_table.h): "[", one entity a line, "]".
 *
 * Identifiers: periodic rows "urn:ngsi-ld:<Type>:<dataset id>:<key>:<20261128T140000Z>", snapshot
 * rows "urn:ngsi-ld:<Type>:<key>"; when two templates of the dataset share a type, ":<template
 * number from 1>" follows, so that each entity keeps its own id. Characters outside
 * [A-Za-z0-9-._~:@] are percent-encoded. 'key' is the subject column (source_key()).
 *
 * @context: the core context, the Smart Data Models domain context of the type, and
 * 'own_context_url' (may be NULL) when the template has a custom attribute.
 *
 * Rows without a position (location is required by every model we write) or, for a periodic
 * dataset, without a readable period are skipped, logged and counted in *skipped (may be NULL);
 * so are entities that would lack an attribute their model requires and only a template can give
 * (Streetlight status; StreetlightControlCabinet refStreetlightGroup, workingMode).
 * Returns the number of entities written, MUE_EINVAL when the definition cannot be used (a
 * fixed_json that is not an object, a missing key or period column), or -errno when the file
 * cannot be written. */
int out_ngsild_write(FILE *f, const struct dataset *d, const char *key, const PGresult *res,
                     const char *own_context_url, long *skipped);

/* Our own JSON-LD @context, {"@context":{...}}: each custom attribute of every dataset of 'c'
 * (Lden, L10...) -> "<vocab_url>#<name>", once each, in the order of the catalogue.
 * Returns the number of terms, or -errno when the file cannot be written. */
int out_ngsild_write_context(FILE *f, const struct ds_catalog *c, const char *vocab_url);

#endif
